#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <numbers>
#include <numeric>
#include <vector>

#include "core/error.hpp"
#include "population/growth.hpp"
#include "population/population.hpp"

namespace il2sim::population {
namespace {

using model::ParamId;
using model::Sex;

constexpr std::uint64_t kSeed = 20260101;

struct Moments {
  double mean;
  double sd;
};

Moments moments(const std::vector<double>& x) {
  const double n = static_cast<double>(x.size());
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double ss = 0.0;
  for (const double v : x) ss += (v - mean) * (v - mean);
  return {mean, std::sqrt(ss / (n - 1.0))};
}

double correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const Moments mx = moments(x);
  const Moments my = moments(y);
  double sxy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) sxy += (x[i] - mx.mean) * (y[i] - my.mean);
  return sxy / (static_cast<double>(x.size()) - 1.0) / (mx.sd * my.sd);
}

// Standard error of a Pearson correlation of a bivariate normal sample: (1 − ρ²)/√n.
double correlation_se(double rho, std::size_t n) {
  return (1.0 - rho * rho) / std::sqrt(static_cast<double>(n));
}

// Kolmogorov–Smirnov distance of a sample from N(0, 1).
double ks_distance_standard_normal(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  const boost::math::normal_distribution<double> standard;
  const double n = static_cast<double>(x.size());
  double d = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double f = boost::math::cdf(standard, x[i]);
    d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  return d;
}

// Asymptotic KS critical value at α = 0.001: √(−ln(α/2)/2)/√n = 1.9495/√n (Smirnov 1948).
double ks_critical_0001(std::size_t n) {
  return std::sqrt(-std::log(0.001 / 2.0) / 2.0) / std::sqrt(static_cast<double>(n));
}

bool same(const model::Covariates& a, const model::Covariates& b) {
  return a.sex == b.sex && a.age_years == b.age_years && a.height_cm == b.height_cm &&
         a.weight_kg == b.weight_kg && a.bsa_m2 == b.bsa_m2;
}

// ---- Adults: body size derivation ---------------------------------------------------------------

// Reference numbers printed by tools/reference/population/adult_body_size.py (10 decimals).
TEST(AdultBodySize, MatchesTheReferenceScript) {
  const BodySize men = body_size_for_mosteller_bsa(1.91, 0.19, 176.0, 0.040, 0.45);
  EXPECT_NEAR(men.weight_median_kg, 73.8890535567, 1e-9);
  EXPECT_NEAR(men.weight_log_sd, 0.1772221465, 1e-9);
  const BodySize women = body_size_for_mosteller_bsa(1.71, 0.19, 163.0, 0.040, 0.45);
  EXPECT_NEAR(women.weight_median_kg, 63.7937722580, 1e-9);
  EXPECT_NEAR(women.weight_log_sd, 0.2006421057, 1e-9);
}

// Mosteller BSA of the default adults is log-normal; its exact mean and SD are Sacco et al. 2010
// (PLoS One 5:e8933; model.md §5): men 1.91, women 1.71, SD 0.19 m².
TEST(AdultBodySize, DefaultsGiveSaccoBsaMomentsInClosedForm) {
  const PopulationSettings s = adult_population();
  const struct {
    BodySize b;
    double mean;
  } cases[] = {{s.men, 1.91}, {s.women, 1.71}};
  for (const auto& c : cases) {
    const double mu =
        (std::log(c.b.height_median_cm) + std::log(c.b.weight_median_kg) - std::log(3600.0)) / 2.0;
    const double var =
        (c.b.height_log_sd * c.b.height_log_sd + c.b.weight_log_sd * c.b.weight_log_sd +
         2.0 * c.b.rho_log * c.b.height_log_sd * c.b.weight_log_sd) /
        4.0;
    const double mean = std::exp(mu + var / 2.0);
    EXPECT_NEAR(mean, c.mean, 1e-12);
    EXPECT_NEAR(mean * std::sqrt(std::expm1(var)), 0.19, 1e-12);
  }
}

