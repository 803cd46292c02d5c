#!/usr/bin/env bash
# `il2sim completion bash` (issue 16, bash completion): bash with the script sourced and COMP_WORDS
# set as bash sets them on <TAB> offers the subcommands `il2sim --help` lists (and not the hidden
# ones), a command's subcommands and options as its --help lists them, built-in scenario names as
# `il2sim scenarios` lists them, and files for an option's value.
# Usage: completion_check.sh IL2SIM
set -euo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
"$bin" completion bash >"$tmp/il2sim.bash"

# offered WORD... : the completions bash offers for the last word (COMP_CWORD), one per line, sorted.
offered() {
  (cd "$tmp/cwd" && bash --norc --noprofile -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    _il2sim
    printf "%s\n" "${COMPREPLY[@]}"' _ "$tmp/il2sim.bash" "$@") | sed '/^$/d' | sort
}
expect() {  # expect "EXPECTED (sorted lines)" WORD...
  local want=$1 got
  shift
  got=$(offered "$@")
  [ "$got" = "$want" ] || fail "il2sim completion of '$*': got [$(echo $got)], expected [$(echo $want)]"
}
mkdir -p "$tmp/cwd/outdir" && touch "$tmp/cwd/trial.toml"

# The top level: the Subcommands section of `il2sim --help` (hidden `schema`, `manpage` are not in it).
subcommands=$("$bin" --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && /^  [a-z]/ { print $1 }' | sort)
[ -n "$subcommands" ] || fail "no Subcommands in il2sim --help"
expect "$subcommands" il2sim ""
for hidden in schema manpage; do
  ! grep -qx "$hidden" <<<"$subcommands" || fail "hidden $hidden listed by --help"
done
expect "run" il2sim ru
# `scenarios --help`: show, cohorts, reference, upgrade; `completion --help`: bash.
expect "show" il2sim scenarios sh
expect "bash" il2sim completion ""
# Options of `run` starting --se (`il2sim run --help`: --seed, --set).
expect "$(printf '%s\n' --seed --set | sort)" il2sim run --se
# Built-in scenario names (`il2sim scenarios`) for a scenario argument, after an option's value,
# with the .toml file of the working directory and its directory.
scenarios=$("$bin" scenarios | awk '{ print $1 }' | grep '^p' | sort)
expect "$(printf '%s\n' $scenarios | sort)" il2sim run --seed 3 p
expect "$(printf '%s\n' outdir trial.toml $("$bin" scenarios | awk '{ print $1 }') | sort)" il2sim run ""
# An option's value: files.
expect "$(printf '%s\n' outdir trial.toml | sort)" il2sim run --out ""
echo "il2sim completion bash: subcommands, options, scenario names and files as expected"
