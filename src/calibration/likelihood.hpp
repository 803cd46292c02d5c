#pragma once
/// @file likelihood.hpp
/// The likelihoods of the calibration targets that `il2sim calibrate --posterior` and `--profile`
/// read (docs/posterior.md): the range error model, and the binomial likelihood of the sources'
/// data weighted by their sample sizes (issue 14). One table names them, for the option, the
/// posterior file and the docs.

#include <string>
#include <string_view>
#include <vector>

#include "calibration/evaluate.hpp"
#include "calibration/targets.hpp"

namespace il2sim::calibration {

enum class Likelihood {
  /// Every target's range is the central 95 % of an error model flat inside the range and Gaussian
  /// outside with SD = half-width / 1.959964: −½ · (1.959964 · standardized_distance)², 0 inside.
  kRange,
  /// A target with evidence (targets.hpp, Evidence) by the sampling distribution of its source's
  /// data given the simulated value: binomial for a proportion, Poisson for a rate, each relative
  /// to its maximum (0 when the simulation reproduces the source's estimate) and tempered by the
  /// simulation's own Monte Carlo error (binomial_log_likelihood). Targets without evidence by the
  /// range error model.
  kBinomial
};

struct LikelihoodInfo {
  Likelihood id;
  std::string_view name;         ///< the value of --likelihood
  std::string_view description;  ///< one line, written into posterior.toml
};
[[nodiscard]] const std::vector<LikelihoodInfo>& likelihoods();
[[nodiscard]] const LikelihoodInfo& likelihood_info(Likelihood l);
/// @throws UserError naming `option`, the value and the names allowed.
[[nodiscard]] Likelihood parse_likelihood(std::string_view name, const std::string& option);

/// The log-likelihood of evidence `e` (a proportion or a rate observed among e.patients) when the
/// simulation gives `simulated` from `virtual_patients` with Monte Carlo SE `mc_se`:
///     w · N · [q·log(p/q) + (1−q)·log((1−p)/(1−q))]   (proportion q, simulated p)
///     w · N · [q·log(λ/q) − (λ − q)]                   (rate q, simulated λ)
/// with N = e.patients, 0·log 0 = 0, the simulated value kept at least 0.5/(virtual_patients + 1)
/// from an impossible 0 (and 1), and w = v / (v + mc_se²), v = the source's sampling variance at
/// the simulated value (p(1−p)/N, λ/N): the binomial (Poisson) likelihood whose variance is the
/// source's plus the simulation's. −∞ for a NaN simulated value.
[[nodiscard]] double evidence_log_likelihood(const Evidence& e, double simulated, double mc_se,
                                             int virtual_patients);

/// One target's log-likelihood under `l`, times the target's weight; 0 for informational targets.
[[nodiscard]] double target_log_likelihood(const TargetResult& r, const Target& t, Likelihood l);
/// Σ of target_log_likelihood over an evaluation's targets.
[[nodiscard]] double log_likelihood(const TargetSet& set, const Evaluation& ev, Likelihood l);

}  // namespace il2sim::calibration
