#include "api/commands.hpp"

#include <charconv>
#include <string>

#include <fmt/format.h>

#include "clinic/patient.hpp"
#include "clinic/typical.hpp"
#include "core/error.hpp"
#include "output/patient_data.hpp"

namespace il2sim::api {
namespace {

/// The arm named `name` of `s`, or the error `cohort` and `trajectory` give.
const scenario::ArmSpec& arm_named(const scenario::Scenario& s, const std::string& name) {
  if (const auto* arm = s.find_arm(name)) return *arm;
  std::string allowed;
  for (const auto& x : s.arms) allowed += (allowed.empty() ? "" : ", ") + x.name;
  throw UserError({"", std::nullopt, std::nullopt, "--arm"},
                  fmt::format("scenario '{}' has no arm '{}'", s.name, name), allowed);
}

/// `--patient K`: virtual patient K of `cohort --arm ARM` (replicate 0, the same seed), through the
/// whole clinic (start window, holds, adverse events, relapse, death), with the scenario's solver
/// unless a mode is given.
sim::TrajectoryRecorder patient_trajectory(scenario::Scenario s, const scenario::ArmSpec& arm,
                                           const TrajectorySettings& t) {
  if (t.seed) s.seed = *t.seed;
  if (t.mode)
    s.solver.mode = *t.mode == "fast" ? sim::SolverMode::kFast : sim::SolverMode::kReference;
  const auto* cohort = s.find_cohort(arm.cohort);
  const auto patient = clinic::make_patient(s, *cohort, 0, *t.patient);
  const auto grid = sim::output_grid(t.days, t.step);
  sim::TrajectoryRecorder trajectory;
  const auto record =
      clinic::simulate_patient(s, arm, patient, t.days, grid, trajectory.observer());
  if (record.numerical_failure) throw UserError(record.failure);
  return trajectory;
}

/// --days of `cohort` and `trajectory`: (0, 100 years].
void check_days(double days) {
  if (!(days > 0.0) || days > 36500.0)
    throw UserError(fmt::format("--days {}: must be a number of days in (0, 36500]", days));
}

void check_trajectory_options(const TrajectorySettings& t) {
  check_days(t.days);
  if (!(t.step > 0.0) || t.step > t.days) {
    throw UserError(
        fmt::format("--step {}: must be positive and at most --days ({})", t.step, t.days));
  }
  if (t.days / t.step > 1e7) {
    throw UserError(fmt::format(
        "--step {}: gives more than 10^7 rows over {} days; use a larger step", t.step, t.days));
  }
  if (t.mode && *t.mode != "reference" && *t.mode != "fast") {
    throw UserError({"", std::nullopt, std::nullopt, "--mode"},
                    fmt::format("unknown solver mode '{}'", *t.mode), "reference, fast");
  }
}

}  // namespace

void check_threads(unsigned threads) {
  if (threads < 1 || threads > 1024)
    throw UserError(fmt::format("--threads {}: must be 1 to 1024", threads));
}

void check_replicates(const std::optional<long>& replicates) {
  if (replicates && (*replicates < 1 || *replicates > 1'000'000)) {
    throw UserError(
        fmt::format("--replicates {}: must be a whole number from 1 to 1000000", *replicates));
  }
}

std::string seed_problem(const std::string& text) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const bool digits_only =
      !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (digits_only && ec == std::errc{} && ptr == end && value <= kMaxSeed) return {};
  return fmt::format("value '{}' is not a seed; allowed: an integer from 0 to {} (2^63 - 1)", text,
                     kMaxSeed);
}

void check_seed(const std::optional<std::uint64_t>& seed) {
  if (!seed) return;
  const auto problem = seed_problem(std::to_string(*seed));
  if (!problem.empty()) throw UserError("--seed: " + problem);
}

scenario::Scenario run_scenario(const ScenarioLoader& load,
                                std::span<const scenario::Override> sets,
                                const std::optional<std::uint64_t>& seed,
                                const std::optional<long>& replicates, unsigned threads,
                                std::string_view patient_data) {
  check_threads(threads);
  check_replicates(replicates);
  auto s = load(sets);
  if (seed) s.seed = *seed;
  if (replicates) s.replicates = static_cast<int>(*replicates);
  (void)output::parse_patient_data(patient_data, s.replicates);  // refused before any run
  if (s.stages.empty()) {
    throw UserError({"", std::nullopt, std::nullopt, "stages"},
                    fmt::format("scenario '{}' has no trial stages to run", s.name),
                    "a scenario with [[stages]]; for one arm of patients use `il2sim cohort`");
  }
  return s;
}

