// One dose path for every route: the clinic gives the records dosing::expand makes (SC, bolus, CIV)
// through the same dose feed as the trajectory; exposure comes from the records given; phase roles
// (not names) drive intensity and the DLT window; one random stream per purpose.
#include <gtest/gtest.h>

#include <cmath>

#include "clinic/patient.hpp"
#include "clinic_fixtures.hpp"
#include "dosing/regimen.hpp"

namespace il2sim::clinic {
namespace {

using testing::arm;
using testing::default_scenario;
using testing::typical_patient;

/// The default scenario with the maintenance phase of its regimen given by `route` (1e6 IU/m² per
/// administration every 24 h for 10 days) and no IL-2 assay error.
scenario::Scenario with_maintenance(dosing::Route route) {
  auto s = default_scenario();
  auto& ph = s.regimens.at("chiron").phases.at(2);
  ph.route = route;
  ph.dose = 1e6;
  ph.unit = dosing::DoseUnit::kPerM2PerDay;
  ph.interval_hours = 24.0;
  s.parameters.set(model::ParamId::kCvIl2, 0.0);
  return s;
}

void expect_same_exposure_as_trajectory(dosing::Route route) {
  const auto s = with_maintenance(route);
  const auto v = typical_patient(s);
  const auto record = simulate_patient(s, arm(s, "il2"), v, 120.0);
  ASSERT_TRUE(record.start_day.has_value());
  EXPECT_EQ(record.holds, 0);
  // The schedule of the trajectory: the same records from the same start, no clinic.
  const auto doses = dosing::expand(s.regimens.at("chiron"), *record.start_day,
                                    {v.covariates.bsa_m2, v.covariates.weight_kg, 0.0}, 1.0);
  const auto traj = testing::trajectory(s, v, doses, 120.0, 0.25);
  // EX lists the induction infusion and each of the 10 administrations (dose × BSA 1.8 m²).
  std::size_t administrations = 0;
  for (const auto& e : record.exposure) {
    if (e.role != "maintenance") continue;
    ++administrations;
    EXPECT_EQ(e.route, dosing::to_string(route));
    EXPECT_DOUBLE_EQ(e.amount, 1e6 * 1.8);
    EXPECT_EQ(e.end_reason, "given");
  }
  EXPECT_EQ(administrations, 10U);
  EXPECT_NEAR(record.maintenance_intensity, 1.0, 1e-12);
  EXPECT_TRUE(record.completed_maintenance);
  // IL-2 at the visits equals the trajectory's, except where an IV bolus is given at the visit
  // itself (the visit samples before the dose, the trajectory records after it).
  std::size_t compared = 0;
  for (const auto& lab : record.labs) {
    if (lab.paramcd != "IL2CONC") continue;
    const bool dose_now = std::any_of(doses.begin(), doses.end(), [&](const auto& d) {
      return !d.infusion() && std::fabs(d.time - lab.day) < 1e-9;
    });
    if (route == dosing::Route::kIvBolus && dose_now) continue;
    const auto i = static_cast<std::size_t>(std::lround(lab.day / 0.25));
    ASSERT_NEAR(traj.days()[i], lab.day, 1e-9);
    // Relative 1e-3 (fast-mode restarts at the clinic's extra breakpoints); absolute 1e-5 IU/mL
    // for the washed-out tail: the solver's absolute tolerance on the amounts (1e-3 IU) over the
    // central volume (about 2.8 L) is 3.6e-7 IU/mL per step, and the two runs take different steps
    // over the days between doses (observed: 1.05e-6 IU/mL at 1.2e-5 IU/mL, eight orders of
    // magnitude below the bolus peak of about 650 IU/mL).
    EXPECT_NEAR(lab.value, traj.at(i, "C"), 1e-3 * traj.at(i, "C") + 1e-5) << lab.visit;
    if (lab.value > 1e-3) ++compared;
  }
  EXPECT_GT(compared, 3U);
}

TEST(DosePath, ScMaintenanceIsGivenAsInTheTrajectory) {
  expect_same_exposure_as_trajectory(dosing::Route::kSc);
}

TEST(DosePath, BolusMaintenanceIsGivenAsInTheTrajectory) {
  expect_same_exposure_as_trajectory(dosing::Route::kIvBolus);
}

TEST(DosePath, InfusionRunningAtTheEndOfFollowUpIsLogged) {
  const auto s = default_scenario();
  const auto v = typical_patient(s);
  const auto full = simulate_patient(s, arm(s, "il2"), v, 120.0);
  ASSERT_TRUE(full.start_day.has_value());
  // Follow-up ends 2 days into the 4-day induction infusion.
  const auto record = simulate_patient(s, arm(s, "il2"), v, *full.start_day + 2.0);
  ASSERT_FALSE(record.exposure.empty());
  const auto& last = record.exposure.back();
  EXPECT_EQ(last.end_reason, "ongoing at end of follow-up");
  EXPECT_NEAR(last.end, *full.start_day + 2.0, 1e-9);
  if (record.holds == 0) {
    EXPECT_NEAR(record.induction_intensity, 0.5, 1e-9);  // 2 of 4 days (closed form)
  }
  EXPECT_GT(record.induction_intensity, 0.0);
}

TEST(DosePath, RoleNotNameDrivesTheDltWindow) {
  auto s = default_scenario();
  s.toxicity.dlt_nonhaematologic_grade = 1;  // any non-haematologic toxicity in the window
  const auto v = typical_patient(s);
  const auto named = simulate_patient(s, arm(s, "il2"), v, 120.0);
  ASSERT_TRUE(named.dlt);  // 9 MIU/m²/day gives fever and weight gain in induction
  auto& phase = s.regimens.at("chiron").phases.at(0);
  phase.name = "loading";  // role stays induction
  const auto loading = simulate_patient(s, arm(s, "il2"), v, 120.0);
  EXPECT_TRUE(loading.dlt);
  EXPECT_EQ(loading.dlt_day, named.dlt_day);
  EXPECT_DOUBLE_EQ(loading.induction_intensity, named.induction_intensity);
  phase.role = dosing::PhaseRole::kOther;
  EXPECT_FALSE(simulate_patient(s, arm(s, "il2"), v, 120.0).dlt);
  s.toxicity.dlt_window_roles = {dosing::PhaseRole::kOther};
  EXPECT_TRUE(simulate_patient(s, arm(s, "il2"), v, 120.0).dlt);
}

TEST(DosePath, CycleBasedRegimenCountsEveryInductionCycle) {
  auto s = default_scenario();
  auto& r = s.regimens.at("chiron");
  r.phases = {{"cycle 1", dosing::PhaseRole::kInduction, dosing::Route::kCiv, 1e6,
               dosing::DoseUnit::kPerM2PerDay, 4, dosing::CareSetting::kInpatient},
              {"gap", dosing::PhaseRole::kRest, dosing::Route::kCiv, 0.0,
               dosing::DoseUnit::kPerM2PerDay, 4, dosing::CareSetting::kOutpatient},
              {"cycle 2", dosing::PhaseRole::kInduction, dosing::Route::kCiv, 1e6,
               dosing::DoseUnit::kPerM2PerDay, 4, dosing::CareSetting::kInpatient}};
  const auto v = typical_patient(s);
  const auto full = simulate_patient(s, arm(s, "il2"), v, 200.0);
  ASSERT_EQ(full.holds, 0);
  EXPECT_NEAR(full.induction_intensity, 1.0, 1e-12);
  EXPECT_TRUE(full.completed_induction);
  // Follow-up ending 2 days into the second cycle: 6 of 8 induction days given (closed form).
  const auto cut = simulate_patient(s, arm(s, "il2"), v, *full.start_day + 10.0);
  EXPECT_NEAR(cut.induction_intensity, 0.75, 1e-9);
  EXPECT_FALSE(cut.completed_induction);
}

/// The registration values each purpose's stream decides.
struct Draws {
  double L0, delay, refuses, attrition, lak, nrm, agvhd, cgvhd, post_relapse, salvaged;
};
Draws draws(const VirtualPatient& v) {
  return {v.L0,
          static_cast<double>(v.scheduling_delay_days),
          v.refuses ? 1.0 : 0.0,
          v.other_attrition ? 1.0 : 0.0,
          v.lak_cells,
          v.nrm_draw,
          v.agvhd_draw,
          v.cgvhd_draw,
          v.post_relapse_z,
          v.salvaged ? 1.0 : 0.0};
}

TEST(Streams, PerturbingOnePurposeChangesOnlyItsOwnDraws) {
  auto s = default_scenario();
  s.protocol.refusal_probability = 0.5;  // so that a changed stream shows in the decision
  s.protocol.other_attrition_probability = 0.5;
  // A cohort with a salvage fraction of 0.5, so that the salvage stream shows in the decision.
  auto salvage_cohort = *scenario::find_cohort(s.arms.front().cohort);
  salvage_cohort.salvage_fraction = {0.5, std::nullopt};
  salvage_cohort.salvage_median_months = scenario::CohortValue{20.0, std::nullopt};
  const auto* cohort = &salvage_cohort;
  const std::vector<std::pair<Purpose, double Draws::*>> purposes{
      {Purpose::kDisease, &Draws::L0},
      {Purpose::kSchedulingDelay, &Draws::delay},
      {Purpose::kRefusal, &Draws::refuses},
      {Purpose::kOtherAttrition, &Draws::attrition},
      {Purpose::kLakDose, &Draws::lak},
      {Purpose::kNrm, &Draws::nrm},
      {Purpose::kAcuteGvhd, &Draws::agvhd},
      {Purpose::kChronicGvhd, &Draws::cgvhd},
      {Purpose::kPostRelapse, &Draws::post_relapse},
      {Purpose::kSalvage, &Draws::salvaged}};
  const std::vector<double Draws::*> fields{
      &Draws::L0,  &Draws::delay, &Draws::refuses, &Draws::attrition,    &Draws::lak,
      &Draws::nrm, &Draws::agvhd, &Draws::cgvhd,   &Draws::post_relapse, &Draws::salvaged};
  for (const auto& [purpose, own] : purposes) {
    int changed = 0;
    for (std::uint32_t id = 1; id <= 40; ++id) {
      const auto base = draws(make_patient(s, *cohort, 0, id));
      const auto perturbed = draws(make_patient(s, *cohort, 0, id, purpose));
      for (const auto field : fields) {
        if (field == own) {
          if (base.*field != perturbed.*field) ++changed;
        } else {
          EXPECT_EQ(base.*field, perturbed.*field) << static_cast<int>(purpose);
        }
      }
    }
    EXPECT_GT(changed, 0) << static_cast<int>(purpose);
  }
}

TEST(Streams, AssayErrorAndToxicDeathStreamsChangeNothingElse) {
  const auto s = default_scenario();
  const auto* cohort = scenario::find_cohort(s.arms.front().cohort);
  for (std::uint32_t id = 1; id <= 5; ++id) {
    const auto base = simulate_patient(s, arm(s, "il2"), make_patient(s, *cohort, 0, id), 400.0);
    const auto assay =
        simulate_patient(s, arm(s, "il2"), make_patient(s, *cohort, 0, id, Purpose::kAssay), 400.0);
    // The assay stream changes the measured values only: the course is the same.
    EXPECT_EQ(base.start_day, assay.start_day);
    EXPECT_EQ(base.holds, assay.holds);
    EXPECT_EQ(base.death_day, assay.death_day);
    EXPECT_EQ(base.relapse_day, assay.relapse_day);
    EXPECT_EQ(base.induction_intensity, assay.induction_intensity);
    ASSERT_EQ(base.labs.size(), assay.labs.size());
    for (std::size_t k = 0; k < base.labs.size(); ++k) {
      if (base.labs[k].paramcd == "WTGAIN" || base.labs[k].paramcd == "MRD") {
        EXPECT_EQ(base.labs[k].value, assay.labs[k].value);  // no assay error on these
      }
    }
  }
}

}  // namespace
}  // namespace il2sim::clinic
