// The estimators of sensitivity.hpp on functions with closed-form indices: Ishigami (Ishigami &
// Homma 1990; the closed forms in Saltelli et al. 2008, "Global Sensitivity Analysis: The Primer",
// §4.9) and additive models, whose first-order and total indices are equal, and Morris on a
// linear function, whose elementary effects are its coefficients.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "sensitivity/sensitivity.hpp"

namespace il2sim::sensitivity {
namespace {

constexpr double kPi = std::numbers::pi;

/// Ishigami's function with a = 7, b = 0.1 of x uniform on [-pi, pi]^3, from the unit cube.
std::vector<double> ishigami(const Point& u) {
  const double a = 7.0, b = 0.1;
  const double x1 = -kPi + 2.0 * kPi * u[0], x2 = -kPi + 2.0 * kPi * u[1],
               x3 = -kPi + 2.0 * kPi * u[2];
  return {std::sin(x1) + a * std::sin(x2) * std::sin(x2) + b * std::pow(x3, 4) * std::sin(x1)};
}

struct IshigamiIndices {
  double v = 0.0;
  double s1[3] = {}, st[3] = {};
};

/// The closed forms (Saltelli et al. 2008, §4.9): V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8,
/// V3 = 0, V13 = b^2 pi^8 (1/18 - 1/50), V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2.
IshigamiIndices ishigami_closed_form() {
  const double a = 7.0, b = 0.1, pi4 = std::pow(kPi, 4), pi8 = std::pow(kPi, 8);
  const double v1 = 0.5 * (1.0 + b * pi4 / 5.0) * (1.0 + b * pi4 / 5.0);
  const double v2 = a * a / 8.0;
  const double v13 = b * b * pi8 * (1.0 / 18.0 - 1.0 / 50.0);
  IshigamiIndices r;
  r.v = a * a / 8.0 + b * pi4 / 5.0 + b * b * pi8 / 18.0 + 0.5;
  r.s1[0] = v1 / r.v;
  r.s1[1] = v2 / r.v;
  r.s1[2] = 0.0;
  r.st[0] = (v1 + v13) / r.v;
  r.st[1] = v2 / r.v;
  r.st[2] = v13 / r.v;
  return r;
}

TEST(Sensitivity, IshigamiClosedFormsAreThePublishedValues) {
  // Saltelli et al. 2008, Table 4.x / Ishigami & Homma 1990: S1 = 0.3139, 0.4424, 0;
  // ST = 0.5576, 0.4424, 0.2437 (to 4 decimals).
  const auto r = ishigami_closed_form();
  EXPECT_NEAR(r.s1[0], 0.3139, 5e-5);
  EXPECT_NEAR(r.s1[1], 0.4424, 5e-5);
  EXPECT_NEAR(r.st[0], 0.5576, 5e-5);
  EXPECT_NEAR(r.st[2], 0.2437, 5e-5);
}

TEST(Sensitivity, SobolIshigamiWithinBootstrapIntervals) {
  const std::size_t n = 4096;
  const auto design = sobol_design(3, n);
  ASSERT_EQ(design.size(), n * 5);
  const auto f = evaluate(design, ishigami);
  const auto est = sobol_indices(f, 3, n, 42);
  const auto exact = ishigami_closed_form();
  EXPECT_EQ(est.rows_used, n);
  EXPECT_EQ(est.rows_dropped, 0U);
  // V: the closed form within 3 % (no interval is stated for V).
  EXPECT_NEAR(est.variance, exact.v, 0.03 * exact.v);
  // The mean of f is a = 7 times E[sin^2] = 7/2 (the other terms have mean 0).
  EXPECT_NEAR(est.mean, 3.5, 0.05);
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    const auto& s1 = est.s1[static_cast<std::size_t>(i)];
    const auto& st = est.st[static_cast<std::size_t>(i)];
    EXPECT_LE(s1.lower, exact.s1[i]);
    EXPECT_GE(s1.upper, exact.s1[i]);
    EXPECT_LE(st.lower, exact.st[i]);
    EXPECT_GE(st.upper, exact.st[i]);
    // The intervals are informative, not merely wide: narrower than 0.1.
    EXPECT_LT(s1.upper - s1.lower, 0.1);
    EXPECT_LT(st.upper - st.lower, 0.1);
    EXPECT_LE(s1.lower, s1.estimate);
    EXPECT_GE(s1.upper, s1.estimate);
  }
}

// Sobol' indices do not change when a constant is added to f (they are ratios of variances). With
// f = 1000 + Ishigami (mean 1003.5 against V 13.8, as a hazard ratio near 1 against its spread in a
// trial), the first-order estimator with f(B) uncentred has noise of order 1000 / sqrt(V) times
// that of the centred one: the intervals of the centred estimator stay as narrow as without the
// shift.
TEST(Sensitivity, SobolFirstOrderIgnoresALargeMean) {
  const std::size_t n = 4096;
  const auto design = sobol_design(3, n);
  auto f = evaluate(design, ishigami);
  for (double& v : f) v += 1000.0;
  const auto est = sobol_indices(f, 3, n, 42);
  const auto exact = ishigami_closed_form();
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    const auto& s1 = est.s1[static_cast<std::size_t>(i)];
    EXPECT_LE(s1.lower, exact.s1[i]);
    EXPECT_GE(s1.upper, exact.s1[i]);
    EXPECT_LT(s1.upper - s1.lower, 0.1);
  }
}