// ---- Adults: Monte Carlo ------------------------------------------------------------------------

struct AdultSample {
  std::vector<double> bsa[2], log_h[2], log_w[2], age;
  std::size_t males = 0;
};

AdultSample sample_adults(std::uint32_t n) {
  const PopulationSettings s = adult_population();
  AdultSample out;
  for (std::uint32_t k = 0; k < n; ++k) {
    const model::Covariates c = sample_covariates(s, kSeed, 0, k);
    const int i = c.sex == Sex::kMale ? 0 : 1;
    out.males += c.sex == Sex::kMale ? 1u : 0u;
    out.bsa[i].push_back(c.bsa_m2);
    out.log_h[i].push_back(std::log(c.height_cm));
    out.log_w[i].push_back(std::log(c.weight_kg));
    out.age.push_back(c.age_years);
  }
  return out;
}

// Sacco et al. 2010 (model.md §5): BSA mean 1.91 (men), 1.71 (women), SD 0.19 m². Tolerances: 4
// Monte Carlo standard errors; SE(mean) = SD/√n, SE(SD) = SD·√((κ − 1)/(4n)) with κ the log-normal
// kurtosis. Sex 50/50 (model.md §5): 4 binomial SEs.
TEST(AdultPopulation, RecoversSaccoBsaMomentsBySex) {
  const std::uint32_t n = 40000;
  const AdultSample a = sample_adults(n);
  EXPECT_NEAR(static_cast<double>(a.males) / n, 0.5, 4.0 * std::sqrt(0.25 / n));
  const double target_mean[] = {1.91, 1.71};
  for (int i = 0; i < 2; ++i) {
    const double m = static_cast<double>(a.bsa[i].size());
    const double cv = 0.19 / target_mean[i];
    const double w = 1.0 + cv * cv;  // exp(σ²) of the log-normal BSA
    const double kurtosis = w * w * w * w + 2 * w * w * w + 3 * w * w - 3.0;
    const Moments got = moments(a.bsa[i]);
    EXPECT_NEAR(got.mean, target_mean[i], 4.0 * 0.19 / std::sqrt(m)) << (i == 0 ? "men" : "women");
    EXPECT_NEAR(got.sd, 0.19, 4.0 * 0.19 * std::sqrt((kurtosis - 1.0) / (4.0 * m)))
        << (i == 0 ? "men" : "women");
  }
}

// ln BSA of men is N(μB, σB²) (population.hpp): KS at α = 0.001 on the standardised values.
TEST(AdultPopulation, LogBsaOfMenIsNormal) {
  const AdultSample a = sample_adults(20000);
  const double var = std::log1p((0.19 / 1.91) * (0.19 / 1.91));  // Sacco 2010 moments
  const double mu = std::log(1.91) - var / 2.0;
  std::vector<double> z;
  for (const double b : a.bsa[0]) z.push_back((std::log(b) - mu) / std::sqrt(var));
  EXPECT_LT(ks_distance_standard_normal(z), ks_critical_0001(z.size()));
}

// Heights and weights: log-medians and log-SDs as set, and corr(ln H, ln W) = 0.45
// (adult_population): 4 standard errors (SE(mean) = σ/√n, SE(SD) = σ/√(2n), SE(r) = (1 − ρ²)/√n).
TEST(AdultPopulation, HeightWeightLogMomentsAndCorrelation) {
  const AdultSample a = sample_adults(40000);
  const PopulationSettings s = adult_population();
  const BodySize* sizes[] = {&s.men, &s.women};
  for (int i = 0; i < 2; ++i) {
    const BodySize& b = *sizes[i];
    const double m = static_cast<double>(a.log_h[i].size());
    const Moments h = moments(a.log_h[i]);
    const Moments w = moments(a.log_w[i]);
    EXPECT_NEAR(h.mean, std::log(b.height_median_cm), 4.0 * b.height_log_sd / std::sqrt(m));
    EXPECT_NEAR(h.sd, b.height_log_sd, 4.0 * b.height_log_sd / std::sqrt(2.0 * m));
    EXPECT_NEAR(w.mean, std::log(b.weight_median_kg), 4.0 * b.weight_log_sd / std::sqrt(m));
    EXPECT_NEAR(w.sd, b.weight_log_sd, 4.0 * b.weight_log_sd / std::sqrt(2.0 * m));
    EXPECT_NEAR(correlation(a.log_h[i], a.log_w[i]), 0.45,
                4.0 * correlation_se(0.45, a.log_h[i].size()));
  }
}

