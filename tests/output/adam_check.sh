#!/usr/bin/env bash
# The ADaM check from R (CTest adam_r_check; docs/adam.md): a phase III run, then
# tests/output/adam_check.R on its CSV views and report.html. Exit 77 (skipped) without Rscript or
# R's survival package (tools/install-deps.sh --r installs r-base-core and r-cran-survival).
# Usage: adam_check.sh IL2SIM ADAM_CHECK_R
set -euo pipefail
bin=$1 script=$2
command -v Rscript >/dev/null || { echo "adam_check: Rscript not installed: skipped"; exit 77; }
Rscript -e 'quit(status = if (requireNamespace("survival", quietly = TRUE)) 0 else 1)' ||
  { echo "adam_check: R package survival not installed: skipped"; exit 77; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The built-in phase III, one replicate, the default seed, 120 registrants (seconds, not minutes).
"$bin" run phase3-autosct-nhl --replicates 1 --set stages.phase3.registered=120 --out "$out/run"
Rscript "$script" "$bin" "$out/run"
