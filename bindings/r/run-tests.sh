#!/usr/bin/env bash
# The package's testthat suite against the package installed in BUILD/R-lib (install.sh) and the
# binary BUILD/il2sim: bash bindings/r/run-tests.sh BUILD. Exits 77 (CTest's skip) when R, testthat,
# survival or knitr is not installed (tools/install-deps.sh --r).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
if ! command -v Rscript >/dev/null || ! Rscript -e 'quit(status = !all(sapply(c("testthat", "survival", "knitr"), requireNamespace, quietly = TRUE)))' >/dev/null 2>&1; then
  echo "run-tests.sh: R with testthat, survival and knitr is not installed: run tools/install-deps.sh --r" >&2
  exit 77
fi
export R_LIBS="$build/R-lib" IL2SIM_CLI="$build/il2sim" IL2SIM_VIGNETTE="$here/vignettes/power.Rmd"
cd "$here/tests/testthat"
exec Rscript -e 'testthat::test_dir(".", package = "il2sim", load_package = "installed", stop_on_failure = TRUE, reporter = testthat::ProgressReporter$new(show_praise = FALSE))'