// Age normal(48, 12) truncated to [18, 70] (adult_population): all ages inside; mean and SD equal
// the truncated-normal moments (Johnson, Kotz & Balakrishnan, Continuous Univariate Distributions
// vol. 1, §10.1) within 4 standard errors (SE(SD) = σ/√(2n) is conservative: the truncated normal
// is platykurtic); Φ⁻¹ of the probability-integral transform is N(0, 1): KS at α = 0.001.
TEST(AdultPopulation, AgeIsTheTruncatedNormal) {
  const std::uint32_t n = 40000;
  const AdultSample a = sample_adults(n);
  const boost::math::normal_distribution<double> standard;
  const double alpha = (18.0 - 48.0) / 12.0;
  const double beta = (70.0 - 48.0) / 12.0;
  const double mass = boost::math::cdf(standard, beta) - boost::math::cdf(standard, alpha);
  const double pa = boost::math::pdf(standard, alpha);
  const double pb = boost::math::pdf(standard, beta);
  const double mean = 48.0 + 12.0 * (pa - pb) / mass;
  const double var =
      144.0 * (1.0 + (alpha * pa - beta * pb) / mass - ((pa - pb) / mass) * ((pa - pb) / mass));
  EXPECT_GE(*std::min_element(a.age.begin(), a.age.end()), 18.0);
  EXPECT_LE(*std::max_element(a.age.begin(), a.age.end()), 70.0);
  const Moments got = moments(a.age);
  EXPECT_NEAR(got.mean, mean, 4.0 * std::sqrt(var / n));
  EXPECT_NEAR(got.sd, std::sqrt(var), 4.0 * std::sqrt(var / (2.0 * n)));
  std::vector<double> z;
  for (const double age : a.age) {
    const double u =
        (boost::math::cdf(standard, (age - 48.0) / 12.0) - boost::math::cdf(standard, alpha)) /
        mass;
    z.push_back(boost::math::quantile(standard, std::clamp(u, 1e-15, 1.0 - 1e-15)));
  }
  EXPECT_LT(ks_distance_standard_normal(z), ks_critical_0001(z.size()));
}

// ---- Children
// -------------------------------------------------------------------------------------

// At a fixed age the sample median of height and weight is the CDC M (the median, z = 0).
// Tolerance: 4 SEs of a sample median, √(π/2)·σ/√n in z, times dX/dz = M·S at z = 0.
TEST(PaediatricPopulation, MedianHeightAndWeightAtAFixedAgeAreTheLmsM) {
  const std::uint32_t n = 20001;
  const struct {
    Sex sex;
    double age_years;
  } cases[] = {{Sex::kMale, 10.0}, {Sex::kFemale, 6.0}, {Sex::kFemale, 15.5}};
  for (const auto& c : cases) {
    PopulationSettings s = paediatric_population();
    s.male_fraction = c.sex == Sex::kMale ? 1.0 : 0.0;
    s.age.min_years = c.age_years;
    s.age.max_years = c.age_years;
    std::vector<double> h, w;
    for (std::uint32_t k = 0; k < n; ++k) {
      const model::Covariates cov = sample_covariates(s, kSeed, 0, k);
      ASSERT_EQ(cov.sex, c.sex);
      ASSERT_EQ(cov.age_years, c.age_years);
      h.push_back(cov.height_cm);
      w.push_back(cov.weight_kg);
    }
    std::nth_element(h.begin(), h.begin() + n / 2, h.end());
    std::nth_element(w.begin(), w.begin() + n / 2, w.end());
    const Lms lh = cdc_lms(GrowthChart::kStatureForAge, c.sex, c.age_years * 12.0);
    const Lms lw = cdc_lms(GrowthChart::kWeightForAge, c.sex, c.age_years * 12.0);
    const double se_z = std::sqrt(std::numbers::pi / 2.0) / std::sqrt(static_cast<double>(n));
    EXPECT_NEAR(h[n / 2], lh.M, 4.0 * se_z * lh.M * lh.S) << "age " << c.age_years;
    EXPECT_NEAR(w[n / 2], lw.M, 4.0 * se_z * lw.M * lw.S) << "age " << c.age_years;
  }
}

