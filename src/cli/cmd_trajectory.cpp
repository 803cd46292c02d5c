// `il2sim trajectory`: one virtual patient's states and observations over time, as CSV.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "api/commands.hpp"
#include "cli/app.hpp"
#include "cli/options.hpp"
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
  double days = api::kTrajectoryDays;
  double step = api::kTrajectoryStep;
  std::string out;
  std::optional<std::string> mode;
};

std::string column_help() {
  std::string text = "Columns of the CSV (unit):\n  day (days since graft infusion)\n";
  for (const auto& c : sim::trajectory_columns())
    text += fmt::format("  {} ({}): {}\n", c.name, c.unit, c.description);
  return text;
}

void run_trajectory(const TrajectoryArgs& args) {
  const auto load = [&args](std::span<const scenario::Override> o) {
    return scenario::load_scenario(args.scenario, o);
  };
  const api::TrajectorySettings t{args.arm,  args.patient, args.seed,
                                  args.days, args.step,    args.mode};
  core::write_file_atomically(args.out,
                              api::trajectory_of(load, set_overrides(args.sets), t).to_csv());
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
          ->check(CLI::Range(1U, api::kMaxPatient));
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
