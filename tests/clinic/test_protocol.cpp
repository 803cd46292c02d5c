// Protocol rules of model.md §4 on a typical patient whose parameters force the situation: holds at
// grade 3 capillary leak, resumption at 50 % when back to grade <= 1, missed days not made up, stop
// after a second hold or at grade 4 non-haematologic toxicity, no treatment without platelet
// recovery.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "clinic_fixtures.hpp"
#include "dosing/regimen.hpp"
#include "output/views.hpp"

namespace il2sim::clinic {
namespace {

using testing::crossing;
using testing::default_scenario;
using testing::typical_patient;

constexpr double kHorizon = 200.0;
// The clinic finds grade changes by root-finding; the reference crossing is interpolated on a
// 0.002-day grid.
constexpr double kDayTolerance = 0.01;

std::vector<ExposureSegment> segments_of(const PatientRecord& r, const std::string& phase) {
  std::vector<ExposureSegment> out;
  for (const auto& e : r.exposure) {
    if (e.phase == phase) out.push_back(e);
  }
  return out;
}

/// Full-dose trajectory of the patient from `start` (the regimen's dose records, no clinic).
sim::TrajectoryRecorder full_dose(const scenario::Scenario& s, const VirtualPatient& v,
                                  double start, double horizon) {
  const auto& regimen = s.regimens.at(*testing::arm(s, "il2").regimen);
  const auto doses = dosing::expand(regimen, start, {v.covariates.bsa_m2, v.covariates.weight_kg},
                                    s.parameters[model::ParamId::kPotencyRoche]);
  return testing::trajectory(s, v, doses, horizon, 0.002);
}

std::string ex_rows(const scenario::Scenario& s, const PatientRecord& r) {
  std::string out;
  output::append_ex(out, {s.name, 0, 0.0, "chiron"}, r);
  return out;
}

// Wmax 50 % drives W through grade 3 capillary leak (10 %) on day 2 of induction; the hold ends the
// segment there, W falls back below 5 % (grade <= 1; hypotension then also <= 1) before the phase
// ends and IL-2 resumes at half the rate until the planned end of induction.
TEST(Holds, GradeThreeCapillaryLeakHoldsAndResumesAtHalfDose) {
  const auto s = default_scenario();
  auto v = typical_patient(s);
  v.parameters.Wmax = 50.0;
  const auto r = simulate_patient(s, testing::arm(s, "il2"), v, kHorizon);
  ASSERT_TRUE(r.treated);
  ASSERT_TRUE(r.start_day);
  const double start = *r.start_day;
  const auto induction = segments_of(r, "induction");
  ASSERT_EQ(induction.size(), 2U) << ex_rows(s, r);

  // The hold: the first segment ends where W first reaches 10 % under full dose.
  const auto full = full_dose(s, v, start, start + 6.0);
  const double w10 = crossing(full, "W", start, 10.0, true);
  ASSERT_FALSE(std::isnan(w10));
  EXPECT_NEAR(induction[0].start, start, 1e-9);
  EXPECT_NEAR(induction[0].end, w10, kDayTolerance);
  EXPECT_EQ(induction[0].end_reason, "hold: capillary leak grade 3");
  EXPECT_EQ(induction[0].dose_fraction, 1.0);
  EXPECT_EQ(r.holds, 1);

  // Resumption: W (infusion stopped at the hold) falls back to 5 % (CLS grade 1) and below W_hyp.
  std::vector<dosing::DoseRecord> until_hold{{start, induction[0].end - start,
                                              induction[0].rate_iu_per_day, 0.0,
                                              dosing::Compartment::kCentral, 0}};
  const auto held = testing::trajectory(s, v, until_hold, start + 6.0, 0.002);
  const double w5 = crossing(held, "W", induction[0].end, std::min(5.0, v.parameters.W_hyp), false);
  EXPECT_NEAR(induction[1].start, w5, kDayTolerance);
  EXPECT_EQ(induction[1].rate_iu_per_day, 0.5 * induction[0].rate_iu_per_day);
  EXPECT_EQ(induction[1].dose_fraction, 0.5);
  // Missed days are not made up: induction still ends on its planned day.
  EXPECT_NEAR(induction[1].end, start + 4.0, 1e-9);
  EXPECT_EQ(induction[1].end_reason, "completed");
  EXPECT_FALSE(r.completed_induction);
  const double planned = induction[0].rate_iu_per_day * 4.0;
  EXPECT_NEAR(r.induction_intensity, (induction[0].dose_iu + induction[1].dose_iu) / planned,
              1e-12);
  EXPECT_LT(r.induction_intensity, 1.0);

  // The EX view carries the same facts.
  const std::string ex = ex_rows(s, r);
  EXPECT_NE(ex.find(",1,hold: capillary leak grade 3,"), std::string::npos) << ex;
  EXPECT_NE(ex.find(",IU,0.5,completed,"), std::string::npos) << ex;
}

// Missed days are not made up: the infused time of every phase is at most its planned days, every
// phase ends on its planned day, and maintenance starts on its planned day.
TEST(Holds, MissedDaysAreNotMadeUp) {
  const auto s = default_scenario();
  for (const double wmax : {25.0, 40.0, 50.0, 80.0}) {
    auto v = typical_patient(s);
    v.parameters.Wmax = wmax;
    const auto r = simulate_patient(s, testing::arm(s, "il2"), v, kHorizon);
    ASSERT_TRUE(r.start_day);
    const double start = *r.start_day;
    EXPECT_EQ(r.holds, 1) << "Wmax " << wmax;
    double induction_time = 0.0;
    for (const auto& e : segments_of(r, "induction")) {
      induction_time += e.end - e.start;
      EXPECT_GE(e.start, start - 1e-9);
      EXPECT_LE(e.end, start + 4.0 + 1e-9);
    }
    EXPECT_LT(induction_time, 4.0) << "Wmax " << wmax;
    const auto maintenance = segments_of(r, "maintenance");
    ASSERT_EQ(maintenance.size(), 1U) << "Wmax " << wmax;
    EXPECT_NEAR(maintenance[0].start, start + 8.0, 1e-9);
    EXPECT_NEAR(maintenance[0].end, start + 18.0, 1e-9);
    EXPECT_NEAR(*r.treatment_end_day, start + 18.0, 1e-9);
  }
}

// With an 8-day induction and Wmax 70 % the half dose drives W to 10 % again: the second hold stops
// IL-2 for good, on the day W reaches 10 % under the half dose.
TEST(Holds, SecondHoldStopsIl2) {
  auto s = default_scenario();
  auto& regimen = s.regimens.at(*testing::arm(s, "il2").regimen);
  ASSERT_EQ(regimen.phases.at(0).name, "induction");
  regimen.phases[0].days = 8.0;
  auto v = typical_patient(s);
  v.parameters.Wmax = 70.0;
  const auto r = simulate_patient(s, testing::arm(s, "il2"), v, kHorizon);
  ASSERT_TRUE(r.start_day);
  const auto induction = segments_of(r, "induction");
  ASSERT_EQ(induction.size(), 2U) << ex_rows(s, r);
  EXPECT_EQ(induction[0].end_reason, "hold: capillary leak grade 3");
  EXPECT_EQ(induction[1].dose_fraction, 0.5);
  EXPECT_EQ(induction[1].end_reason, "stopped: second hold");
  const std::vector<dosing::DoseRecord> as_given{
      {induction[0].start, induction[0].end - induction[0].start, induction[0].rate_iu_per_day, 0.0,
       dosing::Compartment::kCentral, 0},
      {induction[1].start, 10.0, induction[1].rate_iu_per_day, 0.0, dosing::Compartment::kCentral,
       0}};
  const auto half = testing::trajectory(s, v, as_given, *r.start_day + 10.0, 0.002);
  EXPECT_NEAR(induction[1].end, crossing(half, "W", induction[1].start, 10.0, true), kDayTolerance);
  EXPECT_LT(induction[1].end, *r.start_day + 8.0);
  EXPECT_EQ(r.holds, 2);
  EXPECT_EQ(r.stop, StopReason::kSecondHold);
  ASSERT_TRUE(r.stop_day);
  EXPECT_EQ(*r.stop_day, induction[1].end);
  EXPECT_TRUE(segments_of(r, "maintenance").empty()) << "no IL-2 after the stop";
  EXPECT_EQ(r.exposure.size(), 2U);
  std::string adsl;
  output::append_adsl(adsl, {s.name, 0, 0.0, "chiron"}, r);
  EXPECT_NE(adsl.find(",2,second hold,"), std::string::npos) << adsl;  // HOLDS, STOPRS
}

// Grade 4 non-haematologic toxicity (W >= 15 %) stops IL-2 for good. Holds are disabled (hold grade
// 5) so that W can reach grade 4 while infusing.
TEST(Stops, GradeFourCapillaryLeakStopsIl2ForGood) {
  auto s = default_scenario();
  s.protocol.hold_cls_grade = 5;
  s.protocol.hold_hypotension_grade = 5;
  auto v = typical_patient(s);
  v.parameters.Wmax = 50.0;
  v.parameters.W_hyp = 20.0;  // hypotension grade 4 (2·W_hyp) later than CLS grade 4
  const auto r = simulate_patient(s, testing::arm(s, "il2"), v, kHorizon);
  ASSERT_TRUE(r.start_day);
  const auto full = full_dose(s, v, *r.start_day, *r.start_day + 6.0);
  const double w15 = crossing(full, "W", *r.start_day, 15.0, true);
  ASSERT_FALSE(std::isnan(w15));
  ASSERT_EQ(r.exposure.size(), 1U) << ex_rows(s, r);
  EXPECT_NEAR(r.exposure[0].end, w15, kDayTolerance);
  EXPECT_EQ(r.exposure[0].end_reason, "stopped: grade 4 non-haematologic toxicity");
  EXPECT_EQ(r.stop, StopReason::kGrade4Toxicity);
  EXPECT_EQ(r.holds, 0);
  EXPECT_EQ(r.max_grade[static_cast<std::size_t>(ToxTerm::kCapillaryLeak)], 4);
  EXPECT_TRUE(r.dlt);
  EXPECT_TRUE(segments_of(r, "maintenance").empty());

  // The same patient with the rule switched off keeps infusing through grade 4.
  s.protocol.stop_on_grade4_nonhaematologic = false;
  const auto r2 = simulate_patient(s, testing::arm(s, "il2"), v, kHorizon);
  EXPECT_EQ(r2.stop, StopReason::kNone);
  EXPECT_EQ(segments_of(r2, "maintenance").size(), 1U);
}

// Grade 4 reached while IL-2 is on hold also ends treatment for good (no resumption, no
// maintenance).
TEST(Stops, GradeFourDuringAHoldStopsIl2) {
  const auto s = default_scenario();
  auto v = typical_patient(s);
  v.parameters.Wmax = 200.0;
  v.parameters.W_hyp = 20.0;
  const auto r = simulate_patient(s, testing::arm(s, "il2"), v, kHorizon);
  ASSERT_TRUE(r.start_day);
  ASSERT_GE(r.exposure.size(), 1U);
  EXPECT_EQ(r.exposure[0].end_reason, "hold: capillary leak grade 3") << ex_rows(s, r);
  EXPECT_EQ(r.exposure.size(), 1U) << ex_rows(s, r);
  EXPECT_EQ(r.stop, StopReason::kGrade4Toxicity);
  EXPECT_GT(*r.stop_day, r.exposure[0].end);
}

// Patients whose platelets never reach the start criterion in the window are not treated.
TEST(Start, NoPlateletRecoveryMeansNotTreated) {
  auto s = default_scenario();
  auto v = typical_patient(s);
  v.parameters.Pss = 15.0;  // the platelet steady state stays below 20 ×10^9/L
  v.parameters.P0 = 10.0;
  const auto full = testing::trajectory(s, v, {}, s.protocol.window_end_day + 1.0, 0.5);
  for (std::size_t i = 0; i < full.days().size(); ++i)
    ASSERT_LT(full.at(i, "P"), s.protocol.start_platelets);
  for (const char* a : {"il2", "observation"}) {
    const auto r = simulate_patient(s, testing::arm(s, a), v, kHorizon);
    EXPECT_FALSE(r.treated) << a;
    EXPECT_FALSE(r.start_day) << a;
    EXPECT_FALSE(r.eligible_day) << a;
    EXPECT_EQ(r.not_treated, NotTreatedReason::kNoPlateletRecovery) << a;
    EXPECT_TRUE(r.exposure.empty()) << a;
  }
  // A start criterion nobody meets: same outcome for a typical patient.
  s.protocol.start_platelets = 1000.0;
  const auto r = simulate_patient(s, testing::arm(s, "il2"), typical_patient(s), kHorizon);
  EXPECT_EQ(r.not_treated, NotTreatedReason::kNoPlateletRecovery);
  EXPECT_FALSE(r.treated);
}

// The start is the first window day meeting the platelet criterion plus the scheduling delay; a
// start that would fall after the window's end does not happen.
TEST(Start, EligibilityPlusDelayMustFallInTheWindow) {
  auto s = default_scenario();
  auto v = typical_patient(s);
  // Slow recovery: platelets reach the start criterion (50) on day 44.7, inside the window. The
  // platelet equation is linear in (Pss, P0): with tauP 20, Pss 25 and P0 5 they reach 20 on that
  // day.
  ASSERT_EQ(s.protocol.start_platelets, 50.0);
  v.parameters.tauP = 20.0;
  v.parameters.Pss = 62.5;
  v.parameters.P0 = 12.5;
  const auto full = testing::trajectory(s, v, {}, s.protocol.window_end_day + 1.0, 0.01);
  const double p20 = crossing(full, "P", 0.0, s.protocol.start_platelets, true);
  ASSERT_GT(p20, s.protocol.window_start_day);
  ASSERT_LT(p20, s.protocol.window_end_day - 14.0);
  const double eligible = std::ceil(p20);
  for (const int delay : {0, 5, 14}) {
    v.scheduling_delay_days = delay;
    const auto r = simulate_patient(s, testing::arm(s, "il2"), v, kHorizon);
    ASSERT_TRUE(r.eligible_day) << delay;
    EXPECT_EQ(*r.eligible_day, eligible) << delay;
    ASSERT_TRUE(r.start_day) << delay;
    EXPECT_EQ(*r.start_day, eligible + delay);
    EXPECT_TRUE(r.treated);
    ASSERT_FALSE(r.exposure.empty());
    EXPECT_EQ(r.exposure[0].start, eligible + delay);
  }
  s.protocol.window_end_day = eligible + 4.0;
  v.scheduling_delay_days = 4;
  EXPECT_TRUE(simulate_patient(s, testing::arm(s, "il2"), v, kHorizon).treated);
  v.scheduling_delay_days = 5;
  const auto late = simulate_patient(s, testing::arm(s, "il2"), v, kHorizon);
  EXPECT_FALSE(late.treated);
  EXPECT_FALSE(late.start_day);
  EXPECT_EQ(late.not_treated, NotTreatedReason::kNoPlateletRecovery);
}

// A refusing patient is registered and followed but never receives IL-2.
TEST(Start, RefusalMeansNotTreated) {
  const auto s = default_scenario();
  auto v = typical_patient(s);
  v.refuses = true;
  const auto r = simulate_patient(s, testing::arm(s, "il2"), v, kHorizon);
  EXPECT_FALSE(r.treated);
  EXPECT_EQ(r.not_treated, NotTreatedReason::kRefusal);
  EXPECT_TRUE(r.exposure.empty());
}

// A patient drawn for another reason not to start (protocol.other_attrition_probability) is
// registered and followed but never receives IL-2; refusal is reported first.
TEST(Start, OtherAttritionMeansNotTreated) {
  const auto s = default_scenario();
  auto v = typical_patient(s);
  v.other_attrition = true;
  const auto r = simulate_patient(s, testing::arm(s, "il2"), v, kHorizon);
  EXPECT_FALSE(r.treated);
  EXPECT_TRUE(r.landmark_day);
  EXPECT_EQ(r.not_treated, NotTreatedReason::kOther);
  EXPECT_EQ(to_string(r.not_treated), "other");
  EXPECT_TRUE(r.exposure.empty());
  v.refuses = true;
  EXPECT_EQ(simulate_patient(s, testing::arm(s, "il2"), v, kHorizon).not_treated,
            NotTreatedReason::kRefusal);
}

// Restaging before the start (protocol.restage_before_start): a relapse that has happened (the
// tumour crossed L_rel) but that no scheduled assessment has recorded yet (the first is on day 90)
// is recorded at the would-be start, and the patient does not start; without restaging the patient
// starts IL-2 and the relapse is recorded at the day-90 assessment.
TEST(Start, RestagingBeforeTheStartFindsAnUnrecordedRelapse) {
  auto s = default_scenario();
  // Growth slow enough that the symptomatic crossing (a relapse recorded when it happens) comes
  // after the day-90 assessment: ln 10 / 0.03 = 77 days from L_rel to 10·L_rel.
  s.parameters.set(model::ParamId::kRNhl, 0.03);
  auto v = typical_patient(s);
  v.L0 = 0.5 * s.parameters[model::ParamId::kLRelLymphoma];  // crosses L_rel within weeks
  s.protocol.restage_before_start = false;
  const auto without = simulate_patient(s, testing::arm(s, "il2"), v, kHorizon);
  ASSERT_TRUE(without.relapse_true_day);
  ASSERT_TRUE(without.start_day);
  ASSERT_LT(*without.relapse_true_day, *without.start_day);  // the premise of the test
  EXPECT_TRUE(without.treated);
  ASSERT_TRUE(without.relapse_day);
  EXPECT_EQ(*without.relapse_day, s.protocol.assessment_interval_days);
  s.protocol.restage_before_start = true;
  for (const char* a : {"il2", "observation"}) {
    const auto r = simulate_patient(s, testing::arm(s, a), v, kHorizon);
    EXPECT_FALSE(r.treated) << a;
    EXPECT_FALSE(r.landmark_day) << a;
    EXPECT_EQ(r.not_treated, NotTreatedReason::kRelapse) << a;
    ASSERT_TRUE(r.relapse_day) << a;
    EXPECT_EQ(*r.relapse_day, *without.start_day) << a;  // the same would-be start day
    EXPECT_EQ(*r.relapse_true_day, *without.relapse_true_day) << a;
  }
}

// Platelets below 10 ×10^9/L during an infusion hold it with the platelet reason.
TEST(Holds, LowPlateletsHold) {
  const auto s = default_scenario();
  auto v = typical_patient(s);
  v.parameters.kPil2 = 3.0;  // IL-2 destroys platelets fast
  const auto r = simulate_patient(s, testing::arm(s, "il2"), v, kHorizon);
  ASSERT_TRUE(r.treated);
  ASSERT_FALSE(r.exposure.empty());
  const auto full = full_dose(s, v, *r.start_day, *r.start_day + 6.0);
  const double p10 = crossing(full, "P", *r.start_day, s.protocol.hold_platelets, false);
  ASSERT_FALSE(std::isnan(p10));
  EXPECT_NEAR(r.exposure[0].end, p10, kDayTolerance);
  EXPECT_EQ(r.exposure[0].end_reason, "hold: platelets < 10") << ex_rows(s, r);
}

}  // namespace
}  // namespace il2sim::clinic
