#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "clinic/patient.hpp"
#include "core/random.hpp"
#include "design/schoenfeld.hpp"
#include "survival/data.hpp"
#include "survival/logrank.hpp"
#include "trial/stages.hpp"

namespace il2sim::trial {

// Schoenfeld (Biometrika 1981): with D events, 1:1 allocation and hazard ratio HR, the log-rank
// test at two-sided level alpha has power Phi(sqrt(D)/2·|ln HR| − z_{1−alpha/2}). Exponential
// survival, no mechanistic model: each trial follows 2×300 patients until D = 150 events and tests
// with log-rank. Tolerance: 4 Monte Carlo standard errors of the simulated power (2000 trials).
TEST(Randomized, SimulatedLogrankPowerMatchesSchoenfeld) {
  const double hr = 0.65;
  const int per_arm = 300;
  const int events = 150;
  const int trials = 2000;
  int rejections = 0;
  for (int k = 0; k < trials; ++k) {
    RandomStream rng(4242, static_cast<std::uint32_t>(k), 0, Purpose::kTest);
    std::vector<double> t(2 * per_arm);
    std::vector<std::string> arm(2 * per_arm);
    for (int i = 0; i < 2 * per_arm; ++i) {
      const bool experimental = i < per_arm;
      t[i] = rng.exponential() / (experimental ? hr : 1.0);  // control hazard 1
      arm[i] = experimental ? "experimental" : "control";
    }
    std::vector<double> sorted = t;
    std::nth_element(sorted.begin(), sorted.begin() + (events - 1), sorted.end());
    const double analysis = sorted[events - 1];
    std::vector<double> time(t.size());
    std::vector<int> event(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
      event[i] = t[i] <= analysis ? 1 : 0;
      time[i] = std::min(t[i], analysis);
    }
    const auto g = survival::make_factor(arm);
    const auto lr = survival::logrank(time, event, g, survival::single_level(t.size(), "all"), 0.0);
    rejections += lr.p < 0.05 ? 1 : 0;
  }
  design::SchoenfeldSettings s;
  s.hazard_ratio = hr;
  s.alpha = 0.05;
  s.sides = 2;
  const double expected = design::schoenfeld_power(s, events);
  const double simulated = static_cast<double>(rejections) / trials;
  EXPECT_NEAR(simulated, expected, 4 * std::sqrt(expected * (1 - expected) / trials));
}

// Common random numbers: a registered patient is the same virtual patient (covariates, parameters,
// disease, eligibility, would-be start) whichever arm he is randomized to, and the same as in a
// cohort run. Checked on the phase III scenario's first 100 registrants.
TEST(Randomized, BothArmsContainTheSameVirtualPatients) {
  const auto s = scenario::load_scenario("phase3-autosct-nhl");
  const auto& cohort = *scenario::find_cohort("adult-auto-nhl");
  const auto base = stage_patient_base(0);
  for (std::uint32_t k = 1; k <= 100; ++k) {
    const auto v = clinic::make_patient(s, cohort, 3, base + k);
    const auto il2 = clinic::simulate_patient(s, *s.find_arm("il2"), v, 400.0);
    const auto obs = clinic::simulate_patient(s, *s.find_arm("observation"), v, 400.0);
    EXPECT_EQ(il2.covariates.age_years, obs.covariates.age_years);
    EXPECT_EQ(il2.covariates.bsa_m2, obs.covariates.bsa_m2);
    EXPECT_EQ(il2.L0, obs.L0);
    EXPECT_EQ(il2.eligible_day, obs.eligible_day);
    EXPECT_EQ(il2.landmark_day, obs.landmark_day);
    // Before the landmark nothing differs: a death or relapse before it happens in both arms.
    const double landmark = il2.landmark_day ? *il2.landmark_day : 1e9;
    EXPECT_EQ(il2.relapse_day && *il2.relapse_day < landmark,
              obs.relapse_day && *obs.relapse_day < landmark);
    EXPECT_EQ(il2.death_day && *il2.death_day < landmark,
              obs.death_day && *obs.death_day < landmark);
    const auto again = clinic::make_patient(s, cohort, 3, base + k);
    EXPECT_EQ(again.parameters.kN, v.parameters.kN);
  }
}

// A randomized stage whose two arms get identical treatment has no treatment effect: over
// replicates the rejection rate is the one-sided alpha within Monte Carlo error (type I error of
// the whole machinery: attrition, blocks, group-sequential bounds, log-rank).
TEST(Randomized, NullTrialKeepsTypeOneError) {
  auto s = scenario::load_scenario("phase3-autosct-nhl");
  s.arms.push_back({"observation-2", "adult-auto-nhl", std::nullopt});
  auto& st = s.stages[0];
  st.arms = {"observation-2", "observation"};
  st.registered = 120;
  st.accrual_per_month = 20;
  st.target_events = 40;
  st.futility.reset();
  st.horizon_days = 1200;
  st.max_follow_up_months = 24;
  const int replicates = 300;
  int rejections = 0;
  for (int r = 0; r < replicates; ++r) {
    const auto result = run_randomized(s, 0, static_cast<std::uint32_t>(r), std::nullopt, nullptr);
    rejections += result.reject ? 1 : 0;
  }
  const double alpha = st.one_sided_alpha;
  EXPECT_NEAR(static_cast<double>(rejections) / replicates, alpha,
              4 * std::sqrt(alpha * (1 - alpha) / replicates));
}

// Stratified by the component of a mixture cohort (strata = ["cohort"]): permuted blocks within
// each component keep the arms balanced there at every point of the randomization order, the
// imbalance never above block_size / 2 (a 1:1 block of size b is balanced when complete and
// holds at most b/2 of one arm when not).
TEST(Randomized, StrataByCohortBalanceArmsWithinEachComponent) {
  auto s = scenario::parse_scenario(
      scenario::to_toml(scenario::load_scenario("phase3-autosct-nhl")) + R"(
[cohorts.nhl-indolent]
disease = "nhl"
setting = "autologous"
p_no_disease = 0.6
[cohorts.nhl-aggressive]
disease = "nhl"
setting = "autologous"
p_no_disease = 0.2
[cohorts.nhl-mixed]
mix = { nhl-indolent = 0.4, nhl-aggressive = 0.6 }
)",
      "t.toml");
  for (auto& arm : s.arms) arm.cohort = "nhl-mixed";
  auto& st = s.stages[0];
  st.strata = {"cohort"};
  st.block_size = 6;
  st.registered = 200;
  st.accrual_per_month = 20;
  st.target_events = 40;
  st.horizon_days = 1200;
  st.max_follow_up_months = 24;
  for (std::uint32_t replicate = 0; replicate < 3; ++replicate) {
    std::vector<StagePatient> kept;
    (void)run_randomized(s, 0, replicate, std::nullopt, &kept);
    std::map<std::string, int> imbalance;  // per component: arm 0 minus arm 1, in order
    std::map<std::string, int> count;
    for (const auto& p : kept) {
      if (p.not_randomized) continue;  // registrants lost before randomization come last
      imbalance[p.record.cohort] += p.record.arm == st.arms[0] ? 1 : -1;
      ++count[p.record.cohort];
      EXPECT_LE(std::abs(imbalance[p.record.cohort]), st.block_size / 2) << p.record.cohort;
    }
    ASSERT_EQ(count.size(), 2U);  // both components randomized
    EXPECT_GT(count.at("nhl-indolent"), 20);
    EXPECT_GT(count.at("nhl-aggressive"), 20);
  }
}

