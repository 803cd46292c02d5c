// `il2sim calibrate`: the calibration targets evaluated at the shipped defaults (--check), or
// chosen parameters fitted to them (NLopt, common random numbers) with a calibrated parameter set
// and a fit report.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "api/commands.hpp"
#include "calibration/fit.hpp"
#include "calibration/plan.hpp"
#include "cli/app.hpp"
#include "cli/calibrate.hpp"
#include "cli/options.hpp"
#include "cli/output_dir.hpp"
#include "core/error.hpp"
#include "core/json_number.hpp"
#include "core/output_file.hpp"
#include "core/text.hpp"
#include "core/version.hpp"
#include "scenario/scenario.hpp"

namespace il2sim::cli {
namespace {

struct CalibrateArgs : CalibrateInputs {
  bool check = false;
  int max_evals = 100;
  std::string optimizer = "neldermead";
  PosteriorArgs posterior;  ///< --posterior and its own options
  ProfileArgs profile;      ///< --profile and its own options
};

}  // namespace

scenario::Scenario start_scenario(const CalibrateInputs& in) {
  return scenario::load_scenario(in.scenario, set_overrides(in.sets));
}

scenario::Scenario start_scenario(const CalibrateInputs& in, const calibration::Plan& plan) {
  auto s = start_scenario(in);
  if (!plan.structure || *plan.structure == s.structure) return s;
  if (s.structure != model::Structure{}) {
    throw UserError({plan.origin, std::nullopt, std::nullopt, "model"},
                    fmt::format("the plan's [model] ({}) differs from the scenario's ({})",
                                model::describe(*plan.structure), model::describe(s.structure)),
                    "the plan's structure, or none in the scenario and --set");
  }
  s.structure = *plan.structure;
  return s;
}

nlohmann::json number_or_null(double x) {
  return core::json_number(x);
}

namespace {

calibration::TargetSet read_targets(const CalibrateArgs& a) {
  return a.targets.empty() ? calibration::builtin_targets()
                           : calibration::load_targets_file(a.targets);
}

const calibration::Target& target_of(const calibration::TargetSet& set, const std::string& id) {
  for (const auto& t : set.targets) {
    if (t.id == id) return t;
  }
  IL2SIM_ASSERT(false, "an evaluated target is in its set");
  return set.targets.front();
}

nlohmann::json evaluation_json(const calibration::TargetSet& set,
                               const calibration::Evaluation& ev) {
  nlohmann::json targets = nlohmann::json::array();
  for (const auto& r : ev.targets) {
    const auto& t = target_of(set, r.id);
    targets.push_back({{"id", r.id},
                       {"simulated", number_or_null(r.simulated)},
                       {"lower", number_or_null(r.lower)},
                       {"upper", number_or_null(r.upper)},
                       {"met", r.met},
                       {"target", t.target},
                       {"unit", t.unit},
                       {"mc_se", number_or_null(r.mc_se)},
                       {"ci_lower", number_or_null(r.ci_lower)},
                       {"ci_upper", number_or_null(r.ci_upper)},
                       {"n", r.n},
                       {"in_range", r.in_range},
                       {"precise", r.precise},
                       {"informational", r.informational},
                       {"distance", number_or_null(r.distance)},
                       {"experiment", t.experiment},
                       {"statistic", t.statistic.name},
                       {"description", t.description},
                       {"source", t.source},
                       {"unmet_note", t.unmet_note}});
  }
  return {{"targets", targets},
          {"met_fraction", ev.met_fraction},
          {"met", ev.met},
          {"counted", ev.counted},
          {"objective", ev.objective},
          {"seed", set.seed},
          {"targets_file", set.origin},
          {"targets_hash", calibration::text_hash(set.text)}};
}

}  // namespace

std::string fmt_value(double x) {
  if (std::isnan(x)) return "NA";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return fmt::format("{:.4g}", x);
}

namespace {

/// The table of a fit report or of `--check` as Markdown.
std::string evaluation_markdown(const calibration::TargetSet& set,
                                const calibration::Evaluation& ev) {
  std::string out =
      "| id | target | range | simulated | 95 % MC CI | n | met | source "
      "|\n|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : ev.targets) {
    const auto& t = target_of(set, r.id);
    const std::string met = r.informational ? "informational"
                            : r.met         ? "yes"
                                            : (r.in_range ? "no (MC error)" : "no");
    out += fmt::format("| {} | {} {} | {}–{} | {} | {}–{} | {} | {} | {} |\n", r.id,
                       fmt_value(t.target), t.unit, fmt_value(r.lower), fmt_value(r.upper),
                       fmt_value(r.simulated), fmt_value(r.ci_lower), fmt_value(r.ci_upper), r.n,
                       met, t.source);
  }
  out += fmt::format("\nmet: {} of {} counted targets (met_fraction {:.3f}); objective {:.6g}\n",
                     ev.met, ev.counted, ev.met_fraction, ev.objective);
  std::string unmet;
  for (const auto& r : ev.targets) {
    if (r.met || r.informational) continue;
    const auto& t = target_of(set, r.id);
    unmet += fmt::format(
        "- **{}**: {}\n", r.id,
        t.unmet_note.empty() ? "no explanation recorded in the targets file" : t.unmet_note);
  }
  if (!unmet.empty()) out += "\nUnmet targets, and why:\n\n" + unmet;
  return out;
}

calibration::EvaluationOptions evaluation_options(const CalibrateArgs& a,
                                                  const scenario::Scenario& start) {
  api::check_threads(a.threads);
  return {a.threads, a.patients_scale, a.only, start.structure};
}

void run_check(const CalibrateArgs& a) {
  const auto start = std::chrono::steady_clock::now();
  auto set = read_targets(a);
  const auto s = start_scenario(a);
  const calibration::Evaluator evaluator(set, evaluation_options(a, s));
  calibration::ParameterPatch patch;
  for (const auto& p : model::parameter_table()) {
    if (!s.parameters.is_default(p.id)) patch.emplace_back(p.id, s.parameters[p.id]);
  }
  const auto ev = evaluator.evaluate(patch);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (a.json) {
    auto j = evaluation_json(set, ev);
    j["wall_seconds"] = seconds;
    std::fputs((j.dump(2) + "\n").c_str(), stdout);
  } else {
    std::fputs(evaluation_markdown(set, ev).c_str(), stdout);
    std::fprintf(stdout, "wall time %.1f s\n", seconds);
  }
}

/// One fit: `parameters` fitted to the targets of the Evaluator it is run with, starting from
/// `start` (whose non-default values of other parameters are held fixed); writes calibrated.toml
/// and fit-report.* into `out`.
struct FitJob {
  std::vector<model::ParamId> parameters;
  std::string optimizer;
  int max_evals = 100;
  model::ParameterSet start;
  std::string start_name;  ///< where the starting values come from, for the provenance
  std::string out;
};

/// The values of `set` that differ from the shipped defaults, except `skip`.
calibration::ParameterPatch non_default(const model::ParameterSet& set,
                                        const std::vector<model::ParamId>& skip = {}) {
  calibration::ParameterPatch patch;
  for (const auto& p : model::parameter_table()) {
    if (std::find(skip.begin(), skip.end(), p.id) == skip.end() && !set.is_default(p.id))
      patch.emplace_back(p.id, set[p.id]);
  }
  return patch;
}

calibration::FitResult run_fit_job(const CalibrateArgs& a, const calibration::TargetSet& set,
                                   const calibration::Evaluator& evaluator, const FitJob& job) {
  const auto start_time = std::chrono::steady_clock::now();
  calibration::FitOptions options;
  options.algorithm = job.optimizer;
  options.max_evaluations = job.max_evals;
  options.parameters = job.parameters;
  options.fixed = non_default(job.start, job.parameters);
  options.on_evaluation = [&](int k, const std::vector<double>& values, double f) {
    std::string text;
    for (std::size_t i = 0; i < values.size(); ++i) {
      text += fmt::format(" {}={:.6g}", model::spec(options.parameters[i]).name, values[i]);
    }
    std::fprintf(stderr, "calibrate: evaluation %d:%s objective %.6g\n", k, text.c_str(), f);
  };
  const auto result = calibration::fit(evaluator, job.start, options);
  calibration::ParameterPatch best = options.fixed;
  calibration::ParameterPatch first = options.fixed;
  for (std::size_t i = 0; i < result.parameters.size(); ++i) {
    best.emplace_back(result.parameters[i], result.best[i]);
    first.emplace_back(result.parameters[i], result.start[i]);
  }
  const auto at_start = evaluator.evaluate(first);
  const auto at_best = evaluator.evaluate(best);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();

  std::string selection;
  for (const auto i : evaluator.selected())
    selection += (selection.empty() ? "" : ", ") + set.targets[i].id;
  const std::string hash = calibration::text_hash(set.text);
  std::string toml = fmt::format(
      "# Calibrated by il2sim {} `calibrate`.\n# targets: {} (hash {}), selection: {}\n# seed {}, "
      "patients scale {}, "
      "common random numbers\n# objective: sum of weight * (distance outside the range shrunk by "
      "10 % of its half-width at each end / half-width)^2 = {:.6g} "
      "(start {:.6g})\n# optimizer: NLopt {} in log-parameter space within the parameter table's "
      "bounds, max {} "
      "evaluations; {} evaluations, {}\n# start: {}\n# met at the fit: {} of "
      "{}\n[parameters]\n",
      kVersion, set.origin, hash, selection, set.seed, a.patients_scale, result.objective,
      result.start_objective, result.algorithm, job.max_evals, result.evaluations,
      result.stop_reason, job.start_name, at_best.met, at_best.counted);
  for (std::size_t i = 0; i < result.parameters.size(); ++i) {
    const auto& sp = model::spec(result.parameters[i]);
    toml += fmt::format("{} = {}  # {}; start {}, bounds {}-{}\n", sp.name, result.best[i], sp.unit,
                        result.start[i], result.lower[i], sp.upper);
  }
  core::write_file_atomically(job.out + "/calibrated.toml", toml);

  nlohmann::json params = nlohmann::json::array();
  std::string md = fmt::format(
      "# Fit report\n\nTargets {} (hash {}), seed {}, NLopt {} ({} evaluations, {}), "
      "wall time {:.1f} s; start: {}.\n\n| parameter | start | fitted | change | bounds "
      "|\n|---|---|---|---|---|\n",
      set.origin, hash, set.seed, result.algorithm, result.evaluations, result.stop_reason, seconds,
      job.start_name);
  for (std::size_t i = 0; i < result.parameters.size(); ++i) {
    const auto& sp = model::spec(result.parameters[i]);
    params.push_back({{"name", sp.name},
                      {"start", result.start[i]},
                      {"fitted", result.best[i]},
                      {"lower", result.lower[i]},
                      {"upper", result.upper[i]}});
    md +=
        fmt::format("| {} | {:.6g} | {:.6g} | {:+.1f} % | {:g}–{:g} |\n", sp.name, result.start[i],
                    result.best[i], 100.0 * (result.best[i] / result.start[i] - 1.0),
                    result.lower[i], result.upper[i]);
  }
  md += "\n## At the start\n\n" + evaluation_markdown(set, at_start) + "\n## At the fit\n\n" +
        evaluation_markdown(set, at_best);
  core::write_file_atomically(job.out + "/fit-report.md", md);
  nlohmann::json report{{"parameters", params},
                        {"optimizer", result.algorithm},
                        {"evaluations", result.evaluations},
                        {"stop_reason", result.stop_reason},
                        {"objective_start", result.start_objective},
                        {"objective", result.objective},
                        {"wall_seconds", seconds},
                        {"start", evaluation_json(set, at_start)},
                        {"fit", evaluation_json(set, at_best)}};
  core::write_file_atomically(job.out + "/fit-report.json", report.dump(2) + "\n");
  std::fprintf(stderr,
               "calibrate: objective %.6g -> %.6g, met %d -> %d of %d; wrote %s/calibrated.toml "
               "and fit-report.*\n",
               result.start_objective, result.objective, at_start.met, at_best.met, at_best.counted,
               job.out.c_str());
  return result;
}

void check_max_evals(int n) {
  if (n < 1 || n > 100000) throw UserError(fmt::format("--max-evals {}: must be 1 to 100000", n));
}

void run_fit(const CalibrateArgs& a) {
  check_max_evals(a.max_evals);
  const auto set = read_targets(a);
  const auto s = start_scenario(a);
  FitJob job{{}, a.optimizer, a.max_evals, s.parameters, "scenario " + s.name, a.out};
  for (const auto& name : a.parameters) {
    const auto id = parameter_named("--parameters", name);
    if (std::find(job.parameters.begin(), job.parameters.end(), id) != job.parameters.end()) {
      throw UserError({"", std::nullopt, std::nullopt, "--parameters"},
                      fmt::format("'{}' is listed twice", name));
    }
    job.parameters.push_back(id);
  }
  calibration::check_reads(s.structure, job.parameters, "--parameters");
  // An unknown target id (--only) is refused here, before the output folder is touched.
  const calibration::Evaluator evaluator(set, evaluation_options(a, s));
  const auto lock = prepare_output_dir(a.out, a.force);
  (void)run_fit_job(a, set, evaluator, job);
}

/// Refuses, before anything is written, a plan whose fits name unknown targets or whose fits,
/// starts or priors name a parameter the structure does not read.
void check_plan(const calibration::Plan& plan, const calibration::TargetSet& set,
                const model::Structure& structure) {
  calibration::check_reads(structure, plan.priors, fmt::format("{}: priors", plan.origin));
  for (const auto& f : plan.fits) {
    const auto where = fmt::format("{}: fit {}", plan.origin, f.name);
    calibration::check_reads(structure, f.parameters, where);
    calibration::check_reads(structure, f.start, where + " start");
    for (const auto& id : f.targets) {
      const bool known = std::any_of(set.targets.begin(), set.targets.end(),
                                     [&](const auto& t) { return t.id == id; });
      if (!known)
        throw UserError({plan.origin, f.line, std::nullopt, "targets"},
                        fmt::format("fit '{}': no target '{}' in {}", f.name, id, set.origin));
    }
  }
}

/// Where a plan's run stands: the values so far, the priors, which parameters moved (in the order
/// they first did) and the fit that last moved each.
struct PlanState {
  model::ParameterSet current, priors;
  std::vector<model::ParamId> moved;
  std::vector<std::string> fitted_by = std::vector<std::string>(model::kParamCount);
};

/// Runs fit `k` of the plan from `state`, into DIR/fits/NN-name/, and moves `state` on.
void run_planned_fit(const CalibrateArgs& a, bool max_evals_given, const calibration::Plan& plan,
                     std::size_t k, const calibration::TargetSet& set,
                     const calibration::EvaluationOptions& options, PlanState& state) {
  const auto& f = plan.fits[k];
  const std::string dir = fmt::format("{}/fits/{:02d}-{}", a.out, k + 1, f.name);
  std::filesystem::create_directories(dir);
  std::string start_name = fmt::format("plan {}: priors", plan.origin);
  for (std::size_t j = 0; j < k; ++j) start_name += ", fit " + plan.fits[j].name;
  const auto note_moved = [&](model::ParamId id) {
    if (std::find(state.moved.begin(), state.moved.end(), id) == state.moved.end())
      state.moved.push_back(id);
  };
  if (!f.start.empty()) {
    start_name += ", the fit's own start (";
    for (std::size_t j = 0; j < f.start.size(); ++j) {
      const auto [id, value] = f.start[j];
      state.current.set(id, value);
      start_name += fmt::format("{}{} = {}", j > 0 ? ", " : "", model::spec(id).name, value);
      note_moved(id);
    }
    start_name += ")";
  }
  std::fprintf(stderr, "calibrate: fit %zu of %zu, '%s'\n", k + 1, plan.fits.size(),
               f.name.c_str());
  const FitJob job{f.parameters,
                   f.optimizer,
                   max_evals_given ? std::min(a.max_evals, f.max_evaluations) : f.max_evaluations,
                   state.current,
                   start_name,
                   dir};
  auto fit_options = options;
  fit_options.only = f.targets;
  const auto result = run_fit_job(a, set, calibration::Evaluator(set, fit_options), job);
  for (std::size_t i = 0; i < result.parameters.size(); ++i) {
    state.current.set(result.parameters[i], result.best[i]);
    state.fitted_by[static_cast<std::size_t>(result.parameters[i])] = f.name;
    note_moved(result.parameters[i]);
  }
}

/// The plan's fits, in order, as the report lists them.
std::string plan_fits_markdown(const calibration::Plan& plan) {
  std::string md;
  for (std::size_t k = 0; k < plan.fits.size(); ++k) {
    const auto& f = plan.fits[k];
    std::string names;
    for (const auto id : f.parameters)
      names += (names.empty() ? "" : ", ") + std::string(model::spec(id).name);
    std::string ids;
    for (const auto& t : f.targets) ids += (ids.empty() ? "" : ", ") + t;
    std::string start;
    for (const auto& [id, value] : f.start)
      start += fmt::format("{}{} = {:g}", start.empty() ? "; starts from " : ", ",
                           model::spec(id).name, value);
    md += fmt::format("{}. **{}** ({}): {} fitted to {}; NLopt {}, at most {} evaluations{}\n",
                      k + 1, f.name, f.why.empty() ? "-" : f.why, names, ids, f.optimizer,
                      f.max_evaluations, start);
  }
  return md;
}

/// DIR/calibrated.toml and DIR/fit-report.{md,json} of a plan's run: every moved parameter with
/// its prior, and every target at the priors and calibrated.
void write_plan_outputs(const CalibrateArgs& a, const calibration::Plan& plan,
                        const calibration::TargetSet& set, const model::Structure& structure,
                        const PlanState& state, const calibration::Evaluation& at_priors,
                        const calibration::Evaluation& at_end, double seconds) {
  const std::string model_line =
      structure == model::Structure{} ? "" : fmt::format("[model] {}", model::describe(structure));
  std::string toml = fmt::format(
      "# Calibrated by il2sim {} `calibrate` with the plan {} ({} fits) from its priors.\n"
      "# targets: {} (hash {}), seed {}, patients scale {}, common random numbers\n"
      "{}# met: {} of {} at the priors, {} of {} calibrated; wall time {:.0f} s\n[parameters]\n",
      kVersion, plan.origin, plan.fits.size(), set.origin, calibration::text_hash(set.text),
      set.seed, a.patients_scale, model_line.empty() ? "" : "# structure: " + model_line + "\n",
      at_priors.met, at_priors.counted, at_end.met, at_end.counted, seconds);
  std::string md = fmt::format(
      "# Calibration report\n\nPlan {} ({} fits, in order; each fit's own report is in fits/), "
      "targets {}, seed {}, {}wall time {:.0f} s.\n\n| parameter | prior | calibrated | change | "
      "fit |\n|---|---|---|---|---|\n",
      plan.origin, plan.fits.size(), set.origin, set.seed,
      model_line.empty() ? "" : "structure " + model_line + ", ", seconds);
  nlohmann::json params = nlohmann::json::array();
  for (const auto id : state.moved) {
    const auto& sp = model::spec(id);
    const auto& by = state.fitted_by[static_cast<std::size_t>(id)];
    const double prior = state.priors[id], value = state.current[id];
    toml += fmt::format("{} = {}  # {}; prior {}{}\n", sp.name, value, sp.unit, prior,
                        by.empty() ? "" : ", fit " + by);
    md += fmt::format("| {} | {:.6g} | {:.6g} | {:+.1f} % | {} |\n", sp.name, prior, value,
                      100.0 * (value / prior - 1.0), by.empty() ? "(prior kept)" : by);
    params.push_back({{"name", sp.name}, {"prior", prior}, {"calibrated", value}, {"fit", by}});
  }
  md += "\nThe fits, in order:\n\n" + plan_fits_markdown(plan);
  md += "\n## At the priors\n\n" + evaluation_markdown(set, at_priors) + "\n## Calibrated\n\n" +
        evaluation_markdown(set, at_end);
  core::write_file_atomically(a.out + "/calibrated.toml", toml);
  core::write_file_atomically(a.out + "/fit-report.md", md);
  nlohmann::json report{{"plan", plan.origin},
                        {"parameters", params},
                        {"wall_seconds", seconds},
                        {"priors", evaluation_json(set, at_priors)},
                        {"fit", evaluation_json(set, at_end)}};
  if (!model_line.empty()) report["model"] = model::describe(structure);
  core::write_file_atomically(a.out + "/fit-report.json", report.dump(2) + "\n");
}

/// The calibration plan: every fit in order from the priors, each output in DIR/fits/NN-name/,
/// then the whole parameter set and the report over all targets (priors vs calibrated) in DIR.
void run_plan(const CalibrateArgs& a, bool max_evals_given) {
  if (max_evals_given) check_max_evals(a.max_evals);
  const auto start_time = std::chrono::steady_clock::now();
  const auto set = read_targets(a);
  const auto plan =
      a.plan.empty() ? calibration::builtin_plan() : calibration::load_plan_file(a.plan);
  const auto s = start_scenario(a, plan);
  check_plan(plan, set, s.structure);
  const auto lock = prepare_output_dir(a.out, a.force);
  PlanState state{s.parameters, s.parameters, {}};
  for (const auto& [id, value] : plan.priors) {
    state.current.set(id, value);
    state.moved.push_back(id);
  }
  state.priors = state.current;
  const auto options = evaluation_options(a, s);
  for (std::size_t k = 0; k < plan.fits.size(); ++k)
    run_planned_fit(a, max_evals_given, plan, k, set, options, state);
  auto all = options;
  all.only.clear();
  const calibration::Evaluator evaluator(set, all);
  const auto at_priors = evaluator.evaluate(non_default(state.priors));
  const auto at_end = evaluator.evaluate(non_default(state.current));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
  write_plan_outputs(a, plan, set, s.structure, state, at_priors, at_end, seconds);
  std::fprintf(stderr,
               "calibrate: plan done, met %d -> %d of %d targets in %.0f s; wrote "
               "%s/calibrated.toml and fit-report.*\n",
               at_priors.met, at_end.met, at_end.counted, seconds, a.out.c_str());
}

/// The options of `--posterior` alone, in the order they are registered; the first is --posterior.
std::vector<CLI::Option*> register_posterior_options(CLI::App& cmd, PosteriorArgs& p) {
  return {
      cmd.add_option("--posterior", p.method,
                     "The posterior ensemble of --parameters given the targets (abc-smc), or their "
                     "prior ensemble with its prior predictive check (prior); docs/posterior.md"),
      cmd.add_option("--particles", p.particles, "--posterior: number of parameter sets")
          ->capture_default_str(),
      cmd.add_option("--prior", p.priors,
                     "--posterior: NAME=LO:HI, the prior range of a parameter (repeatable)"),
      cmd.add_option("--prior-factor", p.prior_factor,
                     "--posterior: default prior = the plan's prior value x/÷ this factor")
          ->capture_default_str(),
      cmd.add_option("--max-moves", p.max_moves,
                     "--posterior abc-smc: Metropolis moves per particle and step, at most "
                     "(default 8)"),
      add_seed_option(cmd, p.seed)
          ->description("--posterior: seed of the sampler's random streams, 0 to 2^63-1 "
                        "(default 1)")};
}

/// Whether the mode whose option is own.front() is requested; without it, refuses the mode's other
/// options (`problem`, naming the option); with it, refuses --check and any of `excluded`.
bool mode_requested(const CalibrateArgs& a, const std::vector<CLI::Option*>& own,
                    const std::string& without, const std::vector<CLI::Option*>& excluded,
                    const std::string& excluded_problem) {
  const auto refuse = [](const std::string& option, const std::string& problem) {
    throw UserError({"", std::nullopt, std::nullopt, option}, problem);
  };
  if (own.front()->count() == 0) {
    for (const auto* o : own) {
      if (o->count() > 0) refuse(o->get_name(), without);
    }
    return false;
  }
  if (a.check) refuse("--check", "not with " + own.front()->get_name());
  for (const auto* o : excluded) {
    if (o->count() > 0) refuse(o->get_name(), excluded_problem);
  }
  return true;
}

/// Runs `--profile` when it is given (true), after refusing the modes it cannot be combined with;
/// refuses its own options without it.
bool profile_requested(CalibrateArgs& a, const std::vector<CLI::Option*>& own,
                       const std::vector<CLI::Option*>& posterior) {
  if (!mode_requested(a, own, "only with --profile NAME", posterior, "not with --profile"))
    return false;
  a.profile.max_evals = a.max_evals;
  a.profile.optimizer = a.optimizer;
  check_max_evals(a.max_evals);
  run_profile(a, a.profile);
  return true;
}

/// Runs `--posterior` when it is given (true), after refusing the options it cannot honour; refuses
/// its own options without it.
bool posterior_requested(const CalibrateArgs& a, const std::vector<CLI::Option*>& own,
                         const std::vector<CLI::Option*>& fit_only) {
  if (!mode_requested(a, own, "only with --posterior abc-smc|prior", fit_only,
                      "a setting of NLopt fits, not of --posterior"))
    return false;
  run_posterior(a, a.posterior);
  return true;
}

}  // namespace

