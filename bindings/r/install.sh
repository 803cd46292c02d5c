#!/usr/bin/env bash
# Installs the R package il2sim (this folder) into BUILD/R-lib, linked to BUILD's libil2sim.so:
#   bash bindings/r/install.sh [BUILD]        (BUILD defaults to ./build; `make r` runs this)
# The package is copied to BUILD/R-src/il2sim first and installed from there, so the source tree gets
# no object files. Exits 77 (CTest's skip) when R or Rcpp is not installed (tools/install-deps.sh --r).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
lib="$build/R-lib"
if ! command -v R >/dev/null || ! Rscript -e 'quit(status = !requireNamespace("Rcpp", quietly = TRUE))' >/dev/null 2>&1; then
  echo "install.sh: R with Rcpp is not installed: run tools/install-deps.sh --r" >&2
  exit 77
fi
stage="$build/R-src/il2sim"
rm -rf "$stage"
mkdir -p "$stage/inst/doc" "$lib"
cp -R "$here/DESCRIPTION" "$here/NAMESPACE" "$here/LICENSE" "$here/R" "$here/src" "$here/man" \
      "$here/tests" "$stage/"
rm -f "$stage"/src/*.o "$stage"/src/*.so
# The vignette's source ships with the installed package (system.file("doc", "power.Rmd",
# package = "il2sim")); building its HTML needs pandoc and rmarkdown, which the install does not.
cp "$here/vignettes/power.Rmd" "$stage/inst/doc/"
IL2SIM_BUILD_DIR="$build" R CMD INSTALL --no-multiarch --library="$lib" "$stage"
echo "install.sh: installed il2sim into $lib: R_LIBS=$lib Rscript -e 'library(il2sim)'"
