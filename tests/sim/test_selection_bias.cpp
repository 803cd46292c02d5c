// The switch of the selection-bias analysis (SimulationOptions::treatment_kill = false): IL-2's
// effect on tumour kill removed, everything else kept. Its defining property: the tumour of a
// patient on IL-2 with the switch is the tumour of the same patient without IL-2.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "clinic/patient.hpp"
#include "clinic/typical.hpp"
#include "model/il2_model.hpp"
#include "scenario/scenario.hpp"
#include "sim_fixtures.hpp"

namespace il2sim::sim {
namespace {

const scenario::ArmSpec& arm_named(const scenario::Scenario& s, const std::string& name) {
  const auto* a = s.find_arm(name);
  EXPECT_NE(a, nullptr) << name;
  return *a;
}

// The untreated pools in closed form satisfy their ODE (model.md §2 with C = 0, D = 0):
// dN/dt = sN_inf·(1 − exp(−t/tauN)) − dN·N, checked by a central difference (step 1e-3 day, error
// O(h²·N''') ≈ 1e-9 relative) at days after the anchor, and N(t0) = N0 at the anchor.
TEST(SelectionBias, UntreatedPoolsSolveTheImmuneOdeWithoutIl2) {
  const auto p = testing::adult(model::ParameterSet{});
  const model::Il2Model m(p);
  model::ModelInputs u;
  u.untreated_kill = true;
  u.untreated_from = 46.0;
  u.untreated_N = 500.0;
  u.untreated_E = 300.0;
  EXPECT_DOUBLE_EQ(m.untreated_pools(46.0, u).N, 500.0);  // the anchor
  EXPECT_DOUBLE_EQ(m.untreated_pools(46.0, u).E, 300.0);
  const double h = 1e-3;
  for (const double t : {46.5, 50.0, 80.0, 200.0, 700.0}) {
    const auto a = m.untreated_pools(t - h, u), b = m.untreated_pools(t + h, u),
               c = m.untreated_pools(t, u);
    const double dN = (b.N - a.N) / (2 * h), dE = (b.E - a.E) / (2 * h);
    const double sN = p.sN_inf * (1.0 - std::exp(-t / p.tauN));
    const double sE = p.sE_inf * (1.0 - std::exp(-t / p.tauE));
    EXPECT_NEAR(dN, sN - p.dN * c.N, 1e-6 * std::max(1.0, c.N)) << t;
    EXPECT_NEAR(dE, sE - p.dE * c.E, 1e-6 * std::max(1.0, c.E)) << t;
  }
}

// The typical patient of chiron-regimen (IL-2 from day 46, deterministic tumour): with the switch,
// on IL-2, the tumour follows the patient's tumour on no IL-2 (the observation arm), and the immune
// counts are those of the patient on IL-2. Both runs are in fast mode (rtol 1e-6); the switch's
// pools are exact, the observation run's integrated, and the step sequences differ, so the
// agreement is to the solver tolerance: ln L within 2e-4 (measured 4.0e-5), the relapse day within
// 0.01 day (2e-4 in ln L at a net growth of about 0.03/day is 0.007 day; measured 1.4e-4), immune
// counts within 1e-4 relative (measured 1.8e-6). Before day 46 the run is the same computation:
// equal bits.
TEST(SelectionBias, TumourOnIl2WithTheSwitchIsTheTumourWithoutIl2) {
  auto s = scenario::load_scenario("chiron-regimen");
  const auto& il2 = arm_named(s, "il2");
  const auto& observation = arm_named(s, "observation");
  const auto treated = clinic::simulate_typical(s, il2, 730.0, 0.25, SolverMode::kFast);
  const auto none = clinic::simulate_typical(s, observation, 730.0, 0.25, SolverMode::kFast);
  s.solver.treatment_kill = false;
  const auto cf = clinic::simulate_typical(s, il2, 730.0, 0.25, SolverMode::kFast);
  for (const auto* r : {&treated, &none, &cf})
    ASSERT_FALSE(r->outcome.failed) << r->outcome.failure;
  const auto& days = cf.trajectory.days();
  ASSERT_EQ(days.size(), none.trajectory.days().size());
  ASSERT_EQ(days.size(), treated.trajectory.days().size());
  double worst_lnL = 0.0, worst_immune = 0.0, treated_gap = 0.0;
  for (std::size_t i = 0; i < days.size(); ++i) {
    const auto ln = [&](const clinic::TypicalRun& r) { return std::log(r.trajectory.at(i, "L")); };
    const double lnL = ln(cf);
    if (days[i] < 46.0) {
      for (const char* c : {"L", "N", "E", "C", "a"})
        ASSERT_EQ(cf.trajectory.at(i, c), treated.trajectory.at(i, c)) << c << " day " << days[i];
    }
    worst_lnL = std::max(worst_lnL, std::fabs(lnL - ln(none)));
    treated_gap = std::max(treated_gap, std::fabs(ln(treated) - ln(none)));
    for (const char* c : {"N", "E", "NK_blood", "CD8_blood"}) {
      const double t = treated.trajectory.at(i, c);
      worst_immune = std::max(worst_immune, std::fabs(cf.trajectory.at(i, c) - t) / t);
    }
  }
  EXPECT_LT(worst_lnL, 2e-4);
  EXPECT_LT(worst_immune, 1e-4);
  // The comparison can tell: IL-2 with its kill effect moves ln L away from the untreated tumour by
  // far more than the tolerance.
  EXPECT_GT(treated_gap, 100 * 2e-4);
  ASSERT_TRUE(cf.outcome.relapse_day && none.outcome.relapse_day);
  EXPECT_NEAR(*cf.outcome.relapse_day, *none.outcome.relapse_day, 0.01);
}

// In the clinic (programme's adult autologous NHL cohort, deterministic tumour): for the same
// virtual patients, the true relapse day on IL-2 with the switch is the day on no IL-2 (within 0.01
// day, as above; measured at most 1.7e-5 day over the 12 patients compared), as long as both
// courses last that long (a toxic death or an earlier end of follow-up on IL-2 ends the comparison,
// hence "the same clinic course").
TEST(SelectionBias, ClinicRelapseWithTheSwitchIsTheRelapseWithoutIl2) {
  auto s = scenario::load_scenario("programme");
  s.solver.stochastic_tumour = false;
  const auto& il2 = arm_named(s, "il2");
  const auto& observation = arm_named(s, "observation");
  auto cf = s;
  cf.solver.treatment_kill = false;
  const auto* cohort = scenario::find_cohort(il2.cohort);
  ASSERT_NE(cohort, nullptr);
  int compared = 0, differ_with_effect = 0;
  for (std::uint32_t id = 1; id <= 24; ++id) {
    const auto v = clinic::make_patient(s, *cohort, 0, id);
    const auto w = clinic::simulate_patient(cf, il2, v, 1826.0);
    const auto o = clinic::simulate_patient(s, observation, v, 1826.0);
    const auto t = clinic::simulate_patient(s, il2, v, 1826.0);
    ASSERT_FALSE(w.numerical_failure || o.numerical_failure) << w.failure << o.failure;
    const double end = std::min(w.follow_up_end, o.follow_up_end);
    const auto within = [&](const std::optional<double>& d) { return d && *d <= end; };
    if (within(w.relapse_true_day) || within(o.relapse_true_day)) {
      ASSERT_TRUE(w.relapse_true_day && o.relapse_true_day) << "patient " << id;
      EXPECT_NEAR(*w.relapse_true_day, *o.relapse_true_day, 0.01) << "patient " << id;
      ++compared;
      if (t.relapse_true_day != w.relapse_true_day) ++differ_with_effect;
    }
  }
  // Not vacuous: relapses were compared, and with the effect the relapse days differ.
  EXPECT_GT(compared, 0);
  EXPECT_GT(differ_with_effect, 0);
}

}  // namespace
}  // namespace il2sim::sim