void register_calibrate(CLI::App& app) {
  auto args = std::make_shared<CalibrateArgs>();
  auto* cmd = app.add_subcommand(
      "calibrate", "Calibration targets: evaluate them (--check) or fit parameters to them");
  cmd->add_option(
      "scenario", args->scenario,
      "Scenario whose parameters are the starting point (default: the shipped defaults); its "
      "[model] is the structure every experiment is simulated under");
  add_set_option(*cmd, args->sets);
  cmd->add_flag("--check", args->check,
                "Evaluate the targets at the parameters and print met/unmet");
  cmd->add_option("--targets", args->targets,
                  "Targets file (default: the shipped calibration/targets.toml)");
  cmd->add_flag("--json", args->json, "--check, --posterior: one JSON document on stdout");
  cmd->add_option("--threads", args->threads, "Worker threads")->capture_default_str();
  cmd->add_option("--patients-scale", args->patients_scale,
                  "Multiply every experiment's number of patients")
      ->capture_default_str();
  cmd->add_option("--only", args->only, "Evaluate/fit only these target ids (comma-separated)")
      ->delimiter(',');
  cmd->add_option("--parameters", args->parameters, "Parameters to fit (comma-separated names)")
      ->delimiter(',');
  cmd->add_option("--out", args->out, "Output directory of a fit");
  cmd->add_option("--max-evals", args->max_evals, "Maximum objective evaluations")
      ->capture_default_str();
  cmd->add_option("--optimizer", args->optimizer, "NLopt derivative-free algorithm")
      ->check(CLI::IsMember({"neldermead", "bobyqa", "sbplx"}))
      ->capture_default_str();
  cmd->add_flag("--force", args->force, "Write into a non-empty --out directory");
  cmd->add_option(
      "--plan", args->plan,
      "Without --parameters: the calibration plan to run (default: the shipped "
      "calibration/plan.toml, which reproduces the shipped defaults from their priors)");
  auto* max_evals = cmd->get_option("--max-evals");
  auto* optimizer = cmd->get_option("--optimizer");
  const auto posterior_options = register_posterior_options(*cmd, args->posterior);
  auto* profile = cmd->add_option("--profile", args->profile.parameter,
                                  "The profile likelihood of this parameter: held at each value "
                                  "of a grid, --parameters refitted (docs/posterior.md)");
  auto* points =
      cmd->add_option("--profile-points", args->profile.points, "--profile: grid values, 3 to 101")
          ->capture_default_str();
  auto* range = cmd->add_option("--profile-range", args->profile.range,
                                "--profile: LO:HI of the grid (default: the plan's prior value "
                                "x/÷ 4)");
  auto* likelihood =
      cmd->add_option("--likelihood", args->likelihood,
                      "--posterior, --profile: range (each target's range as an error model) or "
                      "binomial (the sources' data by their sample sizes; docs/posterior.md)")
          ->capture_default_str();
  cmd->callback([args, max_evals, optimizer, posterior_options, profile, points, range,
                 likelihood] {
    if (profile_requested(*args, {profile, points, range}, posterior_options)) return;
    if (posterior_requested(*args, posterior_options, {max_evals, optimizer})) return;
    if (likelihood->count() > 0) {
      throw UserError({"", std::nullopt, std::nullopt, "--likelihood"},
                      "only with --posterior or --profile (fits and --check read the ranges)");
    }
    if (args->check) {
      run_check(*args);
      return;
    }
    if (args->out.empty()) throw UserError("--out DIR is required to fit (or give --check)");
    if (!args->parameters.empty()) {
      if (!args->plan.empty())
        throw UserError({"", std::nullopt, std::nullopt, "--plan"},
                        "--plan runs its own fits and cannot be combined with --parameters");
      run_fit(*args);
    } else {
      if (!args->only.empty())
        throw UserError({"", std::nullopt, std::nullopt, "--only"},
                        "--only selects the targets of a --parameters fit; a plan names its own");
      run_plan(*args, max_evals->count() > 0);
    }
  });
}

}  // namespace il2sim::cli