// Over the default cohort (2–18 years, both sexes) the CDC z-scores of the sampled heights and
// weights are standard normal (KS at α = 0.001) with correlation 0.65 (paediatric_population;
// model.md §5), 4 SEs; ages uniform on [2, 18] (mean 10, SD 16/√12: 4 SEs); BSA is Mosteller of
// height and weight.
TEST(PaediatricPopulation, ZScoresAreCorrelatedStandardNormalsAndAgesUniform) {
  const std::uint32_t n = 20000;
  const PopulationSettings s = paediatric_population();
  std::vector<double> zh, zw, age;
  for (std::uint32_t k = 0; k < n; ++k) {
    const model::Covariates c = sample_covariates(s, kSeed, 1, k);
    ASSERT_GE(c.age_years, 2.0);
    ASSERT_LE(c.age_years, 18.0);
    const double months = c.age_years * 12.0;
    zh.push_back(lms_z(cdc_lms(GrowthChart::kStatureForAge, c.sex, months), c.height_cm));
    zw.push_back(lms_z(cdc_lms(GrowthChart::kWeightForAge, c.sex, months), c.weight_kg));
    age.push_back(c.age_years);
    ASSERT_DOUBLE_EQ(c.bsa_m2, std::sqrt(c.height_cm * c.weight_kg / 3600.0));
  }
  EXPECT_NEAR(correlation(zh, zw), 0.65, 4.0 * correlation_se(0.65, n));
  EXPECT_LT(ks_distance_standard_normal(zh), ks_critical_0001(n));
  EXPECT_LT(ks_distance_standard_normal(zw), ks_critical_0001(n));
  const double sd_uniform = 16.0 / std::sqrt(12.0);
  const Moments a = moments(age);
  EXPECT_NEAR(a.mean, 10.0, 4.0 * sd_uniform / std::sqrt(static_cast<double>(n)));
}

// The BSA of a patient is the chosen formula (dosing/bsa.hpp) of the sampled height and weight, and
// the formula changes nothing else: same height and weight under Mosteller and Du Bois.
TEST(Population, BsaFollowsTheChosenFormula) {
  PopulationSettings mosteller = adult_population();
  PopulationSettings dubois = adult_population();
  dubois.bsa_formula = dosing::BsaFormula::kDuBois;
  for (std::uint32_t k = 0; k < 50; ++k) {
    const model::Covariates a = sample_covariates(mosteller, kSeed, 0, k);
    const model::Covariates b = sample_covariates(dubois, kSeed, 0, k);
    EXPECT_EQ(a.height_cm, b.height_cm);
    EXPECT_EQ(a.weight_kg, b.weight_kg);
    EXPECT_EQ(a.bsa_m2,
              dosing::body_surface_area(a.height_cm, a.weight_kg, dosing::BsaFormula::kMosteller));
    EXPECT_EQ(b.bsa_m2,
              dosing::body_surface_area(b.height_cm, b.weight_kg, dosing::BsaFormula::kDuBois));
  }
}

// ---- Inter-individual variability
// -----------------------------------------------------------------