TEST(DoseEscalation, RegimenAtLevelChangesOnlyTheEscalatedPhase) {
  const auto s = scenario::load_scenario("chiron-phase12-autobmt");
  const auto& base = s.regimens.at("chiron");
  const auto r = regimen_at_level(base, "induction", {12e6, 5.0});
  EXPECT_DOUBLE_EQ(r.phases[0].dose, 12e6);
  EXPECT_DOUBLE_EQ(r.phases[0].days, 5.0);
  EXPECT_DOUBLE_EQ(r.phases[2].dose, base.phases[2].dose);
  EXPECT_DOUBLE_EQ(r.total_days(), base.total_days() + 1.0);
}

}  // namespace il2sim::trial

namespace il2sim::trial {

// The selection-bias analysis of a single-arm stage (programme's lak-feasibility, selection_bias =
// true) adds the counterfactual run and changes nothing of the trial itself: with the analysis off,
// every with-effect number is the same (same patients, same streams). The historical control is
// shared, so the without-effect comparison uses the same control values; with the analysis off its
// fields keep their defaults.
TEST(SingleArm, SelectionBiasAnalysisLeavesTheTrialUnchanged) {
  auto s = scenario::load_scenario("programme");
  std::size_t stage = s.stages.size();
  for (std::size_t i = 0; i < s.stages.size(); ++i) {
    if (s.stages[i].name == "lak-feasibility") stage = i;
  }
  ASSERT_LT(stage, s.stages.size());
  ASSERT_TRUE(s.stages[stage].selection_bias);  // scenarios/programme.toml
  s.stages[stage].historical_patients = 40;     // a smaller control keeps the test quick
  std::vector<StagePatient> kept;
  const auto on = run_single_arm(s, stage, 0, std::nullopt, &kept);
  s.stages[stage].selection_bias = false;
  const auto off = run_single_arm(s, stage, 0, std::nullopt, nullptr);
  EXPECT_TRUE(on.selection_bias);
  EXPECT_FALSE(off.selection_bias);
  EXPECT_EQ(on.treated, off.treated);
  EXPECT_EQ(on.registered, off.registered);
  EXPECT_EQ(on.responses, off.responses);
  EXPECT_EQ(on.rfs_from_transplant, off.rfs_from_transplant);
  EXPECT_EQ(on.rfs_from_landmark, off.rfs_from_landmark);
  EXPECT_EQ(on.control_from_transplant, off.control_from_transplant);
  EXPECT_EQ(on.control_from_landmark, off.control_from_landmark);
  EXPECT_EQ(on.logrank_p_transplant, off.logrank_p_transplant);
  EXPECT_EQ(on.logrank_p_landmark, off.logrank_p_landmark);
  EXPECT_EQ(off.rfs_from_transplant_without_effect, 0.0);  // SingleArmResult's default
  EXPECT_TRUE(off.samples.empty());
  // The example data for the report: three groups from each origin; the treated groups are the same
  // patients (as many with as without the effect).
  ASSERT_EQ(on.samples.size(), 6U);
  EXPECT_EQ(on.samples[0].time.size(), static_cast<std::size_t>(on.treated));
  EXPECT_EQ(on.samples[1].time.size(), static_cast<std::size_t>(on.treated));
  EXPECT_EQ(on.samples[2].time.size(), 40U);
  EXPECT_GE(on.rfs_from_transplant_without_effect, 0.0);
  EXPECT_LE(on.rfs_from_transplant_without_effect, 1.0);
  EXPECT_EQ(kept.size(), static_cast<std::size_t>(on.treated));
}

}  // namespace il2sim::trial