TEST(Sensitivity, SobolAdditiveModelHasEqualFirstAndTotalIndices) {
  // f = sum c_i x_i with x_i ~ U(0, 1): Var = sum c_i^2 / 12, so S1_i = ST_i = c_i^2 / sum c^2
  // (an additive model has no interactions).
  const double c[3] = {1.0, 2.0, 3.0};
  const auto f = [&c](const Point& x) {
    return std::vector<double>{c[0] * x[0] + c[1] * x[1] + c[2] * x[2]};
  };
  const std::size_t n = 1024;
  const auto est = sobol_indices(evaluate(sobol_design(3, n), f), 3, n, 7);
  const double sum_sq = 1.0 + 4.0 + 9.0;
  EXPECT_NEAR(est.variance, sum_sq / 12.0, 0.01 * sum_sq / 12.0);
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    const double exact = c[i] * c[i] / sum_sq;
    EXPECT_LE(est.s1[i].lower, exact);
    EXPECT_GE(est.s1[i].upper, exact);
    EXPECT_LE(est.st[i].lower, exact);
    EXPECT_GE(est.st[i].upper, exact);
    EXPECT_NEAR(est.s1[i].estimate, exact, 0.02);
    EXPECT_NEAR(est.st[i].estimate, exact, 0.02);
  }
}

TEST(Sensitivity, SobolDesignStructure) {
  // AB_i is A with column i from B (Saltelli 2010, §3); every coordinate in [0, 1).
  const std::size_t k = 4, n = 16;
  const auto d = sobol_design(k, n);
  ASSERT_EQ(d.size(), n * (k + 2));
  for (std::size_t j = 0; j < n; ++j) {
    const auto& a = d[j * (k + 2)];
    const auto& b = d[j * (k + 2) + 1];
    for (std::size_t i = 0; i < k; ++i) {
      const auto& ab = d[j * (k + 2) + 2 + i];
      for (std::size_t c = 0; c < k; ++c) EXPECT_EQ(ab[c], c == i ? b[c] : a[c]);
      EXPECT_GE(a[i], 0.0);
      EXPECT_LT(a[i], 1.0);
    }
  }
  // The first point of Boost's Sobol' sequence (the origin is not drawn) is 1/2 in every
  // dimension, the second (3/4, 1/4, ...) in the first two (Bratley & Fox 1988 direction numbers).
  for (std::size_t i = 0; i < k; ++i) EXPECT_EQ(d[0][i], 0.5);
  EXPECT_EQ(d[k + 2][0], 0.75);
  EXPECT_EQ(d[k + 2][1], 0.25);
}

