#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/random.hpp"
#include "design/three_plus_three.hpp"

namespace il2sim::design {
namespace {

// One dose, p = 0.2, derived by hand from the rules in three_plus_three.hpp: the dose is the MTD
// iff the first cohort has <= 1 DLT and the 6 patients have <= 1 DLT in total, i.e. iff
// Bin(6, p) <= 1: (1-p)^5 (1 + 5p) = 0.8^5 * 2 = 0.65536; else no dose is selected (0.34464).
// Patients: 3, plus 3 more unless >= 2/3: 3 + 3 P(Bin(3, p) <= 1) = 3 + 3 (0.512 + 0.384) = 5.688.
TEST(ThreePlusThree, OneDoseByHand) {
  const std::vector<double> p{0.2};
  const ThreePlusThreeOc oc = three_plus_three_oc(p);
  EXPECT_NEAR(oc.p_select[0], 0.65536, 1e-12);
  EXPECT_NEAR(oc.p_select_none, 0.34464, 1e-12);
  EXPECT_NEAR(oc.expected_patients[0], 5.688, 1e-12);
  EXPECT_NEAR(oc.expected_total, 5.688, 1e-12);
}

// Two doses, p = (0.1, 0.5), by hand. Cohort probabilities at dose 1 (p = 0.1): 0/3: 0.729,
// 1/3: 0.243, <= 1 of 3: 0.972. Pass dose 1: 0/3 (0.729) or 1/3 then 0/3 (0.243 * 0.729 =
// 0.177147), total 0.906147; too toxic: 0.093853 -> no MTD. Dose 2 (p = 0.5), reached with
// 0.906147: MTD there iff Bin(6, 0.5) <= 1: 7/64 = 0.109375
//   -> P(MTD = 2) = 0.906147 * 0.109375 = 0.099110.
// Otherwise (0.890625) back to dose 1: if it had 1/6 (prob 0.177147 of the passing paths) it is the
// MTD; if it had 0/3 (0.729) three more are treated and it is the MTD with <= 1 DLT of 3 (0.972):
//   P(MTD = 1) = 0.890625 * (0.177147 + 0.729 * 0.972) = 0.890625 * 0.885735 = 0.788858,
//   P(none) = 0.093853 + 0.890625 * 0.729 * 0.028 = 0.093853 + 0.018180 = 0.112033.
// Patients at dose 1: 3 + 3 * 0.243 + 3 * 0.890625 * 0.729 = 3.729 + 1.947797 = 5.676797;
// at dose 2: 0.906147 * (3 + 3 * 0.5) = 4.077662.
TEST(ThreePlusThree, TwoDosesByHand) {
  const std::vector<double> p{0.1, 0.5};
  const ThreePlusThreeOc oc = three_plus_three_oc(p);
  EXPECT_NEAR(oc.p_select[0], 0.890625 * (0.177147 + 0.729 * 0.972), 1e-12);
  EXPECT_NEAR(oc.p_select[1], 0.906147 * 0.109375, 1e-12);
  EXPECT_NEAR(oc.p_select_none, 0.093853 + 0.890625 * 0.729 * 0.028, 1e-12);
  EXPECT_NEAR(oc.expected_patients[0], 3.729 + 3 * 0.890625 * 0.729, 1e-12);
  EXPECT_NEAR(oc.expected_patients[1], 0.906147 * 4.5, 1e-12);
  EXPECT_NEAR(oc.p_select[0] + oc.p_select[1] + oc.p_select_none, 1.0, 1e-12);
}

// The engine follows the rules of three_plus_three.hpp on a scripted path (expected moves read off
// those rules): 0/3 at d0 -> d1; 1/3 at d1 -> stay; 0/3 more (1/6) -> d2; 2/3 at d2 -> too toxic,
// d1 has 6 patients -> MTD d1.
TEST(ThreePlusThree, EngineScriptedPath) {
  ThreePlusThree t(4);
  EXPECT_EQ(t.decision().dose, 0);
  EXPECT_EQ(t.record(0).dose, 1);
  EXPECT_EQ(t.record(1).dose, 1);
  EXPECT_EQ(t.record(0).dose, 2);
  const auto& d = t.record(2);
  EXPECT_EQ(d.kind, ThreePlusThreeDecision::Kind::kStopMtd);
  EXPECT_EQ(d.dose, 1);
}

// De-escalation to a dose with 3 patients treats 3 more there: 0/3 d0 -> d1; 2/3 d1 -> back to d0,
// which has 3 patients; 2 DLT of the 3 more (2/6) -> d0 too toxic -> no MTD.
TEST(ThreePlusThree, EngineDeescalatesAndExpands) {
  ThreePlusThree t(3);
  t.record(0);
  EXPECT_EQ(t.record(2).dose, 0);
  EXPECT_FALSE(t.stopped());
  EXPECT_EQ(t.record(2).kind, ThreePlusThreeDecision::Kind::kStopNone);
}

// Simulated trials with the engine agree with the exact calculator within Monte Carlo error
// (4 standard errors) at a fixed seed: the engine and the calculator are separate code paths.
TEST(ThreePlusThree, SimulationAgreesWithExactCalculator) {
  const std::vector<double> p{0.05, 0.15, 0.3, 0.45, 0.6};
  const ThreePlusThreeOc oc = three_plus_three_oc(p);
  const int trials = 20000;
  std::vector<double> selected(p.size() + 1, 0.0);  // last: none
  std::vector<double> patients(p.size(), 0.0);
  double total = 0.0, total_sq = 0.0;
  for (int rep = 0; rep < trials; ++rep) {
    RandomStream rng(20240611, static_cast<std::uint32_t>(rep), 0, Purpose::kTrial);
    ThreePlusThree t(static_cast<int>(p.size()));
    while (!t.stopped()) {
      int dlts = 0;
      for (int i = 0; i < ThreePlusThree::kCohortSize; ++i)
        dlts += rng.bernoulli(p[t.decision().dose]);
      t.record(dlts);
    }
    const auto& d = t.decision();
    selected[d.kind == ThreePlusThreeDecision::Kind::kStopMtd ? d.dose : p.size()] += 1.0;
    double n = 0.0;
    for (std::size_t i = 0; i < p.size(); ++i) {
      patients[i] += t.patients()[i];
      n += t.patients()[i];
    }
    total += n;
    total_sq += n * n;
  }
  for (std::size_t i = 0; i <= p.size(); ++i) {
    const double exact = i < p.size() ? oc.p_select[i] : oc.p_select_none;
    const double se = std::sqrt(exact * (1.0 - exact) / trials);
    EXPECT_NEAR(selected[i] / trials, exact, 4.0 * se + 1e-12) << "dose " << i;
  }
  const double mean = total / trials;
  const double se_total = std::sqrt((total_sq / trials - mean * mean) / trials);
  EXPECT_NEAR(mean, oc.expected_total, 4.0 * se_total);
  for (std::size_t i = 0; i < p.size(); ++i) {
    // Patients per dose are in 0..12 (at most 2 cohorts on the way up and 1 more on the way down is
    // 9; bound by 12): SD <= 6, so 4 SE <= 24 / sqrt(trials).
    EXPECT_NEAR(patients[i] / trials, oc.expected_patients[i], 24.0 / std::sqrt(trials));
  }
}

}  // namespace
}  // namespace il2sim::design
