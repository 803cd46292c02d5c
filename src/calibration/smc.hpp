#pragma once
/// @file smc.hpp
/// ABC-SMC with a noise-model kernel (Wilkinson 2013, Stat. Appl. Genet. Mol. Biol. 12:129): the
/// acceptance kernel is the targets' error model itself, so the kernel exp(φ · ℓ(θ)) at φ = 1 is
/// the likelihood and the sampler's last population is the exact posterior under that model; the
/// tolerance schedule is a tempering sequence 0 = φ_0 < φ_1 < … < φ_T = 1 (ε_t = 1/√φ_t) chosen
/// adaptively so that each step keeps an effective sample size of `ess_fraction` · N (Del Moral,
/// Doucet & Jasra 2012, Stat. Comput. 22:1009), each followed by multinomial-free systematic
/// resampling and random-walk Metropolis moves with the particles' own covariance (Chopin 2002,
/// Biometrika 89:539). Knows nothing of the model: it samples a box-bounded prior (uniform or
/// log-uniform per coordinate) against any log-likelihood, which makes it testable on problems with
/// a closed-form posterior (tests/calibration/test_smc.cpp).
///
/// Every random draw comes from the counter-based stream (seed, step, particle,
/// Purpose::kPosterior), and the log-likelihood is called in a fixed order, so the result is a pure
/// function of the seed and of the log-likelihood.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace il2sim::calibration {

/// One coordinate of the prior: uniform on [lower, upper], or log-uniform when log_scale.
struct PriorRange {
  std::string name;
  double lower = 0.0, upper = 1.0;
  bool log_scale = false;
};

/// Whether a parameter's range [lower, upper] is sampled on a log scale: above 0 and spanning more
/// than a factor of 10 (the rule of the posterior's priors and of `sensitivity`'s ranges).
[[nodiscard]] inline bool log_scale_range(double lower, double upper) {
  return lower > 0.0 && upper / lower > 10.0;
}

/// What the log-likelihood returns for one parameter set.
struct LikelihoodDraw {
  double log_likelihood = 0.0;  ///< may be -inf (an impossible set); NaN is treated as -inf
  std::vector<double> outputs;  ///< the simulated statistics, kept for posterior predictive checks
};

using LogLikelihood = std::function<LikelihoodDraw(const std::vector<double>& theta)>;

struct SmcOptions {
  std::size_t particles = 200;
  double ess_fraction = 0.5;  ///< each tempering step keeps ESS = ess_fraction · particles
  int max_moves = 8;          ///< Metropolis moves per particle and step, at most
  /// Moves continue until a particle has moved at least once with this probability, given the
  /// step's first-move acceptance rate a: R = ceil(log(1 − p) / log(1 − a)) (Drovandi & Pettitt
  /// 2011, Biometrics 67:225), between 1 and max_moves.
  double move_probability = 0.95;
  int max_steps = 100;  ///< tempering steps, at most (a run that needs more is refused)
  std::uint64_t seed = 1;
  /// Particles evaluated in parallel (the log-likelihood must then be thread-safe); the result does
  /// not depend on it.
  unsigned threads = 1;
};

/// One tempering step's diagnostics.
struct SmcStep {
  int step = 0;              ///< 1-based
  double temperature = 0.0;  ///< φ after the step
  double ess = 0.0;  ///< effective sample size of the reweighted particles, before resampling
  double log_evidence_increment = 0.0;  ///< log mean of exp((φ_t − φ_{t−1}) ℓ)
  int moves = 0;                        ///< Metropolis moves per particle
  double acceptance = 0.0;              ///< share of proposals accepted over those moves
  std::size_t unique = 0;               ///< distinct particles after the moves
  long evaluations = 0;                 ///< log-likelihood calls of the step
};

struct SmcResult {
  std::vector<PriorRange> prior;
  std::vector<std::vector<double>> particles;  ///< N sets, natural units, equally weighted
  std::vector<LikelihoodDraw> draws;           ///< each particle's log-likelihood and outputs
  std::vector<SmcStep> steps;
  double log_evidence = 0.0;  ///< log marginal likelihood, Σ of the steps' increments
  long evaluations = 0;       ///< log-likelihood calls in all (prior sample included)
};

/// Draws `options.particles` sets from the prior only (no likelihood): the prior ensemble.
[[nodiscard]] std::vector<std::vector<double>> sample_prior(const std::vector<PriorRange>& prior,
                                                            std::size_t particles,
                                                            std::uint64_t seed);

/// The prior ensemble with its prior predictive draws: sample_prior's sets, each evaluated by
/// `log_likelihood` (on `threads` threads) for its outputs; no steps, log_evidence 0.
[[nodiscard]] SmcResult prior_predictive(const std::vector<PriorRange>& prior,
                                         const LogLikelihood& log_likelihood, std::size_t particles,
                                         std::uint64_t seed, unsigned threads);

/// Runs the sampler. `on_step` (optional) is called after every step.
/// @throws UserError when every prior particle has log-likelihood -inf, or the tempering needs more
/// than max_steps steps.
[[nodiscard]] SmcResult abc_smc(const std::vector<PriorRange>& prior,
                                const LogLikelihood& log_likelihood, const SmcOptions& options,
                                const std::function<void(const SmcStep&)>& on_step = {});

}  // namespace il2sim::calibration
