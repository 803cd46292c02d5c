#include <cmath>

#include <gtest/gtest.h>

#include "design/schoenfeld.hpp"

namespace il2sim::design {
namespace {

// Schoenfeld (1983) closed form: HR 0.7, alpha 0.05 two-sided, power 0.8, 1:1:
// (1.959964 + 0.841621)^2 / (0.25 * ln(0.7)^2) = 7.848879 / 0.0318042 = 246.79 -> 247 events.
TEST(Schoenfeld, EventsForHr07) {
  const SchoenfeldSettings s{0.7, 0.05, 2, 1.0};
  const double d = schoenfeld_events(s, 0.8);
  EXPECT_NEAR(d, 246.79, 0.01);
  EXPECT_EQ(std::ceil(d), 247.0);
}

// 2:1 allocation: pi (1 - pi) = 2/9 instead of 1/4, so 9/8 as many events: 246.79 * 1.125 = 277.64.
TEST(Schoenfeld, UnequalAllocationNeedsMoreEvents) {
  const SchoenfeldSettings s{0.7, 0.05, 2, 2.0};
  EXPECT_NEAR(schoenfeld_events(s, 0.8), 246.79 * 1.125, 0.02);
}

// Power is the inverse of the events formula (same closed form solved for z_{1-beta}).
TEST(Schoenfeld, PowerInvertsEvents) {
  const SchoenfeldSettings s{0.6, 0.025, 1, 1.0};
  EXPECT_NEAR(schoenfeld_power(s, schoenfeld_events(s, 0.9)), 0.9, 1e-12);
}

}  // namespace
}  // namespace il2sim::design