const scenario::ArmSpec& CohortSetup::arm_spec() const {
  return *scenario.find_arm(arm);
}

const scenario::CohortSpec& CohortSetup::cohort() const {
  return *scenario.find_cohort(arm_spec().cohort);
}

output::RowContext CohortSetup::context() const {
  return output::RowContext{scenario.name, 0, 0.0, product, "", std::nullopt};
}

clinic::PatientRecord CohortSetup::simulate(std::size_t i, double days) const {
  const auto patient =
      clinic::make_patient(scenario, cohort(), 0, static_cast<std::uint32_t>(i + 1));
  return clinic::simulate_patient(scenario, arm_spec(), patient, days);
}

void CohortTotals::add(const clinic::PatientRecord& r) {
  rhs_evals += r.rhs_evals;
  if (r.numerical_failure) failures.push_back(r.failure);
}

CohortSetup cohort_setup(const ScenarioLoader& load, std::span<const scenario::Override> sets,
                         const std::string& arm, long patients, double days,
                         const std::optional<std::uint64_t>& seed, unsigned threads) {
  if (patients < 1 || patients > 10'000'000) {
    throw UserError(
        fmt::format("--patients {}: must be a whole number from 1 to 10000000", patients));
  }
  check_days(days);
  check_threads(threads);
  CohortSetup c;
  c.scenario = load(sets);
  c.arm = arm;
  if (seed) c.scenario.seed = *seed;
  // The API may leave the arm out when there is only one (the CLI requires --arm).
  if (c.arm.empty() && c.scenario.arms.size() == 1) c.arm = c.scenario.arms.front().name;
  const auto& a = arm_named(c.scenario, c.arm);
  for (const auto& x : c.scenario.arms) {
    if (x.regimen) {
      c.fold_offset = c.scenario.regimens.at(*x.regimen).total_days() + 1.0;
      break;
    }
  }
  if (a.regimen)
    c.product = std::string(dosing::to_string(c.scenario.regimens.at(*a.regimen).product));
  return c;
}

nlohmann::json cohort_json(const CohortSetup& c, const output::CohortSummary& s,
                           const CohortTotals& t) {
  nlohmann::json j = s.to_json();
  j["scenario"] = c.scenario.name;
  j["arm"] = c.arm;
  j["cohort"] = c.arm_spec().cohort;
  j["seed"] = c.scenario.seed;
  j["patients"] = t.patients;
  j["days"] = t.days;
  j["solver_mode"] = c.scenario.solver.mode == sim::SolverMode::kFast ? "fast" : "reference";
  j["rhs_evals_per_patient"] = static_cast<double>(t.rhs_evals) / static_cast<double>(t.patients);
  j["numerical_failure_messages"] = t.failures;
  return j;
}

sim::TrajectoryRecorder trajectory_of(const ScenarioLoader& load,
                                      std::span<const scenario::Override> sets,
                                      const TrajectorySettings& t) {
  check_trajectory_options(t);
  const auto s = load(sets);
  const auto& arm = arm_named(s, t.arm.empty() ? s.arms.front().name : t.arm);
  if (t.patient) return patient_trajectory(s, arm, t);
  if (t.seed) {
    throw UserError({"", std::nullopt, std::nullopt, "--seed"},
                    "the typical patient has no random draws, so a seed would be ignored",
                    "--seed with --patient K");
  }
  if (s.find_cohort(arm.cohort)->is_mixture()) {
    throw UserError({"", std::nullopt, std::nullopt, "--arm"},
                    fmt::format("arm '{}' draws from the mixture cohort '{}': the typical patient "
                                "needs one disease and setting",
                                arm.name, arm.cohort),
                    "an arm of a cohort that is not a mixture, or --patient K (a virtual patient "
                    "of the mixture)");
  }
  const auto mode =
      t.mode.value_or("reference") == "fast" ? sim::SolverMode::kFast : sim::SolverMode::kReference;
  auto run = clinic::simulate_typical(s, arm, t.days, t.step, mode);
  if (run.outcome.failed) throw UserError(run.outcome.failure);
  return std::move(run.trajectory);
}

}  // namespace il2sim::api
