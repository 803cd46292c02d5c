#!/usr/bin/env bash
# Reports of real runs in headless Chromium. Run by CTest as `report_run_browser`.
#   report_run_check.sh <il2sim-executable> <artifacts-dir>
#
# Runs two small real runs (the phase III scenario with 3 replicates; the programme, which has every
# stage type, with 2), then checks each report.html with tests/report/browser_check.sh --file: every
# <svg> renders with a non-zero box, no console message, no network request; the PNG screenshots are
# left as <artifacts>/report-phase3.png and <artifacts>/report-programme.png.
# Exit 0 = pass, 1 = fail, 77 = skipped because chromium is not installed.
set -euo pipefail

il2sim=${1:?usage: report_run_check.sh <il2sim> <artifacts-dir>}
artifacts=${2:?usage: report_run_check.sh <il2sim> <artifacts-dir>}
here=$(cd "$(dirname "$0")" && pwd)
check="$here/../report/browser_check.sh"

runs=$(mktemp -d)
trap 'rm -rf "$runs"' EXIT
mkdir -p "$artifacts"

status=0
for job in "phase3 phase3-autosct-nhl 3" "programme programme 2"; do
  read -r name scenario replicates <<< "$job"
  if ! "$il2sim" run "$scenario" --replicates "$replicates" --threads 2 --out "$runs/$name" > "$runs/$name.out" 2> "$runs/$name.err"; then
    cat "$runs/$name.err" >&2
    echo "FAIL: il2sim run $scenario did not succeed" >&2
    exit 1
  fi
  [ ! -s "$runs/$name.out" ] || { echo "FAIL: il2sim run $scenario wrote to stdout" >&2; exit 1; }
  cp "$runs/$name/report.html" "$artifacts/report-$name.html"
  set +e
  bash "$check" --file "$artifacts/report-$name.html" "$artifacts" "report-$name"
  rc=$?
  set -e
  [ "$rc" -eq 77 ] && exit 77
  [ "$rc" -eq 0 ] || status=1
done
exit "$status"
