#pragma once
/// @file evaluate.hpp
/// Evaluation of calibration targets by simulation with common random numbers: every evaluation
/// simulates the same virtual patients (ids 1..N of replicate 0 under the targets file's seed) of
/// each experiment, so the objective is a deterministic function of the parameters. Experiments
/// shared by several targets are simulated once; (experiment, patient) work items run in parallel.

#include <string>
#include <utility>
#include <vector>

#include "calibration/targets.hpp"
#include "model/parameters.hpp"
#include "model/structure.hpp"

namespace il2sim::calibration {

/// Parameter values that replace the scenario's, for one evaluation.
using ParameterPatch = std::vector<std::pair<model::ParamId, double>>;

struct TargetResult {
  std::string id;
  double simulated = 0.0;  ///< NaN when no virtual patient contributed
  double mc_se = 0.0;      ///< Monte Carlo standard error (0 for deterministic statistics)
  double ci_lower = 0.0, ci_upper = 0.0;  ///< 95 % Monte Carlo interval
  int n = 0;                              ///< virtual patients contributing
  double lower = 0.0, upper = 0.0;        ///< the target's range
  bool in_range = false;
  bool precise = false;  ///< Monte Carlo SE < 1/4 of the range (calibration-targets.md)
  bool met = false;      ///< in range and precise; never for informational targets
  bool informational = false;
  double distance = 0.0;  ///< standardized distance outside the range (0 inside)
};

struct Evaluation {
  std::vector<TargetResult> targets;  ///< in the order of the targets file (selection only)
  double met_fraction = 0.0;          ///< met / counted (informational targets excluded)
  int met = 0, counted = 0;
  double objective = 0.0;  ///< Σ weight · aiming_distance² (ranges shrunk by kAimInside)
};

struct EvaluationOptions {
  unsigned threads = 1;
  double patients_scale = 1.0;    ///< multiplies every experiment's number of patients
  std::vector<std::string> only;  ///< target ids to evaluate (empty: all)
  /// The structural variant every experiment is simulated under (replaces its scenario's [model]).
  model::Structure structure{};
};

/// Standardized distance of `value` outside [lower, upper]: the distance divided by the range's
/// half-width (one-sided ranges: half the finite bound, at least 0.05), 0 inside; +inf for NaN.
[[nodiscard]] double standardized_distance(double value, double lower, double upper);

/// The objective aims a little inside each range, so that a fit does not stop on a boundary where
/// the least change (another seed, a rounding of the fitted value) leaves the target unmet: its
/// distance is measured to the range shrunk by this fraction of the half-width at each finite end.
inline constexpr double kAimInside = 0.1;
/// standardized_distance() to the range shrunk by kAimInside (the objective's term); 0 well inside.
[[nodiscard]] double aiming_distance(double value, double lower, double upper);

/// Refuses (UserError naming `option`, exit 2) a parameter `structure` does not read: fitting,
/// sampling or patching it would move nothing. The one check of `calibrate`'s options and of
/// Evaluator::evaluate.
void check_reads(const model::Structure& structure, const std::vector<model::ParamId>& ids,
                 const std::string& option);
/// The same for the parameters a patch (or a plan's priors or start) names.
void check_reads(const model::Structure& structure, const ParameterPatch& values,
                 const std::string& option);

class Evaluator {
 public:
  /// @throws UserError for an unknown id in `options.only` or a scenario that cannot be loaded.
  Evaluator(TargetSet targets, EvaluationOptions options);
  /// Evaluates the selected targets with the scenarios' parameters changed by `patch`.
  /// @throws UserError for a patched parameter that options.structure does not read.
  [[nodiscard]] Evaluation evaluate(const ParameterPatch& patch) const;
  [[nodiscard]] const TargetSet& targets() const { return set_; }
  [[nodiscard]] const std::vector<std::size_t>& selected() const { return selected_; }
  [[nodiscard]] const model::Structure& structure() const { return options_.structure; }
  [[nodiscard]] double patients_scale() const { return options_.patients_scale; }

 private:
  TargetSet set_;
  EvaluationOptions options_;
  std::vector<std::size_t> selected_;  ///< indices into set_.targets
};

}  // namespace il2sim::calibration
