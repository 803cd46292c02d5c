#pragma once
/// @file fit.hpp
/// Fitting chosen parameters to calibration targets: a derivative-free NLopt optimizer (BOBYQA,
/// Nelder–Mead or Sbplx) in log-parameter space within the parameter table's bounds, minimising the
/// objective of evaluate.hpp (Σ weight · standardized distance to the range shrunk by kAimInside²,
/// 0 well inside) over the same virtual patients at every evaluation (common random numbers).

#include <functional>
#include <string>
#include <vector>

#include "calibration/evaluate.hpp"

namespace il2sim::calibration {

struct FitOptions {
  std::vector<model::ParamId> parameters;  ///< what is fitted
  ParameterPatch fixed;  ///< values held fixed at every evaluation (e.g. a scenario's)
  std::string algorithm = "neldermead";  ///< "bobyqa", "neldermead" or "sbplx"
  int max_evaluations = 100;
  double xtol_rel = 1e-4;     ///< relative tolerance on log-parameters
  double ftol_abs = 1e-10;    ///< absolute tolerance on the objective
  double initial_step = 0.2;  ///< in log units (0.2 ≈ ±22 %), capped by the bounds
  /// What is minimised (≥ 0; 0 stops the fit); empty: the evaluation's objective (the aiming
  /// distance above). A profile likelihood minimises −log L instead (profile.hpp).
  std::function<double(const Evaluation&)> objective;
  /// Called after every evaluation (1-based count, values, objective).
  std::function<void(int, const std::vector<double>&, double)> on_evaluation;
};

struct FitResult {
  std::vector<model::ParamId> parameters;
  std::vector<double> start, best;   ///< natural units
  std::vector<double> lower, upper;  ///< the bounds used (natural units)
  double start_objective = 0.0, objective = 0.0;
  int evaluations = 0;
  std::string algorithm;
  std::string stop_reason;  ///< NLopt's result code, in words
};

/// The names of the algorithms fit() accepts.
[[nodiscard]] const std::vector<std::string_view>& algorithm_names();

/// Fits `options.parameters` starting from `start` (the scenario's values).
/// @throws UserError for an unknown algorithm or a parameter whose bounds do not allow a log scale.
[[nodiscard]] FitResult fit(const Evaluator& evaluator, const model::ParameterSet& start,
                            const FitOptions& options);

}  // namespace il2sim::calibration
