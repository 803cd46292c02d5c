#pragma once
/// @file posterior.hpp
/// The posterior of chosen model parameters given the calibration targets (`il2sim calibrate
/// --posterior`, docs/posterior.md): the targets' likelihood, the prior, the ABC-SMC run (smc.hpp)
/// over the target evaluator (evaluate.hpp), and its summaries — the parameters' posterior
/// quantiles and each target's posterior predictive interval against its range. The posterior is
/// written as an ensemble file (ensemble.hpp) that `il2sim run --ensemble` reads.

#include <string>
#include <vector>

#include "calibration/ensemble.hpp"
#include "calibration/evaluate.hpp"
#include "calibration/likelihood.hpp"
#include "calibration/smc.hpp"

namespace il2sim::calibration {

/// The default prior of a parameter: log-uniform over centre ×/÷ factor (uniform when the range so
/// clipped spans a factor of 10 or less), clipped to the parameter table's bounds. `centre` is the
/// value before calibration (the plan's [priors]) or else the scenario's value.
/// @throws UserError (naming `--parameters`) when the clipped range is empty.
[[nodiscard]] PriorRange default_prior(model::ParamId id, double centre, double factor);

/// The prior of a parameter over [lower, upper] (given with --prior), by the same scale rule.
[[nodiscard]] PriorRange range_prior(model::ParamId id, double lower, double upper);

/// One parameter's posterior summary.
struct ParameterSummary {
  std::string name;
  PriorRange prior;
  double q05 = 0.0, median = 0.0, q95 = 0.0;
};

/// One target's posterior predictive check: the simulated statistic over the particles.
struct PredictiveCheck {
  std::string id;
  double lower = 0.0, upper = 0.0;  ///< the target's range
  double q05 = 0.0, median = 0.0, q95 = 0.0;
  double share_in_range = 0.0;  ///< particles whose statistic lies in the range
  bool informational = false;
};

struct PosteriorSummary {
  std::vector<ParameterSummary> parameters;
  std::vector<PredictiveCheck> checks;
};

/// The log-likelihood the sampler calls: evaluates the targets with `fixed` and θ (the values of
/// `ids`), scores them by `likelihood`, and keeps each selected target's simulated statistic as
/// the draw's outputs. Thread-safe.
[[nodiscard]] LogLikelihood target_likelihood(const Evaluator& evaluator, ParameterPatch fixed,
                                              const std::vector<model::ParamId>& ids,
                                              Likelihood likelihood);

/// The summaries of a sampler's result (outputs in the evaluator's selected-target order).
[[nodiscard]] PosteriorSummary summarize(const SmcResult& r, const Evaluator& evaluator);

/// The posterior as an ensemble (every particle a set of weight 1, with the evaluator's model) and
/// the metadata lines of its
/// [ensemble] table: seed, particles, targets, the prior, the steps' diagnostics, the evidence.
[[nodiscard]] std::string posterior_toml(const SmcResult& r, const std::vector<model::ParamId>& ids,
                                         const std::string& method, const SmcOptions& options,
                                         const Evaluator& evaluator, Likelihood likelihood);

}  // namespace il2sim::calibration
