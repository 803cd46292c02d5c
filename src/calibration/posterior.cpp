#include "calibration/posterior.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/statistics.hpp"
#include "core/text.hpp"

namespace il2sim::calibration {
namespace {

PriorRange make_range(const model::ParamSpec& spec, double lo, double hi) {
  return {std::string(spec.name), lo, hi, log_scale_range(lo, hi)};
}

std::string toml_array(const std::vector<double>& xs) {
  std::string out = "[";
  for (std::size_t i = 0; i < xs.size(); ++i) out += (i ? ", " : "") + core::format_double(xs[i]);
  return out + "]";
}

}  // namespace

PriorRange default_prior(model::ParamId id, double centre, double factor) {
  const auto& spec = model::spec(id);
  const double lo = std::max(spec.lower, centre / factor);
  const double hi = std::min(spec.upper, centre * factor);
  if (!(centre > 0.0) || !(lo < hi) || !std::isfinite(lo) || !std::isfinite(hi)) {
    throw UserError({"--parameters", std::nullopt, std::nullopt, std::string(spec.name)},
                    fmt::format("no default prior around the value {} within the bounds [{}, {}]",
                                centre, spec.lower, spec.upper),
                    fmt::format("give one with --prior {}=LO:HI", spec.name));
  }
  return make_range(spec, lo, hi);
}

PriorRange range_prior(model::ParamId id, double lower, double upper) {
  return make_range(model::spec(id), lower, upper);
}

LogLikelihood target_likelihood(const Evaluator& evaluator, ParameterPatch fixed,
                                const std::vector<model::ParamId>& ids, Likelihood likelihood) {
  return [&evaluator, fixed = std::move(fixed), ids, likelihood](const std::vector<double>& theta) {
    ParameterPatch patch = fixed;
    for (std::size_t j = 0; j < ids.size(); ++j) patch.emplace_back(ids[j], theta[j]);
    const auto ev = evaluator.evaluate(patch);
    LikelihoodDraw d{log_likelihood(evaluator.targets(), ev, likelihood), {}};
    for (const auto& r : ev.targets) d.outputs.push_back(r.simulated);
    return d;
  };
}

PosteriorSummary summarize(const SmcResult& r, const Evaluator& evaluator) {
  PosteriorSummary s;
  for (std::size_t j = 0; j < r.prior.size(); ++j) {
    std::vector<double> x;
    for (const auto& p : r.particles) x.push_back(p[j]);
    s.parameters.push_back({r.prior[j].name, r.prior[j], core::quantile(x, 0.05),
                            core::quantile(x, 0.5), core::quantile(x, 0.95)});
  }
  const auto& selected = evaluator.selected();
  for (std::size_t k = 0; k < selected.size(); ++k) {
    const auto& t = evaluator.targets().targets[selected[k]];
    std::vector<double> x;
    std::size_t inside = 0;
    for (const auto& d : r.draws) {
      const double v = d.outputs.at(k);
      x.push_back(v);
      inside += v >= t.lower && v <= t.upper ? 1 : 0;
    }
    s.checks.push_back({t.id, t.lower, t.upper, core::quantile(x, 0.05), core::quantile(x, 0.5),
                        core::quantile(x, 0.95),
                        static_cast<double>(inside) / static_cast<double>(x.size()),
                        t.informational});
  }
  return s;
}

std::string posterior_toml(const SmcResult& r, const std::vector<model::ParamId>& ids,
                           const std::string& method, const SmcOptions& options,
                           const Evaluator& evaluator, Likelihood likelihood) {
  Ensemble e;
  e.method = method;
  e.parameters = ids;
  for (const auto& p : r.particles) e.sets.push_back({1.0, p, evaluator.structure()});
  std::vector<std::string> targets;
  for (const auto k : evaluator.selected()) targets.push_back(evaluator.targets().targets[k].id);
  std::string meta = fmt::format(
      "seed = {}\nparticles = {}\ntargets_file = {}\ntargets_hash = {}\ntargets_seed = {}\n"
      "targets = {}\npatients_scale = {}\nlikelihood = {}\n",
      options.seed, options.particles, nlohmann::json(evaluator.targets().origin).dump(),
      nlohmann::json(text_hash(evaluator.targets().text)).dump(), evaluator.targets().seed,
      nlohmann::json(targets).dump(), core::format_double(evaluator.patients_scale()),
      nlohmann::json(likelihood_info(likelihood).description).dump());
  if (method != "prior") {
    meta += fmt::format("ess_fraction = {}\nmax_moves = {}\nmove_probability = {}\n",
                        core::format_double(options.ess_fraction), options.max_moves,
                        core::format_double(options.move_probability));
  }
  meta += "\n[ensemble.prior]\n";
  for (const auto& p : r.prior) {
    meta += fmt::format("{} = {{ lower = {}, upper = {}, scale = \"{}\" }}\n", p.name,
                        core::format_double(p.lower), core::format_double(p.upper),
                        p.log_scale ? "log-uniform" : "uniform");
  }
  std::vector<double> temperature, ess, acceptance, moves, unique, evaluations;
  for (const auto& s : r.steps) {
    temperature.push_back(s.temperature);
    ess.push_back(s.ess);
    acceptance.push_back(s.acceptance);
    moves.push_back(s.moves);
    unique.push_back(static_cast<double>(s.unique));
    evaluations.push_back(static_cast<double>(s.evaluations));
  }
  meta += fmt::format(
      "\n[ensemble.diagnostics]\nlog_evidence = {}\nevaluations = {}\nsteps = {}\n"
      "temperature = {}\ness = {}\nacceptance = {}\nmoves = {}\nunique = {}\nstep_evaluations = "
      "{}\n",
      core::format_double(r.log_evidence), r.evaluations, r.steps.size(), toml_array(temperature),
      toml_array(ess), toml_array(acceptance), toml_array(moves), toml_array(unique),
      toml_array(evaluations));
  return ensemble_to_toml(e, meta);
}

}  // namespace il2sim::calibration
