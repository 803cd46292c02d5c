#!/usr/bin/env bash
# The report's Kaplan–Meier figure data (steps and 95 % bands) against R's survfit on the run's own
# adtte.csv (tools/reference/report/km_band_check.R). Run by CTest as `report_km_band_r`.
#   km_band_r_check.sh <il2sim-executable>
# Exit 0 = pass, 1 = fail, 77 = skipped: no Rscript with the survival package (install-deps.sh --r).
set -euo pipefail
il2sim=${1:?usage: km_band_r_check.sh <il2sim>}
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v Rscript > /dev/null 2>&1 || ! Rscript -e 'library(survival)' > /dev/null 2>&1; then
  echo "SKIP: Rscript with the survival package is not installed (tools/install-deps.sh --r)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$il2sim" run phase3-autosct-nhl --replicates 1 --out "$tmp/run" > /dev/null
Rscript "$here/../../tools/reference/report/km_band_check.R" "$tmp/run"
