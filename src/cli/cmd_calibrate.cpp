// `il2sim calibrate`: the calibration targets evaluated at the shipped defaults (--check), or
// chosen parameters fitted to them (NLopt, common random numbers) with a calibrated parameter set
// and a fit report.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "calibration/fit.hpp"
#include "cli/app.hpp"
#include "cli/output_dir.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/text.hpp"
#include "core/version.hpp"
#include "scenario/scenario.hpp"

namespace il2sim::cli {
namespace {

struct CalibrateArgs {
  std::string scenario;
  bool check = false;
  std::string targets;
  bool json = false;
  unsigned threads = 1;
  double patients_scale = 1.0;
  std::vector<std::string> only;
  std::vector<std::string> parameters;
  std::string out;
  int max_evals = 100;
  std::string optimizer = "neldermead";
  bool force = false;
};

nlohmann::json number_or_null(double x) {
  return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr);
}

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

std::string fmt_value(double x) {
  if (std::isnan(x)) return "NA";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return fmt::format("{:.4g}", x);
}

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

calibration::EvaluationOptions evaluation_options(const CalibrateArgs& a) {
  if (a.threads < 1 || a.threads > 1024)
    throw UserError(fmt::format("--threads {}: must be 1 to 1024", a.threads));
  return {a.threads, a.patients_scale, a.only};
}

void run_check(const CalibrateArgs& a) {
  const auto start = std::chrono::steady_clock::now();
  auto set = read_targets(a);
  const calibration::Evaluator evaluator(set, evaluation_options(a));
  calibration::ParameterPatch patch;
  if (!a.scenario.empty()) {
    const auto s = scenario::load_scenario(a.scenario);
    for (const auto& p : model::parameter_table()) {
      if (!s.parameters.is_default(p.id)) patch.emplace_back(p.id, s.parameters[p.id]);
    }
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

void run_fit(const CalibrateArgs& a) {
  if (a.out.empty()) throw UserError("--out DIR is required to fit (or give --check)");
  if (a.parameters.empty())
    throw UserError("--parameters a,b,c is required to fit (or give --check)");
  if (a.max_evals < 1 || a.max_evals > 100000)
    throw UserError(fmt::format("--max-evals {}: must be 1 to 100000", a.max_evals));
  const auto start_time = std::chrono::steady_clock::now();
  auto set = read_targets(a);
  const auto s = scenario::load_scenario(a.scenario);
  calibration::FitOptions options;
  options.algorithm = a.optimizer;
  options.max_evaluations = a.max_evals;
  for (const auto& name : a.parameters) {
    const auto id = model::find_parameter(name);
    if (!id) {
      const auto suggestion = model::closest_parameter_name(name);
      throw UserError({"", std::nullopt, std::nullopt, "--parameters"},
                      suggestion.empty() ? fmt::format("unknown parameter '{}'", name)
                                         : fmt::format("unknown parameter '{}'; did you mean '{}'?",
                                                       name, suggestion),
                      "the names of `il2sim params`");
    }
    if (std::find(options.parameters.begin(), options.parameters.end(), *id) !=
        options.parameters.end()) {
      throw UserError({"", std::nullopt, std::nullopt, "--parameters"},
                      fmt::format("'{}' is listed twice", name));
    }
    options.parameters.push_back(*id);
  }
  for (const auto& p : model::parameter_table()) {
    const bool fitted = std::find(options.parameters.begin(), options.parameters.end(), p.id) !=
                        options.parameters.end();
    if (!fitted && !s.parameters.is_default(p.id))
      options.fixed.emplace_back(p.id, s.parameters[p.id]);
  }
  const calibration::Evaluator evaluator(set, evaluation_options(a));
  prepare_output_dir(a.out, a.force);
  options.on_evaluation = [&](int k, const std::vector<double>& values, double f) {
    std::string text;
    for (std::size_t i = 0; i < values.size(); ++i) {
      text += fmt::format(" {}={:.6g}", model::spec(options.parameters[i]).name, values[i]);
    }
    std::fprintf(stderr, "calibrate: evaluation %d:%s objective %.6g\n", k, text.c_str(), f);
  };
  const auto result = calibration::fit(evaluator, s.parameters, options);
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
      "common random numbers\n# objective: sum of weight * (distance outside the range / "
      "half-width)^2 = {:.6g} "
      "(start {:.6g})\n# optimizer: NLopt {} in log-parameter space within the parameter table's "
      "bounds, max {} "
      "evaluations; {} evaluations, {}\n# start scenario: {}\n# met at the fit: {} of "
      "{}\n[parameters]\n",
      kVersion, set.origin, hash, selection, set.seed, a.patients_scale, result.objective,
      result.start_objective, result.algorithm, a.max_evals, result.evaluations, result.stop_reason,
      s.name, at_best.met, at_best.counted);
  for (std::size_t i = 0; i < result.parameters.size(); ++i) {
    const auto& sp = model::spec(result.parameters[i]);
    toml += fmt::format("{} = {}  # {}; start {}, bounds {}-{}\n", sp.name, result.best[i], sp.unit,
                        result.start[i], result.lower[i], sp.upper);
  }
  core::write_file_atomically(a.out + "/calibrated.toml", toml);

  nlohmann::json params = nlohmann::json::array();
  std::string md = fmt::format(
      "# Fit report\n\nTargets {} (hash {}), seed {}, NLopt {} ({} evaluations, {}), "
      "wall time {:.1f} s.\n\n| parameter | start | fitted | change | bounds "
      "|\n|---|---|---|---|---|\n",
      set.origin, hash, set.seed, result.algorithm, result.evaluations, result.stop_reason,
      seconds);
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
  core::write_file_atomically(a.out + "/fit-report.md", md);
  nlohmann::json report{{"parameters", params},
                        {"optimizer", result.algorithm},
                        {"evaluations", result.evaluations},
                        {"stop_reason", result.stop_reason},
                        {"objective_start", result.start_objective},
                        {"objective", result.objective},
                        {"wall_seconds", seconds},
                        {"start", evaluation_json(set, at_start)},
                        {"fit", evaluation_json(set, at_best)}};
  core::write_file_atomically(a.out + "/fit-report.json", report.dump(2) + "\n");
  std::fprintf(stderr,
               "calibrate: objective %.6g -> %.6g, met %d -> %d of %d; wrote %s/calibrated.toml "
               "and fit-report.*\n",
               result.start_objective, result.objective, at_start.met, at_best.met, at_best.counted,
               a.out.c_str());
}

}  // namespace

void register_calibrate(CLI::App& app) {
  auto args = std::make_shared<CalibrateArgs>();
  auto* cmd = app.add_subcommand(
      "calibrate", "Calibration targets: evaluate them (--check) or fit parameters to them");
  cmd->add_option(
      "scenario", args->scenario,
      "Scenario whose parameters are the starting point (default: the shipped defaults)");
  cmd->add_flag("--check", args->check,
                "Evaluate the targets at the parameters and print met/unmet");
  cmd->add_option("--targets", args->targets,
                  "Targets file (default: the shipped calibration/targets.toml)");
  cmd->add_flag("--json", args->json, "--check: one JSON document on stdout");
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
  cmd->callback([args] {
    if (args->check) {
      run_check(*args);
    } else {
      run_fit(*args);
    }
  });
}

}  // namespace il2sim::cli
