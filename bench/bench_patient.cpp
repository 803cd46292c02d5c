// One virtual patient over 730 days in each solver mode: wall time, steps and RHS evaluations.
#include <benchmark/benchmark.h>

#include "clinic/typical.hpp"
#include "scenario/scenario.hpp"

namespace il2sim {
namespace {

void BM_TypicalPatient730Days(benchmark::State& state) {
  const auto mode = state.range(0) == 0 ? sim::SolverMode::kReference : sim::SolverMode::kFast;
  const bool il2 = state.range(1) == 1;
  const auto scenario = scenario::load_scenario("chiron-regimen");
  const auto& arm = *scenario.find_arm(il2 ? "il2" : "observation");
  sim::PatientOutcome last;
  for (auto _ : state) {
    // Output every 30 days only: the benchmark measures the simulation, not the recording.
    auto run = clinic::simulate_typical(scenario, arm, 730.0, 30.0, mode);
    benchmark::DoNotOptimize(run.outcome.relapse_day);
    last = run.outcome;
  }
  state.SetLabel(std::string(mode == sim::SolverMode::kReference ? "reference" : "fast") +
                 (il2 ? " chiron" : " no-IL-2"));
  state.counters["rhs_evals"] = static_cast<double>(last.stats.rhs_evals);
  state.counters["steps"] = static_cast<double>(last.stats.steps);
  state.counters["patients_per_s"] =
      benchmark::Counter(1.0, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_TypicalPatient730Days)
    ->ArgsProduct({{0, 1}, {1, 0}})
    ->ArgNames({"fast", "il2"})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace il2sim