std::vector<model::Etas> sample_many_etas(const model::ParameterSet& p, std::uint32_t n) {
  std::vector<model::Etas> out;
  for (std::uint32_t k = 0; k < n; ++k) out.push_back(sample_etas(p, kSeed, 0, k));
  return out;
}

std::vector<double> column(const std::vector<model::Etas>& etas, ParamId id) {
  std::vector<double> x;
  for (const auto& e : etas) x.push_back(e[static_cast<std::size_t>(id)]);
  return x;
}

// Every eta with ω > 0 has mean 0 and SD ω (the parameter table). With K such parameters, the
// bounds are two-sided at α = 0.001/K each (Bonferroni): (n − 1)s²/ω² within the χ²(n − 1)
// quantiles, the mean within the normal quantile × ω/√n. Etas of parameters with ω = 0 are exactly
// 0.
TEST(Etas, EachSdIsOmegaAndMeanZero) {
  const std::uint32_t n = 20000;
  const auto etas = sample_many_etas(model::ParameterSet{}, n);
  const auto table = model::parameter_table();
  const double k = static_cast<double>(
      std::count_if(table.begin(), table.end(), [](const auto& r) { return r.omega > 0.0; }));
  ASSERT_GT(k, 0.0);
  const double alpha = 0.001 / k;
  const boost::math::chi_squared_distribution<double> chi2(n - 1.0);
  const double lo = boost::math::quantile(chi2, alpha / 2.0);
  const double hi = boost::math::quantile(chi2, 1.0 - alpha / 2.0);
  const double z_crit =
      boost::math::quantile(boost::math::normal_distribution<double>(), 1.0 - alpha / 2.0);
  for (const auto& row : table) {
    const auto x = column(etas, row.id);
    if (row.omega == 0.0) {
      EXPECT_TRUE(std::all_of(x.begin(), x.end(), [](double v) { return v == 0.0; })) << row.name;
      continue;
    }
    const Moments m = moments(x);
    const double statistic = (n - 1.0) * m.sd * m.sd / (row.omega * row.omega);
    EXPECT_GT(statistic, lo) << row.name;
    EXPECT_LT(statistic, hi) << row.name;
    EXPECT_NEAR(m.mean, 0.0, z_crit * row.omega / std::sqrt(static_cast<double>(n))) << row.name;
  }
}

// corr(eta_sN_inf, eta_sE_inf) = rho_fitness (model.md §5: ρ ≈ 0.5, the table default; and a set
// value of −0.3), 4 SEs. Changing rho_fitness changes only eta_sE_inf: the other etas are the same
// draws.
TEST(Etas, ImmuneFitnessCorrelationIsRhoFitness) {
  const std::uint32_t n = 20000;
  model::ParameterSet defaults;
  ASSERT_EQ(defaults[ParamId::kRhoFitness], 0.5);
  const auto e_default = sample_many_etas(defaults, n);
  EXPECT_NEAR(correlation(column(e_default, ParamId::kSNinf), column(e_default, ParamId::kSEinf)),
              0.5, 4.0 * correlation_se(0.5, n));

  model::ParameterSet negative;
  negative.set(ParamId::kRhoFitness, -0.3);
  const auto e_negative = sample_many_etas(negative, n);
  EXPECT_NEAR(correlation(column(e_negative, ParamId::kSNinf), column(e_negative, ParamId::kSEinf)),
              -0.3, 4.0 * correlation_se(-0.3, n));
  for (std::uint32_t k = 0; k < 100; ++k) {
    for (std::size_t i = 0; i < model::kParamCount; ++i) {
      if (i == static_cast<std::size_t>(ParamId::kSEinf)) continue;
      ASSERT_EQ(e_default[k][i], e_negative[k][i]) << "patient " << k << " parameter " << i;
    }
  }
}

