#!/usr/bin/env bash
# The golden run of one built-in scenario: the one place that says how each scenario is run for the
# golden files (tests/golden/<scenario>/) and the same-bytes tests (tools/golden/same_bytes.sh).
# Usage: run_scenario.sh IL2SIM SCENARIO OUT_DIR [extra options, e.g. --threads 2 or --resume]
# A scenario with [[stages]] runs `il2sim run` at GOLDEN_REPLICATES replicates (default below); the
# one without stages (chiron-regimen) runs `il2sim cohort` on its il2 arm.
#        run_scenario.sh --command SCENARIO   prints the il2sim command it uses: run or cohort
set -euo pipefail
if [ "$1" = --command ]; then
  [ "$2" = chiron-regimen ] && echo cohort || echo run
  exit 0
fi
bin=$1 scenario=$2 out=$3
shift 3
case "$scenario" in
  chiron-regimen)
    # No trial design: `il2sim run` refuses it (exit 2), so the cohort command is its end-to-end path.
    exec "$bin" cohort "$scenario" --arm il2 --patients 6 --days 730 --out "$out" "$@" ;;
  phase3-autosct-nhl | programme)
    # Their phase III registers 394 patients per replicate: one replicate (1.4 MB and 0.4 MB
    # gzipped; two replicates of the programme are 2.6 MB).
    exec "$bin" run "$scenario" --replicates "${GOLDEN_REPLICATES:-1}" --out "$out" "$@" ;;
  *)
    exec "$bin" run "$scenario" --replicates "${GOLDEN_REPLICATES:-2}" --out "$out" "$@" ;;
esac
