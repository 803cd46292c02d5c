#!/usr/bin/env bash
# Fails, listing the files, when clang-format-14 would change any C++ source under src, apps, tests,
# bench or fuzz (.clang-format at the root). `make format` applies it. Exit 77 (skip) without
# clang-format-14.
set -uo pipefail
root=${1:-.}
command -v clang-format-14 >/dev/null || { echo "clang-format-14 not installed: skipped"; exit 77; }
cd "$root" || exit 2
out=$(find src include bindings apps tests bench fuzz \( -name '*.cpp' -o -name '*.hpp' \) -print0 |
      xargs -0 clang-format-14 --dry-run -Werror 2>&1)
if [ -n "$out" ]; then
  echo "$out" | grep -o '^[^: ]*\.[ch]pp' | sort -u | sed 's/^/not formatted: /'
  echo "run \`make format\` to apply .clang-format"
  exit 1
fi
echo "every source file follows .clang-format"
