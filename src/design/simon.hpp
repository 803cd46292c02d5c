#pragma once
/// @file simon.hpp
/// Simon's two-stage phase II designs (Simon 1989, Controlled Clinical Trials 10:1-10), found by an
/// exact search over all (r1, n1, r, n) with n <= n_max, as clinfun::ph2simon.
///
/// A design (r1, n1, r, n): treat n1 patients; stop for futility if at most r1 respond; otherwise
/// treat n - n1 more; the drug is promising if more than r of the n respond. Feasible when
/// P(promising | p0) <= alpha and P(promising | p1) >= 1 - beta (exact binomial, Simon's eq. 1).
/// Optimal: minimum expected sample size under p0, EN(p0) = n1 + (1 - PET(p0)) (n - n1);
/// minimax: minimum n, then minimum EN(p0) among those.

#include <optional>

namespace il2sim::design {

struct SimonDesign {
  int r1 = 0;
  int n1 = 0;
  int r = 0;
  int n = 0;
  double en_p0 = 0.0;   ///< expected sample size under p0
  double pet_p0 = 0.0;  ///< probability of early termination under p0
  double alpha = 0.0;   ///< exact type I error P(promising | p0)
  double power = 0.0;   ///< exact power P(promising | p1)
};

struct SimonResult {
  SimonDesign optimal;
  SimonDesign minimax;
};

/// P(promising | p) for a design: sum over x1 > r1 of P(X1 = x1) P(X2 > r - x1).
[[nodiscard]] double simon_reject_probability(int r1, int n1, int r, int n, double p);

/// The optimal and minimax designs, or nothing if no design with n <= n_max is feasible.
/// Requires 0 < p0 < p1 < 1, alpha and beta in (0, 1), 2 <= n_max <= 1000.
[[nodiscard]] std::optional<SimonResult> simon_designs(double p0, double p1, double alpha,
                                                       double beta, int n_max = 100);

}  // namespace il2sim::design
