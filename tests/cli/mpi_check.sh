#!/usr/bin/env bash
# interfaces.md: `mpirun -np K build/il2sim run ...` splits replicates across ranks and gathers them
# into the same bytes as one process (all files but manifest.json, which alone records the rank count
# and timings). The programme's single-arm stages check the selection-bias results (issue 12).
# Usage: mpi_check.sh BUILD_DIR MPI_BUILT(0/1). Exit 77 (skipped) only when the build has no MPI support.
set -euo pipefail
build=$1
if [ "$2" != 1 ]; then
  echo "il2sim was built without MPI (no MPI found): skipped"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for scenario in phase3-autosct-nhl programme; do
  "$build/il2sim" run $scenario --replicates 5 --threads 1 --out "$tmp/one-$scenario"
  mpirun --allow-run-as-root --oversubscribe -np 2 "$build/il2sim" run $scenario --replicates 5 --threads 1 \
    --out "$tmp/two-$scenario"
  figures=$(cd "$tmp/one-$scenario" && ls figures/*.csv)
  [ -n "$figures" ] || { echo "FAIL: $scenario: no figures/*.csv"; status=1; }
  [ "$figures" = "$(cd "$tmp/two-$scenario" && ls figures/*.csv)" ] ||
    { echo "FAIL: $scenario: figures/ differs between 1 process and mpirun -np 2"; status=1; }
  for f in summary.json scenario.toml adsl.csv adtte.csv adlb.csv adae.csv ex.csv report.html results.sqlite $figures; do
    if ! cmp -s "$tmp/one-$scenario/$f" "$tmp/two-$scenario/$f"; then
      echo "FAIL: $scenario: $f differs between 1 process and mpirun -np 2"
      status=1
    fi
  done
  grep -q '"ranks": 2' "$tmp/two-$scenario/manifest.json" || { echo "FAIL: manifest.json does not record 2 ranks"; status=1; }
done
[ $status -eq 0 ] && echo "mpirun -np 2: same bytes as one process"
exit $status
