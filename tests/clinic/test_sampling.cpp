// Registration draws of virtual patients recover their settings (model.md §4, §5) within Monte
// Carlo error at a fixed seed: disease at transplant, scheduling delay, refusal.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

#include <boost/math/distributions/normal.hpp>

#include "clinic_fixtures.hpp"

namespace il2sim::clinic {
namespace {

using model::ParamId;
using testing::binomial_tolerance;
using testing::default_scenario;

constexpr std::uint32_t kPatients = 4000;

std::vector<VirtualPatient> sample(const scenario::Scenario& s, std::uint32_t n = kPatients) {
  const auto* cohort = scenario::find_cohort(testing::arm(s, "il2").cohort);
  std::vector<VirtualPatient> out;
  out.reserve(n);
  for (std::uint32_t i = 1; i <= n; ++i) out.push_back(make_patient(s, *cohort, 0, i));
  return out;
}

/// Mean and SD of N(mu, sd²) truncated to [lo, hi] (closed form).
std::array<double, 2> truncated_normal_moments(double mu, double sd, double lo, double hi) {
  const boost::math::normal_distribution<double> z;
  const double a = (lo - mu) / sd;
  const double b = (hi - mu) / sd;
  const double Z = boost::math::cdf(z, b) - boost::math::cdf(z, a);
  const double pa = boost::math::pdf(z, a);
  const double pb = boost::math::pdf(z, b);
  const double mean = mu + sd * (pa - pb) / Z;
  const double var = sd * sd * (1.0 + (a * pa - b * pb) / Z - ((pa - pb) / Z) * ((pa - pb) / Z));
  return {mean, std::sqrt(var)};
}

void check_disease(double p_no_disease, double mu, double sd) {
  auto s = default_scenario();
  s.parameters.set(ParamId::kPNoDisease, p_no_disease);
  s.parameters.set(ParamId::kLog10L0Mean, mu);
  s.parameters.set(ParamId::kLog10L0Sd, sd);
  const auto patients = sample(s);
  std::vector<double> log10_L0;
  for (const auto& v : patients) {
    if (v.L0 > 0.0) log10_L0.push_back(std::log10(v.L0));
  }
  const double free = 1.0 - static_cast<double>(log10_L0.size()) / kPatients;
  EXPECT_NEAR(free, p_no_disease, binomial_tolerance(p_no_disease, kPatients))
      << "fraction with L0 = 0";
  for (const double x : log10_L0) {
    ASSERT_GE(x, 0.0);
    ASSERT_LE(x, 10.0);
  }
  const auto [m, d] = truncated_normal_moments(mu, sd, 0.0, 10.0);
  const double n = static_cast<double>(log10_L0.size());
  // 4 standard errors: SE(mean) = d/√n; SE(SD) ≈ d/√(2n) (normal-theory, the truncated tails are
  // light).
  EXPECT_NEAR(testing::mean(log10_L0), m, 4.0 * d / std::sqrt(n)) << "log10 L0 mean";
  EXPECT_NEAR(testing::sd(log10_L0), d, 4.0 * d / std::sqrt(2.0 * n)) << "log10 L0 SD";
}

// model.md §5: with probability p0 L0 = 0, else log10 L0 ~ N(6, 1.5²) truncated to [0, 10].
TEST(DiseaseAtTransplant, DefaultSettingsRecovered) {
  check_disease(0.15, 6.0, 1.5);
}

// A setting where truncation at 10 moves the mean by a whole log (closed form 7.98 vs 9).
TEST(DiseaseAtTransplant, HeavilyTruncatedSettingsRecovered) {
  check_disease(0.4, 9.0, 2.0);
}

// docs/model.md "Remission status": the AML cohorts of known remission status draw their residual
// disease from their own p_no_disease and log10_L0_mean, with the same draws as the generic cohort
// (common random numbers): equal settings give every patient the same L0 in both cohorts; other
// settings are recovered as above (closed form) and leave the generic cohort alone.
TEST(DiseaseAtTransplant, RemissionStatusCohortsUseTheirOwnSettings) {
  auto s = default_scenario();
  s.parameters.set(ParamId::kPNoDisease, 0.15);  // model.md §5
  s.parameters.set(ParamId::kLog10L0Sd, 1.5);    // model.md §5
  const auto* generic = scenario::find_cohort("adult-auto-aml");
  const auto* cr1 = scenario::find_cohort("adult-auto-aml-cr1");
  const auto* beyond = scenario::find_cohort("adult-auto-aml-beyond-cr1");
  ASSERT_NE(generic, nullptr);
  ASSERT_NE(cr1, nullptr);
  ASSERT_NE(beyond, nullptr);
  for (const ParamId id : {ParamId::kPNoDiseaseAmlCr1, ParamId::kPNoDiseaseAmlBeyondCr1})
    s.parameters.set(id, s.parameters[ParamId::kPNoDisease]);
  for (const ParamId id : {ParamId::kLog10L0MeanAmlCr1, ParamId::kLog10L0MeanAmlBeyondCr1})
    s.parameters.set(id, s.parameters[ParamId::kLog10L0Mean]);
  for (std::uint32_t i = 1; i <= 200; ++i) {
    const double L0 = make_patient(s, *generic, 0, i).L0;
    EXPECT_EQ(make_patient(s, *cr1, 0, i).L0, L0) << "patient " << i;
    EXPECT_EQ(make_patient(s, *beyond, 0, i).L0, L0) << "patient " << i;
  }
  // CR1 set apart (p 0.6, mean 3); SD the generic 1.5 (model.md §5).
  s.parameters.set(ParamId::kPNoDiseaseAmlCr1, 0.6);
  s.parameters.set(ParamId::kLog10L0MeanAmlCr1, 3.0);
  std::vector<double> log10_L0;
  std::uint32_t free_generic = 0;
  for (std::uint32_t i = 1; i <= kPatients; ++i) {
    const auto v = make_patient(s, *cr1, 0, i);
    if (v.L0 > 0.0) log10_L0.push_back(std::log10(v.L0));
    if (make_patient(s, *generic, 0, i).L0 == 0.0) {
      ++free_generic;
      EXPECT_EQ(v.L0, 0.0) << "patient " << i << ": the same draw, a larger p_no_disease";
    }
  }
  const double free = 1.0 - static_cast<double>(log10_L0.size()) / kPatients;
  EXPECT_NEAR(free, 0.6, binomial_tolerance(0.6, kPatients)) << "fraction with L0 = 0, CR1 cohort";
  EXPECT_NEAR(static_cast<double>(free_generic) / kPatients, 0.15,
              binomial_tolerance(0.15, kPatients))
      << "fraction with L0 = 0, generic cohort (model.md §5: 0.15)";
  const auto [m, d] = truncated_normal_moments(3.0, 1.5, 0.0, 10.0);
  const double n = static_cast<double>(log10_L0.size());
  EXPECT_NEAR(testing::mean(log10_L0), m, 4.0 * d / std::sqrt(n)) << "log10 L0 mean, CR1 cohort";
}

// model.md §4: scheduling delay ~ uniform whole days 0..max_scheduling_delay_days (default 14).
TEST(SchedulingDelay, UniformOnZeroToFourteen) {
  const auto s = default_scenario();
  ASSERT_EQ(s.protocol.max_scheduling_delay_days, 14);
  const auto patients = sample(s);
  std::array<int, 15> counts{};
  for (const auto& v : patients) {
    ASSERT_GE(v.scheduling_delay_days, 0);
    ASSERT_LE(v.scheduling_delay_days, 14);
    ++counts[static_cast<std::size_t>(v.scheduling_delay_days)];
  }
  // Pearson chi-square against uniform, 14 df: the 0.999 quantile is 36.12.
  const double expected = static_cast<double>(kPatients) / 15.0;
  double chisq = 0.0;
  for (const int c : counts) chisq += (c - expected) * (c - expected) / expected;
  EXPECT_LT(chisq, 36.12);
  double m = 0.0;
  for (const auto& v : patients) m += v.scheduling_delay_days;
  m /= kPatients;
  // Mean 7, SD √((15² − 1)/12) = 4.32.
  EXPECT_NEAR(m, 7.0, 4.0 * 4.32 / std::sqrt(double(kPatients)));
}

TEST(SchedulingDelay, FollowsTheSetting) {
  auto s = default_scenario();
  s.protocol.max_scheduling_delay_days = 3;
  std::array<int, 4> counts{};
  for (const auto& v : sample(s, 800)) {
    ASSERT_LE(v.scheduling_delay_days, 3);
    ++counts[static_cast<std::size_t>(v.scheduling_delay_days)];
  }
  for (const int c : counts) EXPECT_NEAR(c, 200, binomial_tolerance(0.25, 800) * 800);
  s.protocol.max_scheduling_delay_days = 0;
  for (const auto& v : sample(s, 50)) EXPECT_EQ(v.scheduling_delay_days, 0);
}

// model.md §4: refusal probability 0.11 (44/394 in S9438), and any other setting.
TEST(Refusal, RateMatchesTheSetting) {
  for (const double p : {0.11, 0.3, 0.0, 1.0}) {
    auto s = default_scenario();
    s.protocol.refusal_probability = p;
    const auto patients = sample(s);
    double refused = 0;
    for (const auto& v : patients) refused += v.refuses ? 1 : 0;
    EXPECT_NEAR(refused / kPatients, p, binomial_tolerance(p, kPatients))
        << "refusal_probability " << p;
  }
}

// Other reasons for not starting (protocol.other_attrition_probability), as refusal.
TEST(OtherAttrition, RateMatchesTheSetting) {
  for (const double p : {0.0, 0.2273, 1.0}) {
    auto s = default_scenario();
    s.protocol.other_attrition_probability = p;
    double other = 0;
    for (const auto& v : sample(s)) other += v.other_attrition ? 1 : 0;
    EXPECT_NEAR(other / kPatients, p, binomial_tolerance(p, kPatients))
        << "other_attrition_probability " << p;
  }
}

// The other-attrition draw comes after the protocol stream's earlier draws: setting it leaves the
// scheduling delay, refusal and LAK dose of every patient unchanged.
TEST(OtherAttrition, LeavesTheEarlierProtocolDrawsUnchanged) {
  auto a = default_scenario();
  auto b = default_scenario();
  b.protocol.other_attrition_probability = 0.5;
  const auto pa = sample(a, 200);
  const auto pb = sample(b, 200);
  int other = 0;
  for (std::size_t i = 0; i < pa.size(); ++i) {
    EXPECT_EQ(pa[i].scheduling_delay_days, pb[i].scheduling_delay_days);
    EXPECT_EQ(pa[i].refuses, pb[i].refuses);
    EXPECT_EQ(pa[i].lak_cells, pb[i].lak_cells);
    EXPECT_FALSE(pa[i].other_attrition);
    other += pb[i].other_attrition ? 1 : 0;
  }
  EXPECT_GT(other, 0);
}

// Common random numbers: changing one setting changes only the draws it governs.
TEST(RegistrationDraws, SettingsChangeOnlyTheirOwnDraws) {
  auto a = default_scenario();
  auto b = default_scenario();
  b.protocol.refusal_probability = 0.5;
  b.parameters.set(ParamId::kPNoDisease, 0.5);
  const auto pa = sample(a, 200);
  const auto pb = sample(b, 200);
  for (std::size_t i = 0; i < pa.size(); ++i) {
    EXPECT_EQ(pa[i].covariates.bsa_m2, pb[i].covariates.bsa_m2);
    EXPECT_EQ(pa[i].covariates.age_years, pb[i].covariates.age_years);
    EXPECT_EQ(pa[i].parameters.r, pb[i].parameters.r);
    EXPECT_EQ(pa[i].scheduling_delay_days, pb[i].scheduling_delay_days);
    EXPECT_EQ(pa[i].nrm_draw, pb[i].nrm_draw);
    if (pa[i].L0 > 0.0 && pb[i].L0 > 0.0) {
      EXPECT_EQ(pa[i].L0, pb[i].L0);
    }
  }
}

}  // namespace
}  // namespace il2sim::clinic
