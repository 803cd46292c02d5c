// Regimens v2 through the real clinic: a cycle regimen gives one EX row per administration on the
// cycle days, a regimen's own rules change the holds of that regimen only (max_holds, on_hold =
// "delay"), and the early-stop process stops IL-2 at its drawn time (0 changes nothing).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "clinic_fixtures.hpp"
#include "dosing/regimen.hpp"
#include "output/views.hpp"

namespace il2sim::clinic {
namespace {

using testing::default_scenario;
using testing::typical_patient;

constexpr double kHorizon = 400.0;

std::vector<ExposureSegment> segments_of(const PatientRecord& r, const std::string& phase) {
  std::vector<ExposureSegment> out;
  for (const auto& e : r.exposure) {
    if (e.phase == phase) out.push_back(e);
  }
  return out;
}

std::string ex_rows(const scenario::Scenario& s, const PatientRecord& r) {
  std::string out;
  output::append_ex(out, {s.name, 0, 0.0, "chiron"}, r);
  return out;
}

/// The default scenario with the chiron regimen copied as `name` (with `rules`) and an arm on it.
scenario::Scenario with_regimen(const std::string& name, const dosing::RuleOverrides& rules) {
  auto s = default_scenario();
  auto regimen = s.regimens.at("chiron");
  regimen.name = name;
  regimen.rules = rules;
  s.regimens[name] = regimen;
  s.arms.push_back({name, s.arms.front().cohort, name});
  return s;
}

// Three monthly 5-day SC cycles of 1 MU a day (every 28 days): 15 EX rows, one per injection, on
// days start + 28c + j (c = 0..2, j = 0..4); a low flat dose so that no hold intervenes.
TEST(RegimensV2, CycleRegimenGivesOneExRowPerInjection) {
  auto s = default_scenario();
  dosing::Phase cycle{
      "cycle", dosing::PhaseRole::kMaintenance, dosing::Route::kSc, 1e6, dosing::DoseUnit::kPerDay,
      5.0,     dosing::CareSetting::kOutpatient};
  dosing::Regimen monthly{"monthly", dosing::Product::kChiron, {cycle}};
  monthly.repeats.push_back({0, 1, 3, 28.0, {}});
  s.regimens["monthly"] = monthly;
  s.arms.push_back({"monthly", s.arms.front().cohort, "monthly"});
  const auto v = typical_patient(s);
  const auto r = simulate_patient(s, testing::arm(s, "monthly"), v, kHorizon);
  ASSERT_TRUE(r.start_day);
  const auto rows = segments_of(r, "cycle");
  ASSERT_EQ(rows.size(), 15U) << ex_rows(s, r);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double day =
        *r.start_day + 28.0 * static_cast<double>(i / 5) + static_cast<double>(i % 5);
    EXPECT_DOUBLE_EQ(rows[i].start, day) << i;
    EXPECT_DOUBLE_EQ(rows[i].end, day);
    EXPECT_EQ(rows[i].route, "sc");
    EXPECT_DOUBLE_EQ(rows[i].amount, 1e6);  // flat 1 MU, Chiron potency 1
    EXPECT_EQ(rows[i].end_reason, "given");
  }
  EXPECT_EQ(r.holds, 0);
  // IL-2 ends with the last cycle: 2 × 28 + 5 days after the start.
  ASSERT_TRUE(r.treatment_end_day);
  EXPECT_DOUBLE_EQ(*r.treatment_end_day, *r.start_day + 61.0);
}

// Design 2 of issue 13 through the clinic: [pulse 5 d of 2 MU, low 13 d of 0.5 MU], SC every 24 h,
// repeated 5 times: 5 × (5 + 13) = 90 EX rows, one a day from the start, pulses on cycle days 1-5.
// Design 1: a 5-day CIV course of 9 MU/m²/day, then four 2-day courses each after a 10-day rest:
// 5 infusion rows starting on days start, start + 12k + 3 (k = 1..4).
TEST(RegimensV2, CycleDesignsGiveTheirExRows) {
  auto s = default_scenario();
  dosing::Phase pulse{
      "pulse", dosing::PhaseRole::kOther,       dosing::Route::kSc, 2e6, dosing::DoseUnit::kPerDay,
      5.0,     dosing::CareSetting::kOutpatient};
  dosing::Phase low = pulse;
  low.name = "low";
  low.dose = 5e5;
  low.days = 13.0;
  dosing::Regimen sc{"sc", dosing::Product::kChiron, {pulse, low}};
  sc.repeats.push_back({0, 2, 5, 0.0, {}});
  dosing::Phase induction{"induction", dosing::PhaseRole::kInduction,  dosing::Route::kCiv,
                          9e6,         dosing::DoseUnit::kPerM2PerDay, 5.0};
  dosing::Phase rest{"rest", dosing::PhaseRole::kRest,       dosing::Route::kCiv,
                     0.0,    dosing::DoseUnit::kPerM2PerDay, 10.0};
  dosing::Phase course = induction;
  course.name = "course";
  course.role = dosing::PhaseRole::kConsolidation;
  course.days = 2.0;
  dosing::Regimen courses{"courses", dosing::Product::kChiron, {induction, rest, course}};
  courses.repeats.push_back({1, 2, 4, 0.0, {}});
  s.regimens["sc"] = sc;
  s.regimens["courses"] = courses;
  s.arms.push_back({"sc", s.arms.front().cohort, "sc"});
  s.arms.push_back({"courses", s.arms.front().cohort, "courses"});
  const auto v = typical_patient(s);

  const auto a = simulate_patient(s, testing::arm(s, "sc"), v, kHorizon);
  ASSERT_TRUE(a.start_day);
  ASSERT_EQ(a.holds, 0) << ex_rows(s, a);
  ASSERT_EQ(a.exposure.size(), 90U) << ex_rows(s, a);
  for (std::size_t i = 0; i < a.exposure.size(); ++i) {
    EXPECT_DOUBLE_EQ(a.exposure[i].start, *a.start_day + static_cast<double>(i));
    EXPECT_EQ(a.exposure[i].phase, i % 18 < 5 ? "pulse" : "low") << i;
  }

  const auto b = simulate_patient(s, testing::arm(s, "courses"), v, kHorizon);
  ASSERT_TRUE(b.start_day);
  ASSERT_EQ(b.holds, 0) << ex_rows(s, b);
  ASSERT_EQ(b.exposure.size(), 5U) << ex_rows(s, b);
  EXPECT_DOUBLE_EQ(b.exposure[0].start, *b.start_day);
  EXPECT_DOUBLE_EQ(b.exposure[0].end, *b.start_day + 5.0);
  for (int k = 1; k <= 4; ++k) {
    const auto& e = b.exposure[static_cast<std::size_t>(k)];
    EXPECT_EQ(e.phase, "course");
    EXPECT_DOUBLE_EQ(e.start, *b.start_day + 12.0 * k + 3.0);
    EXPECT_DOUBLE_EQ(e.end, e.start + 2.0);
  }
}

// Wmax 50 % holds the chiron regimen at grade 3 capillary leak during induction and resumes at
// half dose (test_protocol.cpp). The same regimen with rules.max_holds = 0 stops at that hold;
// the protocol's arm in the same scenario is unchanged.
TEST(RegimensV2, RuleOverrideChangesHoldsOfThatRegimenOnly) {
  dosing::RuleOverrides rules;
  rules.max_holds = 0;
  const auto s = with_regimen("strict", rules);
  auto v = typical_patient(s);
  v.parameters.Wmax = 50.0;
  const auto base = simulate_patient(s, testing::arm(s, "il2"), v, kHorizon);
  const auto strict = simulate_patient(s, testing::arm(s, "strict"), v, kHorizon);
  EXPECT_EQ(base.holds, 1);
  EXPECT_EQ(base.stop, StopReason::kNone);
  EXPECT_EQ(strict.holds, 1);
  EXPECT_EQ(strict.stop, StopReason::kSecondHold);
  // The stop happens where the protocol's arm was held.
  const auto held = segments_of(base, "induction");
  ASSERT_FALSE(held.empty());
  ASSERT_TRUE(strict.stop_day);
  EXPECT_DOUBLE_EQ(*strict.stop_day, held.front().end);
  EXPECT_TRUE(segments_of(strict, "maintenance").empty()) << ex_rows(s, strict);
  // The default scenario is untouched by the other regimen's rules: same records as without it.
  const auto alone = default_scenario();
  EXPECT_EQ(ex_rows(s, base),
            ex_rows(alone, simulate_patient(alone, testing::arm(alone, "il2"), v, kHorizon)));
}

// on_hold = "delay": the held induction days are given after the resumption, so induction ends
// (hold length) later than planned and maintenance starts that much later; with the default
// "skip" both keep their planned days (chiron: induction 4 d, rest 4 d, maintenance 10 d).
TEST(RegimensV2, DelayGivesTheHeldDaysAfterResumption) {
  dosing::RuleOverrides rules;
  rules.on_hold = dosing::OnHold::kDelay;
  const auto s = with_regimen("delayed", rules);
  auto v = typical_patient(s);
  v.parameters.Wmax = 50.0;
  const auto skip = simulate_patient(s, testing::arm(s, "il2"), v, kHorizon);
  const auto delay = simulate_patient(s, testing::arm(s, "delayed"), v, kHorizon);
  ASSERT_TRUE(skip.start_day);
  const double start = *skip.start_day;
  const auto si = segments_of(skip, "induction");
  const auto di = segments_of(delay, "induction");
  ASSERT_EQ(si.size(), 2U) << ex_rows(s, skip);
  ASSERT_EQ(di.size(), 2U) << ex_rows(s, delay);
  // Same patient, same course until the hold.
  EXPECT_DOUBLE_EQ(di[0].end, si[0].end);
  const double hold = di[1].start - di[0].end;
  EXPECT_GT(hold, 0.0);
  EXPECT_NEAR(si[1].end, start + 4.0, 1e-9);         // skip: planned end of induction
  EXPECT_NEAR(di[1].end, start + 4.0 + hold, 1e-9);  // delay: later by the hold
  EXPECT_DOUBLE_EQ(di[1].dose_fraction, 0.5);        // resumption at the protocol's 50 %
  const auto sm = segments_of(skip, "maintenance");
  const auto dm = segments_of(delay, "maintenance");
  ASSERT_FALSE(sm.empty());
  ASSERT_FALSE(dm.empty());
  EXPECT_NEAR(sm.front().start, start + 8.0, 1e-9);
  EXPECT_NEAR(dm.front().start, start + 8.0 + hold, 1e-9);
  ASSERT_TRUE(delay.treatment_end_day);
  EXPECT_NEAR(*delay.treatment_end_day, start + 18.0 + hold, 1e-9);
  // Under delay the resumed segment gives every induction day not given before the hold (4 days
  // less the first segment), at half dose; under skip only what is left of the planned 4 days.
  EXPECT_NEAR(di[1].end - di[1].start, 4.0 - (di[0].end - start), 1e-9);
  EXPECT_GT(di[1].dose_iu, si[1].dose_iu);
}

// early_stop_per_month = 1000: IL-2 stops at start + E × (365.25 / 12) / 1000 days, E the Exp(1)
// draw of the patient's early-stop stream (Purpose 20), recorded as the stop reason.
TEST(RegimensV2, EarlyStopAtItsDrawnTime) {
  auto s = default_scenario();
  s.protocol.early_stop_per_month = 1000.0;
  const auto v = typical_patient(s);
  const auto r = simulate_patient(s, testing::arm(s, "il2"), v, kHorizon);
  ASSERT_TRUE(r.start_day);
  const double draw = RandomStream(s.seed, 0, v.id, Purpose::kEarlyStop).exponential();
  const double day = *r.start_day + draw * (365.25 / 12.0) / 1000.0;
  ASSERT_LT(day, *r.start_day + 4.0);  // within induction for this draw
  EXPECT_EQ(r.stop, StopReason::kEarlyStop);
  ASSERT_TRUE(r.stop_day);
  EXPECT_DOUBLE_EQ(*r.stop_day, day);
  ASSERT_FALSE(r.exposure.empty());
  EXPECT_DOUBLE_EQ(r.exposure.front().end, day);
  EXPECT_EQ(r.exposure.front().end_reason, "stopped: early stop");
  EXPECT_EQ(to_string(r.stop), "early stop");
}

// A regimen override of 0 (and "skip") reproduces the protocol's records exactly.
TEST(RegimensV2, ZeroEarlyStopReproducesTodaysRecords) {
  dosing::RuleOverrides rules;
  rules.early_stop_per_month = 0.0;
  rules.on_hold = dosing::OnHold::kSkip;
  const auto s = with_regimen("explicit", rules);
  auto v = typical_patient(s);
  v.parameters.Wmax = 50.0;  // with a hold and a resumption
  const auto a = simulate_patient(s, testing::arm(s, "il2"), v, kHorizon);
  auto b = simulate_patient(s, testing::arm(s, "explicit"), v, kHorizon);
  b.arm = a.arm;  // the arm's name is the only intended difference
  EXPECT_EQ(b.stop, StopReason::kNone);
  EXPECT_EQ(ex_rows(s, a), ex_rows(s, b));
  EXPECT_EQ(a.holds, b.holds);
  EXPECT_EQ(a.treatment_end_day, b.treatment_end_day);
}

}  // namespace
}  // namespace il2sim::clinic
