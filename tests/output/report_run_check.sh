#!/usr/bin/env bash
# Reports of real runs in headless Chromium. Run by CTest as `report_run_browser`.
#   report_run_check.sh <il2sim-executable> <artifacts-dir>
#
# Runs two small real runs (the phase III scenario with 3 replicates; the programme, which has every
# stage type, with 2), checks that every figure's data is in figures/<id>.csv and named in its
# caption, then checks each report.html with tests/report/browser_check.sh --file: every <svg>
# renders with a non-zero box, no two text labels of a figure overlap and none leaves its figure,
# no console message, no network request; the PNG screenshots are left as
# <artifacts>/report-phase3.png and <artifacts>/report-programme.png, and the phase III report's
# CONSORT flow, Kaplan–Meier PFS and HR histogram alone as <artifacts>/figure-phase3-<id>.png.
# Exit 0 = pass, 1 = fail, 77 = skipped because chromium is not installed.
set -euo pipefail

il2sim=${1:?usage: report_run_check.sh <il2sim> <artifacts-dir>}
artifacts=${2:?usage: report_run_check.sh <il2sim> <artifacts-dir>}
here=$(cd "$(dirname "$0")" && pwd)
check="$here/../report/browser_check.sh"

runs=$(mktemp -d)
trap 'rm -rf "$runs"' EXIT
mkdir -p "$artifacts"

# Every figure of the report has its data, figures/<id>.csv, non-empty and named in the page; the
# folder holds nothing else; the figures this helper's brief added are present (a CONSORT flow,
# Kaplan–Meier PFS with its confidence band, the HR histogram on a log axis).
check_figure_data() {
  local run=$1 name=$2 id ok=0
  local ids
  ids=$(grep -o '<svg class="figure[^"]*" id="[^"]*"' "$run/report.html" | sed 's/.*id="//; s/"$//' | LC_ALL=C sort)
  for id in $ids; do
    [ -s "$run/figures/$id.csv" ] || { echo "FAIL: $name: figure $id has no data file figures/$id.csv" >&2; ok=1; }
    grep -q "Data: figures/$id.csv." "$run/report.html" ||
      { echo "FAIL: $name: the caption of $id does not name figures/$id.csv" >&2; ok=1; }
  done
  if [ "$(cd "$run/figures" && ls | sed 's/\.csv$//' | LC_ALL=C sort)" != "$ids" ]; then
    echo "FAIL: $name: figures/ holds files of no figure: $(ls "$run/figures")" >&2
    ok=1
  fi
  if [ "$name" = phase3 ]; then
    for id in s1-consort s1-km-PFS s1-km-OS s1-hr-hist; do
      echo "$ids" | grep -qx "$id" || { echo "FAIL: $name: no figure $id" >&2; ok=1; }
    done
    grep -q 'fill-opacity="0.15"' "$run/report.html" ||
      { echo "FAIL: $name: no confidence band on the Kaplan–Meier figures" >&2; ok=1; }
    grep -q ',band,' "$run/figures/s1-km-PFS.csv" ||
      { echo "FAIL: $name: s1-km-PFS.csv has no band rows" >&2; ok=1; }
  fi
  return $ok
}

# A PNG of one figure of a report: its <svg> alone on a page, the window as large as the figure.
figure_png() {
  local report=$1 id=$2 png=$3 page width height
  page=$(mktemp --suffix=.html -p "$runs")
  { echo '<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0}</style></head><body>'
    awk -v id="$id" 'index($0, "id=\"" id "\"") && /^<svg / { on = 1 } on { print } on && /^<\/svg>/ { exit }' "$report"
    echo '</body></html>'; } > "$page"
  width=$(grep -o '^<svg [^>]*' "$page" | sed -n 's/.* width="\([0-9]*\)".*/\1/p')
  height=$(grep -o '^<svg [^>]*' "$page" | sed -n 's/.* height="\([0-9]*\)".*/\1/p')
  [ -n "$width" ] && [ -n "$height" ] || { echo "FAIL: no figure $id in $report" >&2; return 1; }
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$runs/profile-$id" --screenshot="$png" --window-size="$width,$height" \
    "file://$page" > /dev/null 2>&1 || { echo "FAIL: chromium did not take $png" >&2; return 1; }
  [ -s "$png" ] || { echo "FAIL: no $png" >&2; return 1; }
}

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
  check_figure_data "$runs/$name" "$name" || status=1
  set +e
  bash "$check" --file "$artifacts/report-$name.html" "$artifacts" "report-$name"
  rc=$?
  set -e
  [ "$rc" -eq 77 ] && exit 77
  [ "$rc" -eq 0 ] || status=1
done
# PNGs of the new figures alone, for review (build/artifacts/figure-<id>.png).
browser=$(command -v chromium || command -v chromium-browser)
for id in s1-consort s1-km-PFS s1-hr-hist; do
  figure_png "$artifacts/report-phase3.html" "$id" "$artifacts/figure-phase3-$id.png" || status=1
done
exit "$status"
