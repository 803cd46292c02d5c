// The grid, points and point runner of `sweep` (and the point runner of `sensitivity`).
#include <algorithm>
#include <exception>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "api/commands.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"
#include "core/text.hpp"
#include "core/version.hpp"
#include "scenario/toml_input.hpp"
#include "trial/programme.hpp"
#include "trial/summary.hpp"

namespace il2sim::api {
namespace {

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

/// The scenario with the --set overrides, then the point's grid values, and the seed and
/// replicates given. A refusal that only the grid values cause names --grid and the point.
scenario::Scenario point_scenario(const ScenarioLoader& load, const SweepSettings& a,
                                  const std::vector<Grid>& grids,
                                  const std::vector<output::GridValue>& point) {
  auto overrides = a.sets;
  std::string where;
  for (std::size_t k = 0; k < grids.size(); ++k) {
    overrides.push_back({grids[k].path, point[k].text});
    where += fmt::format("{}{}={}", where.empty() ? "" : ", ", grids[k].path, point[k].text);
  }
  auto s = [&] {
    try {
      return load(overrides);
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

/// The run facts of a sweep: the seed and replicates unless a grid over `seed` or `replicates`
/// varies them.
output::SweepFacts sweep_facts(const SweepSettings& a,
                               const std::vector<scenario::Scenario>& scenarios) {
  output::SweepFacts facts{std::string(kVersion), scenarios.front().name, std::nullopt,
                           std::nullopt, a.set_texts};
  const auto& s0 = scenarios.front();
  const auto same = [&](auto member) {
    return std::all_of(scenarios.begin(), scenarios.end(),
                       [&](const scenario::Scenario& s) { return s.*member == s0.*member; });
  };
  if (same(&scenario::Scenario::seed)) facts.seed = s0.seed;
  if (same(&scenario::Scenario::replicates)) facts.replicates = s0.replicates;
  return facts;
}

}  // namespace

output::GridValue grid_value(const std::string& text) {
  // The value a scenario receives for `text` (scenario/overrides.hpp: a TOML value if the text is
  // exactly one, otherwise the text as a string).
  try {
    const toml::table t = scenario::parse_toml_text("v = " + text, "--grid");
    if (t.size() == 1 && t.contains("v")) return {text, json_of(*t.get("v"))};
  } catch (const UserError&) {
    // Not a TOML value: a string, as --set takes it.
  }
  return {text, text};
}

void check_grids(const std::vector<Grid>& grids, const SweepSettings& a) {
  std::size_t points = 1;
  for (std::size_t i = 0; i < grids.size(); ++i) {
    const auto& g = grids[i];
    if (g.path.empty() || g.path.front() == '.' || g.path.back() == '.' ||
        g.path.find("..") != std::string::npos) {
      grid_fail(g.path, "empty PATH or an empty segment in it",
                "a dotted path such as protocol.refusal_probability");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (grids[j].path == g.path)
        grid_fail(g.path, "the path is given by two --grid options", "one --grid per path");
    }
    for (const auto& s : a.sets) {
      if (s.path == g.path)
        grid_fail(g.path, "the path is also given with --set", "a path in --grid or in --set");
    }
    if ((g.path == "seed" && a.seed) || (g.path == "replicates" && a.replicates)) {
      grid_fail(g.path, fmt::format("the path is also given with --{}", g.path),
                fmt::format("--grid {} or --{}", g.path, g.path));
    }
    if (g.values.empty())
      grid_fail(g.path, "empty list of values", "one or more values separated by commas");
    for (const auto& v : g.values) {
      if (v.text.empty())
        grid_fail(g.path, "an empty value in the list", "values separated by single commas");
    }
    points *=
        g.values.size();  // each factor <= the argument's length: no overflow before the check
    if (points > kMaxGridPoints) {
      grid_fail(g.path, fmt::format("the grid has more than {} points", kMaxGridPoints),
                fmt::format("at most {} points (the product of the value counts)", kMaxGridPoints));
    }
  }
  if (grids.empty()) throw UserError("sweep: at least one --grid PATH=V1,V2,... is required");
}

std::vector<scenario::Scenario> sweep_scenarios(const ScenarioLoader& load, const SweepSettings& a,
                                                const std::vector<Grid>& grids,
                                                output::SweepTable& table) {
  check_threads(a.threads);
  check_replicates(a.replicates);
  check_seed(a.seed);
  // The --set overrides alone: their errors name --set, as in `run`. A scenario that only the
  // grid's values make valid (`--set stages.S.randomized=0 --grid stages.S.registered=...`) is
  // checked point by point instead: the base's error is reported only if a point fails too.
  std::exception_ptr base_error;
  try {
    (void)load(a.sets);
  } catch (const UserError&) {
    base_error = std::current_exception();
  }
  std::vector<scenario::Scenario> scenarios;
  for (auto& values : grid_points(grids)) {
    try {
      scenarios.push_back(point_scenario(load, a, grids, values));
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
  table.facts = sweep_facts(a, scenarios);
  return scenarios;
}

std::vector<std::vector<output::SweepStage>> run_points(
    const std::vector<scenario::Scenario>& scenarios, unsigned threads, bool show_progress,
    const std::function<bool()>& stop, std::size_t& done) {
  // Work item k is replicate k - start[p] of point p, start[p] <= k < start[p + 1] (a grid over
  // `replicates` gives the points different counts).
  std::vector<std::size_t> start{0};
  for (const auto& s : scenarios)
    start.push_back(start.back() + static_cast<std::size_t>(s.replicates));
  const std::size_t n = start.back();
  const auto point_of = [&start](std::size_t k) {
    return static_cast<std::size_t>(std::upper_bound(start.begin(), start.end(), k) -
                                    start.begin()) -
           1;
  };
  const unsigned outer = n > 1 ? threads : 1;  // a single run parallelizes its patients instead
  const unsigned inner = n > 1 ? 1 : threads;
  using Produced = std::optional<trial::ReplicateResult>;  // none: not run (stopped)
  const std::function<Produced(std::size_t)> produce = [&](std::size_t k) -> Produced {
    if (stop && stop()) return std::nullopt;
    const std::size_t point = point_of(k);
    return trial::run_replicate(scenarios[point], static_cast<std::uint32_t>(k - start[point]),
                                false, inner);
  };
  std::vector<std::vector<output::SweepStage>> stages(scenarios.size());
  std::optional<trial::ProgrammeSummary> summary;
  bool stopped = false;  // a run not made: the later ones are not reduced either
  done = 0;
  core::Progress progress(static_cast<long>(n), "runs", core::progress_wanted(show_progress));
  const std::function<void(std::size_t, Produced&)> consume = [&](std::size_t k, Produced& p) {
    stopped = stopped || !p;
    if (stopped) return;
    const std::size_t point = point_of(k);
    if (k == start[point]) summary.emplace(scenarios[point]);
    summary->add(*p);
    progress.update(static_cast<long>(++done));
    if (k + 1 < start[point + 1]) return;
    stages[point] = output::sweep_stages(scenarios[point], trial::stage_summaries(*summary));
    summary.reset();
  };
  core::ordered_parallel_for<Produced>(n, outer, produce, consume);
  progress.finish();
  return stages;
}

}  // namespace il2sim::api
