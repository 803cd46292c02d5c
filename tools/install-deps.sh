#!/usr/bin/env bash
# Installs the Debian 12 packages il2sim needs to build and test. Idempotent: installs only what is
# missing, so `make run` / `make test` call it every time at little cost.
#   tools/install-deps.sh            build + test dependencies
#   tools/install-deps.sh --bench    also what `make bench` needs
#   tools/install-deps.sh --r        also R, the packages that regenerate reference fixtures, and what
#                                    the R package il2sim needs (`make r`: Rcpp, testthat, knitr)
#   tools/install-deps.sh --format   also clang-format-14 (`make format` and the format test)
#   tools/install-deps.sh --package  also dpkg-dev (dpkg-shlibdeps: `make package` and the package test)
#   tools/install-deps.sh --python   also pybind11, Python's headers, pandas and pytest (`make python`
#                                    and the Python module's tests; Debian's /usr/bin/python3)
set -euo pipefail

pkgs=(
  build-essential cmake pkg-config
  libsundials-dev libboost-math-dev libeigen3-dev libnlopt-cxx-dev
  libtomlplusplus-dev libcli11-dev libfmt-dev nlohmann-json3-dev
  libsqlite3-dev sqlite3 libgtest-dev libgmock-dev
)
for arg in "$@"; do
  case "$arg" in
    --bench) pkgs+=(libbenchmark-dev) ;;
    --r) pkgs+=(r-base-core r-base-dev r-cran-rcpp r-cran-testthat r-cran-knitr r-cran-survival r-cran-cmprsk
           r-cran-desolve r-cran-rpact) ;;
    --fuzz) pkgs+=(clang-14 libclang-rt-14-dev) ;;
    --mpi) pkgs+=(libopenmpi-dev openmpi-bin) ;;
    --format) pkgs+=(clang-format-14) ;;
    --browser) pkgs+=(chromium) ;;
    --package) pkgs+=(dpkg-dev) ;;
    --python) pkgs+=(pybind11-dev python3-dev python3-pandas python3-pytest) ;;
    *) echo "install-deps.sh: unknown option '$arg' (allowed: --bench --r --fuzz --mpi --format --browser --package --python)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
