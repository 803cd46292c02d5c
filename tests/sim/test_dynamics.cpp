#include <gtest/gtest.h>

#include <cmath>

#include "clinic/typical.hpp"
#include "sim_fixtures.hpp"

namespace il2sim::sim {
namespace {

using testing::adult;
using testing::simulate;

double value_at(const TrajectoryRecorder& t, double day, std::string_view column) {
  for (std::size_t i = 0; i < t.days().size(); ++i) {
    if (std::fabs(t.days()[i] - day) < 1e-9) return t.at(i, column);
  }
  ADD_FAILURE() << "no output at day " << day;
  return 0.0;
}

}  // namespace

// Without IL-2, dN/dt -> sN_inf - dN·N and dE/dt -> sE_inf - dE·E: N* = sN_inf/dN, E* = sE_inf/dE
// (closed form of model.md §2 once reconstitution is complete and D = 0).
TEST(Dynamics, NoIl2ImmuneSteadyState) {
  const model::ParameterSet pop;
  const auto p = adult(pop);
  for (const auto mode : {SolverMode::kReference, SolverMode::kFast}) {
    const auto run = simulate(p, {}, 0.0, 6000.0, 1000.0, mode);
    ASSERT_FALSE(run.outcome.failed) << run.outcome.failure;
    EXPECT_NEAR(value_at(run.trajectory, 6000.0, "N"), p.sN_inf / p.dN, 1e-5 * p.sN_inf / p.dN);
    EXPECT_NEAR(value_at(run.trajectory, 6000.0, "E"), p.sE_inf / p.dE, 1e-5 * p.sE_inf / p.dE);
    EXPECT_NEAR(value_at(run.trajectory, 6000.0, "S"), p.S0,
                1e-5 * p.S0);  // derived kS0, kS (model.md §6)
  }
}

// Kill off (kN = kE = 0): logistic growth L(t) = K / (1 + (K/L0 - 1)·e^{-rt}); doubling time ln2/r
// while L << Kcap.
TEST(Dynamics, TumourGrowthWithoutKill) {
  model::ParameterSet pop;
  pop.set(model::ParamId::kKN, 0.0);
  pop.set(model::ParamId::kKE, 0.0);
  const auto p = adult(pop);
  const double L0 = 1e4;
  for (const auto mode : {SolverMode::kReference, SolverMode::kFast}) {
    // Horizon past the relapse crossing below (about 404 days at the shipped r_nhl).
    const auto run = simulate(p, {}, L0, 600.0, 1.0, mode);
    ASSERT_FALSE(run.outcome.failed) << run.outcome.failure;
    for (const double day : {20.0, 100.0, 200.0}) {
      const double exact = p.Kcap / (1.0 + (p.Kcap / L0 - 1.0) * std::exp(-p.r * day));
      EXPECT_NEAR(value_at(run.trajectory, day, "L"), exact, 1e-6 * exact) << "day " << day;
    }
    const double doubling = std::log(2.0) / p.r;
    EXPECT_NEAR(value_at(run.trajectory, 20.0, "L") / L0, std::exp(p.r * 20.0), 1e-5);
    // The typical NHL patient grows at the table's r_nhl (closed form: doubling time ln 2 / r_nhl).
    EXPECT_NEAR(doubling, std::log(2.0) / model::spec(model::ParamId::kRNhl).default_value, 1e-12);
    // Relapse is the first crossing of L_rel = 10^9 (lymphoma), located by root-finding: solving
    // the logistic closed form for L(t) = L_rel gives t = ln((Kcap/L0 - 1) / (Kcap/L_rel - 1)) / r.
    ASSERT_TRUE(run.outcome.relapse_day.has_value());
    const double crossing = std::log((p.Kcap / L0 - 1.0) / (p.Kcap / p.L_rel - 1.0)) / p.r;
    EXPECT_NEAR(*run.outcome.relapse_day, crossing, 1e-4);
  }
}

// Fast mode agrees with the reference mode (model.md §7): immune counts within 0.5 %, tumour
// threshold crossings within 0.5 day, on the Chiron regimen and on the no-IL-2 control.
TEST(Dynamics, FastModeAgreesWithReference) {
  const auto scenario = scenario::load_scenario("chiron-regimen");
  for (const auto& arm : scenario.arms) {
    const auto ref = clinic::simulate_typical(scenario, arm, 730.0, 0.25, SolverMode::kReference);
    const auto fast = clinic::simulate_typical(scenario, arm, 730.0, 0.25, SolverMode::kFast);
    ASSERT_FALSE(ref.outcome.failed) << ref.outcome.failure;
    ASSERT_FALSE(fast.outcome.failed) << fast.outcome.failure;
    ASSERT_EQ(ref.trajectory.days().size(), fast.trajectory.days().size());
    double worst = 0.0;
    for (std::size_t i = 0; i < ref.trajectory.days().size(); ++i) {
      for (const char* column : {"N", "E", "NK_blood", "CD8_blood"}) {
        const double r = ref.trajectory.at(i, column);
        const double f = fast.trajectory.at(i, column);
        worst = std::max(worst, std::fabs(f - r) / r);
      }
    }
    EXPECT_LT(worst, 0.005) << "arm " << arm.name;
    ASSERT_TRUE(ref.outcome.relapse_day && fast.outcome.relapse_day) << arm.name;
    EXPECT_NEAR(*fast.outcome.relapse_day, *ref.outcome.relapse_day, 0.5) << arm.name;
    ASSERT_TRUE(ref.outcome.symptomatic_day && fast.outcome.symptomatic_day) << arm.name;
    EXPECT_NEAR(*fast.outcome.symptomatic_day, *ref.outcome.symptomatic_day, 0.5) << arm.name;
  }
}

// Linear birth-death process with birth b and death d < b, started from n cells: extinction
// probability (d/b)^n (Kendall 1948; Bailey 1964 §8.6). Kill off, so b = r + d0 and d = d0 are
// constant. Absorption at L_stoch = 1000 removes a further (d/b)^1000 < 1e-100, negligible.
TEST(Dynamics, BirthDeathExtinctionProbability) {
  model::ParameterSet pop;
  pop.set(model::ParamId::kKN, 0.0);
  pop.set(model::ParamId::kKE, 0.0);
  const auto p = adult(pop);
  const int n0 = 3;
  const int patients = 2000;
  int extinct = 0;
  SimulationOptions o;
  o.mode = SolverMode::kFast;
  o.horizon_days = 1500.0;
  o.stochastic_tumour = true;
  for (int k = 0; k < patients; ++k) {
    PatientSimulator sim(p, o, static_cast<std::uint32_t>(k));
    RandomStream stream(777, 0, static_cast<std::uint32_t>(k), Purpose::kTumourBirthDeath);
    const auto outcome = play(sim, p, {}, n0, stream, {}, nullptr);
    ASSERT_FALSE(outcome.failed) << outcome.failure;
    if (outcome.cure_day) ++extinct;
  }
  const double expected = std::pow(p.d0 / (p.r + p.d0), n0);
  const double se = std::sqrt(expected * (1 - expected) / patients);
  EXPECT_NEAR(static_cast<double>(extinct) / patients, expected, 4 * se);
}

}  // namespace il2sim::sim
