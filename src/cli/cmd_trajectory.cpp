// `il2sim trajectory`: one virtual patient's states and observations over time, as CSV.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/app.hpp"
#include "cli/options.hpp"
#include "clinic/patient.hpp"
#include "clinic/typical.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"

namespace il2sim::cli {
namespace {

struct TrajectoryArgs {
  std::string scenario;
  std::string arm;
  bool typical = false;
  std::optional<std::uint32_t> patient;  ///< --patient K: the cohort's virtual patient K
  std::optional<std::uint64_t> seed;
  std::vector<std::string> sets;  ///< --set PATH=VALUE, in order
  double days = 730.0;
  double step = 0.25;
  std::string out;
  std::optional<std::string> mode;
};

std::string column_help() {
  std::string text = "Columns of the CSV (unit):\n  day (days since graft infusion)\n";
  for (const auto& c : sim::trajectory_columns())
    text += fmt::format("  {} ({}): {}\n", c.name, c.unit, c.description);
  return text;
}

/// `--patient K`: virtual patient K of `cohort --arm ARM` (replicate 0, the same seed), through the
/// whole clinic (start window, holds, adverse events, relapse, death), with the scenario's solver
/// unless --mode is given.
void write_patient_trajectory(const TrajectoryArgs& args, scenario::Scenario scenario,
                              const scenario::ArmSpec& arm) {
  if (args.seed) scenario.seed = *args.seed;
  if (args.mode) {
    scenario.solver.mode =
        *args.mode == "fast" ? sim::SolverMode::kFast : sim::SolverMode::kReference;
  }
  const auto* cohort = scenario.find_cohort(arm.cohort);
  const auto patient = clinic::make_patient(scenario, *cohort, 0, *args.patient);
  const auto grid = sim::output_grid(args.days, args.step);
  sim::TrajectoryRecorder trajectory;
  const auto record =
      clinic::simulate_patient(scenario, arm, patient, args.days, grid, trajectory.observer());
  if (record.numerical_failure) throw UserError(record.failure);
  core::write_file_atomically(args.out, trajectory.to_csv());
}

void run_trajectory(const TrajectoryArgs& args) {
  if (!(args.days > 0.0) || args.days > 36500.0) {
    throw UserError(fmt::format("--days {}: must be a number of days in (0, 36500]", args.days));
  }
  if (!(args.step > 0.0) || args.step > args.days) {
    throw UserError(
        fmt::format("--step {}: must be positive and at most --days ({})", args.step, args.days));
  }
  if (args.days / args.step > 1e7) {
    throw UserError(
        fmt::format("--step {}: gives more than 10^7 rows over {} days; use a larger step",
                    args.step, args.days));
  }
  const auto scenario = scenario::load_scenario(args.scenario, set_overrides(args.sets));
  const std::string arm_name = args.arm.empty() ? scenario.arms.front().name : args.arm;
  const auto* arm = scenario.find_arm(arm_name);
  if (arm == nullptr) {
    std::string allowed;
    for (const auto& a : scenario.arms) allowed += (allowed.empty() ? "" : ", ") + a.name;
    throw UserError({"", std::nullopt, std::nullopt, "--arm"},
                    fmt::format("scenario '{}' has no arm '{}'", scenario.name, arm_name), allowed);
  }
  if (args.patient) {
    write_patient_trajectory(args, scenario, *arm);
    return;
  }
  if (args.seed) {
    throw UserError({"", std::nullopt, std::nullopt, "--seed"},
                    "the typical patient has no random draws, so a seed would be ignored",
                    "--seed with --patient K");
  }
  if (scenario.find_cohort(arm->cohort)->is_mixture()) {
    throw UserError({"", std::nullopt, std::nullopt, "--arm"},
                    fmt::format("arm '{}' draws from the mixture cohort '{}': the typical patient "
                                "needs one disease and setting",
                                arm->name, arm->cohort),
                    "an arm of a cohort that is not a mixture, or --patient K (a virtual patient "
                    "of the mixture)");
  }
  const auto mode = args.mode.value_or("reference") == "fast" ? sim::SolverMode::kFast
                                                              : sim::SolverMode::kReference;
  const auto run = clinic::simulate_typical(scenario, *arm, args.days, args.step, mode);
  if (run.outcome.failed) throw UserError(run.outcome.failure);
  core::write_file_atomically(args.out, run.trajectory.to_csv());
}

}  // namespace

void register_trajectory(CLI::App& app) {
  auto args = std::make_shared<TrajectoryArgs>();
  auto* cmd = app.add_subcommand("trajectory",
                                 "One virtual patient's states and observations over time, as CSV");
  cmd->footer(column_help());
  cmd->add_option("scenario", args->scenario,
                  "Built-in scenario name or scenario .toml file (default: the built-in default)");
  cmd->add_option("--arm", args->arm, "Arm of the scenario (default: its first arm)");
  auto* patient =
      cmd->add_option("--patient", args->patient,
                      "Virtual patient K (1, 2, ...) of `cohort --arm ARM` with the same seed: its "
                      "covariates, variability, disease and clinical course")
          ->check(CLI::Range(1U, 100000000U));
  add_seed_option(*cmd, args->seed);
  add_set_option(*cmd, args->sets);
  cmd->add_flag("--typical", args->typical,
                "Typical patient: no inter-individual variability, BSA 1.8 m2, L0 = 1e6, "
                "deterministic tumour, "
                "no clinical events, regimen from day 46 (the default)")
      ->excludes(patient);
  cmd->add_option("--days", args->days, "Horizon in days since graft infusion")
      ->capture_default_str();
  cmd->add_option("--step", args->step, "Output interval in days")->capture_default_str();
  cmd->add_option("--mode", args->mode,
                  "Solver mode (default: reference for --typical, the scenario's for --patient)")
      ->check(CLI::IsMember({"reference", "fast"}));
  cmd->add_option("--out", args->out, "Output CSV file")->required();
  cmd->callback([args] { run_trajectory(*args); });
}

}  // namespace il2sim::cli
