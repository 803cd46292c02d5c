#pragma once
/// @file logrank.hpp
/// The G-rho family of k-sample tests (Harrington & Fleming 1982) as R's `survdiff`: rho = 0 is the
/// log-rank test, rho = 1 the Peto-Peto modification of the Gehan-Wilcoxon test. Stratified tests
/// sum observed, expected and variance over strata. O(n log n): one sort, one pass per stratum.

#include <span>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "survival/data.hpp"

namespace il2sim::survival {

struct LogrankGroup {
  std::string group;
  long n = 0;
  double observed = 0;  ///< weighted by S(t-)^rho, as survdiff's `obs`
  double expected = 0;
};

struct LogrankResult {
  double chisq = 0;
  int df = 0;
  double p = 1;
  double rho = 0;
  std::vector<LogrankGroup> groups;  ///< in level order
  Eigen::MatrixXd variance;          ///< of observed - expected, summed over strata
};

/// @param group   the groups compared (at least two levels with observations)
/// @param strata  strata (a single level for an unstratified test)
/// @param rho     weight exponent, >= 0
[[nodiscard]] LogrankResult logrank(std::span<const double> time, std::span<const int> event,
                                    const Factor& group, const Factor& strata, double rho);

}  // namespace il2sim::survival
