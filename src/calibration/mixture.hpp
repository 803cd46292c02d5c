#pragma once
/// @file mixture.hpp
/// Structural uncertainty (docs/posterior.md "Structural variants"): ensembles calibrated under
/// different structural variants (each set with its `model = {...}`) mixed into one ensemble whose
/// sets a predictive run draws from, each component weighted by its posterior model probability
/// (Bayesian model averaging over the variants, from each component's log evidence), equally, or
/// by given weights.

#include <string>
#include <vector>

#include "calibration/ensemble.hpp"

namespace il2sim::calibration {

/// A component: an ensemble file's path and its parsed contents.
struct MixComponent {
  std::string origin;
  Ensemble ensemble;
};

/// How the components are weighted.
struct MixWeights {
  enum class Kind { kEvidence, kEqual, kGiven } kind = Kind::kEvidence;
  std::vector<double> given;  ///< kGiven: one per component, > 0 (normalised)
};

struct Mixture {
  std::vector<double> weights;       ///< each component's model probability (sum 1)
  std::vector<double> log_evidence;  ///< each component's, NaN where it records none
  std::string toml;                  ///< the mixed ensemble file, method "model-average"
};

/// Mixes the components. With Kind::kEvidence, component m has probability
/// exp(logZ_m) / Σ exp(logZ_j) (equal prior model probabilities), which needs every component to
/// be an abc-smc posterior of the same targets, targets file, seed, patients scale and likelihood.
/// Set k of component m gets weight π_m · w_k / Σ_j w_j.
/// @throws UserError naming the file: fewer than two components, a component whose sets carry no
/// `model` or several, a parameter one component samples that another's model reads but it does
/// not sample, evidences that are missing or not comparable, given weights of the wrong number or
/// not > 0.
[[nodiscard]] Mixture mix_ensembles(const std::vector<MixComponent>& components,
                                    const MixWeights& weights);

}  // namespace il2sim::calibration
