// `il2sim cohort` per patient on one thread: registration, the clinic run over 730 days (fast mode)
// and the five CSV views formatted in memory (no file output), as in cmd_cohort.cpp. Reports
// virtual patients per second and, per patient, solver steps (accepted, rejected), restarts, RHS
// evaluations, birth-death events and CSV bytes.
#include <benchmark/benchmark.h>

#include <string>

#include "clinic/patient.hpp"
#include "output/views.hpp"
#include "scenario/scenario.hpp"

namespace il2sim {
namespace {

constexpr std::uint32_t kPatientsPerIteration = 200;

void BM_CohortPatients730Days(benchmark::State& state) {
  const bool il2 = state.range(0) == 1;
  const auto scenario = scenario::load_scenario("chiron-regimen");
  const auto& arm = *scenario.find_arm(il2 ? "il2" : "observation");
  const auto& cohort = *scenario::find_cohort(arm.cohort);
  const std::string product =
      arm.regimen ? std::string(dosing::to_string(scenario.regimens.at(*arm.regimen).product)) : "";
  const output::RowContext context{scenario.name, 0, 0.0, product};
  double steps = 0.0;
  double rhs_evals = 0.0;
  double failed_steps = 0.0;
  double resets = 0.0;
  double birth_death = 0.0;
  double bytes = 0.0;
  double patients = 0.0;
  std::string adsl, adtte, adlb, adae, ex;
  for (auto _ : state) {
    for (std::uint32_t id = 1; id <= kPatientsPerIteration; ++id) {
      const auto patient = clinic::make_patient(scenario, cohort, 0, id);
      const auto r = clinic::simulate_patient(scenario, arm, patient, 730.0);
      adsl.clear();
      adtte.clear();
      adlb.clear();
      adae.clear();
      ex.clear();
      output::append_adsl(adsl, context, r);
      output::append_adtte(adtte, context, r);
      output::append_adlb(adlb, context, r);
      output::append_adae(adae, context, r);
      output::append_ex(ex, context, r);
      steps += static_cast<double>(r.steps);
      rhs_evals += static_cast<double>(r.rhs_evals);
      failed_steps += static_cast<double>(r.failed_steps);
      resets += static_cast<double>(r.resets);
      birth_death += static_cast<double>(r.birth_death_events);
      bytes +=
          static_cast<double>(adsl.size() + adtte.size() + adlb.size() + adae.size() + ex.size());
      patients += 1.0;
    }
  }
  state.SetLabel(il2 ? "chiron il2" : "observation");
  state.counters["patients_per_s"] = benchmark::Counter(
      static_cast<double>(kPatientsPerIteration), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["steps_per_patient"] = steps / patients;
  state.counters["rhs_per_patient"] = rhs_evals / patients;
  state.counters["rejected_per_patient"] = failed_steps / patients;
  state.counters["resets_per_patient"] = resets / patients;
  state.counters["birth_death_events_per_patient"] = birth_death / patients;
  state.counters["csv_bytes_per_patient"] = bytes / patients;
}
BENCHMARK(BM_CohortPatients730Days)->Arg(1)->Arg(0)->ArgName("il2")->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace il2sim
