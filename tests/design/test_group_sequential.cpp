#include <cmath>
#include <limits>
#include <map>

#include <gtest/gtest.h>

#include "csv_fixture.hpp"
#include "design/group_sequential.hpp"

namespace il2sim::design {
namespace {

// Spending functions at a point, by hand: OBF-type at t = 0.5, one-sided alpha 0.025:
// 2 - 2 Phi(z_0.9875 / sqrt(0.5)) = 2 - 2 Phi(2.241403 / 0.707107) = 2 - 2 Phi(3.169822)
// = 0.0015253228 (R: 2-2*pnorm(qnorm(0.9875)/sqrt(0.5)); rpact's alphaSpent at t = 0.5 agrees);
// Pocock-type: 0.025 ln(1 + (e - 1) 0.5) = 0.025 ln(1.859141) = 0.0155029.
TEST(GroupSequential, SpendingFunctionsByHand) {
  EXPECT_NEAR(spent(Spending::kOBrienFleming, 0.025, 0.5), 0.0015253228, 1e-10);
  EXPECT_NEAR(spent(Spending::kPocock, 0.025, 0.5), 0.0155029, 1e-6);
  EXPECT_EQ(spent(Spending::kNone, 0.025, 0.5), 0.0);
  EXPECT_EQ(spent(Spending::kOBrienFleming, 0.025, 1.0), 0.025);
}

// One look is the fixed design: z_{1-0.025} = 1.959964 (standard normal quantile).
TEST(GroupSequential, OneLookIsTheFixedDesign) {
  GsdSettings s;
  s.info = {1.0};
  s.alpha = 0.025;
  const GsdResult r = group_sequential_design(s);
  ASSERT_EQ(r.looks.size(), 1U);
  EXPECT_NEAR(*r.looks[0].efficacy_z, 1.959964, 1e-6);
}

// rpact 3.3.4 getDesignGroupSequential, one-sided alpha 0.025 (tools/reference/design/gsd.R ->
// fixtures/gsd_rpact.csv): Lan-DeMets OBF- and Pocock-type boundaries for equal and unequal
// information, and non-binding beta-spending futility bounds with beta = 0.2, and the inflation
// factor of each design for power 0.8. E.g. OBF, 3 equal
// looks: 3.7103, 2.5114, 1.9930 (also Jennison & Turnbull 2000 Table 7.6 style values).
TEST(GroupSequential, MatchesRpact) {
  const auto rows = testing::read_fixture("tests/design/fixtures/gsd_rpact.csv");
  ASSERT_EQ(rows.size(), 20U);
  std::map<std::string, std::vector<testing::Row>> cases;
  for (const auto& row : rows) cases[row.at("case")].push_back(row);
  ASSERT_EQ(cases.size(), 6U);
  for (const auto& [id, looks] : cases) {
    SCOPED_TRACE(id);
    GsdSettings s;
    s.alpha = 0.025;
    for (const auto& look : looks) s.info.push_back(std::stod(look.at("info")));
    s.info.back() = 1.0;
    s.spending = id.starts_with("obf") ? Spending::kOBrienFleming : Spending::kPocock;
    s.beta = 0.2;
    if (id.find("futility") != std::string::npos) {
      s.futility_spending = id.ends_with("obf_3") ? Spending::kOBrienFleming : Spending::kPocock;
    }
    const GsdResult r = group_sequential_design(s);
    ASSERT_EQ(r.looks.size(), looks.size());
    // rpact's getDesignCharacteristics()$inflationFactor (power 1 - beta = 0.8).
    EXPECT_NEAR(*r.inflation_factor, std::stod(looks[0].at("inflation_factor")), 1e-6);
    for (std::size_t k = 0; k < looks.size(); ++k) {
      ASSERT_TRUE(r.looks[k].efficacy_z.has_value());
      EXPECT_NEAR(*r.looks[k].efficacy_z, std::stod(looks[k].at("efficacy_z")), 1e-4);
      // rpact reports the last cumulative alpha as 0.02499999 (its root-finding tolerance).
      EXPECT_NEAR(r.looks[k].cumulative_alpha, std::stod(looks[k].at("cumulative_alpha")), 1e-7);
      const std::string& fut = looks[k].at("futility_z");
      if (fut.empty()) {
        EXPECT_FALSE(r.looks[k].futility_z.has_value());
      } else {
        ASSERT_TRUE(r.looks[k].futility_z.has_value());
        EXPECT_NEAR(*r.looks[k].futility_z, std::stod(fut), 1e-3);
      }
    }
  }
}

// The boundaries spend what they claim: crossing probabilities recomputed under H0 add up to the
// spending function (internal consistency of the recursion, alpha(t) as defined above).
TEST(GroupSequential, CrossingProbabilitiesReproduceSpending) {
  GsdSettings s;
  s.info = {0.2, 0.45, 0.7, 1.0};
  s.alpha = 0.025;
  s.spending = Spending::kPocock;
  const GsdResult r = group_sequential_design(s);
  std::vector<double> upper, lower(4, -std::numeric_limits<double>::infinity());
  for (const auto& look : r.looks) upper.push_back(*look.efficacy_z);
  const CrossingProbabilities p = crossing_probabilities(s.info, upper, lower, 0.0, 48);
  double cumulative = 0.0;
  for (std::size_t k = 0; k < 4; ++k) {
    cumulative += p.upper[k];
    EXPECT_NEAR(cumulative, spent(Spending::kPocock, 0.025, s.info[k]), 1e-8);
  }
}

// spending "none": no interim efficacy bound, the final bound is the fixed z_{0.975} = 1.959964.
TEST(GroupSequential, NoSpendingStopsOnlyAtTheEnd) {
  GsdSettings s;
  s.info = {0.5, 1.0};
  s.alpha = 0.025;
  s.spending = Spending::kNone;
  const GsdResult r = group_sequential_design(s);
  EXPECT_FALSE(r.looks[0].efficacy_z.has_value());
  EXPECT_NEAR(*r.looks[1].efficacy_z, 1.959964, 1e-6);
}

// With beta and no futility, the drift has power 1 - beta; one look gives the fixed-design drift
// z_{0.975} + z_{0.8} = 1.959964 + 0.841621 = 2.801585 and inflation factor 1.
TEST(GroupSequential, DriftOfTheFixedDesign) {
  GsdSettings s;
  s.info = {1.0};
  s.alpha = 0.025;
  s.beta = 0.2;
  const GsdResult r = group_sequential_design(s);
  EXPECT_NEAR(*r.drift, 2.801585, 1e-5);
  EXPECT_NEAR(*r.inflation_factor, 1.0, 1e-8);
}

}  // namespace
}  // namespace il2sim::design
