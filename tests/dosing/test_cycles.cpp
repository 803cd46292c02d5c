// Cycles (regimens v2): the expansion of the three cycle regimens of issue 13, per-cycle doses,
// and custom products. Every expected value is hand arithmetic stated next to it.
#include <gtest/gtest.h>

#include "dosing/regimen.hpp"

namespace il2sim::dosing {
namespace {

Phase civ(std::string name, double dose, double days) {
  return {std::move(name), PhaseRole::kOther, Route::kCiv, dose, DoseUnit::kPerM2PerDay, days};
}

Phase sc_daily(std::string name, double dose, double days) {
  Phase p{std::move(name), PhaseRole::kOther, Route::kSc, dose, DoseUnit::kPerDay, days};
  p.interval_hours = 24.0;
  return p;
}

// Design 1: a 5-day high-dose CIV course, then four 2-day courses, each after a 10-day rest:
// phases [induction 5 d, rest 10 d, course 2 d], repeat {phases = [rest, course], times = 4}.
TEST(Cycles, HighDoseCourseThenFourTwoDayCourses) {
  Regimen r{"aml",
            Product::kChiron,
            {civ("induction", 9e6, 5), civ("rest", 0, 10), civ("course", 9e6, 2)}};
  r.repeats.push_back({1, 2, 4, 0.0, {}});
  const auto records = expand(r, 0.0, {2.0, 70.0}, 3.0);
  // One induction infusion and four course infusions.
  ASSERT_EQ(records.size(), 5U);
  EXPECT_DOUBLE_EQ(records[0].time, 0.0);
  EXPECT_DOUBLE_EQ(records[0].duration, 5.0);
  EXPECT_DOUBLE_EQ(records[0].rate_iu_per_day, 9e6 * 2.0);  // dose × BSA
  EXPECT_EQ(records[0].cycle, 0);                           // outside the cycle
  for (int k = 1; k <= 4; ++k) {
    const auto& c = records[static_cast<std::size_t>(k)];
    // Course k starts after the induction (5 d) and k rests (10 d) and k - 1 courses (2 d):
    // 5 + 10k + 2(k - 1) = 12k + 3, i.e. days 15, 27, 39, 51.
    EXPECT_DOUBLE_EQ(c.time, 12.0 * k + 3.0);
    EXPECT_DOUBLE_EQ(c.duration, 2.0);
    EXPECT_EQ(c.phase_index, 2U);
    EXPECT_EQ(c.cycle, k);
    // Instances: induction 0, then (rest, course) pairs: course k is instance 2k.
    EXPECT_EQ(c.instance, static_cast<std::size_t>(2 * k));
  }
  // 5 + 4 × (10 + 2) = 53 days.
  EXPECT_DOUBLE_EQ(r.total_days(), 53.0);
}

// Design 2: low-dose SC daily with five intermittent high-dose SC pulses over 90 days: phases
// [pulse 5 d of 10 MU, low 13 d of 1 MU], every 24 h, repeat {phases = [pulse, low], times = 5}.
TEST(Cycles, LowDoseScWithFiveHighDosePulses) {
  Regimen r{"aml_sc", Product::kChiron, {sc_daily("pulse", 1e7, 5), sc_daily("low", 1e6, 13)}};
  r.repeats.push_back({0, 2, 5, 0.0, {}});
  const auto records = expand(r, 30.0, {1.8, 70.0}, 3.0);
  // 5 × (5 + 13) = 90 daily injections, one a day from day 30.
  ASSERT_EQ(records.size(), 90U);
  double pulse_iu = 0.0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_DOUBLE_EQ(records[i].time, 30.0 + static_cast<double>(i));
    EXPECT_EQ(records[i].compartment, Compartment::kDepot);
    EXPECT_EQ(records[i].cycle, static_cast<int>(i / 18) + 1);  // 18 days a cycle
    const bool pulse = i % 18 < 5;
    EXPECT_DOUBLE_EQ(records[i].amount_iu, pulse ? 1e7 : 1e6) << i;
    if (pulse) pulse_iu += records[i].amount_iu;
  }
  EXPECT_DOUBLE_EQ(pulse_iu, 5 * 5 * 1e7);  // five pulses of five days
  EXPECT_DOUBLE_EQ(r.total_days(), 90.0);
}

// Design 3: monthly 5-day SC cycles for 12 months: one phase [cycle 5 d, daily], repeat
// {phases = [cycle], times = 12, every_days = 28}; with cycle_doses the first six cycles give
// 5 MU and the last six 2.5 MU.
TEST(Cycles, MonthlyFiveDayScCyclesWithPerCycleDoses) {
  Regimen r{"monthly", Product::kChiron, {sc_daily("cycle", 5e6, 5)}};
  std::vector<double> doses(12, 5e6);
  for (std::size_t k = 6; k < 12; ++k) doses[k] = 2.5e6;
  r.repeats.push_back({0, 1, 12, 28.0, doses});
  const auto records = expand(r, 0.0, {1.8, 70.0}, 3.0);
  ASSERT_EQ(records.size(), 60U);  // 12 cycles × 5 injections
  double total = 0.0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto cycle = i / 5;
    // Cycle c (0-based) starts on day 28c; injection j of it on day 28c + j.
    EXPECT_DOUBLE_EQ(records[i].time,
                     28.0 * static_cast<double>(cycle) + static_cast<double>(i % 5));
    EXPECT_EQ(records[i].cycle, static_cast<int>(cycle) + 1);
    EXPECT_EQ(records[i].instance, cycle);
    total += records[i].amount_iu;
  }
  EXPECT_DOUBLE_EQ(records[29].amount_iu, 5e6);    // cycle 6
  EXPECT_DOUBLE_EQ(records[30].amount_iu, 2.5e6);  // cycle 7
  EXPECT_DOUBLE_EQ(total, 6 * 5 * 5e6 + 6 * 5 * 2.5e6);
  // 11 periods of 28 days, then the last 5-day cycle (no gap after it): 313 days.
  EXPECT_DOUBLE_EQ(r.total_days(), 11 * 28.0 + 5.0);
  const auto instances = schedule(r, 0.0);
  ASSERT_EQ(instances.size(), 12U);
  EXPECT_DOUBLE_EQ(instances[11].start, 308.0);
  EXPECT_DOUBLE_EQ(instances[11].dose, 2.5e6);
}

