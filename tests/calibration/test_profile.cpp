// Profile likelihoods (calibration/profile.hpp): the grid and the 95 % interval from the deviance,
// against closed forms.
#include <gtest/gtest.h>

#include <cmath>

#include "calibration/profile.hpp"

namespace il2sim::calibration {
namespace {

Profile quadratic_profile(double centre) {
  Profile p;
  for (int k = 0; k <= 10; ++k) {
    const double x = k;
    p.points.push_back({x, 0.0, (x - centre) * (x - centre), {}, 0, 0, 0, ""});
  }
  return p;
}

}  // namespace

// Log-spaced when the range spans more than 10x (10^-5, 10^-4, ..., 10^-1), linear otherwise; the
// ends exactly.
TEST(Profile, GridIsLogSpacedOverWideRanges) {
  const auto g = profile_grid({"kN", 1e-5, 1e-1, true}, 5);
  ASSERT_EQ(g.size(), 5U);
  EXPECT_EQ(g.front(), 1e-5);
  EXPECT_EQ(g.back(), 1e-1);
  EXPECT_NEAR(g[2], 1e-3, 1e-15);
  const auto lin = profile_grid({"x", 1.0, 2.0, false}, 3);
  EXPECT_EQ(lin, (std::vector<double>{1.0, 1.5, 2.0}));
}

// Deviance (x − 5)² on the grid 0, 1, ..., 10: it crosses 3.841459 between 3 (deviance 4) and
// 4 (1), at 4 − (3.841459 − 1)/3 = 3.052847 by linear interpolation, and symmetrically at
// 6.947153 (closed form of the interpolation; the exact crossing is 5 ∓ 1.959964).
TEST(Profile, IntervalInterpolatesTheDevianceCrossing) {
  auto p = quadratic_profile(5.0);
  profile_interval(p);
  const double d = (kChiSquare1At95 - 1.0) / 3.0;
  EXPECT_NEAR(p.ci_lower, 4.0 - d, 1e-12);
  EXPECT_NEAR(p.ci_upper, 6.0 + d, 1e-12);
  EXPECT_FALSE(p.lower_open);
  EXPECT_FALSE(p.upper_open);
}

// A minimum at the grid's edge: the interval is open there (the grid's value, flagged).
TEST(Profile, IntervalIsOpenWhereTheDevianceStaysBelowAtTheEdge) {
  auto p = quadratic_profile(0.0);
  profile_interval(p);
  EXPECT_TRUE(p.lower_open);
  EXPECT_EQ(p.ci_lower, 0.0);
  EXPECT_FALSE(p.upper_open);
  EXPECT_NEAR(p.ci_upper, 1.0 + (kChiSquare1At95 - 1.0) / 3.0, 1e-12);
}

}  // namespace il2sim::calibration