// eta_V1/ω_V1 against N(0, 1): Kolmogorov–Smirnov at α = 0.001.
TEST(Etas, KolmogorovSmirnovOfV1) {
  const std::uint32_t n = 20000;
  const auto etas = sample_many_etas(model::ParameterSet{}, n);
  std::vector<double> z = column(etas, ParamId::kV1);
  const double omega = model::spec(ParamId::kV1).omega;
  ASSERT_GT(omega, 0.0);
  for (double& v : z) v /= omega;
  EXPECT_LT(ks_distance_standard_normal(z), ks_critical_0001(n));
}

// ---- Streams: common random numbers
// ---------------------------------------------------------------

// Patient k's covariates and etas are the same whether 10 or 11 patients are sampled, in forward or
// reverse order, and whether the etas are drawn before or after the covariates (style.md 9;
// model.md §5). Another replicate or seed gives other draws.
TEST(Streams, PatientDrawsIndependentOfCohortSizeOrderAndPurpose) {
  const PopulationSettings adults = adult_population();
  const model::ParameterSet p;
  std::vector<model::Covariates> c10, c11(11);
  std::vector<model::Etas> e10, e11(11);
  for (std::uint32_t k = 0; k < 10; ++k) {
    c10.push_back(sample_covariates(adults, kSeed, 3, k));
    e10.push_back(sample_etas(p, kSeed, 3, k));
  }
  for (std::uint32_t k = 11; k-- > 0;) {  // reverse order, etas first
    e11[k] = sample_etas(p, kSeed, 3, k);
    c11[k] = sample_covariates(adults, kSeed, 3, k);
  }
  for (std::uint32_t k = 0; k < 10; ++k) {
    EXPECT_TRUE(same(c10[k], c11[k])) << "patient " << k;
    EXPECT_EQ(e10[k], e11[k]) << "patient " << k;
  }
  EXPECT_FALSE(same(sample_covariates(adults, kSeed, 4, 0), c10[0]));
  EXPECT_NE(sample_etas(p, kSeed, 4, 0), e10[0]);
  EXPECT_FALSE(same(sample_covariates(adults, kSeed + 1, 3, 0), c10[0]));
  EXPECT_NE(sample_etas(p, kSeed + 1, 3, 0), e10[0]);
}

// The draw order is fixed (population.hpp): a patient's sex depends only on u_sex and the male
// fraction, so the same patient has the same sex as an adult and as a child.
TEST(Streams, FixedDrawOrderAcrossSettings) {
  const PopulationSettings adults = adult_population();
  const PopulationSettings children = paediatric_population();
  for (std::uint32_t k = 0; k < 200; ++k) {
    EXPECT_EQ(sample_covariates(adults, kSeed, 0, k).sex,
              sample_covariates(children, kSeed, 0, k).sex);
  }
}

// ---- Input checks
// ---------------------------------------------------------------------------------

TEST(CheckSettings, DefaultsPassAndBadValuesNameTheSetting) {
  EXPECT_NO_THROW(check_settings(adult_population()));
  EXPECT_NO_THROW(check_settings(paediatric_population()));
  auto key_of = [](const PopulationSettings& s) {
    try {
      check_settings(s);
    } catch (const UserError& e) {
      return e.location().key;
    }
    return std::string("no error");
  };
  PopulationSettings s = adult_population();
  s.male_fraction = 1.2;
  EXPECT_EQ(key_of(s), "population.male_fraction");
  s = adult_population();
  s.age.min_years = 10.0;  // adults from 18 years
  EXPECT_EQ(key_of(s), "population.age_min");
  s = adult_population();
  s.age.mean_years = 200.0;  // no mass in [18, 70]
  EXPECT_EQ(key_of(s), "population.age_mean");
  s = adult_population();
  s.women.rho_log = 1.0;
  EXPECT_EQ(key_of(s), "population.women.rho_log");
  s = paediatric_population();
  s.age.max_years = 21.0;  // CDC tables end at 240 months
  EXPECT_EQ(key_of(s), "population.age_max");
  s = paediatric_population();
  s.rho_height_weight = -1.0;
  EXPECT_EQ(key_of(s), "population.rho_height_weight");
}

}  // namespace
}  // namespace il2sim::population
