// Hand-derived cases: Therneau & Grambsch (2000), "Modeling Survival Data", and the survival
// package's validation document (tests/book1.R, "test data 1"), and the aml data set.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "reference.hpp"
#include "survival/cox.hpp"
#include "survival/km.hpp"
#include "survival/logrank.hpp"

namespace il2sim::survival::testing {
namespace {

// Test data 1 of the validation document: time (9,3,1,1,6,6,8), status (1,NA,1,0,1,1,0),
// x (0,2,1,1,1,0,0); the row with status NA is dropped, leaving these six.
const std::vector<double> kTime{9, 1, 1, 6, 6, 8};
const std::vector<int> kStatus{1, 1, 0, 1, 1, 0};
const std::vector<double> kX{0, 1, 1, 1, 0, 0};

CoxResult fit_test1(Ties ties) {
  Design d;
  d.x = Eigen::Map<const Eigen::VectorXd>(kX.data(), static_cast<Eigen::Index>(kX.size()));
  d.terms = {"x"};
  CoxOptions opt;
  opt.ties = ties;
  return cox_fit(kTime, kStatus, d, single_level(kTime.size(), "all"), opt);
}

TEST(Therneau, BreslowTestData1ClosedForm) {
  // Breslow: loglik(b) = 2b - log(3r + 3) - 2 log(r + 3), r = exp(b); the score vanishes at
  // r = (3 + sqrt(33)) / 2 (validation document, section "test data 1").
  const auto r = fit_test1(Ties::kBreslow);
  const double beta = std::log((3 + std::sqrt(33.0)) / 2);
  EXPECT_NEAR(r.terms[0].coef, beta, 1e-6);
  const double e = std::exp(beta);
  EXPECT_NEAR(r.loglik, 2 * beta - std::log(3 * e + 3) - 2 * std::log(e + 3), 1e-9);
  // loglik(0) = -log 6 - 2 log 4 (same formula at b = 0).
  EXPECT_NEAR(r.loglik_null, -std::log(6.0) - 2 * std::log(4.0), 1e-12);
  // Information: r/(r+1)^2 + 6r/(r+3)^2 (derivative of the score above).
  const double info = e / ((e + 1) * (e + 1)) + 6 * e / ((e + 3) * (e + 3));
  EXPECT_NEAR(r.terms[0].se, 1 / std::sqrt(info), 1e-6);
  // Score test at b = 0: U(0)^2 / I(0) with U(0) = 2 - 1/2 - 2/4 = 1, I(0) = 1/4 + 6/16.
  EXPECT_NEAR(r.score.chisq, 1.0 / (0.25 + 6.0 / 16), 1e-12);
}

TEST(Therneau, EfronTestData1) {
  // Efron: the tied deaths at t = 6 (x = 1 and x = 0) see denominators r + 3 and (r + 5) / 2, so
  // loglik(b) = 2b - log(3r + 3) - log(r + 3) - log((r + 5) / 2); the validation document gives
  // b-hat = 1.676857.
  const auto r = fit_test1(Ties::kEfron);
  EXPECT_NEAR(r.terms[0].coef, 1.676857, 1e-6);
  const double e = std::exp(r.terms[0].coef);
  const double score = 2 - e / (e + 1) - e / (e + 3) - e / (e + 5);
  EXPECT_NEAR(score, 0, 1e-8);
  EXPECT_NEAR(r.loglik,
              2 * std::log(e) - std::log(3 * e + 3) - std::log(e + 3) - std::log((e + 5) / 2),
              1e-9);
}

TEST(Therneau, KaplanMeierTestData1) {
  // By hand: S(1) = 5/6, S(6) = 5/6 * 2/4, S(9) = 0; Greenwood sum 1/(6*5) + 2/(4*2).
  const auto c = kaplan_meier(kTime, kStatus, KmOptions{});
  ASSERT_EQ(c.time, (std::vector<double>{1, 6, 8, 9}));
  EXPECT_EQ(c.n_risk, (std::vector<long>{6, 4, 2, 1}));
  EXPECT_NEAR(c.surv[0], 5.0 / 6, 1e-15);
  EXPECT_NEAR(c.surv[1], 5.0 / 12, 1e-15);
  EXPECT_NEAR(c.surv[2], 5.0 / 12, 1e-15);
  EXPECT_EQ(c.surv[3], 0.0);
  EXPECT_NEAR(c.std_err[1], 5.0 / 12 * std::sqrt(1.0 / 30 + 1.0 / 4), 1e-15);
  EXPECT_TRUE(is_na(c.std_err[3]));  // R prints NaN where S = 0
  EXPECT_TRUE(is_na(c.lower[3]));
  // S first drops below 1/2 at t = 6.
  EXPECT_EQ(c.median, 6.0);
}

TEST(Therneau, MedianOnAFlatStretchAtOneHalf) {
  // survmean's rule (print.survfit): S = 1/2 exactly on [2, 4) -> the median is (2 + 4) / 2.
  const std::vector<double> t2{1, 2, 3, 4};
  const std::vector<int> e2{1, 1, 0, 1};
  const auto c2 = kaplan_meier(t2, e2, KmOptions{});
  ASSERT_EQ(c2.surv[1], 0.5);  // 3/4 * 2/3
  EXPECT_EQ(c2.median, 3.0);   // flat at 1/2 over [2, 4): the censoring at 3 is a listed time
  // The midpoint runs from the first time at 1/2 to the first time below it: (2 + 7) / 2.
  EXPECT_EQ(survival_median(std::vector<double>{2, 5, 7}, std::vector<double>{0.5, 0.5, 0.25}),
            4.5);
}

TEST(Therneau, AmlPublishedValues) {
  // Therneau & Grambsch (2000) and ?survdiff / ?coxph examples on aml: log-rank chi-square 3.4 on
  // 1 df; Cox coefficient 0.9155 (Efron) and 0.9042 (Breslow), printed to 4 decimals.
  const Frame f("aml.csv", {"time", "status", "x"});
  const auto lr = logrank(f.times("time"), f.events("status"), f.factor("x"), f.factor(""), 0);
  EXPECT_NEAR(lr.chisq, 3.4, 0.05);
  std::vector<std::size_t> cov{f.table.column("x")};
  const Design d = build_design(f.table, cov, f.rows.rows);
  CoxOptions efron;
  const auto ce = cox_fit(f.times("time"), f.events("status"), d, f.factor(""), efron);
  EXPECT_NEAR(ce.terms[0].coef, 0.9155, 5e-5);
  CoxOptions breslow;
  breslow.ties = Ties::kBreslow;
  const auto cb = cox_fit(f.times("time"), f.events("status"), d, f.factor(""), breslow);
  EXPECT_NEAR(cb.terms[0].coef, 0.9042, 5e-5);
  // And to 1e-6 against R (expected.csv, cases lr_aml, cox_aml_efron, cox_aml_breslow).
  const auto& e = Expected::get();
  EXPECT_TRUE(agrees(lr.chisq, e.scalar("lr_aml", "", "chisq")));
  EXPECT_TRUE(agrees(ce.terms[0].coef, e.scalar("cox_aml_efron", "xNonmaintained", "coef")));
  EXPECT_TRUE(agrees(cb.terms[0].coef, e.scalar("cox_aml_breslow", "xNonmaintained", "coef")));
}

TEST(Therneau, NearSeparationWarnsAndStaysFinite) {
  // Every subject with x = 1 dies before every subject with x = 0: the MLE is +infinity. R warns
  // "Loglik converged before variable 1 ; coefficient may be infinite."; expected.csv case
  // cox_separated holds R's numbers for the same data (tests/survival/fixtures/separated.csv).
  const Frame f("separated.csv", {"time", "status", "x"});
  std::vector<std::size_t> cov{f.table.column("x")};
  const Design d = build_design(f.table, cov, f.rows.rows);
  const auto r = cox_fit(f.times("time"), f.events("status"), d, f.factor(""), CoxOptions{});
  ASSERT_EQ(r.warnings.size(), 1U);
  EXPECT_NE(r.warnings[0].find("Loglik converged before variable 1"), std::string::npos);
  EXPECT_NE(r.warnings[0].find("coefficient may be infinite"), std::string::npos);
  for (double v : {r.terms[0].coef, r.terms[0].se, r.terms[0].z, r.terms[0].p, r.loglik, r.lr.chisq,
                   r.wald.chisq, r.score.chisq}) {
    EXPECT_TRUE(std::isfinite(v));
  }
  const auto& e = Expected::get();
  EXPECT_TRUE(agrees(r.terms[0].coef, e.scalar("cox_separated", "x", "coef")));
  EXPECT_TRUE(agrees(r.loglik, e.scalar("cox_separated", "", "loglik", 1)));
  EXPECT_EQ(r.iterations, static_cast<int>(e.scalar("cox_separated", "", "iterations")));
}

}  // namespace
}  // namespace il2sim::survival::testing
