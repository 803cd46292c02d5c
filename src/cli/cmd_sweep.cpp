// `il2sim sweep`: a full grid of runs of one scenario with common random numbers, into one tidy
// table of the stages' operating characteristics (interfaces.md, Version 2 contracts).
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "api/commands.hpp"
#include "cli/app.hpp"
#include "cli/distributed.hpp"
#include "cli/interrupt.hpp"
#include "cli/options.hpp"
#include "cli/output_dir.hpp"
#include "cli/sweep_runner.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "output/sweep.hpp"

namespace il2sim::cli {
namespace {

struct SweepArgs : PointRunOptions {
  std::vector<std::string> grids;  ///< --grid PATH=V1,V2,..., in order
};

[[noreturn]] void grid_fail(const std::string& text, const std::string& problem,
                            const std::string& allowed) {
  throw UserError({"--grid", std::nullopt, std::nullopt, text}, problem, allowed);
}

/// Splits "V1,V2,..." at the commas outside brackets, braces and quotes (a value may be a TOML
/// array or a quoted string holding a comma).
std::vector<std::string> split_values(const std::string& list) {
  std::vector<std::string> out(1);
  int depth = 0;
  char quote = 0;
  for (const char c : list) {
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == ',' && depth == 0) {
      out.emplace_back();
      continue;
    }
    out.back() += c;
  }
  return out;
}

api::Grid parse_grid(const std::string& text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos)
    grid_fail(text, "expected PATH=V1,V2,... (no '=')",
              "e.g. --grid stages.phase3.registered=200,400");
  api::Grid g;
  g.path = text.substr(0, eq);
  while (!g.path.empty() && g.path.back() == ' ') g.path.pop_back();
  const std::string list = text.substr(eq + 1);
  if (list.find_first_not_of(' ') == std::string::npos)
    grid_fail(text, "empty list of values", "one or more values separated by commas");
  for (auto& v : split_values(list)) {
    while (!v.empty() && v.front() == ' ') v.erase(v.begin());
    while (!v.empty() && v.back() == ' ') v.pop_back();
    if (v.empty())
      grid_fail(text, "an empty value in the list", "values separated by single commas");
    g.values.push_back(api::grid_value(v));
  }
  return g;
}

/// The --grid options, checked against each other, --set, --seed and --replicates.
std::vector<api::Grid> parse_grids(const SweepArgs& a, const api::SweepSettings& settings) {
  std::vector<api::Grid> grids;
  for (const auto& text : a.grids) grids.push_back(parse_grid(text));
  api::check_grids(grids, settings);
  return grids;
}

void run_sweep(const SweepArgs& a) {
  if (Distributed::current().size() > 1) {
    throw UserError("sweep runs in one process; use --threads instead of mpirun");
  }
  const api::SweepSettings settings{a.seed, a.replicates, a.threads, set_overrides(a.sets), a.sets};
  const auto grids = parse_grids(a, settings);
  output::SweepTable table;
  const auto load = [&a](std::span<const scenario::Override> o) {
    return scenario::load_scenario(a.scenario, o);
  };
  const auto scenarios = api::sweep_scenarios(load, settings, grids, table);
  const OutputDirLock lock = prepare_output_dir(a.out, a.force);
  const InterruptGuard guard;
  auto stages = run_points(scenarios, a.threads, a.progress, a.out);
  for (std::size_t p = 0; p < stages.size(); ++p) table.points[p].stages = std::move(stages[p]);
  output::align_outputs(table);
  core::write_file_atomically(a.out + "/sweep.csv", output::sweep_csv(table));
  output::write_sweep_db(a.out + "/sweep.sqlite", table);
  core::write_file_atomically(a.out + "/sweep.html", output::sweep_html(table));
  if (a.json) std::fputs((output::sweep_json(table).dump(2) + "\n").c_str(), stdout);
}

}  // namespace

void register_sweep(CLI::App& app) {
  auto a = std::make_shared<SweepArgs>();
  auto* cmd = app.add_subcommand(
      "sweep",
      "Run a scenario over a grid of settings with common random numbers into one tidy table");
  add_point_run_options(*cmd, *a, "grid point", "the table");
  cmd->add_option("--grid", a->grids,
                  fmt::format("A scenario path and its values, PATH=V1,V2,... (repeatable; the "
                              "grid is every combination, the first --grid varying slowest; at "
                              "most {} points)",
                              api::kMaxGridPoints))
      ->type_name("PATH=V1,V2,...")
      ->allow_extra_args(false)
      ->required();
  cmd->callback([a] { run_sweep(*a); });
}

}  // namespace il2sim::cli
