#include "population/population.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/random.hpp"
#include "population/growth.hpp"

namespace il2sim::population {
namespace {

// Sacco et al. 2010 (PLoS One 5:e8933), model.md §5: mean BSA of adult cancer patients by sex, SD.
constexpr double kBsaMeanMen = 1.91;
constexpr double kBsaMeanWomen = 1.71;
constexpr double kBsaSd = 0.19;
// Assumptions (population.hpp): median stature, SD of ln(stature), correlation of ln H and ln W.
constexpr double kHeightMedianMen = 176.0;
constexpr double kHeightMedianWomen = 163.0;
constexpr double kHeightLogSd = 0.040;
constexpr double kRhoLogAdults = 0.45;

// Smallest normal mass a truncated-normal age interval may hold (check_settings).
constexpr double kMinTruncatedMass = 1e-6;

double truncated_normal_mass(const AgeSettings& age) {
  const boost::math::normal_distribution<double> normal(age.mean_years, age.sd_years);
  return boost::math::cdf(normal, age.max_years) - boost::math::cdf(normal, age.min_years);
}

// Inversion: Φ⁻¹(Φ(a) + u·(Φ(b) − Φ(a))). An interval lying mostly above the mean is mirrored, so
// that the CDF values used are small and keep their relative precision.
double truncated_normal(double u, double mean, double sd, double lo, double hi) {
  double a = (lo - mean) / sd;
  double b = (hi - mean) / sd;
  const bool mirror = a + b > 0.0;
  if (mirror) {
    a = -a;
    b = -b;
    std::swap(a, b);
  }
  const boost::math::normal_distribution<double> standard;
  const double pa = boost::math::cdf(standard, a);
  const double pb = boost::math::cdf(standard, b);
  const double z = std::clamp(boost::math::quantile(standard, pa + u * (pb - pa)), a, b);
  return mean + sd * (mirror ? -z : z);
}

double sample_age(const AgeSettings& age, double u) {
  switch (age.distribution) {
    case AgeDistribution::kUniform:
      return age.min_years + u * (age.max_years - age.min_years);
    case AgeDistribution::kTruncatedNormal:
      return truncated_normal(u, age.mean_years, age.sd_years, age.min_years, age.max_years);
  }
  return age.min_years;
}

void require(bool ok, std::string_view prefix, std::string_view field, double value,
             std::string_view allowed) {
  if (ok) return;
  InputLocation location;
  location.key = fmt::format("{}.{}", prefix, field);
  throw UserError(std::move(location), fmt::format("value {} is not allowed", value),
                  std::string(allowed));
}

void check_body_size(const BodySize& b, std::string_view prefix) {
  require(std::isfinite(b.height_median_cm) && b.height_median_cm > 0.0, prefix, "height_median_cm",
          b.height_median_cm, "a positive height in cm");
  require(std::isfinite(b.height_log_sd) && b.height_log_sd >= 0.0, prefix, "height_log_sd",
          b.height_log_sd, "an SD of ln(height) >= 0");
  require(std::isfinite(b.weight_median_kg) && b.weight_median_kg > 0.0, prefix, "weight_median_kg",
          b.weight_median_kg, "a positive weight in kg");
  require(std::isfinite(b.weight_log_sd) && b.weight_log_sd >= 0.0, prefix, "weight_log_sd",
          b.weight_log_sd, "an SD of ln(weight) >= 0");
  require(std::isfinite(b.rho_log) && b.rho_log > -1.0 && b.rho_log < 1.0, prefix, "rho_log",
          b.rho_log, "a correlation in (-1, 1)");
}

}  // namespace

BodySize body_size_for_mosteller_bsa(double bsa_mean_m2, double bsa_sd_m2, double height_median_cm,
                                     double height_log_sd, double rho_log) {
  IL2SIM_ASSERT(
      bsa_mean_m2 > 0.0 && bsa_sd_m2 > 0.0 && height_median_cm > 0.0 && height_log_sd >= 0.0,
      "BSA moments and height distribution must be positive");
  IL2SIM_ASSERT(rho_log > -1.0 && rho_log < 1.0, "correlation outside (-1, 1)");
  const double cv = bsa_sd_m2 / bsa_mean_m2;
  const double var_log_bsa = std::log1p(cv * cv);
  const double mean_log_bsa = std::log(bsa_mean_m2) - var_log_bsa / 2.0;
  const double discriminant =
      4.0 * var_log_bsa - height_log_sd * height_log_sd * (1.0 - rho_log * rho_log);
  IL2SIM_ASSERT(discriminant > 0.0, "height alone varies BSA more than the target SD");
  const double weight_log_sd = -rho_log * height_log_sd + std::sqrt(discriminant);
  IL2SIM_ASSERT(weight_log_sd > 0.0, "no positive weight SD meets the BSA target");
  const double weight_median =
      std::exp(2.0 * mean_log_bsa + std::log(3600.0) - std::log(height_median_cm));
  return {height_median_cm, height_log_sd, weight_median, weight_log_sd, rho_log};
}

PopulationSettings adult_population() {
  PopulationSettings s;
  s.paediatric = false;
  s.male_fraction = 0.5;
  s.age = {AgeDistribution::kTruncatedNormal, 18.0, 70.0, 48.0, 12.0};
  s.men = body_size_for_mosteller_bsa(kBsaMeanMen, kBsaSd, kHeightMedianMen, kHeightLogSd,
                                      kRhoLogAdults);
  s.women = body_size_for_mosteller_bsa(kBsaMeanWomen, kBsaSd, kHeightMedianWomen, kHeightLogSd,
                                        kRhoLogAdults);
  s.bsa_formula = dosing::BsaFormula::kMosteller;
  return s;
}

PopulationSettings paediatric_population() {
  PopulationSettings s = adult_population();  // keeps the adult body sizes for a later switch
  s.paediatric = true;
  s.age.distribution = AgeDistribution::kUniform;
  s.age.min_years = 2.0;
  s.age.max_years = 18.0;
  // Unused by a uniform age; set to the uniform's own mean and SD so that switching the
  // distribution to a truncated normal keeps the centre and the spread.
  s.age.mean_years = (s.age.min_years + s.age.max_years) / 2.0;
  s.age.sd_years = (s.age.max_years - s.age.min_years) / std::sqrt(12.0);
  s.rho_height_weight = 0.65;
  return s;
}

void check_settings(const PopulationSettings& s, std::string_view prefix) {
  require(std::isfinite(s.male_fraction) && s.male_fraction >= 0.0 && s.male_fraction <= 1.0,
          prefix, "male_fraction", s.male_fraction, "a probability in [0, 1]");
  const double lowest = s.paediatric ? kCdcMinAgeMonths / 12.0 : 18.0;
  const double highest = s.paediatric ? kCdcMaxAgeMonths / 12.0 : 110.0;
  const std::string range = fmt::format("{} <= age_min <= age_max <= {} years ({})", lowest,
                                        highest, s.paediatric ? "the CDC growth tables" : "adults");
  require(std::isfinite(s.age.min_years) && s.age.min_years >= lowest && s.age.min_years <= highest,
          prefix, "age_min", s.age.min_years, range);
  require(std::isfinite(s.age.max_years) && s.age.max_years >= s.age.min_years &&
              s.age.max_years <= highest,
          prefix, "age_max", s.age.max_years, range);
  if (s.age.distribution == AgeDistribution::kTruncatedNormal) {
    require(s.age.max_years > s.age.min_years, prefix, "age_max", s.age.max_years,
            "age_max > age_min for a truncated normal age");
    require(std::isfinite(s.age.sd_years) && s.age.sd_years > 0.0, prefix, "age_sd", s.age.sd_years,
            "a positive SD in years");
    require(std::isfinite(s.age.mean_years), prefix, "age_mean", s.age.mean_years, "a finite age");
    require(
        truncated_normal_mass(s.age) >= kMinTruncatedMass, prefix, "age_mean", s.age.mean_years,
        fmt::format("a mean and SD that put at least {} of the normal mass in [age_min, age_max]",
                    kMinTruncatedMass));
  }
  if (s.paediatric) {
    require(std::isfinite(s.rho_height_weight) && s.rho_height_weight > -1.0 &&
                s.rho_height_weight < 1.0,
            prefix, "rho_height_weight", s.rho_height_weight, "a correlation in (-1, 1)");
  } else {
    check_body_size(s.men, fmt::format("{}.men", prefix));
    check_body_size(s.women, fmt::format("{}.women", prefix));
  }
}

model::Covariates sample_covariates(const PopulationSettings& s, std::uint64_t seed,
                                    std::uint32_t replicate, std::uint32_t patient) {
  RandomStream stream(seed, replicate, patient, Purpose::kCovariates);
  // Fixed draw order (population.hpp): u_sex, u_age, n1, n2.
  const double u_sex = stream.uniform();
  const double u_age = stream.uniform();
  const double n1 = stream.normal();
  const double n2 = stream.normal();

  model::Covariates c;
  c.sex = u_sex < s.male_fraction ? model::Sex::kMale : model::Sex::kFemale;
  c.age_years = sample_age(s.age, u_age);
  if (s.paediatric) {
    const double rho = s.rho_height_weight;
    const double z_height = n1;
    const double z_weight = rho * n1 + std::sqrt(1.0 - rho * rho) * n2;
    const double age_months = std::clamp(c.age_years * 12.0, kCdcMinAgeMonths, kCdcMaxAgeMonths);
    c.height_cm = lms_value(cdc_lms(GrowthChart::kStatureForAge, c.sex, age_months), z_height);
    c.weight_kg = lms_value(cdc_lms(GrowthChart::kWeightForAge, c.sex, age_months), z_weight);
  } else {
    const BodySize& b = c.sex == model::Sex::kMale ? s.men : s.women;
    const double rho = b.rho_log;
    c.height_cm = b.height_median_cm * std::exp(b.height_log_sd * n1);
    c.weight_kg = b.weight_median_kg *
                  std::exp(b.weight_log_sd * (rho * n1 + std::sqrt(1.0 - rho * rho) * n2));
  }
  c.bsa_m2 = dosing::body_surface_area(c.height_cm, c.weight_kg, s.bsa_formula);
  return c;
}

model::Etas sample_etas(const model::ParameterSet& population, std::uint64_t seed,
                        std::uint32_t replicate, std::uint32_t patient) {
  using model::ParamId;
  RandomStream stream(seed, replicate, patient, Purpose::kParameters);
  std::array<double, model::kParamCount> z{};
  for (double& zi : z) zi = stream.normal();  // one per table row, in table order

  const double rho = population[ParamId::kRhoFitness];
  IL2SIM_ASSERT(rho > -1.0 && rho < 1.0, "rho_fitness outside (-1, 1)");
  const auto n_index = static_cast<std::size_t>(ParamId::kSNinf);
  const auto e_index = static_cast<std::size_t>(ParamId::kSEinf);
  z[e_index] = rho * z[n_index] + std::sqrt(1.0 - rho * rho) * z[e_index];

  model::Etas etas{};
  const auto table = model::parameter_table();
  for (std::size_t i = 0; i < model::kParamCount; ++i) etas[i] = table[i].omega * z[i];
  return etas;
}

std::string_view to_string(AgeDistribution distribution) {
  switch (distribution) {
    case AgeDistribution::kUniform:
      return "uniform";
    case AgeDistribution::kTruncatedNormal:
      return "truncated_normal";
  }
  return "uniform";
}

}  // namespace il2sim::population
