// `il2sim sweep`: a full grid of runs of one scenario with common random numbers, into one tidy
// table of the stages' operating characteristics (interfaces.md, Version 2 contracts).
#include <algorithm>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/app.hpp"
#include "cli/distributed.hpp"
#include "cli/interrupt.hpp"
#include "cli/options.hpp"
#include "cli/output_dir.hpp"
#include "cli/sweep_runner.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/text.hpp"
#include "core/version.hpp"
#include "output/sweep.hpp"
#include "scenario/toml_input.hpp"

namespace il2sim::cli {
namespace {

/// The most grid points one sweep runs: the product of the value counts above it is refused
/// before anything runs (a typo such as a 50-value list on three paths is 125,000 runs).
constexpr std::size_t kMaxGridPoints = 1000;

struct SweepArgs : PointRunOptions {
  std::vector<std::string> grids;  ///< --grid PATH=V1,V2,..., in order
};

/// One `--grid`: a scenario path and its values, in the order given.
struct Grid {
  std::string path;
  std::vector<output::GridValue> values;
};

[[noreturn]] void grid_fail(const std::string& text, const std::string& problem,
                            const std::string& allowed) {
  throw UserError({"--grid", std::nullopt, std::nullopt, text}, problem, allowed);
}

/// A TOML value as JSON (numbers, booleans, strings, arrays and inline tables; a date or time as
/// its TOML text).
nlohmann::json json_of(const toml::node& v) {
  if (const auto* i = v.as_integer()) return i->get();
  if (const auto* d = v.as_floating_point()) return d->get();
  if (const auto* b = v.as_boolean()) return b->get();
  if (const auto* s = v.as_string()) return s->get();
  if (const auto* a = v.as_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : *a) out.push_back(json_of(e));
    return out;
  }
  if (const auto* t = v.as_table()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, e] : *t) out[std::string(k.str())] = json_of(e);
    return out;
  }
  std::ostringstream text;
  v.visit([&text](const auto& x) { text << x; });
  return text.str();
}

/// The value a scenario receives for `text` (scenario/overrides.hpp: a TOML value if the text is
/// exactly one, otherwise the text as a string), as JSON.
nlohmann::json typed_value(const std::string& text) {
  try {
    const toml::table t = scenario::parse_toml_text("v = " + text, "--grid");
    if (t.size() == 1 && t.contains("v")) return json_of(*t.get("v"));
  } catch (const UserError&) {
    // Not a TOML value: a string, as --set takes it.
  }
  return text;
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

Grid parse_grid(const std::string& text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos)
    grid_fail(text, "expected PATH=V1,V2,... (no '=')",
              "e.g. --grid stages.phase3.registered=200,400");
  Grid g;
  g.path = text.substr(0, eq);
  while (!g.path.empty() && g.path.back() == ' ') g.path.pop_back();
  if (g.path.empty() || g.path.front() == '.' || g.path.back() == '.' ||
      g.path.find("..") != std::string::npos) {
    grid_fail(text, "empty PATH or an empty segment in it",
              "a dotted path such as protocol.refusal_probability");
  }
  const std::string list = text.substr(eq + 1);
  if (list.find_first_not_of(' ') == std::string::npos)
    grid_fail(text, "empty list of values", "one or more values separated by commas");
  for (auto& v : split_values(list)) {
    while (!v.empty() && v.front() == ' ') v.erase(v.begin());
    while (!v.empty() && v.back() == ' ') v.pop_back();
    if (v.empty())
      grid_fail(text, "an empty value in the list", "values separated by single commas");
    g.values.push_back({v, typed_value(v)});
  }
  return g;
}

/// The --grid options, checked against each other, --set, --seed and --replicates.
std::vector<Grid> parse_grids(const SweepArgs& a) {
  std::vector<Grid> grids;
  const auto sets = set_overrides(a.sets);
  std::size_t points = 1;
  for (const auto& text : a.grids) {
    Grid g = parse_grid(text);
    for (const auto& other : grids) {
      if (other.path == g.path)
        grid_fail(g.path, "the path is given by two --grid options", "one --grid per path");
    }
    for (const auto& s : sets) {
      if (s.path == g.path)
        grid_fail(g.path, "the path is also given with --set", "a path in --grid or in --set");
    }
    if ((g.path == "seed" && a.seed) || (g.path == "replicates" && a.replicates)) {
      grid_fail(g.path, fmt::format("the path is also given with --{}", g.path),
                fmt::format("--grid {} or --{}", g.path, g.path));
    }
    points *=
        g.values.size();  // each factor <= the argument's length: no overflow before the check
    if (points > kMaxGridPoints) {
      grid_fail(g.path, fmt::format("the grid has more than {} points", kMaxGridPoints),
                fmt::format("at most {} points (the product of the value counts)", kMaxGridPoints));
    }
    grids.push_back(std::move(g));
  }
  if (grids.empty()) throw UserError("sweep: at least one --grid PATH=V1,V2,... is required");
  return grids;
}

