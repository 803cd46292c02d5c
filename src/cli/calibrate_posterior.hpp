#pragma once
/// @file calibrate_posterior.hpp
/// `il2sim calibrate --posterior abc-smc|prior` (docs/posterior.md): the posterior ensemble of
/// chosen parameters given the calibration targets, or the prior ensemble with its prior predictive
/// check.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace il2sim::cli {

struct PosteriorArgs {
  std::string method;    ///< "abc-smc" or "prior"
  std::string scenario;  ///< values of the parameters not sampled (default: the shipped defaults)
  std::string targets;   ///< targets file (default: the shipped one)
  std::string plan;  ///< plan whose [priors] centre the default prior (default: the shipped one)
  std::vector<std::string> parameters;  ///< default: the parameters of the plan's `disease` fit
  std::vector<std::string> only;    ///< default: the targets of the plan's fits of those parameters
  std::vector<std::string> priors;  ///< NAME=LO:HI overrides
  double prior_factor = 4.0;
  std::size_t particles = 200;
  std::optional<int> max_moves;       ///< abc-smc only; default 8
  std::optional<std::uint64_t> seed;  ///< default 1
  unsigned threads = 1;
  double patients_scale = 1.0;
  std::string out;
  bool force = false;
  bool json = false;
};

/// Runs it and writes DIR/posterior.toml (prior: DIR/prior.toml) and
/// DIR/posterior-report.{md,json}.
/// @throws UserError (exit 2, nothing written) for any setting it cannot honour.
void run_posterior(const PosteriorArgs& a);

}  // namespace il2sim::cli
