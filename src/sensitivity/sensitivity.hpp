#pragma once
/// @file sensitivity.hpp
/// Global sensitivity analysis of a function on the unit cube [0, 1]^k with vector values, knowing
/// nothing of the model or of trials (docs/sensitivity.md): the sample designs (Saltelli 2010's
/// A, B, AB_i matrices from a Sobol' sequence; Morris 1991 trajectories) and the estimators
/// (Saltelli 2010 first-order with f(B) centred, Jansen 1999 total, Morris/Campolongo 2007 mu,
/// mu*, sigma) with bootstrap percentile intervals. A caller evaluates the design's points however
/// it likes (the CLI runs trials in parallel) and hands back the values of one output at every
/// point, in order.
///
/// Missing values: a non-finite value drops its whole row (Sobol: A_j, B_j and every AB_i,j) or
/// trajectory (Morris); the results say how many were dropped. Never averaged.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <vector>

namespace il2sim::sensitivity {

/// An index that cannot be estimated (e.g. sigma from one elementary effect).
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// An estimate with its 95 % bootstrap percentile interval (NaN bounds when there are fewer than
/// two rows or trajectories to resample).
struct Interval {
  double estimate = 0.0;
  double lower = 0.0;
  double upper = 0.0;
};

/// A point of the unit cube.
using Point = std::vector<double>;

// ---- Sobol' indices (Saltelli et al. 2010, Computer Physics Communications 181:259-270) --------

/// The Saltelli 2010 design: rows j = 0..n-1 of A and B are the first and last k coordinates of
/// point j of the 2k-dimensional Sobol' sequence (Boost's, which starts at (1/2, ..., 1/2): the
/// origin of the textbook sequence is not drawn), and
/// AB_i is A with column i from B. The points are ordered row by row: point j(k+2) is A_j,
/// j(k+2) + 1 is B_j and j(k+2) + 2 + i is AB_i,j; n(k+2) points in all. Requires 1 <= k <= 1000.
[[nodiscard]] std::vector<Point> sobol_design(std::size_t k, std::size_t n);

struct SobolResult {
  double mean = 0.0;         ///< of f over the rows of A and B used
  double variance = 0.0;     ///< V: population variance of f over the rows of A and B used
  std::vector<Interval> s1;  ///< first order, mean((f_B - mean) (f_ABi - f_A)) / V (Saltelli 2010,
                             ///< f_B centred as Sobol' 2001 advises)
  std::vector<Interval> st;  ///< total, mean((f_A - f_ABi)^2) / (2V) (Jansen 1999)
  std::size_t rows_used = 0;
  std::size_t rows_dropped = 0;  ///< rows with a non-finite value
};

/// The indices of one output from its values `f` at the points of sobol_design(k, n), in order.
/// The intervals are 95 % percentile intervals of `resamples` bootstrap resamples of the rows
/// (Efron & Tibshirani 1993), drawn from the stream (seed, 0, 0, Purpose::kSensitivityBootstrap).
/// With V = 0 (a constant output) every index is NaN.
[[nodiscard]] SobolResult sobol_indices(std::span<const double> f, std::size_t k, std::size_t n,
                                        std::uint64_t seed, std::size_t resamples = 1000);

// ---- Elementary effects (Morris 1991, Technometrics 33:161-174; Campolongo et al. 2007) --------

/// r trajectories on a grid of `levels` levels {0, 1/(P-1), ..., 1} with the step
/// delta = P / (2(P-1)): each starts at a random grid point from which every factor can move by
/// delta in a random direction, then moves one factor at a time in a random order. Trajectory t is
/// points t(k+1) .. t(k+1) + k; step m (1..k) moves factor `factor[t k + m - 1]` by
/// `step[t k + m - 1]` (+delta or -delta). Draws from (seed, 0, 0, Purpose::kSensitivityMorris).
struct MorrisDesign {
  std::size_t k = 0;
  std::size_t trajectories = 0;
  int levels = 0;
  double delta = 0.0;
  std::vector<Point> points;
  std::vector<std::size_t> factor;
  std::vector<double> step;
};

/// Requires k >= 1, r >= 1 and an even levels >= 2 (for an odd P the step is not a whole number of
/// grid intervals).
[[nodiscard]] MorrisDesign morris_design(std::size_t k, std::size_t r, int levels,
                                         std::uint64_t seed);

struct MorrisResult {
  std::vector<Interval> mu;       ///< mean elementary effect (unit-cube units: per whole range)
  std::vector<Interval> mu_star;  ///< mean absolute elementary effect (Campolongo et al. 2007)
  std::vector<Interval> sigma;    ///< standard deviation (n - 1) of the elementary effects
  std::size_t trajectories_used = 0;
  std::size_t trajectories_dropped = 0;  ///< trajectories with a non-finite value
};

/// mu, mu*, sigma of one output from its values at the design's points, in order; intervals from
/// `resamples` bootstrap resamples of the trajectories (seed, 0, 0, kSensitivityBootstrap).
[[nodiscard]] MorrisResult morris_indices(const MorrisDesign& design, std::span<const double> f,
                                          std::uint64_t seed, std::size_t resamples = 1000);

// ---- Helpers ---------------------------------------------------------------------------------

/// The values of output `output` of `f` at every point (for tests and small callers).
[[nodiscard]] std::vector<double> evaluate(
    const std::vector<Point>& points, const std::function<std::vector<double>(const Point&)>& f,
    std::size_t output = 0);

/// The 95 % percentile interval (R's type-7 quantiles at 0.025 and 0.975) of `values`.
void percentile_interval(std::vector<double> values, Interval& into);

}  // namespace il2sim::sensitivity
