#!/usr/bin/env bash
# The Debian package of issue 16 ("the .deb built by `make package` installs with dpkg -i and
# /usr/bin/il2sim --help works; the package lists its Debian dependencies"), from the release build:
#   1. cpack -G DEB into a temporary directory (not build/, so `make package`'s output is untouched);
#   2. dpkg-deb --info: name, version, architecture, section, maintainer, and a Depends line naming
#      the package of every shared library `ldd build/il2sim` lists;
#   3. dpkg-deb --contents: the binary, man page, bash completion, docs and example scenarios;
#   4. dpkg-deb -x into the temporary directory: the extracted binary runs from / (nothing it needs
#      is read from the source tree), the man page renders;
#   5. as root only, and only when il2sim is not already installed: dpkg -i into the live system,
#      /usr/bin/il2sim --help, man -w il2sim, then dpkg -r il2sim (serialized by a lock file, so
#      that two worktrees' suites do not install and remove it under each other).
# Usage: package_check.sh BUILD_DIR SOURCE_DIR. Exit 77 (skip) without dpkg-deb or dpkg-shlibdeps.
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
for tool in dpkg-deb dpkg-shlibdeps cpack; do
  command -v "$tool" >/dev/null || { echo "$tool not installed (tools/install-deps.sh --package): skipped"; exit 77; }
done
tmp=$(mktemp -d)
installed_here=0
cleanup() {
  if [ "$installed_here" = 1 ]; then dpkg -r il2sim >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap "exit 1" INT TERM  # a timeout still removes what was installed
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "-- $* ($(( $(date +%s%N) / 1000000 - t0 )) ms)"; }
t0=$(( $(date +%s%N) / 1000000 ))

# 1. Build the package. The version is the tool's own (`il2sim --version`, core/version.hpp), which
#    must also be the project's VERSION (CMakeLists.txt) that CPack names the package with.
version=$("$build/il2sim" --version)
arch=$(dpkg --print-architecture)
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp" >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log"; fail "cpack -G DEB"; }
deb="$tmp/il2sim_${version}_${arch}.deb"
[ -f "$deb" ] || fail "cpack wrote no $deb (il2sim --version is $version): $(ls "$tmp")"
step "built $(basename "$deb"), $(stat -c %s "$deb") bytes"

