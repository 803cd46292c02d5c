// The ABC-SMC sampler (calibration/smc.hpp) on problems whose posterior is known in closed form,
// simulation-based calibration of its 90 % intervals, its prior-only limit and its determinism.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "calibration/smc.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "core/statistics.hpp"

namespace il2sim::calibration {
namespace {

/// log N(y; mu, sd) summed over coordinates.
double gaussian_log_density(const std::vector<double>& y, const std::vector<double>& mu,
                            double sd) {
  double l = 0.0;
  for (std::size_t j = 0; j < y.size(); ++j) {
    const double z = (y[j] - mu[j]) / sd;
    l += -0.5 * z * z - std::log(sd * std::sqrt(2.0 * std::numbers::pi));
  }
  return l;
}

std::vector<double> column(const SmcResult& r, std::size_t j) {
  std::vector<double> out;
  for (const auto& p : r.particles) out.push_back(p[j]);
  return out;
}

double mean(const std::vector<double>& x) {
  double s = 0.0;
  for (const double v : x) s += v;
  return s / static_cast<double>(x.size());
}

double sd(const std::vector<double>& x) {
  const double m = mean(x);
  double s = 0.0;
  for (const double v : x) s += (v - m) * (v - m);
  return std::sqrt(s / static_cast<double>(x.size() - 1));
}

// Prior U(0, 1), one observation y = 0.3 of N(θ, 0.05²): the posterior is N(0.3, 0.05²) truncated
// to [0, 1], 6 SDs away on either side, so mean 0.3 and SD 0.05 to 1e-8; the evidence is Φ(14) −
// Φ(−6) = 1 − 1e-9, log Z = 0. Tolerances: with N = 1000 particles and an effective sample of at
// least N/4 after the moves, the mean's MC SE is at most 0.05 / √250 = 0.0032: 3 SEs = 0.0095; the
// SD within 10 % (its relative SE 1/√(2 · 250) = 0.045, twice that); log Z within 0.1 (the
// estimator's SD, about √(Σ_t (1/ESS_t − 1/N)) over ~3 steps, is below 0.05).
TEST(AbcSmc, RecoversAGaussianPosteriorAndItsEvidence) {
  const std::vector<PriorRange> prior{{"theta", 0.0, 1.0, false}};
  SmcOptions o;
  o.particles = 1000;
  o.seed = 7;
  const auto r = abc_smc(
      prior,
      [](const std::vector<double>& t) {
        return LikelihoodDraw{gaussian_log_density({0.3}, t, 0.05), {t[0]}};
      },
      o);
  const auto x = column(r, 0);
  EXPECT_NEAR(mean(x), 0.3, 0.0095);
  EXPECT_NEAR(sd(x), 0.05, 0.005);
  EXPECT_NEAR(r.log_evidence, 0.0, 0.1);
  ASSERT_FALSE(r.steps.empty());
  EXPECT_EQ(r.steps.back().temperature, 1.0);
  for (std::size_t i = 1; i < r.steps.size(); ++i)
    EXPECT_GT(r.steps[i].temperature, r.steps[i - 1].temperature);
  // Each particle keeps its own log-likelihood and outputs (the posterior predictive checks use
  // them).
  for (std::size_t i = 0; i < r.particles.size(); ++i) {
    EXPECT_EQ(r.draws[i].outputs.at(0), r.particles[i][0]);
    EXPECT_EQ(r.draws[i].log_likelihood, gaussian_log_density({0.3}, r.particles[i], 0.05));
  }
}

// Simulation-based calibration (Talts et al. 2018, arXiv:1804.06788): θ* ~ U(0, 1)², data
// y = (θ1 + θ2, θ1 − θ2) + N(0, 0.1²) each, the sampler's 90 % intervals (type-7 quantiles 0.05 and
// 0.95 of the particles) must contain θ* in 90 % of the 2 × 100 cases. Binomial SE of the share at
// 200 cases sqrt(0.9 · 0.1 / 200) = 0.021; tolerance 0.065 (about 3 SEs).
TEST(AbcSmc, NinetyPercentIntervalsCoverTheTruthNinetyPercentOfTheTime) {
  const std::vector<PriorRange> prior{{"a", 0.0, 1.0, false}, {"b", 0.0, 1.0, false}};
  auto model = [](const std::vector<double>& t) {
    return std::vector<double>{t[0] + t[1], t[0] - t[1]};
  };
  int covered = 0, cases = 0;
  for (std::uint32_t rep = 0; rep < 100; ++rep) {
    RandomStream rs(2026, rep, 0, Purpose::kTest);
    const std::vector<double> truth{rs.uniform(), rs.uniform()};
    auto y = model(truth);
    for (auto& v : y) v += 0.1 * rs.normal();
    SmcOptions o;
    o.particles = 300;
    o.seed = 100 + rep;
    const auto r = abc_smc(
        prior,
        [&](const std::vector<double>& t) {
          return LikelihoodDraw{gaussian_log_density(y, model(t), 0.1), {}};
        },
        o);
    for (std::size_t j = 0; j < 2; ++j) {
      const auto x = column(r, j);
      covered += core::quantile(x, 0.05) <= truth[j] && truth[j] <= core::quantile(x, 0.95);
      ++cases;
    }
  }
  EXPECT_NEAR(static_cast<double>(covered) / cases, 0.90, 0.065) << covered << " of " << cases;
}

// A constant likelihood (prior only): one step straight to φ = 1 with ESS = N, log Z = 0, every
// move that stays inside the prior's box accepted (those leaving it are rejected unevaluated), and
// the particles a sample of the prior. Log-uniform on [1, 100]: log10 θ ~ U(0, 2), median 10,
// quartiles 10^0.5 and 10^1.5; with N = 2000 the quantile's SE in log10 units is sqrt(p(1−p)/N) · 2
// ≤ 0.0224: tolerance 0.07 (3 SEs).
TEST(AbcSmc, AConstantLikelihoodGivesThePrior) {
  const std::vector<PriorRange> prior{{"k", 1.0, 100.0, true}};
  SmcOptions o;
  o.particles = 2000;
  o.seed = 3;
  const auto r = abc_smc(
      prior,
      [](const std::vector<double>&) {
        return LikelihoodDraw{0.0, {}};
      },
      o);
  ASSERT_EQ(r.steps.size(), 1U);
  EXPECT_EQ(r.steps[0].temperature, 1.0);
  EXPECT_NEAR(r.steps[0].ess, 2000.0, 1e-6);
  EXPECT_NEAR(r.log_evidence, 0.0, 1e-12);
  EXPECT_NEAR(r.steps[0].acceptance * 2000.0 * r.steps[0].moves,
              static_cast<double>(r.steps[0].evaluations), 1e-6);
  std::vector<double> lg;
  for (const auto& p : r.particles) {
    ASSERT_GE(p[0], 1.0);
    ASSERT_LE(p[0], 100.0);
    lg.push_back(std::log10(p[0]));
  }
  EXPECT_NEAR(core::quantile(lg, 0.25), 0.5, 0.07);
  EXPECT_NEAR(core::quantile(lg, 0.50), 1.0, 0.07);
  EXPECT_NEAR(core::quantile(lg, 0.75), 1.5, 0.07);
  // sample_prior draws the same first population.
  const auto direct = sample_prior(prior, 2000, 3);
  std::vector<double> ld;
  for (const auto& p : direct) ld.push_back(std::log10(p[0]));
  EXPECT_NEAR(core::quantile(ld, 0.5), 1.0, 0.07);
}

// The result is a function of the seed only: the same for one thread and for four.
TEST(AbcSmc, SameResultForAnyThreadCount) {
  const std::vector<PriorRange> prior{{"a", 0.01, 10.0, true}, {"b", -1.0, 1.0, false}};
  auto ll = [](const std::vector<double>& t) {
    return LikelihoodDraw{gaussian_log_density({std::log(t[0]) + t[1]}, {0.5}, 0.2), {t[1]}};
  };
  SmcOptions o;
  o.particles = 200;
  o.seed = 11;
  const auto one = abc_smc(prior, ll, o);
  o.threads = 4;
  const auto four = abc_smc(prior, ll, o);
  EXPECT_EQ(one.particles, four.particles);
  EXPECT_EQ(one.log_evidence, four.log_evidence);
  EXPECT_EQ(one.evaluations, four.evaluations);
  o.seed = 12;
  EXPECT_NE(abc_smc(prior, ll, o).particles, one.particles);
}

// Impossible everywhere: refused with a message that says how to go on.
TEST(AbcSmc, EveryPriorDrawImpossibleIsRefused) {
  const std::vector<PriorRange> prior{{"a", 0.0, 1.0, false}};
  SmcOptions o;
  o.particles = 20;
  try {
    (void)abc_smc(
        prior,
        [](const std::vector<double>&) {
          return LikelihoodDraw{-std::numeric_limits<double>::infinity(), {}};
        },
        o);
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("every one of the 20 prior draws"), std::string::npos);
  }
}

}  // namespace
}  // namespace il2sim::calibration
