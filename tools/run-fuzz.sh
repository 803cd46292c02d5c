#!/usr/bin/env bash
# Runs each libFuzzer target of the sanitized build (CMake preset `asan`) for a bounded time, all targets
# in parallel, and fails on any crash, sanitizer report, leak, timeout or out-of-memory.
#   tools/run-fuzz.sh [BUILD_DIR] [SECONDS]      defaults: build-asan 60
# Each target starts from its committed seed corpus fuzz/corpus/NAME/, which libFuzzer only reads;
# new inputs go to BUILD_DIR/fuzz-runs/NAME/corpus/ and a failing input to .../artifacts/, with the
# log in .../log. Add a failing input to fuzz/corpus/NAME/ as a regression seed once it is fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-asan}
seconds=${2:-60}
targets=(scenario csv journal cli)
declare -A dict=([scenario]=fuzz/toml.dict [csv]=fuzz/csv.dict [journal]=fuzz/journal.dict
  [cli]=fuzz/cli.dict)

runs="$build/fuzz-runs"
rm -rf "$runs"
declare -A pid
for t in "${targets[@]}"; do
  exe="$build/fuzz/fuzz_$t"
  if [ ! -x "$exe" ]; then
    echo "run-fuzz.sh: $exe is missing; build it with: cmake --preset asan && cmake --build --preset fuzz" >&2
    exit 2
  fi
  mkdir -p "$runs/$t/corpus" "$runs/$t/artifacts"
  "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -dict="${dict[$t]}" -artifact_prefix="$runs/$t/artifacts/" \
    "$runs/$t/corpus" "fuzz/corpus/$t" >"$runs/$t/log" 2>&1 &
  pid[$t]=$!
done

status=0
for t in "${targets[@]}"; do
  rc=0
  wait "${pid[$t]}" || rc=$?
  log="$runs/$t/log"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 || true)
  if [ "$rc" -eq 0 ]; then
    echo "fuzz_$t: ok, ${execs:-?} executions in ${seconds} s (${rate:-?}/s), ${cov:-cov: ?}"
  else
    status=1
    echo "fuzz_$t: FAILED (exit $rc) after ${execs:-?} executions; log: $log" >&2
    tail -n 60 "$log" >&2
    for a in "$runs/$t/artifacts/"*; do
      [ -e "$a" ] && echo "fuzz_$t: failing input: $a (replay: $build/fuzz/fuzz_$t $a)" >&2
    done
  fi
done
exit "$status"