# 2. Control fields (CMakeLists.txt's CPACK_* settings; section science as issue 16's brief asks).
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = il2sim ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', il2sim --version $version"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture is '$(field Architecture)'"
[ "$(field Section)" = science ] || fail "Section is '$(field Section)'"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
[ -n "$(field Description)" ] || fail "no Description"
depends=$(field Depends)
[ -n "$depends" ] || fail "no Depends line"
depends_names=$(tr ',|' '\n\n' <<<"$depends" | awk 'NF { print $1 }')
# Every shared library the binary links directly (its NEEDED entries, objdump -p; ldd resolves each
# to a file) comes from a package named in Depends; dpkg -S names that package, looked up once for
# all of them, under /lib and /usr/lib (one directory on Debian 12, recorded under either).
needed=$(objdump -p "$build/il2sim" | awk '$1 == "NEEDED" { print $2 }')
[ -n "$needed" ] || fail "objdump -p build/il2sim lists no NEEDED library"
paths=()
for lib in $needed; do
  # ldd writes "LIB => FILE (address)", and for the dynamic loader (NEEDED when the position-
  # independent libraries call __tls_get_addr: libil2sim.so, docs/api.md) "FILE (address)".
  file=$(ldd "$build/il2sim" | awk -v l="$lib" -v sl="/$lib" '
    $1 == l && $2 == "=>" { print $3; exit }
    substr($1, length($1) - length(sl) + 1) == sl { print $1; exit }')
  [ -n "$file" ] || fail "ldd build/il2sim does not resolve $lib"
  file=$(readlink -f "$file")
  paths+=("$file" "${file#/usr}" "/usr${file#/usr}" "$(dirname "$file")/$lib" "/usr$(dirname "${file#/usr}")/$lib"
          "$(dirname "${file#/usr}")/$lib")
done
owners=$(dpkg -S "${paths[@]}" 2>/dev/null || true)
for lib in $needed; do
  owner=$(awk -v l="/$lib" 'index($0, l) && substr($0, length($0) - length(l) + 1) == l { sub(/:.*/, ""); print; exit }' <<<"$owners")
  [ -n "$owner" ] || fail "no Debian package ships $lib (objdump -p, ldd build/il2sim)"
  grep -qxF "$owner" <<<"$depends_names" ||
    fail "Depends does not name $owner, which ships $lib: Depends: $depends"
done
step "Depends: $depends"

# 3. Contents: the install rules of CMakeLists.txt (GNUInstallDirs under /usr).
contents=$(dpkg-deb --contents "$deb" | awk '{ print $6 }')
for f in ./usr/bin/il2sim ./usr/share/man/man1/il2sim.1 ./usr/share/bash-completion/completions/il2sim \
         ./usr/share/doc/il2sim/README.md ./usr/share/doc/il2sim/docs/scenario-reference.md \
         ./usr/share/doc/il2sim/scenarios/programme.toml; do
  grep -qxF "$f" <<<"$contents" || fail "$f is not in the package"
done
for f in "$src"/scenarios/examples/*.toml; do
  grep -qxF "./usr/share/doc/il2sim/scenarios/examples/$(basename "$f")" <<<"$contents" ||
    fail "example scenario $(basename "$f") is not in the package"
done
step "contents: binary, man page, completion, docs, example scenarios"

# 4. Extracted: the binary runs from / with the built-in scenarios (embedded, `scenarios show`
#    prints scenarios/programme.toml unchanged), cohorts and the typical patient; the man page renders.
root="$tmp/root"
dpkg-deb -x "$deb" "$root"
bin="$root/usr/bin/il2sim"
(cd / && "$bin" --help >/dev/null) || fail "extracted il2sim --help"
(cd / && "$bin" scenarios show programme) | cmp -s - "$src/scenarios/programme.toml" ||
  fail "extracted il2sim scenarios show programme differs from scenarios/programme.toml"
(cd / && "$bin" scenarios cohorts >/dev/null) || fail "extracted il2sim scenarios cohorts"
(cd / && "$bin" trajectory --typical --days 30 --out "$tmp/typical.csv") ||
  fail "extracted il2sim trajectory --typical"
bash -n "$root/usr/share/bash-completion/completions/il2sim" || fail "completion script syntax"
if command -v man >/dev/null; then
  page=$(MANWIDTH=100 man -l "$root/usr/share/man/man1/il2sim.1" 2>"$tmp/man.err")
  [ ! -s "$tmp/man.err" ] || fail "man -l il2sim.1: $(cat "$tmp/man.err")"
  grep -q "SUBCOMMANDS" <<<"$page" || fail "the man page has no SUBCOMMANDS section"
fi
step "extracted package runs from /"

# 5. The live system (root only; CI and the development machines run as root).
if [ "$(id -u)" != 0 ]; then
  echo "not root: dpkg -i skipped (the extracted package was checked)"
  exit 0
fi
exec 9>/tmp/il2sim-package-check.lock
flock -w 300 9 || fail "another package test held /tmp/il2sim-package-check.lock for 300 s"
if dpkg-query -W -f='${Status}' il2sim 2>/dev/null | grep -q "ok installed"; then
  echo "il2sim is already installed on this system: dpkg -i skipped, to leave it as it is"
  exit 0
fi
dpkg_retry() {  # dpkg fails at once while apt holds its lock: wait up to 60 s for it
  local i
  for i in $(seq 30); do
    if dpkg "$@" >"$tmp/dpkg.log" 2>&1; then return 0; fi
    grep -q "lock" "$tmp/dpkg.log" || break
    sleep 2
  done
  cat "$tmp/dpkg.log"
  return 1
}
installed_here=1
dpkg_retry -i "$deb" || fail "dpkg -i $(basename "$deb")"
(cd / && /usr/bin/il2sim --help >/dev/null) || fail "/usr/bin/il2sim --help after dpkg -i"
if command -v man >/dev/null; then
  [ "$(man -w il2sim)" = /usr/share/man/man1/il2sim.1 ] || fail "man -w il2sim: $(man -w il2sim 2>&1)"
else
  [ -f /usr/share/man/man1/il2sim.1 ] || fail "/usr/share/man/man1/il2sim.1 missing after dpkg -i"
fi
[ -f /usr/share/bash-completion/completions/il2sim ] || fail "completion missing after dpkg -i"
dpkg_retry -r il2sim || fail "dpkg -r il2sim"
installed_here=0
[ ! -e /usr/bin/il2sim ] || fail "/usr/bin/il2sim left after dpkg -r"
step "dpkg -i, /usr/bin/il2sim --help, man -w il2sim, dpkg -r"
