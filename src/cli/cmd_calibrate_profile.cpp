// `il2sim calibrate --profile NAME`: the profile likelihood of one parameter (docs/posterior.md
// "Profile likelihoods"): NAME held at each value of a grid, the other parameters refitted by
// maximum likelihood (--likelihood, likelihood.hpp), the deviance and its 95 % interval.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "calibration/likelihood.hpp"
#include "calibration/posterior.hpp"
#include "calibration/profile.hpp"
#include "cli/calibrate.hpp"
#include "cli/options.hpp"
#include "cli/output_dir.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/text.hpp"
#include "core/version.hpp"

namespace il2sim::cli {
namespace {

[[noreturn]] void refuse_profile(const std::string& key, const std::string& value,
                                 const std::string& problem, const std::string& allowed) {
  throw UserError({"", std::nullopt, std::nullopt, key + " " + value}, problem, allowed);
}

/// The profiled parameter's range: --profile-range, or the plan's prior value ×/÷ 4.
calibration::PriorRange profile_range(const ProfileArgs& a, const calibration::Plan& plan,
                                      const model::ParameterSet& values, model::ParamId id) {
  if (a.range.empty()) return calibration::default_prior(id, prior_centre(plan, values, id), 4.0);
  const auto r =
      parse_named_range("--profile-range", std::string(model::spec(id).name) + "=" + a.range);
  return calibration::range_prior(id, r.lower, r.upper);
}

std::string profile_csv(const calibration::Profile& p) {
  std::string out = fmt::format("{},neg_log_likelihood,deviance,met,counted,evaluations,stop",
                                model::spec(p.parameter).name);
  for (const auto id : p.others) out += fmt::format(",{}", model::spec(id).name);
  out += "\n";
  for (const auto& q : p.points) {
    out += fmt::format("{},{},{},{},{},{},\"{}\"", core::format_double(q.value),
                       core::format_double(q.neg_log_likelihood), core::format_double(q.deviance),
                       q.met, q.counted, q.evaluations, q.stop_reason);
    for (const double v : q.others) out += "," + core::format_double(v);
    out += "\n";
  }
  return out;
}

std::string interval_text(const calibration::Profile& p) {
  return fmt::format("{}{} – {}{}", p.lower_open ? "≤ " : "", fmt_value(p.ci_lower),
                     p.upper_open ? "≥ " : "", fmt_value(p.ci_upper));
}

std::string profile_markdown(const CalibrateInputs& in, const ProfileArgs& a,
                             const calibration::Profile& p, const std::string& model,
                             double seconds) {
  const auto name = model::spec(p.parameter).name;
  std::string md = fmt::format(
      "# Profile likelihood of {}\n\n`il2sim calibrate --profile {}`: model {{ {} }}, likelihood "
      "`{}`, {} grid values, the other {} parameters refitted at each ({}, at most {} "
      "evaluations); {} target evaluations, wall time {:.0f} s with {} thread(s).\n\n",
      name, name, model, in.likelihood, p.points.size(), p.others.size(), a.optimizer, a.max_evals,
      p.evaluations, seconds, in.threads);
  md += fmt::format(
      "95 % profile interval (deviance ≤ {:.3f}, χ²₁): **{}** (an end marked ≤ or ≥ is the "
      "grid's edge: the deviance stays below the threshold there).\n\n| {} | −log L | deviance | "
      "met | evaluations |\n|---|---|---|---|---|\n",
      calibration::kChiSquare1At95, interval_text(p), name);
  for (const auto& q : p.points) {
    md += fmt::format("| {} | {:.4g} | {:.3f} | {} of {} | {} |\n", fmt_value(q.value),
                      q.neg_log_likelihood, q.deviance, q.met, q.counted, q.evaluations);
  }
  return md;
}

nlohmann::json profile_json(const CalibrateInputs& in, const calibration::Profile& p,
                            const std::string& model, double seconds) {
  nlohmann::json points = nlohmann::json::array();
  for (const auto& q : p.points) {
    nlohmann::json others;
    for (std::size_t i = 0; i < p.others.size(); ++i)
      others[std::string(model::spec(p.others[i]).name)] = q.others[i];
    points.push_back({{"value", q.value},
                      {"neg_log_likelihood", number_or_null(q.neg_log_likelihood)},
                      {"deviance", number_or_null(q.deviance)},
                      {"met", q.met},
                      {"counted", q.counted},
                      {"evaluations", q.evaluations},
                      {"others", others}});
  }
  return {{"parameter", model::spec(p.parameter).name},
          {"model", model},
          {"likelihood", in.likelihood},
          {"ci_lower", p.ci_lower},
          {"ci_upper", p.ci_upper},
          {"lower_open", p.lower_open},
          {"upper_open", p.upper_open},
          {"threshold", calibration::kChiSquare1At95},
          {"points", points},
          {"evaluations", p.evaluations},
          {"wall_seconds", seconds},
          {"threads", in.threads},
          {"version", kVersion}};
}

}  // namespace

void run_profile(const CalibrateInputs& in, const ProfileArgs& a) {
  const auto start_time = std::chrono::steady_clock::now();
  const auto id = parameter_named("--profile", a.parameter);
  const auto likelihood = calibration::parse_likelihood(in.likelihood, "--likelihood");
  if (a.points < 3 || a.points > 101)
    refuse_profile("--profile-points", std::to_string(a.points), "out of range", "3 to 101");
  if (in.out.empty())
    throw UserError({"", std::nullopt, std::nullopt, "--out"}, "required with --profile");
  api::check_threads(in.threads);
  const auto set = in.targets.empty() ? calibration::builtin_targets()
                                      : calibration::load_targets_file(in.targets);
  const auto plan =
      in.plan.empty() ? calibration::builtin_plan() : calibration::load_plan_file(in.plan);
  const auto scenario = start_scenario(in, plan);
  calibration::check_reads(scenario.structure, {id}, "--profile");
  auto others = sampled_parameters(in, plan, scenario.structure);
  if (!in.parameters.empty() && std::find(others.begin(), others.end(), id) != others.end())
    refuse_profile("--parameters", a.parameter, "is the profiled parameter",
                   "the parameters refitted at each value, without --profile's");
  others.erase(std::remove(others.begin(), others.end(), id), others.end());
  auto ids = others;
  ids.push_back(id);
  const auto grid =
      calibration::profile_grid(profile_range(a, plan, scenario.parameters, id), a.points);
  const calibration::Evaluator evaluator(
      set, calibration::EvaluationOptions{in.threads, in.patients_scale,
                                          selected_targets(in, plan, ids), scenario.structure});
  calibration::FitOptions fit;
  fit.parameters = others;
  fit.algorithm = a.optimizer;
  fit.max_evaluations = a.max_evals;
  for (const auto& p : model::parameter_table()) {
    if (std::find(ids.begin(), ids.end(), p.id) == ids.end() &&
        !scenario.parameters.is_default(p.id))
      fit.fixed.emplace_back(p.id, scenario.parameters[p.id]);
  }
  const auto lock = prepare_output_dir(in.out, in.force);
  std::fprintf(stderr,
               "calibrate: profile of %s over %zu values, %zu parameters refitted, %zu "
               "targets\n",
               a.parameter.c_str(), grid.size(), others.size(), evaluator.selected().size());
  const auto profile = calibration::profile_likelihood(
      evaluator, scenario.parameters, id, grid, fit, likelihood,
      [&](const calibration::ProfilePoint& q) {
        std::fprintf(stderr, "calibrate: %s = %g: -log L %.4g, %d of %d met, %d evaluations\n",
                     a.parameter.c_str(), q.value, q.neg_log_likelihood, q.met, q.counted,
                     q.evaluations);
      });
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
  const std::string model = model::describe(scenario.structure);
  core::write_file_atomically(in.out + "/profile.csv", profile_csv(profile));
  core::write_file_atomically(in.out + "/profile-report.md",
                              profile_markdown(in, a, profile, model, seconds));
  const auto json = profile_json(in, profile, model, seconds);
  core::write_file_atomically(in.out + "/profile-report.json", json.dump(2) + "\n");
  if (in.json) std::fputs((json.dump(2) + "\n").c_str(), stdout);
  std::fprintf(stderr, "calibrate: 95 %% profile interval of %s: %s; wrote %s/profile.csv\n",
               a.parameter.c_str(), interval_text(profile).c_str(), in.out.c_str());
}

}  // namespace il2sim::cli
