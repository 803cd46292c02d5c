// The targets' likelihoods (calibration/likelihood.hpp, docs/posterior.md): the binomial and
// Poisson log-likelihood ratios in closed form, their tempering by the simulation's Monte Carlo
// error, the range error model, and the ABC-SMC posterior of a binomial likelihood, which is a Beta
// in closed form. (The evidence of the targets file: test_targets.cpp.)
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "calibration/likelihood.hpp"
#include "calibration/smc.hpp"
#include "calibration/targets.hpp"
#include "core/error.hpp"

namespace il2sim::calibration {
namespace {

constexpr int kBig = 1000000000;  // virtual patients: the floor 0.5/(M + 1) plays no part

// The binomial coefficients cancel from the ratio, leaving 2 log(0.1 / (2/52)) + 50 log(0.9 /
// (50/52)); R: dbinom(2, 52, 0.1, log = TRUE) - dbinom(2, 52, 2/52, log = TRUE) = -1.395967235.
TEST(Likelihood, BinomialIsTheLogLikelihoodRatioToTheSourcesEstimate) {
  const Evidence e{StatisticScale::kProportion, 2.0 / 52.0, 52.0};
  const double expected = 2.0 * std::log(0.1 / (2.0 / 52.0)) + 50.0 * std::log(0.9 / (50.0 / 52.0));
  EXPECT_NEAR(evidence_log_likelihood(e, 0.1, 0.0, kBig), expected, 1e-12);
  EXPECT_NEAR(expected, -1.395967235, 1e-9);
  EXPECT_DOUBLE_EQ(evidence_log_likelihood(e, 2.0 / 52.0, 0.0, kBig), 0.0);
  // 0 of N observed: N log(1 − p); p = 0 is then the maximum.
  const Evidence none{StatisticScale::kProportion, 0.0, 14.0};
  EXPECT_NEAR(evidence_log_likelihood(none, 0.2, 0.0, kBig), 14.0 * std::log(0.8), 1e-12);
}

// log dpois(14, 97 λ) − log dpois(14, 14) = 14 log(97 λ / 14) − (97 λ − 14); at λ = 0.2, R:
// dpois(14, 19.4, log = TRUE) - dpois(14, 14, log = TRUE) = -0.8329796896.
TEST(Likelihood, PoissonForARate) {
  const Evidence e{StatisticScale::kRate, 14.0 / 97.0, 97.0};
  EXPECT_NEAR(evidence_log_likelihood(e, 0.2, 0.0, kBig), 14.0 * std::log(19.4 / 14.0) - 5.4,
              1e-12);
  EXPECT_NEAR(evidence_log_likelihood(e, 0.2, 0.0, kBig), -0.8329796896, 1e-9);
  EXPECT_DOUBLE_EQ(evidence_log_likelihood(e, 14.0 / 97.0, 0.0, kBig), 0.0);
}

// The weight v / (v + mc_se²): a simulation whose Monte Carlo variance equals the source's
// sampling variance p(1 − p)/N halves the log-likelihood (the variance of the difference doubles).
TEST(Likelihood, MonteCarloErrorTempersTheLikelihood) {
  const Evidence e{StatisticScale::kProportion, 0.34, 376.0};
  const double p = 0.30;
  const double exact = evidence_log_likelihood(e, p, 0.0, kBig);
  const double se = std::sqrt(p * (1.0 - p) / 376.0);
  EXPECT_NEAR(evidence_log_likelihood(e, p, se, kBig), exact / 2.0, 1e-12);
  EXPECT_LT(exact, 0.0);
}

// A simulated 0 (or 1) of M virtual patients is kept 0.5/(M + 1) away, so one unlucky sample is
// not impossible; a NaN statistic (no virtual patient) is.
TEST(Likelihood, SimulatedZeroIsFloredAndNaNIsImpossible) {
  const Evidence e{StatisticScale::kProportion, 2.0 / 52.0, 52.0};
  const double floor = 0.5 / 101.0;
  const double expected =
      2.0 * std::log(floor / (2.0 / 52.0)) + 50.0 * std::log((1.0 - floor) / (50.0 / 52.0));
  EXPECT_NEAR(evidence_log_likelihood(e, 0.0, 0.0, 100), expected, 1e-12);
  EXPECT_NEAR(evidence_log_likelihood(e, 1.0, 0.0, 100),
              2.0 * std::log((1.0 - floor) / (2.0 / 52.0)) + 50.0 * std::log(floor / (50.0 / 52.0)),
              1e-12);
  EXPECT_EQ(evidence_log_likelihood(e, std::nan(""), 0.0, 100),
            -std::numeric_limits<double>::infinity());
}

// A target without evidence keeps the range error model under `binomial`; informational targets
// add nothing; the weight multiplies; the range model is −½ (1.959964 d)², 0 inside (d = distance
// outside / half-width: 0.4 outside [0, 2] → d = 0.4).
TEST(Likelihood, RangeModelForTargetsWithoutEvidence) {
  Target t;
  t.id = "A";
  t.weight = 2.0;
  TargetResult r;
  r.id = "A";
  r.lower = 0.0;
  r.upper = 2.0;
  r.simulated = 2.4;
  const double z = 1.959963984540054 * 0.4;
  for (const auto l : {Likelihood::kRange, Likelihood::kBinomial})
    EXPECT_NEAR(target_log_likelihood(r, t, l), -0.5 * 2.0 * z * z, 1e-12);
  r.simulated = 1.0;
  EXPECT_EQ(target_log_likelihood(r, t, Likelihood::kBinomial), 0.0);
  t.evidence = {StatisticScale::kProportion, 0.5, 10.0};
  r.simulated = 0.5;  // inside the range and at the estimate
  r.n = 1000;
  EXPECT_EQ(target_log_likelihood(r, t, Likelihood::kBinomial), 0.0);
  r.simulated = 0.2;
  EXPECT_NEAR(target_log_likelihood(r, t, Likelihood::kBinomial),
              2.0 * (5.0 * std::log(0.4) + 5.0 * std::log(1.6)), 1e-12);
  EXPECT_EQ(target_log_likelihood(r, t, Likelihood::kRange), 0.0);  // 0.2 is inside [0, 2]
  r.informational = true;
  EXPECT_EQ(target_log_likelihood(r, t, Likelihood::kBinomial), 0.0);
}

TEST(Likelihood, NamesAndRefusal) {
  EXPECT_EQ(parse_likelihood("range", "--likelihood"), Likelihood::kRange);
  EXPECT_EQ(parse_likelihood("binomial", "--likelihood"), Likelihood::kBinomial);
  try {
    (void)parse_likelihood("poisson", "--likelihood");
    FAIL() << "accepted";
  } catch (const UserError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("--likelihood"), std::string::npos) << what;
    EXPECT_NE(what.find("unknown likelihood 'poisson'"), std::string::npos) << what;
    EXPECT_NE(what.find("range, binomial"), std::string::npos) << what;
  }
}

// Uniform prior on p, k = 7 of N = 20 with the simulation giving p exactly: the posterior is
// Beta(8, 14), mean 8/22 = 0.36364, SD √(8·14 / (22²·23)) = 0.10031 (closed form). ABC-SMC with
// 1000 particles (ESS ≥ 250 after each step): mean within 3 MC SEs, 3 · 0.1003 / √250 = 0.019; SD
// within 10 %.
TEST(Likelihood, AbcSmcOfTheBinomialIsTheBetaPosterior) {
  const Evidence e{StatisticScale::kProportion, 7.0 / 20.0, 20.0};
  SmcOptions o;
  o.particles = 1000;
  o.seed = 11;
  const auto r = abc_smc(
      {{"p", 0.0, 1.0, false}},
      [&](const std::vector<double>& t) {
        return LikelihoodDraw{evidence_log_likelihood(e, t[0], 0.0, kBig), {}};
      },
      o);
  double m = 0.0, s = 0.0;
  for (const auto& p : r.particles) m += p[0];
  m /= static_cast<double>(r.particles.size());
  for (const auto& p : r.particles) s += (p[0] - m) * (p[0] - m);
  s = std::sqrt(s / static_cast<double>(r.particles.size() - 1));
  EXPECT_NEAR(m, 8.0 / 22.0, 0.019);
  EXPECT_NEAR(s, std::sqrt(8.0 * 14.0 / (22.0 * 22.0 * 23.0)), 0.010);
}

}  // namespace
}  // namespace il2sim::calibration
