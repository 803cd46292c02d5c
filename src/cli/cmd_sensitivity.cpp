// `il2sim sensitivity`: global sensitivity of a scenario's stage outputs to model parameters
// (docs/sensitivity.md): a Sobol' (Saltelli 2010) or Morris design over the parameter space, each
// point run through sweep's point runner with common random numbers, then the indices.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "calibration/ensemble.hpp"
#include "calibration/plan.hpp"
#include "calibration/smc.hpp"
#include "cli/app.hpp"
#include "cli/distributed.hpp"
#include "cli/interrupt.hpp"
#include "cli/options.hpp"
#include "cli/output_dir.hpp"
#include "cli/sweep_runner.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/version.hpp"
#include "model/parameters.hpp"
#include "output/sensitivity.hpp"
#include "scenario/scenario.hpp"
#include "sensitivity/sensitivity.hpp"
#include "trial/programme.hpp"
#include "trial/summary.hpp"

namespace il2sim::cli {
namespace {

/// The most evaluations (design points) one command runs.
constexpr std::size_t kMaxEvaluations = 100'000;

struct SensitivityArgs : PointRunOptions {
  std::string outputs;
  std::string method;
  std::string parameters;
  std::vector<std::string> ranges;
  std::string ranges_from;  ///< an ensemble file whose 5–95 % marginal intervals are the ranges
  std::optional<long> samples;
  int levels = 4;
};

[[noreturn]] void fail(const std::string& option, const std::string& value,
                       const std::string& problem, const std::string& allowed) {
  throw UserError({option, std::nullopt, std::nullopt, value}, problem, allowed);
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    std::string item = text.substr(at, comma - at);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    out.push_back(item);
    at = comma + 1;
  }
  return out;
}

/// The studied parameters: --parameters, or the parameters of the --ranges-from ensemble, or the
/// parameters of the calibration plan's `disease` fit (tumour kill, growth, residual disease,
/// survival after relapse: what sets relapse timing).
std::vector<model::ParamId> studied_parameters(const SensitivityArgs& a,
                                               const std::optional<calibration::Ensemble>& from) {
  std::vector<model::ParamId> ids;
  if (a.parameters.empty() && from) return from->parameters;
  if (a.parameters.empty()) {
    for (const auto& fit : calibration::builtin_plan().fits) {
      if (fit.name == "disease") ids = fit.parameters;
    }
    IL2SIM_ASSERT(!ids.empty(), "the shipped calibration plan has a fit named disease");
    return ids;
  }
  for (const auto& name : split_commas(a.parameters)) {
    if (name.empty())
      fail("--parameters", a.parameters, "an empty name in the list", "names separated by commas");
    const auto id = parameter_named("--parameters", name);
    if (std::find(ids.begin(), ids.end(), id) != ids.end())
      fail("--parameters", name, "the parameter is listed twice", "each parameter once");
    ids.push_back(id);
  }
  return ids;
}

/// The default range: the scenario's value ×/÷ 2, clipped to the table's bounds; a value <= 0
/// (no ratio scale) takes the table's bounds when they are finite.
output::SensitivityParameter default_range(const model::ParamSpec& spec, double value) {
  output::SensitivityParameter p{std::string(spec.name), 0.0, 0.0, false, ""};
  if (value > 0.0) {
    p.lower = std::max(spec.lower, value / 2.0);
    p.upper = std::min(spec.upper, value * 2.0);
    p.origin = "scenario value x/÷ 2, clipped to the parameter table's bounds";
  } else {
    p.lower = spec.lower;
    p.upper = spec.upper;
    p.origin = "the parameter table's bounds (value <= 0)";
  }
  if (!(p.lower < p.upper) || !std::isfinite(p.lower) || !std::isfinite(p.upper)) {
    fail("--parameters", p.name,
         fmt::format("no default range around the value {} within the bounds [{}, {}]", value,
                     spec.lower, spec.upper),
         fmt::format("--range {}=LO:HI", p.name));
  }
  return p;
}

/// The parameter's 5–95 % interval over the --ranges-from ensemble, when it sets the parameter.
void posterior_range(const calibration::Ensemble& e, const std::string& file, model::ParamId id,
                     output::SensitivityParameter& p) {
  const auto at = std::find(e.parameters.begin(), e.parameters.end(), id);
  if (at == e.parameters.end()) return;
  const auto k = static_cast<std::size_t>(at - e.parameters.begin());
  const double lo = calibration::ensemble_quantile(e, k, 0.05);
  const double hi = calibration::ensemble_quantile(e, k, 0.95);
  if (!(lo < hi)) {
    fail("--ranges-from", file,
         fmt::format("the ensemble's 5–95 % interval of {} is a single value ({})", p.name, lo),
         fmt::format("an ensemble whose values of {} differ, or --range {}=LO:HI", p.name, p.name));
  }
  p.lower = lo;
  p.upper = hi;
  p.origin = "5–95 % interval of the ensemble " + file;
}

/// The parameter space: default ranges, the --ranges-from ensemble's intervals, then the --range
/// overrides, checked against the table.
std::vector<output::SensitivityParameter> parameter_space(
    const SensitivityArgs& a, const std::vector<model::ParamId>& ids,
    const scenario::Scenario& base, const std::optional<calibration::Ensemble>& from) {
  std::vector<output::SensitivityParameter> space;
  for (const auto id : ids) {
    space.push_back(default_range(model::spec(id), base.parameters[id]));
    if (from) posterior_range(*from, a.ranges_from, id, space.back());
  }
  for (const auto& text : a.ranges) {
    const auto range = parse_named_range("--range", text);
    const auto at = std::find(ids.begin(), ids.end(), range.id);
    if (at == ids.end())
      fail("--range", text, "the parameter is not studied", "a parameter of --parameters");
    auto& p = space[static_cast<std::size_t>(at - ids.begin())];
    p.lower = range.lower;
    p.upper = range.upper;
    p.origin = "--range";
  }
  for (auto& p : space) p.log_scale = calibration::log_scale_range(p.lower, p.upper);
  return space;
}

double map_unit(const output::SensitivityParameter& p, double u) {
  return p.log_scale ? p.lower * std::pow(p.upper / p.lower, u) : p.lower + u * (p.upper - p.lower);
}

/// A value as a --set text that reads back as the same double and as a TOML float.
std::string value_text(double v) {
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

/// The design's points in the unit cube with their block and role (points.csv).
struct Design {
  std::vector<sensitivity::Point> unit;
  std::vector<std::size_t> block;
  std::vector<std::string> role;
  sensitivity::MorrisDesign morris;  ///< when the method is morris
};

Design make_design(const SensitivityArgs& a, const std::vector<output::SensitivityParameter>& ps,
                   std::size_t samples, std::uint64_t seed) {
  const std::size_t k = ps.size();
  Design d;
  if (a.method == "sobol") {
    d.unit = sensitivity::sobol_design(k, samples);
    for (std::size_t j = 0; j < samples; ++j) {
      d.block.insert(d.block.end(), k + 2, j);
      d.role.insert(d.role.end(), {"A", "B"});
      for (const auto& p : ps) d.role.push_back("AB:" + p.name);
    }
  } else {
    d.morris = sensitivity::morris_design(k, samples, a.levels, seed);
    d.unit = d.morris.points;
    for (std::size_t t = 0; t < samples; ++t) {
      d.block.insert(d.block.end(), k + 1, t);
      d.role.push_back("start");
      for (std::size_t m = 0; m < k; ++m)
        d.role.push_back("step:" + ps[d.morris.factor[t * k + m]].name);
    }
  }
  return d;
}

void check_counts(const SensitivityArgs& a, std::size_t k) {
  if (a.method != "sobol" && a.method != "morris")
    fail("--method", a.method, "unknown method", "morris or sobol");
  if (a.threads < 1 || a.threads > 1024)
    fail("--threads", std::to_string(a.threads), "out of range", "1 to 1024");
  if (a.replicates && (*a.replicates < 1 || *a.replicates > 1'000'000))
    fail("--replicates", std::to_string(*a.replicates), "out of range", "1 to 1000000");
  if (a.samples && (*a.samples < 2 || *a.samples > 100'000))
    fail("--samples", std::to_string(*a.samples), "out of range", "2 to 100000");
  if (a.levels < 2 || a.levels > 100 || a.levels % 2 != 0) {
    fail("--levels", std::to_string(a.levels), "not an even number of levels",
         "an even number from 2 to 100 (the Morris step P/(2(P-1)) is then a whole number of "
         "grid intervals)");
  }
  const std::size_t samples = static_cast<std::size_t>(a.samples.value_or(0));
  const std::size_t per = a.method == "sobol" ? k + 2 : k + 1;
  if (samples * per > kMaxEvaluations) {
    fail("--samples", std::to_string(samples),
         fmt::format("{} evaluations are more than {}", samples * per, kMaxEvaluations),
         "fewer samples or parameters");
  }
}

/// The scenario of every design point: --set, then parameters.NAME=value for each parameter.
std::vector<scenario::Scenario> point_scenarios(const SensitivityArgs& a,
                                                const std::vector<output::SensitivityParameter>& ps,
                                                const Design& d,
                                                std::vector<output::SensitivityTable::Point>& pts) {
  std::vector<scenario::Scenario> out;
  for (std::size_t i = 0; i < d.unit.size(); ++i) {
    auto overrides = set_overrides(a.sets);
    output::SensitivityTable::Point point{d.block[i], d.role[i], {}, {}};
    for (std::size_t p = 0; p < ps.size(); ++p) {
      const double v = map_unit(ps[p], d.unit[i][p]);
      overrides.push_back({"parameters." + ps[p].name, value_text(v)});
      point.values.push_back(v);
    }
    out.push_back(scenario::load_scenario(a.scenario, overrides));
    if (a.seed) out.back().seed = *a.seed;
    if (a.replicates) out.back().replicates = static_cast<int>(*a.replicates);
    pts.push_back(std::move(point));
  }
  return out;
}

/// An output named on the command line: its stage and its name in the stage.
struct OutputRef {
  std::size_t stage = 0;
  std::string name;
  std::string label;  ///< STAGE.OUTPUT when the scenario has several stages, else OUTPUT
};

bool stage_has(const output::SweepStage& s, const std::string& name) {
  return std::any_of(s.outputs.begin(), s.outputs.end(),
                     [&](const output::SweepOutput& o) { return o.name == name; });
}

/// Resolves --outputs against the stages' outputs at the first point (every point has the same
/// stages; align_outputs gives them the same outputs).
std::vector<OutputRef> resolve_outputs(const std::string& list,
                                       const std::vector<output::SweepStage>& stages) {
  std::vector<OutputRef> refs;
  for (const auto& text : split_commas(list)) {
    std::vector<OutputRef> found;
    for (std::size_t s = 0; s < stages.size(); ++s) {
      const std::string prefix = stages[s].name + ".";
      if (text.starts_with(prefix) && stage_has(stages[s], text.substr(prefix.size())))
        found.push_back({s, text.substr(prefix.size()), text});
      else if (stage_has(stages[s], text))
        found.push_back({s, text, stages.size() > 1 ? prefix + text : text});
    }
    if (found.size() == 1) {
      refs.push_back(found.front());
      continue;
    }
    std::string allowed;
    for (const auto& st : stages) {
      for (const auto& o : st.outputs)
        allowed +=
            (allowed.empty() ? "" : ", ") + (stages.size() > 1 ? st.name + "." + o.name : o.name);
    }
    fail("--outputs", text,
         found.empty() ? "unknown output, or undefined (null in summary.json) at every point: a "
                         "stage that no replicate ran, a median never reached; nothing was written"
                       : "the output is in several stages; name the stage",
         allowed);
  }
  return refs;
}

/// Refuses before anything runs an output whose first key is no key of any stage's summary object
/// (a typo such as hr_medain); the full name (arms[0].x, decisions.K) is checked after the run,
/// when the stages' outputs are known.
void precheck_outputs(const std::string& list, const scenario::Scenario& base) {
  const trial::ProgrammeSummary empty(base);
  const auto stats = trial::stage_summaries(empty);
  std::vector<std::pair<std::string, nlohmann::json>> objects;
  for (std::size_t i = 0; i < stats.size(); ++i)
    objects.emplace_back(base.stages[i].name, trial::stage_json(base.stages[i], stats[i]));
  for (const auto& text : split_commas(list)) {
    bool known = false;
    for (const auto& [stage, object] : objects) {
      for (const std::string& name :
           {text, text.starts_with(stage + ".") ? text.substr(stage.size() + 1) : std::string()}) {
        const std::string first = name.substr(0, name.find_first_of(".["));
        known = known || (!first.empty() && object.is_object() && object.contains(first) &&
                          !first.ends_with("_mc_se"));
      }
    }
    if (known) continue;
    std::string allowed;
    for (const auto& [stage, object] : objects) {
      for (const auto& [key, value] : object.items()) {
        if (key.ends_with("_mc_se") || value.is_string() || value.is_boolean()) continue;
        allowed += (allowed.empty() ? "" : ", ") + (objects.size() > 1 ? stage + "." : "") + key +
                   (value.is_structured() ? "..." : "");
      }
    }
    fail("--outputs", text, "unknown output", allowed);
  }
}

void add_interval(output::SensitivityTable& t, const std::string& output,
                  const std::string& parameter, const std::string& index,
                  const sensitivity::Interval& v) {
  t.indices.push_back({output, parameter, index, v.estimate, v.lower, v.upper});
}

/// The indices of one output from its values at every point, into the table.
void estimate_output(output::SensitivityTable& t, const Design& d, const std::string& output,
                     const std::vector<double>& f, std::uint64_t seed) {
  const std::size_t k = t.parameters.size();
  const auto n = static_cast<std::size_t>(t.samples);
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (t.method == "sobol") {
    const auto r = sensitivity::sobol_indices(f, k, n, seed);
    t.outputs.push_back({output, r.rows_used, r.rows_dropped});
    add_interval(t, output, "", "mean", {r.mean, kNaN, kNaN});
    add_interval(t, output, "", "V", {r.variance, kNaN, kNaN});
    for (std::size_t i = 0; i < k; ++i) {
      add_interval(t, output, t.parameters[i].name, "S1", r.s1[i]);
      add_interval(t, output, t.parameters[i].name, "ST", r.st[i]);
    }
  } else {
    const auto r = sensitivity::morris_indices(d.morris, f, seed);
    t.outputs.push_back({output, r.trajectories_used, r.trajectories_dropped});
    for (std::size_t i = 0; i < k; ++i) {
      add_interval(t, output, t.parameters[i].name, "mu", r.mu[i]);
      add_interval(t, output, t.parameters[i].name, "mu_star", r.mu_star[i]);
      add_interval(t, output, t.parameters[i].name, "sigma", r.sigma[i]);
    }
  }
  const auto& facts = t.outputs.back();
  if (facts.used < 2) {
    throw UserError(
        {"--outputs", std::nullopt, std::nullopt, output},
        fmt::format("the output is undefined (null in summary.json) at points of {} of the {} {}; "
                    "nothing was written",
                    facts.dropped, facts.dropped + facts.used,
                    t.method == "sobol" ? "rows" : "trajectories"),
        "an output defined at every point (more replicates, or another output)");
  }
  if (facts.dropped > 0) {
    std::fprintf(stderr,
                 "sensitivity: %s is undefined at some points: %zu of %zu %s dropped, the indices "
                 "rest on the other %zu\n",
                 output.c_str(), facts.dropped, facts.dropped + facts.used,
                 t.method == "sobol" ? "rows" : "trajectories", facts.used);
  }
}

/// Runs the points, resolves --outputs and fills the table's points' outputs and the indices.
void run_and_estimate(const SensitivityArgs& a, const std::vector<scenario::Scenario>& scenarios,
                      const Design& d, output::SensitivityTable& t) {
  output::SweepTable runs;
  runs.points.resize(scenarios.size());
  auto stages = run_points(scenarios, a.threads, a.progress, a.out);
  for (std::size_t p = 0; p < stages.size(); ++p) runs.points[p].stages = std::move(stages[p]);
  output::align_outputs(runs);
  const auto refs = resolve_outputs(a.outputs, runs.points.front().stages);
  for (const auto& ref : refs) {
    const auto& outs = runs.points.front().stages[ref.stage].outputs;
    const auto at = static_cast<std::size_t>(
        std::find_if(outs.begin(), outs.end(),
                     [&](const output::SweepOutput& o) { return o.name == ref.name; }) -
        outs.begin());
    std::vector<double> f;
    for (std::size_t p = 0; p < runs.points.size(); ++p) {
      f.push_back(runs.points[p].stages[ref.stage].outputs[at].value);
      t.points[p].outputs.push_back(f.back());
    }
    estimate_output(t, d, ref.label, f, t.seed);
  }
}

/// Refuses a studied parameter the scenario's model does not read (it would vary nothing), and a
/// --ranges-from ensemble of other structural variants than the scenario's.
void check_structure(const std::vector<model::ParamId>& ids, const scenario::Scenario& base,
                     const std::optional<calibration::Ensemble>& from, const std::string& file) {
  for (const auto id : ids) {
    if (!model::uses_parameter(base.structure, id))
      fail("--parameters", std::string(model::spec(id).name),
           model::not_read(id, fmt::format("the model of scenario '{}'", base.name)),
           "--set " + model::set_reading(id));
  }
  if (!from || !from->sets.front().structure) return;
  if (from->mixes_structures())
    fail("--ranges-from", file, "the ensemble mixes structural variants (sets of different model)",
         "an ensemble of one model: the sensitivity of each variant is studied on its own");
  if (*from->sets.front().structure != base.structure)
    fail(
        "--ranges-from", file,
        fmt::format("the ensemble's sets were calibrated under model {{ {} }}, scenario '{}' is {{ "
                    "{} }}",
                    model::describe(*from->sets.front().structure), base.name,
                    model::describe(base.structure)),
        "--set model.KEY=FORM as the ensemble's model = {...}");
}

void run_sensitivity(const SensitivityArgs& args) {
  if (Distributed::current().size() > 1)
    throw UserError("sensitivity runs in one process; use --threads instead of mpirun");
  SensitivityArgs a = args;
  if (a.outputs.empty()) fail("--outputs", "", "no output named", "e.g. --outputs hr_median,power");
  if (!a.samples) a.samples = a.method == "sobol" ? 64 : 10;
  std::optional<calibration::Ensemble> from;
  if (!a.ranges_from.empty()) from = calibration::read_ensemble(a.ranges_from);
  const auto ids = studied_parameters(a, from);
  check_counts(a, ids.size());
  for (const auto& o : set_overrides(a.sets)) {
    for (const auto id : ids) {
      if (o.path == "parameters." + std::string(model::spec(id).name))
        fail("--set", o.path, "the parameter is also studied", "a parameter in --set or studied");
    }
  }
  auto base = scenario::load_scenario(a.scenario, set_overrides(a.sets));
  if (base.stages.empty()) {
    throw UserError({"", std::nullopt, std::nullopt, "stages"},
                    fmt::format("scenario '{}' has no trial stages", base.name),
                    "a scenario with [[stages]]");
  }
  check_structure(ids, base, from, a.ranges_from);
  precheck_outputs(a.outputs, base);
  output::SensitivityTable t;
  t.method = a.method;
  t.version = std::string(kVersion);
  t.scenario = base.name;
  t.seed = a.seed.value_or(base.seed);
  t.replicates = a.replicates.value_or(base.replicates);
  t.samples = *a.samples;
  t.levels = a.method == "morris" ? a.levels : 0;
  t.sets = a.sets;
  t.parameters = parameter_space(a, ids, base, from);
  const Design d = make_design(a, t.parameters, static_cast<std::size_t>(t.samples), t.seed);
  const auto scenarios = point_scenarios(a, t.parameters, d, t.points);
  std::fprintf(stderr, "sensitivity: %s over %zu parameters: %zu evaluations x %ld replicates\n",
               a.method.c_str(), t.parameters.size(), scenarios.size(), t.replicates);
  const OutputDirLock lock = prepare_output_dir(a.out, a.force);
  const InterruptGuard guard;
  run_and_estimate(a, scenarios, d, t);
  core::write_file_atomically(a.out + "/sensitivity.csv", output::sensitivity_csv(t));
  core::write_file_atomically(a.out + "/points.csv", output::sensitivity_points_csv(t));
  output::write_sensitivity_db(a.out + "/sensitivity.sqlite", t);
  core::write_file_atomically(a.out + "/sensitivity.html", output::sensitivity_html(t));
  if (a.json) std::fputs((output::sensitivity_json(t).dump(2) + "\n").c_str(), stdout);
}

}  // namespace

void register_sensitivity(CLI::App& app) {
  auto a = std::make_shared<SensitivityArgs>();
  auto* cmd = app.add_subcommand(
      "sensitivity",
      "Global sensitivity (Morris elementary effects or Sobol' indices) of a scenario's stage "
      "outputs to model parameters, with common random numbers");
  add_point_run_options(*cmd, *a, "evaluation", "the indices");
  cmd->add_option("--outputs", a->outputs,
                  "Stage outputs, comma-separated, as in sweep (hr_median, power, "
                  "arms[0].pfs_median_months; STAGE.OUTPUT when several stages have it)")
      ->required();
  cmd->add_option("--method", a->method, "morris or sobol")->required();
  cmd->add_option("--parameters", a->parameters,
                  "Model parameters, comma-separated (default: those of the calibration plan's "
                  "disease fit)");
  cmd->add_option("--range", a->ranges,
                  "A parameter's range NAME=LO:HI (repeatable; default: the scenario's value x/÷ "
                  "2 within the parameter table's bounds)")
      ->type_name("NAME=LO:HI")
      ->allow_extra_args(false);
  cmd->add_option("--ranges-from", a->ranges_from,
                  "An ensemble file (a posterior of calibrate --posterior): each parameter it sets "
                  "varies over its 5–95 % interval; default parameters: the ensemble's");
  cmd->add_option("--samples", a->samples,
                  "Sobol: N rows of A and B, N(k+2) evaluations (default 64); Morris: r "
                  "trajectories, r(k+1) evaluations (default 10)");
  cmd->add_option("--levels", a->levels, "Morris grid levels P, even (step P/(2(P-1)))")
      ->capture_default_str();
  cmd->callback([a] { run_sensitivity(*a); });
}

}  // namespace il2sim::cli
