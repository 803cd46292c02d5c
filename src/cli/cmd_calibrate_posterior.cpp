// `il2sim calibrate --posterior abc-smc|prior`: the posterior (or prior) ensemble of chosen model
// parameters given the calibration targets, with its predictive checks (docs/posterior.md).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/commands.hpp"
#include "calibration/likelihood.hpp"
#include "calibration/plan.hpp"
#include "calibration/posterior.hpp"
#include "cli/calibrate.hpp"
#include "cli/options.hpp"
#include "cli/output_dir.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/version.hpp"
#include "scenario/scenario.hpp"

namespace il2sim::cli {
namespace {

[[noreturn]] void refuse_setting(const std::string& key, const std::string& problem) {
  throw UserError({"", std::nullopt, std::nullopt, key}, problem);
}

void check_settings(const CalibrateInputs& in, const PosteriorArgs& a) {
  if (a.method != "abc-smc" && a.method != "prior")
    refuse_setting("--posterior",
                   fmt::format("'{}' is not a method; allowed: abc-smc, prior", a.method));
  if (a.particles < 2 || a.particles > 100'000)
    refuse_setting("--particles", fmt::format("{}: allowed 2 to 100000", a.particles));
  if (!(a.prior_factor > 1.0 && a.prior_factor <= 1000.0))
    refuse_setting("--prior-factor", fmt::format("{}: allowed > 1 and <= 1000", a.prior_factor));
  if (a.max_moves && a.method == "prior")
    refuse_setting("--max-moves", "a setting of --posterior abc-smc, not of --posterior prior");
  if (a.max_moves && (*a.max_moves < 1 || *a.max_moves > 100))
    refuse_setting("--max-moves", fmt::format("{}: allowed 1 to 100", *a.max_moves));
  api::check_threads(in.threads);
  if (in.out.empty()) refuse_setting("--out", "--out DIR is required with --posterior");
}

}  // namespace

double prior_centre(const calibration::Plan& plan, const model::ParameterSet& values,
                    model::ParamId id) {
  for (const auto& [pid, v] : plan.priors) {
    if (pid == id) return v;
  }
  return values[id];
}

std::vector<model::ParamId> sampled_parameters(const CalibrateInputs& in,
                                               const calibration::Plan& plan,
                                               const model::Structure& structure) {
  std::vector<model::ParamId> ids;
  for (const auto& name : in.parameters) {
    const auto id = parameter_named("--parameters", name);
    if (std::find(ids.begin(), ids.end(), id) != ids.end())
      refuse_setting("--parameters", fmt::format("'{}' is listed twice", name));
    ids.push_back(id);
  }
  calibration::check_reads(structure, ids, "--parameters");
  if (!ids.empty()) return ids;
  for (const auto& f : plan.fits) {
    if (f.name != "disease") continue;
    ids = f.parameters;
    for (const auto& sw : model::structure_switches()) {
      for (const auto id : sw.forms[static_cast<std::size_t>(sw.get(structure))].parameters) {
        if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
      }
    }
    return ids;
  }
  refuse_setting("--parameters", fmt::format("the plan {} has no fit 'disease' to take the default "
                                             "parameters from; name them with --parameters",
                                             plan.origin));
}

/// --only, or else the targets of every plan fit that fits one of the sampled parameters.
std::vector<std::string> selected_targets(const CalibrateInputs& in, const calibration::Plan& plan,
                                          const std::vector<model::ParamId>& ids) {
  if (!in.only.empty()) return in.only;
  std::vector<std::string> out;
  for (const auto& f : plan.fits) {
    const bool fits_one = std::any_of(f.parameters.begin(), f.parameters.end(), [&](auto id) {
      return std::find(ids.begin(), ids.end(), id) != ids.end();
    });
    if (!fits_one) continue;
    for (const auto& t : f.targets) {
      if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
    }
  }
  if (out.empty()) {
    refuse_setting("--only",
                   fmt::format("no fit of the plan {} fits these parameters, so there is no "
                               "default set of targets; name them with --only",
                               plan.origin));
  }
  return out;
}

namespace {

/// The prior: each --prior range, or else the default around the plan's prior value (the
/// scenario's value for a parameter the plan has none for).
std::vector<calibration::PriorRange> make_prior(const PosteriorArgs& a,
                                                const calibration::Plan& plan,
                                                const model::ParameterSet& values,
                                                const std::vector<model::ParamId>& ids) {
  std::vector<std::optional<calibration::PriorRange>> given(ids.size());
  for (const auto& text : a.priors) {
    const auto range = parse_named_range("--prior", text);
    const auto at = std::find(ids.begin(), ids.end(), range.id);
    if (at == ids.end()) {
      throw UserError({"--prior", std::nullopt, std::nullopt, text}, "the parameter is not sampled",
                      "a parameter of --parameters");
    }
    given[static_cast<std::size_t>(at - ids.begin())] =
        calibration::range_prior(range.id, range.lower, range.upper);
  }
  std::vector<calibration::PriorRange> prior;
  for (std::size_t k = 0; k < ids.size(); ++k) {
    if (given[k]) {
      prior.push_back(*given[k]);
      continue;
    }
    prior.push_back(
        calibration::default_prior(ids[k], prior_centre(plan, values, ids[k]), a.prior_factor));
  }
  return prior;
}

std::string report_markdown(const CalibrateInputs& in, const PosteriorArgs& a,
                            const calibration::SmcResult& r, const calibration::PosteriorSummary& s,
                            const std::string& model, double seconds) {
  std::string md = fmt::format(
      "# Posterior report\n\n`il2sim calibrate --posterior {}`: model {{ {} }}, {} particles, seed "
      "{}, targets' patients × {}; {} target evaluations, wall time {:.0f} s with {} thread(s).\n",
      a.method, model, a.particles, a.seed.value_or(1), in.patients_scale, r.evaluations, seconds,
      in.threads);
  if (a.method == "abc-smc") {
    md += fmt::format("Log evidence {:.4g} (likelihood `{}`, docs/posterior.md).\n\n",
                      r.log_evidence, in.likelihood);
    md +=
        "| step | temperature | ESS | moves | acceptance | distinct | evaluations |\n"
        "|---|---|---|---|---|---|---|\n";
    for (const auto& st : r.steps) {
      md += fmt::format("| {} | {:.4g} | {:.1f} | {} | {:.3f} | {} | {} |\n", st.step,
                        st.temperature, st.ess, st.moves, st.acceptance, st.unique, st.evaluations);
    }
  }
  const char* which = a.method == "prior" ? "Prior" : "Posterior";
  md += fmt::format(
      "\n## Parameters\n\n| parameter | prior | scale | {0} median | {0} 5 % | {0} "
      "95 % |\n|---|---|---|---|---|---|\n",
      a.method == "prior" ? "prior" : "posterior");
  for (const auto& p : s.parameters) {
    md += fmt::format("| {} | {}–{} | {} | {} | {} | {} |\n", p.name, fmt_value(p.prior.lower),
                      fmt_value(p.prior.upper), p.prior.log_scale ? "log-uniform" : "uniform",
                      fmt_value(p.median), fmt_value(p.q05), fmt_value(p.q95));
  }
  md += fmt::format(
      "\n## {} predictive checks\n\nEach target's simulated statistic over the "
      "particles (5 %, median, 95 %) against its range.\n\n| target | range | 5 % | "
      "median | 95 % | share in range |\n|---|---|---|---|---|---|\n",
      which);
  for (const auto& c : s.checks) {
    md += fmt::format("| {}{} | {}–{} | {} | {} | {} | {:.2f} |\n", c.id,
                      c.informational ? " (informational)" : "", fmt_value(c.lower),
                      fmt_value(c.upper), fmt_value(c.q05), fmt_value(c.median), fmt_value(c.q95),
                      c.share_in_range);
  }
  return md;
}

nlohmann::json report_json(const CalibrateInputs& in, const PosteriorArgs& a,
                           const calibration::SmcResult& r, const calibration::PosteriorSummary& s,
                           const std::string& model, double seconds) {
  nlohmann::json params = nlohmann::json::array(), checks = nlohmann::json::array(),
                 steps = nlohmann::json::array();
  for (const auto& p : s.parameters) {
    params.push_back({{"name", p.name},
                      {"prior_lower", p.prior.lower},
                      {"prior_upper", p.prior.upper},
                      {"prior_scale", p.prior.log_scale ? "log-uniform" : "uniform"},
                      {"q05", p.q05},
                      {"median", p.median},
                      {"q95", p.q95}});
  }
  for (const auto& c : s.checks) {
    checks.push_back({{"id", c.id},
                      {"lower", number_or_null(c.lower)},
                      {"upper", number_or_null(c.upper)},
                      {"q05", number_or_null(c.q05)},
                      {"median", number_or_null(c.median)},
                      {"q95", number_or_null(c.q95)},
                      {"share_in_range", c.share_in_range},
                      {"informational", c.informational}});
  }
  for (const auto& st : r.steps) {
    steps.push_back({{"step", st.step},
                     {"temperature", st.temperature},
                     {"ess", st.ess},
                     {"moves", st.moves},
                     {"acceptance", st.acceptance},
                     {"unique", st.unique},
                     {"evaluations", st.evaluations}});
  }
  return {{"method", a.method},
          {"model", model},
          {"likelihood", in.likelihood},
          {"particles", a.particles},
          {"seed", a.seed.value_or(1)},
          {"evaluations", r.evaluations},
          {"log_evidence", r.log_evidence},
          {"steps", steps},
          {"parameters", params},
          {"checks", checks},
          {"wall_seconds", seconds},
          {"threads", in.threads},
          {"version", kVersion}};
}

}  // namespace

void run_posterior(const CalibrateInputs& in, const PosteriorArgs& a) {
  check_settings(in, a);
  const auto likelihood = calibration::parse_likelihood(in.likelihood, "--likelihood");
  const auto start = std::chrono::steady_clock::now();
  const auto set = in.targets.empty() ? calibration::builtin_targets()
                                      : calibration::load_targets_file(in.targets);
  const auto plan =
      in.plan.empty() ? calibration::builtin_plan() : calibration::load_plan_file(in.plan);
  const auto scenario = start_scenario(in, plan);
  const auto ids = sampled_parameters(in, plan, scenario.structure);
  auto prior = make_prior(a, plan, scenario.parameters, ids);
  // One evaluation per thread at a time: particles are evaluated in parallel instead.
  const calibration::Evaluator evaluator(
      set, calibration::EvaluationOptions{1, in.patients_scale, selected_targets(in, plan, ids),
                                          scenario.structure});
  calibration::ParameterPatch fixed;
  for (const auto& p : model::parameter_table()) {
    if (std::find(ids.begin(), ids.end(), p.id) == ids.end() &&
        !scenario.parameters.is_default(p.id))
      fixed.emplace_back(p.id, scenario.parameters[p.id]);
  }
  const auto lock = prepare_output_dir(in.out, in.force);
  const auto ll = calibration::target_likelihood(evaluator, fixed, ids, likelihood);
  calibration::SmcOptions o;
  o.particles = a.particles;
  o.max_moves = a.max_moves.value_or(o.max_moves);
  o.seed = a.seed.value_or(1);
  o.threads = in.threads;
  std::fprintf(stderr, "calibrate: %s over %zu parameters and %zu targets, %zu particles\n",
               a.method.c_str(), ids.size(), evaluator.selected().size(), a.particles);
  const auto r =
      a.method == "prior"
          ? calibration::prior_predictive(prior, ll, a.particles, o.seed, in.threads)
          : calibration::abc_smc(prior, ll, o, [](const calibration::SmcStep& s) {
              std::fprintf(stderr,
                           "calibrate: step %d, temperature %.4g, ESS %.1f, %d moves, acceptance "
                           "%.3f, %zu distinct, %ld evaluations\n",
                           s.step, s.temperature, s.ess, s.moves, s.acceptance, s.unique,
                           s.evaluations);
            });
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto summary = calibration::summarize(r, evaluator);
  const std::string model = model::describe(evaluator.structure());
  const std::string file = a.method == "prior" ? "prior.toml" : "posterior.toml";
  core::write_file_atomically(
      in.out + "/" + file, calibration::posterior_toml(r, ids, a.method, o, evaluator, likelihood));
  core::write_file_atomically(in.out + "/posterior-report.md",
                              report_markdown(in, a, r, summary, model, seconds));
  const auto json = report_json(in, a, r, summary, model, seconds);
  core::write_file_atomically(in.out + "/posterior-report.json", json.dump(2) + "\n");
  if (in.json) std::fputs((json.dump(2) + "\n").c_str(), stdout);
  std::fprintf(stderr, "calibrate: %ld evaluations in %.0f s; wrote %s/%s and posterior-report.*\n",
               r.evaluations, seconds, in.out.c_str(), file.c_str());
}

}  // namespace il2sim::cli
