# il2sim: the two set-up commands (`make run`, `make test`) install what is missing, build and run.
BUILD    ?= build
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
FUZZ_SECONDS ?= 60

.PHONY: all deps build run test test-release test-asan fuzz fuzz-build bench format clean golden package python r

all: build

deps:
	@bash tools/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

## The main job: the built-in default scenario (programme) and the typical patient, under out/default/.
run: build
	$(BUILD)/il2sim run --out out/default --force --threads $(JOBS)
	$(BUILD)/il2sim trajectory --typical --days 730 --out out/default/trajectory.csv
	@echo "wrote out/default/ (the built-in default scenario, programme)"

## The whole test suite through CTest, then the same suite under ASan/UBSan, then each libFuzzer
## target for FUZZ_SECONDS (built with the ASan/UBSan suite: one sanitized build serves both). The
## report_browser test opens a report in headless Chromium, so `test` also installs chromium
## (--browser), clang-14 for the ASan/UBSan build and the fuzz targets (--fuzz), OpenMPI for the
## mpirun test (--mpi), clang-format-14 for the format test (--format), dpkg-dev for the package
## test (--package), pybind11, pandas and pytest for the Python module and its tests (--python,
## installed before the build so that the module is configured and built with it) and R with
## Rcpp, testthat, survival and knitr for the R package's tests r_install and r_testthat (--r);
## `run` and `build` need none of them.
## It ends by printing how long each part took (each ctest also prints its "Total Test time").
test:
	@t0=$$(date +%s); $(MAKE) --no-print-directory test-release && t1=$$(date +%s) && \
	  $(MAKE) --no-print-directory test-asan && t2=$$(date +%s) && \
	  $(MAKE) --no-print-directory fuzz && t3=$$(date +%s) && \
	  echo "make test: release build + suite $$((t1 - t0)) s, ASan/UBSan and fuzz-target build +" \
	       "suite $$((t2 - t1)) s, fuzz run $$((t3 - t2)) s, total $$((t3 - t0)) s"

test-release: deps
	@bash tools/install-deps.sh --browser --fuzz --mpi --format --package --python --r
	@$(MAKE) --no-print-directory build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

## The same suite under AddressSanitizer and UndefinedBehaviorSanitizer (build-asan/, clang-14 at
## -O1 -g1), whose build also makes the libFuzzer targets (`make fuzz`): the libraries carry
## libFuzzer's coverage instrumentation for them, which the tests run through too. One build instead
## of a separate fuzz build saves a whole cold build of the project in `make test`. The asan test
## preset leaves out:
## - mpi_same_bytes and same_bytes_mpi_*: LeakSanitizer reports OpenMPI's own start-up allocations
##   in libmpi and its plugins, not il2sim's; the release suite runs them.
## - report_browser and report_run_browser: they check how an external, unsanitized program
##   (Chromium) renders the demo report and two real runs' reports, which the release suite already
##   does; the report code they drive runs under ASan in test_report and test_report_run.
##   report_run_browser runs alone (RUN_SERIAL): 48 s of the ASan suite's wall time (clean clone,
##   2026-12-07).
## - same_bytes_threads_* and same_bytes_resume_*: they compare output bytes between two runs of each
##   built-in scenario, which the release suite does; the code they drive (threads, kill -9, the
##   journal, --resume) runs under ASan in CliRun.SameBytesForAnyThreadCount*, CliRun.Resume*,
##   CliJournal.* and CliSweep.SameBytesForAnyThreadCount. Left out for time: 156 of the suite's
##   1300 CPU-seconds (ctest --preset asan at -O2, 2026-12-06).
## - Randomized.NullTrialKeepsTypeOneError: a statistical check (the type-I error over 300 simulated
##   null trials of 120 patients each) that the release suite makes; run_randomized, the code it
##   repeats, runs under ASan in the other Randomized.* tests. It was the longest test of the ASan
##   suite: 220 s (clang-14 ASan build, 2026-12-07).
## - ReportRun.SameBytesForAnyThreadCount: report.html's bytes for --threads 1 and 2 (the programme,
##   two runs), which the release suite compares; the report code runs under ASan in the other
##   ReportRun.* tests. 70 CPU-seconds under ASan (CTestCostData.txt, 2026-12-07).
test-asan: deps
	@bash tools/install-deps.sh --fuzz
	cmake --preset asan
	cmake --build --preset asan -j $(JOBS)
	ctest --preset asan -j $(JOBS)

## libFuzzer targets (fuzz/README.md), built with clang-14 in build-asan/ (a no-op after
## test-asan), each run for FUZZ_SECONDS from its seed corpus; fails on any crash, leak or timeout.
fuzz-build: deps
	@bash tools/install-deps.sh --fuzz
	cmake --preset asan
	cmake --build --preset fuzz -j $(JOBS)

fuzz: fuzz-build
	bash tools/run-fuzz.sh build-asan $(FUZZ_SECONDS)

## Golden end-to-end files: rewrite tests/golden/<scenario>/ from every built-in scenario's outputs
## (tools/golden/golden.sh; README "Golden files"). Review `git diff --stat tests/golden` and commit.
golden: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS) --target il2sim
	bash tools/golden/golden.sh regen $(BUILD)/il2sim

## The Debian package $(BUILD)/il2sim_<version>_amd64.deb (CPack; Depends from dpkg-shlibdeps):
## the binary, the man page, the bash completion, the docs and example scenarios, under /usr.
## Install it with `sudo dpkg -i $(BUILD)/il2sim_*_amd64.deb`.
package: build
	@bash tools/install-deps.sh --package
	cmake --build $(BUILD) --target package

## The Python module (docs/python.md) in $(BUILD)/python/: pybind11, Python's headers, pandas and
## pytest for Debian's /usr/bin/python3, then the module (the engine is already built by `make`).
python: build
	@bash tools/install-deps.sh --python
	cmake -S . -B $(BUILD) -DIL2SIM_PYTHON=ON >/dev/null
	cmake --build $(BUILD) -j $(JOBS) --target il2sim_python
	@echo "Python module built in $(BUILD)/python. Use it with Debian's Python:"
	@echo "  PYTHONPATH=$(BUILD)/python /usr/bin/python3 -c 'import il2sim; print(il2sim.version())'"
	@echo "(docs/python.md; its tests: ctest --test-dir $(BUILD) -R python_module)"

## The R package il2sim (bindings/r, docs/r.md) installed into $(BUILD)/R-lib, linked to
## $(BUILD)/libil2sim.so (the only target it builds): then
## `R_LIBS=$(BUILD)/R-lib Rscript -e 'library(il2sim)'`.
r: deps $(BUILD)/CMakeCache.txt
	@bash tools/install-deps.sh --r
	cmake --build $(BUILD) -j $(JOBS) --target il2sim_shared
	bash bindings/r/install.sh $(BUILD)

## Benchmarks (Google Benchmark); not part of `make test`.
bench: 
	@bash tools/install-deps.sh --bench
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DIL2SIM_BUILD_BENCH=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)
	$(BUILD)/bench/il2sim_bench --benchmark_counters_tabular=true

## Applies .clang-format to every source file (the `format` test checks that it has been).
format:
	@bash tools/install-deps.sh --format
	find src include bindings apps tests bench fuzz -name '*.cpp' -o -name '*.hpp' | xargs clang-format-14 -i

clean:
	rm -rf $(BUILD) build-asan build-debug
