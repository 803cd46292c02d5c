#pragma once
/// @file cuminc.hpp
/// Competing risks as R's `cmprsk::cuminc` (Gray 1988): the cumulative incidence of each cause by
/// group (Aalen-Johansen) with its variance, reported at the corners of the step function exactly
/// as cuminc reports them, and Gray's k-sample test of equal cumulative incidence per cause.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "survival/data.hpp"

namespace il2sim::survival {

/// One cause in one group. `time` starts at 0, lists every time with an event of this cause twice
/// (before and after the jump) and ends at the group's largest follow-up time.
struct CumincCurve {
  std::string group;
  std::string cause;
  std::vector<double> time, estimate, variance;
};

/// Gray's test for one cause. `stat` and `p` are empty when the score variance is singular
/// (cuminc then reports -1).
struct GrayTest {
  std::string cause;
  std::optional<double> stat, p;
  int df = 0;
};

struct CumincResult {
  std::vector<CumincCurve> curves;  ///< cause-major, then group, as cuminc
  std::vector<GrayTest> tests;      ///< one per cause, only with more than one group
};

/// @param status  per observation: -1 censored, otherwise the 0-based index into `causes`
/// @param causes  cause labels in cuminc's order (sorted)
/// @param group   groups compared; @param strata strata of Gray's test; @param rho its weight
/// exponent
[[nodiscard]] CumincResult cuminc(std::span<const double> time, std::span<const int> status,
                                  const std::vector<std::string>& causes, const Factor& group,
                                  const Factor& strata, double rho);

}  // namespace il2sim::survival
