#include <gtest/gtest.h>

#include "csv_fixture.hpp"
#include "design/simon.hpp"

namespace il2sim::design {
namespace {

// Simon (1989), Controlled Clinical Trials 10:1-10, Table 1 (alpha = 0.05, beta = 0.20),
// row p0 = 0.10, p1 = 0.30: optimal 1/10, 5/29 with EN(p0) 15.0 and PET(p0) 0.74;
// minimax 1/15, 5/25 (EN 19.5, PET 0.55). The paper prints EN and PET to the digits used here.
TEST(Simon, Simon1989TableP010P030) {
  const auto result = simon_designs(0.10, 0.30, 0.05, 0.20);
  ASSERT_TRUE(result.has_value());
  const SimonDesign& o = result->optimal;
  EXPECT_EQ(o.r1, 1);
  EXPECT_EQ(o.n1, 10);
  EXPECT_EQ(o.r, 5);
  EXPECT_EQ(o.n, 29);
  EXPECT_NEAR(o.en_p0, 15.0, 0.05);
  EXPECT_NEAR(o.pet_p0, 0.74, 0.005);
  const SimonDesign& m = result->minimax;
  EXPECT_EQ(m.r1, 1);
  EXPECT_EQ(m.n1, 15);
  EXPECT_EQ(m.r, 5);
  EXPECT_EQ(m.n, 25);
  EXPECT_NEAR(m.en_p0, 19.5, 0.05);
  EXPECT_NEAR(m.pet_p0, 0.55, 0.005);
}

// Simon (1989) Table 1, row p0 = 0.20, p1 = 0.40, alpha = 0.05, beta = 0.20: optimal 3/13, 12/43
// (EN 20.6, PET 0.75); minimax 4/18, 10/33 (EN 22.3, PET 0.72).
TEST(Simon, Simon1989TableP020P040) {
  const auto result = simon_designs(0.20, 0.40, 0.05, 0.20);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->optimal.r1, 3);
  EXPECT_EQ(result->optimal.n1, 13);
  EXPECT_EQ(result->optimal.r, 12);
  EXPECT_EQ(result->optimal.n, 43);
  EXPECT_NEAR(result->optimal.en_p0, 20.6, 0.05);
  EXPECT_NEAR(result->optimal.pet_p0, 0.75, 0.005);
  EXPECT_EQ(result->minimax.r1, 4);
  EXPECT_EQ(result->minimax.n1, 18);
  EXPECT_EQ(result->minimax.r, 10);
  EXPECT_EQ(result->minimax.n, 33);
  EXPECT_NEAR(result->minimax.en_p0, 22.3, 0.05);
  EXPECT_NEAR(result->minimax.pet_p0, 0.72, 0.005);
}

// Four rows of Simon's table (p0 = 0.05..0.30, p1 = p0 + 0.20), recomputed by an independent brute
// force in R (tools/reference/design/simon.R -> fixtures/simon_bruteforce.csv): designs exactly,
// EN, PET, attained alpha and power to 1e-9. The rows agree with Simon (1989) Table 1 as printed
// (e.g. p0 = 0.05: optimal 0/9, 2/17; minimax 0/12, 2/16; p0 = 0.30: 5/15, 18/46; 6/19, 16/39).
TEST(Simon, MatchesIndependentBruteForceInR) {
  const auto rows = testing::read_fixture("tests/design/fixtures/simon_bruteforce.csv");
  ASSERT_EQ(rows.size(), 8U);
  for (const auto& row : rows) {
    const double p0 = std::stod(row.at("p0"));
    const double p1 = std::stod(row.at("p1"));
    const auto result =
        simon_designs(p0, p1, std::stod(row.at("alpha_target")), std::stod(row.at("beta_target")));
    ASSERT_TRUE(result.has_value());
    const SimonDesign& d = row.at("design") == "optimal" ? result->optimal : result->minimax;
    SCOPED_TRACE(row.at("design") + " p0=" + row.at("p0"));
    EXPECT_EQ(d.r1, std::stoi(row.at("r1")));
    EXPECT_EQ(d.n1, std::stoi(row.at("n1")));
    EXPECT_EQ(d.r, std::stoi(row.at("r")));
    EXPECT_EQ(d.n, std::stoi(row.at("n")));
    EXPECT_NEAR(d.en_p0, std::stod(row.at("en_p0")), 1e-9);
    EXPECT_NEAR(d.pet_p0, std::stod(row.at("pet_p0")), 1e-9);
    EXPECT_NEAR(d.alpha, std::stod(row.at("alpha")), 1e-9);
    EXPECT_NEAR(d.power, std::stod(row.at("power")), 1e-9);
    // The closed-form rejection probability agrees with the search's tables.
    EXPECT_NEAR(simon_reject_probability(d.r1, d.n1, d.r, d.n, p0), d.alpha, 1e-12);
    EXPECT_NEAR(simon_reject_probability(d.r1, d.n1, d.r, d.n, p1), d.power, 1e-12);
  }
}

// A limit too small for any feasible design: the fixed single-stage design for p0 = 0.1 vs 0.3
// already needs n > 20 (the minimax above has n = 25), so n_max = 20 must give nothing.
TEST(Simon, NoFeasibleDesignBelowNMax) {
  EXPECT_FALSE(simon_designs(0.10, 0.30, 0.05, 0.20, 20).has_value());
}

}  // namespace
}  // namespace il2sim::design