/// The grid points' values: the cartesian product, the first grid varying slowest.
std::vector<std::vector<output::GridValue>> grid_points(const std::vector<Grid>& grids) {
  std::vector<std::vector<output::GridValue>> points(1);
  for (const auto& g : grids) {
    std::vector<std::vector<output::GridValue>> next;
    for (const auto& p : points) {
      for (const auto& v : g.values) {
        next.push_back(p);
        next.back().push_back(v);
      }
    }
    points = std::move(next);
  }
  return points;
}

/// The scenario with the --set overrides, then the point's grid values, and the command line's seed
/// and replicates. A refusal that only the grid values cause names --grid and the point.
scenario::Scenario point_scenario(const SweepArgs& a, const std::vector<Grid>& grids,
                                  const std::vector<output::GridValue>& point) {
  auto overrides = set_overrides(a.sets);
  std::string where;
  for (std::size_t k = 0; k < grids.size(); ++k) {
    overrides.push_back({grids[k].path, point[k].text});
    where += fmt::format("{}{}={}", where.empty() ? "" : ", ", grids[k].path, point[k].text);
  }
  auto s = [&] {
    try {
      return scenario::load_scenario(a.scenario, overrides);
    } catch (const UserError& e) {
      std::string message = e.what();
      // scenario/toml_input.cpp names a value that was not read from the file `--set`.
      if (message.starts_with("--set")) message = "--grid" + message.substr(5);
      throw UserError(fmt::format("{} (at the grid point {})", message, where));
    }
  }();
  if (a.seed) s.seed = *a.seed;
  if (a.replicates) s.replicates = static_cast<int>(*a.replicates);
  return s;
}

/// Every grid point's scenario, all validated before anything runs or is written.
std::vector<scenario::Scenario> sweep_scenarios(const SweepArgs& a, const std::vector<Grid>& grids,
                                                output::SweepTable& table) {
  if (a.threads < 1 || a.threads > 1024)
    throw UserError(fmt::format("--threads {}: must be 1 to 1024", a.threads));
  if (a.replicates && (*a.replicates < 1 || *a.replicates > 1'000'000)) {
    throw UserError(
        fmt::format("--replicates {}: must be a whole number from 1 to 1000000", *a.replicates));
  }
  // The --set overrides alone: their errors name --set, as in `run`. A scenario that only the
  // grid's values make valid (`--set stages.S.randomized=0 --grid stages.S.registered=...`) is
  // checked point by point instead: the base's error is reported only if a point fails too.
  std::exception_ptr base_error;
  try {
    (void)scenario::load_scenario(a.scenario, set_overrides(a.sets));
  } catch (const UserError&) {
    base_error = std::current_exception();
  }
  std::vector<scenario::Scenario> scenarios;
  for (auto& values : grid_points(grids)) {
    try {
      scenarios.push_back(point_scenario(a, grids, values));
    } catch (const UserError&) {
      if (base_error) std::rethrow_exception(base_error);
      throw;
    }
    const auto& s = scenarios.back();
    if (s.stages.empty()) {
      throw UserError({"", std::nullopt, std::nullopt, "stages"},
                      fmt::format("scenario '{}' has no trial stages to sweep", s.name),
                      "a scenario with [[stages]]");
    }
    table.points.push_back(
        {std::move(values), core::fnv1a_hex(scenario::to_toml(s)), s.seed, s.replicates, {}});
  }
  for (const auto& g : grids) table.paths.push_back(g.path);
  table.facts = {std::string(kVersion), scenarios.front().name, std::nullopt, std::nullopt, a.sets};
  // The seed and replicates of the sweep, unless a grid over `seed` or `replicates` varies them.
  const auto& s0 = scenarios.front();
  const auto same = [&](auto member) {
    return std::all_of(scenarios.begin(), scenarios.end(),
                       [&](const scenario::Scenario& s) { return s.*member == s0.*member; });
  };
  if (same(&scenario::Scenario::seed)) table.facts.seed = s0.seed;
  if (same(&scenario::Scenario::replicates)) table.facts.replicates = s0.replicates;
  return scenarios;
}

void run_sweep(const SweepArgs& a) {
  if (Distributed::current().size() > 1) {
    throw UserError("sweep runs in one process; use --threads instead of mpirun");
  }
  const auto grids = parse_grids(a);
  output::SweepTable table;
  const auto scenarios = sweep_scenarios(a, grids, table);
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
                              kMaxGridPoints))
      ->type_name("PATH=V1,V2,...")
      ->allow_extra_args(false)
      ->required();
  cmd->callback([a] { run_sweep(*a); });
}

}  // namespace il2sim::cli
