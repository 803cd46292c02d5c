# il2sim: the two set-up commands (`make run`, `make test`) install what is missing, build and run.
BUILD    ?= build
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps build run test test-asan bench format clean

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

## The whole test suite through CTest. The report_browser test opens a report in headless
## Chromium, so `test` also installs chromium (--browser); `run` and `build` do not need it.
test: build
	@bash tools/install-deps.sh --browser --mpi
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

## The same suite under AddressSanitizer and UndefinedBehaviorSanitizer.
test-asan: deps
	cmake --preset asan
	cmake --build --preset asan
	ctest --preset asan

## Benchmarks (Google Benchmark); not part of `make test`.
bench: 
	@bash tools/install-deps.sh --bench
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DIL2SIM_BUILD_BENCH=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)
	$(BUILD)/bench/il2sim_bench --benchmark_counters_tabular=true

format:
	find src apps tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD) build-asan build-debug
