// The targets' likelihoods (calibration/likelihood.hpp, docs/posterior.md): the binomial and
// Poisson log-likelihood ratios in closed form, their tempering by the simulation's Monte Carlo
// error, the range error model, the evidence the shipped targets carry and the refusals of bad
// evidence, and the ABC-SMC posterior of a binomial likelihood, which is a Beta in closed form.
#include <gtest/gtest.h>

#include <algorithm>
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

const Target& target(const TargetSet& set, const std::string& id) {
  const auto it = std::find_if(set.targets.begin(), set.targets.end(),
                               [&](const Target& t) { return t.id == id; });
  if (it == set.targets.end()) throw std::runtime_error("no target " + id);
  return *it;
}

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

// The evidence of the shipped targets file: the S9438 registration counts (facts.md §4), the
// Kaplan–Meier estimates with their cohorts' sizes, the grade-4 events as a rate, counts rows as
// evidence, and a continuous target without any.
TEST(Targets, ShippedEvidence) {
  const auto set = builtin_targets();
  const auto check = [&](const char* id, StatisticScale scale, double observed, double n) {
    const auto& e = target(set, id).evidence;
    EXPECT_EQ(e.scale, scale) << id;
    EXPECT_DOUBLE_EQ(e.observed, observed) << id;
    EXPECT_DOUBLE_EQ(e.patients, n) << id;
  };
  check("ST2", StatisticScale::kProportion, 190.0 / 394.0, 394.0);
  check("ST3_fatal_toxicity", StatisticScale::kProportion, 30.0 / 394.0, 394.0);
  check("DZ1_2y", StatisticScale::kProportion, 180.0 / 215.0, 215.0);
  check("DZ2_pfs4", StatisticScale::kProportion, 0.34, 376.0);
  check("DZ4", StatisticScale::kProportion, 0.68, 39.0);
  check("TX6", StatisticScale::kRate, 14.0 / 97.0, 97.0);
  check("TX2", StatisticScale::kProportion, 42.0 / 52.0, 52.0);
  EXPECT_EQ(target(set, "PK1").evidence.scale, StatisticScale::kOther);
  EXPECT_EQ(target(set, "DZ1_median").evidence.scale, StatisticScale::kOther);
  // Every evidence estimate lies in its target's range.
  for (const auto& t : set.targets) {
    if (t.evidence.scale == StatisticScale::kOther) continue;
    EXPECT_GE(t.evidence.observed, t.lower) << t.id;
    EXPECT_LE(t.evidence.observed, t.upper) << t.id;
  }
}

const char* kCohort = R"(format_version = 1
seed = 1
[experiments.c]
kind = "cohort"
scenario = "chiron-regimen"
cohort = "adult-auto-nhl"
regimen = "chiron"
patients = 10
days = 100
[experiments.e]
kind = "typical"
scenario = "chiron-regimen"
cohort = "adult-auto-nhl"
regimen = "chiron"
days = 60
[[targets]]
id = "A"
description = "d"
source = "s"
experiment = "c"
statistic = "fraction_toxic_death"
target = 0.1
lower = 0
upper = 0.2
EVIDENCE
)";

std::string error_with(const std::string& evidence, const std::string& statistic = {}) {
  std::string text = kCohort;
  text.replace(text.find("EVIDENCE"), 8, evidence);
  const std::string fraction = "experiment = \"c\"\nstatistic = \"fraction_toxic_death\"";
  if (!statistic.empty()) text.replace(text.find(fraction), fraction.size(), statistic);
  try {
    (void)parse_targets(text, "t.toml");
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

TEST(Targets, EvidenceForms) {
  EXPECT_EQ(error_with("evidence = { successes = 3, trials = 30 }"), "");
  EXPECT_EQ(error_with("evidence = { estimate = 0.1, patients = 52.5 }"), "");
  EXPECT_EQ(error_with("evidence = { events = 3, patients = 30 }",
                       "experiment = \"c\"\nstatistic = \"grade4_events_per_patient\""),
            "");
}

TEST(Targets, BadEvidenceIsRefusedNamingFileLineAndKey) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"evidence = { successes = 3, trials = 2 }",
       "t.toml:25:12: targets[0].evidence: out of range"},
      {"evidence = { successes = 1.5, trials = 2 }", "targets[0].evidence: out of range"},
      {"evidence = { estimate = 1.5, patients = 10 }", "targets[0].evidence: out of range"},
      {"evidence = { estimate = 0.1, patients = 0 }", "targets[0].evidence: out of range"},
      {"evidence = { estimate = 0.1 }", "targets[0].evidence.patients: missing"},
      {"evidence = { successes = 1, trials = 10, patients = 10 }", "two forms"},
      {"evidence = { events = 1, patients = 10 }", "targets[0].evidence.events: unknown key"},
      {"evidence = 3", "targets[0].evidence: expected a table"},
  };
  for (const auto& [evidence, message] : cases) {
    const auto e = error_with(evidence);
    EXPECT_NE(e.find(message), std::string::npos) << evidence << "\n" << e;
  }
  // Evidence on a statistic that is not a proportion or a rate.
  const auto e = error_with("evidence = { estimate = 0.1, patients = 10 }",
                            "experiment = \"e\"\nstatistic = \"value_at\"\ncolumn = \"C\"");
  EXPECT_NE(e.find("evidence for the statistic 'value_at'"), std::string::npos) << e;
}

}  // namespace
}  // namespace il2sim::calibration