TEST(Sensitivity, SobolDropsRowsWithMissingValues) {
  const std::size_t k = 2, n = 64;
  const auto f = [](const Point& x) { return std::vector<double>{x[0] + 2.0 * x[1]}; };
  auto values = evaluate(sobol_design(k, n), f);
  values[3 * (k + 2) + 2] = std::numeric_limits<double>::quiet_NaN();  // AB_0 of row 3
  values[10 * (k + 2)] = std::numeric_limits<double>::infinity();      // A of row 10
  const auto est = sobol_indices(values, k, n, 1);
  EXPECT_EQ(est.rows_used, n - 2);
  EXPECT_EQ(est.rows_dropped, 2U);
  EXPECT_TRUE(std::isfinite(est.s1[0].estimate));
}

TEST(Sensitivity, MorrisLinearFunctionHasMuStarEqualToCoefficients) {
  // f = sum c_i x_i: every elementary effect of factor i is c_i (Morris 1991), so mu = c_i,
  // mu* = |c_i| and sigma = 0, up to rounding.
  const double c[4] = {1.0, -2.0, 0.5, 0.0};
  const auto f = [&c](const Point& x) {
    double s = 0.0;
    for (std::size_t i = 0; i < 4; ++i) s += c[i] * x[i];
    return std::vector<double>{s};
  };
  const auto d = morris_design(4, 10, 4, 11);
  ASSERT_EQ(d.points.size(), 10U * 5U);
  EXPECT_DOUBLE_EQ(d.delta, 4.0 / 6.0);  // P / (2 (P - 1)), P = 4
  const auto est = morris_indices(d, evaluate(d.points, f), 11);
  EXPECT_EQ(est.trajectories_used, 10U);
  for (std::size_t i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    EXPECT_NEAR(est.mu_star[i].estimate, std::abs(c[i]), 1e-12);
    EXPECT_NEAR(est.mu[i].estimate, c[i], 1e-12);
    EXPECT_NEAR(est.sigma[i].estimate, 0.0, 1e-12);
  }
}

TEST(Sensitivity, MorrisTrajectoriesMoveEachFactorOnceOnTheGrid) {
  const std::size_t k = 3, r = 20;
  const int levels = 6;
  const auto d = morris_design(k, r, levels, 5);
  for (std::size_t t = 0; t < r; ++t) {
    std::vector<int> moved(k, 0);
    for (std::size_t m = 0; m <= k; ++m) {
      for (const double x : d.points[t * (k + 1) + m]) {
        EXPECT_GE(x, -1e-15);
        EXPECT_LE(x, 1.0 + 1e-15);
        const double level = x * (levels - 1);  // a grid point is a whole level
        EXPECT_NEAR(level, std::round(level), 1e-9);
      }
    }
    for (std::size_t m = 0; m < k; ++m) ++moved[d.factor[t * k + m]];
    for (const int count : moved) EXPECT_EQ(count, 1);
  }
}

TEST(Sensitivity, MorrisNonlinearEffectsHaveSpread) {
  // f = x0^2: elementary effects vary with the start (sigma > 0), x1 has none.
  const auto f = [](const Point& x) { return std::vector<double>{x[0] * x[0] + 0.0 * x[1]}; };
  const auto d = morris_design(2, 30, 4, 3);
  const auto est = morris_indices(d, evaluate(d.points, f), 3);
  EXPECT_GT(est.sigma[0].estimate, 0.1);
  EXPECT_EQ(est.mu_star[1].estimate, 0.0);
  // With delta = 2/3 on 4 levels, an effect of x^2 is (x + delta)^2 - x^2 over delta = 2x + delta
  // for x in {0, 1/3}: 2/3 or 4/3, so mu* lies between them.
  EXPECT_GE(est.mu_star[0].estimate, 2.0 / 3.0 - 1e-12);
  EXPECT_LE(est.mu_star[0].estimate, 4.0 / 3.0 + 1e-12);
}

}  // namespace
}  // namespace il2sim::sensitivity