// A regimen without cycles: one instance per phase, cycle 0 (version-1 regimens unchanged).
TEST(Cycles, NoRepeatOneInstancePerPhase) {
  Regimen r{"plain",
            Product::kChiron,
            {civ("induction", 9e6, 4), civ("rest", 0, 4), civ("maintenance", 1.6e6, 10)}};
  const auto records = expand(r, 46.0, {1.8, 70.0}, 3.0);
  ASSERT_EQ(records.size(), 2U);
  EXPECT_EQ(records[1].instance, 2U);
  EXPECT_EQ(records[1].phase_index, 2U);
  EXPECT_EQ(records[1].cycle, 0);
  EXPECT_DOUBLE_EQ(r.total_days(), 18.0);  // 4 + 4 + 10
}

// A custom product: potency X Chiron IU per unit multiplies the dose exactly as the built-ins'
// (closed form: 4e6 U/m²/day × 2.5 IU/U × 2 m² = 2e7 IU/day).
TEST(Cycles, CustomProductPotency) {
  const Product p = Product::custom("biosimilar", 2.5);
  EXPECT_EQ(to_string(p), "biosimilar");
  EXPECT_DOUBLE_EQ(potency(p, 3.0), 2.5);
  Regimen r{"custom", p, {civ("induction", 4e6, 5)}};
  const auto records = expand(r, 0.0, {2.0, 70.0}, 3.0);
  ASSERT_EQ(records.size(), 1U);
  EXPECT_DOUBLE_EQ(records[0].rate_iu_per_day, 2e7);
  // The built-ins keep their names and potencies.
  EXPECT_EQ(to_string(Product(Product::kRoche)), "roche");
  EXPECT_DOUBLE_EQ(potency(Product::kCetus, 3.0), 6.0);
}

}  // namespace
}  // namespace il2sim::dosing
