#!/usr/bin/env bash
# Runs every command of a Markdown tutorial (docs/tutorial.md): each line of a ```console block that
# starts with "$ " is run by bash, in order, in one temporary working directory, with BUILD_DIR/il2sim
# first on PATH as `il2sim`. Fails on the first command that exits non-zero (a `grep` that finds
# nothing included), naming it. Outputs go to relative directories, inside the scratch directory.
# To keep the suite fast, `--replicates N` and `--samples N` are replaced by 2 and `--patients N` by
# 20: the test checks that every command, option and file the tutorial names works as written, not
# its numbers (those are measured with the commands as printed; the tutorial says so).
# Usage: check-tutorial.sh BUILD_DIR TUTORIAL.md
set -euo pipefail
build=$(cd "$1" && pwd)
doc=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
[ -x "$build/il2sim" ] || { echo "check-tutorial: $build/il2sim not built" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"
ln -s "$build/il2sim" "$work/bin/il2sim"
export PATH="$work/bin:$PATH"
n=0
while IFS= read -r cmd; do
  n=$((n + 1))
  cmd=$(sed -E 's/--replicates [0-9]+/--replicates 2/g; s/--samples [0-9]+/--samples 2/g; s/--patients [0-9]+/--patients 20/g' <<<"$cmd")
  echo "[$n] $cmd"
  if ! (cd "$work" && bash -c "$cmd" >"$work/.out" 2>&1); then
    echo "check-tutorial: command $n of $doc failed: $cmd" >&2
    cat "$work/.out" >&2
    exit 1
  fi
done < <(awk '/^```console/ { inside = 1; next } /^```/ { inside = 0 } inside && /^\$ / { sub(/^\$ /, ""); print }' "$doc")
[ "$n" -gt 0 ] || { echo "check-tutorial: no \"\$ \" command in a console block of $doc" >&2; exit 1; }
echo "check-tutorial: all $n commands of $(basename "$doc") ran"
