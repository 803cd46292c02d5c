#include <vector>

#include <gtest/gtest.h>

#include "csv_fixture.hpp"
#include "design/boin.hpp"
#include "design/isotonic.hpp"

namespace il2sim::design {
namespace {

// Liu & Yuan (2015), Table 1: target 0.3 with phi1 = 0.18, phi2 = 0.42 gives lambda_e = 0.236 and
// lambda_d = 0.358; target 0.25: 0.197 and 0.298. The table truncates to 3 decimals (lambda_d for
// 0.3 is 0.35852), hence the tolerance of 1e-3.
TEST(Boin, LambdasFromThePaper) {
  const BoinLambdas l = boin_lambdas(0.3, 0.18, 0.42);
  EXPECT_NEAR(l.lambda_e, 0.236, 1e-3);
  EXPECT_NEAR(l.lambda_d, 0.358, 1e-3);
  const BoinLambdas q = boin_lambdas(0.25, 0.15, 0.35);
  EXPECT_NEAR(q.lambda_e, 0.197, 1e-3);
  EXPECT_NEAR(q.lambda_d, 0.298, 1e-3);
}

// Boundary table for n = 1..30 and targets 0.25, 0.3 against tools/reference/design/boin.R
// (closed forms + R's pbeta; fixtures/boin_reference.csv). Elimination for target 0.3 begins
// n = 3 -> 3 DLTs, n = 6 -> 4, as BOIN's get.boundary prints.
TEST(Boin, BoundaryTableMatchesR) {
  const auto rows = testing::read_fixture("tests/design/fixtures/boin_reference.csv");
  ASSERT_EQ(rows.size(), 60U);
  for (const double target : {0.25, 0.3}) {
    const std::vector<BoinBoundaryRow> table =
        boin_boundaries(BoinSettings::for_target(target), 30);
    const BoinLambdas l = boin_lambdas(target, 0.6 * target, 1.4 * target);
    for (const auto& row : rows) {
      if (std::stod(row.at("target")) != target) continue;
      const int n = std::stoi(row.at("n"));
      SCOPED_TRACE("target " + row.at("target") + " n " + row.at("n"));
      EXPECT_NEAR(l.lambda_e, std::stod(row.at("lambda_e")), 1e-11);
      EXPECT_NEAR(l.lambda_d, std::stod(row.at("lambda_d")), 1e-11);
      const BoinBoundaryRow& b = table[n - 1];
      EXPECT_EQ(b.n, n);
      EXPECT_EQ(b.escalate_if_dlt_at_most, std::stoi(row.at("escalate_if_dlt_at_most")));
      EXPECT_EQ(b.deescalate_if_dlt_at_least, std::stoi(row.at("deescalate_if_dlt_at_least")));
      const std::string& elim = row.at("eliminate_if_dlt_at_least");
      if (elim.empty()) {
        EXPECT_FALSE(b.eliminate_if_dlt_at_least.has_value());
      } else {
        ASSERT_TRUE(b.eliminate_if_dlt_at_least.has_value());
        EXPECT_EQ(*b.eliminate_if_dlt_at_least, std::stoi(elim));
      }
    }
  }
  EXPECT_EQ(boin_elimination_boundary(0.3, 3, 0.95), 3);
  EXPECT_EQ(boin_elimination_boundary(0.3, 6, 0.95), 4);
}

// Pool-adjacent-violators by hand: (1, 3, 2, 4, 3, 5) with unit weights pools (3, 2) -> 2.5 and
// (4, 3) -> 3.5; (0.1, 0.4, 0.2) with weights (1, 1, 3) pools the last two: (0.4 + 3 * 0.2) / 4 =
// 0.25.
TEST(Isotonic, PoolAdjacentViolatorsByHand) {
  const std::vector<double> y{1, 3, 2, 4, 3, 5}, w(6, 1.0);
  const std::vector<double> expected{1, 2.5, 2.5, 3.5, 3.5, 5};
  const std::vector<double> fit = isotonic_regression(y, w);
  for (std::size_t i = 0; i < y.size(); ++i) EXPECT_DOUBLE_EQ(fit[i], expected[i]);
  const std::vector<double> y2{0.1, 0.4, 0.2}, w2{1, 1, 3};
  const std::vector<double> fit2 = isotonic_regression(y2, w2);
  EXPECT_DOUBLE_EQ(fit2[0], 0.1);
  EXPECT_DOUBLE_EQ(fit2[1], 0.25);
  EXPECT_DOUBLE_EQ(fit2[2], 0.25);
}

// MTD selection by hand (rules in boin.hpp). n = (3, 6, 9, 3), y = (0, 1, 4, 2): no dose eliminated
// (n = 3 needs 3 DLTs, n = 9 needs 5); estimates (y + 0.05)/(n + 0.1) = 0.016, 0.172, 0.445, 0.661
// are increasing; closest to 0.3 is 0.172 (0.128 away vs 0.145) -> dose index 1.
TEST(Boin, SelectMtdByHand) {
  const std::vector<int> n{3, 6, 9, 3}, y{0, 1, 4, 2};
  EXPECT_EQ(boin_select_mtd(0.3, n, y), 1);
}

// Ties: n = (3, 3), y = (2, 1): estimates 0.677, 0.339 violate monotonicity and have equal
// variances, so both become 0.508 > 0.3 -> the lower dose. y = (0, 0): both 0.016 < 0.3 -> the
// higher dose. y = (0, 3): dose 2 is eliminated (3 of 3), leaving dose 1. Untried doses are
// skipped.
TEST(Boin, SelectMtdTiesEliminationAndUntried) {
  const std::vector<int> n{3, 3};
  EXPECT_EQ(boin_select_mtd(0.3, n, std::vector<int>{2, 1}), 0);
  EXPECT_EQ(boin_select_mtd(0.3, n, std::vector<int>{0, 0}), 1);
  EXPECT_EQ(boin_select_mtd(0.3, n, std::vector<int>{0, 3}), 0);
  EXPECT_FALSE(boin_select_mtd(0.3, n, std::vector<int>{3, 3}).has_value());
  EXPECT_EQ(boin_select_mtd(0.3, std::vector<int>{3, 3, 0}, std::vector<int>{0, 0, 0}), 1);
}

// The engine on a scripted trial, target 0.3, cohorts of 3 (boundaries from the table above:
// n = 3: escalate <= 0, de-escalate >= 2, eliminate >= 3; n = 6: <= 1, >= 3; n = 9: <= 2, >= 4):
// d0 0/3 -> escalate; d1 1/3 -> stay; d1 0/3 more (1/6) -> escalate; d2 3/3 -> eliminate d2 and
// above, de-escalate; d1 2/3 more (3/9) -> stay.
TEST(Boin, EngineScriptedTrial) {
  BoinSettings s = BoinSettings::for_target(0.3);
  s.max_n = 15;
  Boin b(s, 4);
  EXPECT_EQ(b.record(3, 0).action, BoinDecision::Action::kEscalate);
  EXPECT_EQ(b.record(3, 1).action, BoinDecision::Action::kStay);
  EXPECT_EQ(b.record(3, 0).dose, 2);
  const BoinDecision d = b.record(3, 3);
  EXPECT_TRUE(d.eliminated);
  EXPECT_EQ(d.dose, 1);
  EXPECT_TRUE(b.is_eliminated(2));
  EXPECT_TRUE(b.is_eliminated(3));
  const BoinDecision last = b.record(3, 2);
  EXPECT_EQ(last.action, BoinDecision::Action::kStay);
  // 15 patients reached: stop and select. n = (3, 9, 3, 0), y = (0, 3, 3, 0); dose 2 eliminated;
  // estimates 0.016, 0.335 -> dose 1.
  EXPECT_EQ(last.kind, BoinDecision::Kind::kStopMtd);
  EXPECT_EQ(last.dose, 1);
}

}  // namespace
}  // namespace il2sim::design
