#pragma once
/// @file population.hpp
/// Virtual patients (model.md §5): covariates (sex, age, height, weight, BSA) and the
/// inter-individual random effects (etas) of the parameter table.
///
/// Randomness. Covariates come only from the stream (seed, replicate, patient,
/// Purpose::kCovariates), etas only from (seed, replicate, patient, Purpose::kParameters). Each
/// function takes no arm and no other patient, so a patient's draws are the same in every arm,
/// whichever patients are sampled and in whatever order (common random numbers). Every patient
/// consumes a fixed number of draws, in a fixed order, whatever the settings:
///  - covariates: u_sex, u_age (uniforms), then two standard normals n1, n2;
///  - etas: one standard normal per row of the parameter table, in table order, also for rows with
///    ω = 0, so that switching one parameter's variability on or off leaves the others' etas
///    unchanged.
///
/// Adults. (ln H, ln W) is bivariate normal per sex: ln H = ln H50 + σH·n1,
/// ln W = ln W50 + σW·(ρ·n1 + √(1−ρ²)·n2). Mosteller BSA = √(H·W/3600) is then exactly log-normal:
///   ln BSA ~ N(μB, σB²),  μB = (ln H50 + ln W50 − ln 3600)/2,  σB² = (σH² + σW² + 2ρσHσW)/4.
/// body_size_for_mosteller_bsa solves for W50 and σW so that BSA has a given mean m and SD s
/// (σB² = ln(1 + s²/m²), μB = ln m − σB²/2):
///   σW = −ρσH + √(4σB² − σH²(1 − ρ²)),  W50 = exp(2μB + ln 3600 − ln H50).
/// Defaults: BSA 1.91 ± 0.19 m² (men), 1.71 ± 0.19 m² (women), Sacco et al. 2010, PLoS One 5:e8933
/// (model.md §5); H50 176 cm (men), 163 cm (women), σH 0.040 (about 7 cm), ρ 0.45: assumptions
/// (typical adult stature; adult height–weight correlations of 0.4–0.5). The resulting weights:
/// men W50 73.9 kg, σW 0.177; women W50 63.8 kg, σW 0.201
/// (tools/reference/population/adult_body_size.py). With another BSA formula the height/weight
/// distributions stay the same; only the BSA changes.
///
/// Children. Age → CDC 2000 L, M, S (growth.hpp); z_height = n1, z_weight = ρ·n1 + √(1−ρ²)·n2;
/// height and weight = lms_value(L, M, S, z). model.md §5 and data/cdc-growth/README.md: ρ ≈
/// 0.6–0.7.
///
/// IIV. eta_i = ω_i·z_i with ω from the parameter table, except sE_inf, which shares the immune
/// fitness of sN_inf: eta_sE = ω_sE·(ρ_f·z_sN + √(1−ρ_f²)·z_sE), ρ_f = the `rho_fitness` parameter
/// (model.md §5), so corr(eta_sN, eta_sE) = ρ_f.

#include <cstdint>
#include <string_view>

#include "dosing/bsa.hpp"
#include "model/parameters.hpp"
#include "model/patient.hpp"

namespace il2sim::population {

enum class AgeDistribution {
  kUniform,         ///< uniform on [min, max]
  kTruncatedNormal  ///< normal(mean, sd) truncated to [min, max], drawn by inversion
};

struct AgeSettings {
  AgeDistribution distribution = AgeDistribution::kUniform;
  double min_years = 18.0;
  double max_years = 70.0;
  double mean_years = 48.0;  ///< truncated normal only
  double sd_years = 12.0;    ///< truncated normal only
};

/// Joint log-normal height and weight of one sex (adults).
struct BodySize {
  double height_median_cm;
  double height_log_sd;  ///< SD of ln(height)
  double weight_median_kg;
  double weight_log_sd;  ///< SD of ln(weight)
  double rho_log;        ///< correlation of ln(height) and ln(weight), in (−1, 1)
};

/// The weight distribution that gives Mosteller BSA the mean `bsa_mean_m2` and SD `bsa_sd_m2`, for
/// the given height distribution and correlation (derivation above). Preconditions (asserted):
/// positive arguments, |rho_log| < 1, and 4·ln(1 + (sd/mean)²) > σH²·(1 − ρ²) (the height alone
/// must not already vary BSA more than the target).
[[nodiscard]] BodySize body_size_for_mosteller_bsa(double bsa_mean_m2, double bsa_sd_m2,
                                                   double height_median_cm, double height_log_sd,
                                                   double rho_log);

/// How to draw a cohort's covariates. Start from adult_population() or paediatric_population().
struct PopulationSettings {
  bool paediatric = false;     ///< children: CDC LMS tables; adults: `men`/`women`
  double male_fraction = 0.5;  ///< P(sex = male); model.md §5: 50/50
  AgeSettings age;
  double rho_height_weight = 0.65;  ///< children: correlation of the height and weight z-scores
  BodySize men{};                   ///< adults
  BodySize women{};                 ///< adults
  dosing::BsaFormula bsa_formula = dosing::BsaFormula::kMosteller;
};

/// Adults of the autologous-transplant cohorts: sex 50/50, age normal(48, 12) truncated to [18, 70]
/// (assumption: median about 45–50 years over 18–70 in adult autologous-transplant series), body
/// size as derived above, Mosteller BSA.
[[nodiscard]] PopulationSettings adult_population();

/// Children (model.md §5): sex 50/50, age uniform on [2, 18] years, CDC height/weight z-scores with
/// correlation 0.65, Mosteller BSA.
[[nodiscard]] PopulationSettings paediatric_population();

/// Input check at the edge: throws UserError naming the setting as `<key_prefix>.<field>` (e.g.
/// "population.age_max"), the value and what is allowed. Children's ages must lie within the CDC
/// tables (2–20 years); adults' from 18 years.
void check_settings(const PopulationSettings& settings, std::string_view key_prefix = "population");

/// The covariates of one virtual patient, from (seed, replicate, patient, Purpose::kCovariates)
/// only. Settings are trusted (check_settings at the edge).
[[nodiscard]] model::Covariates sample_covariates(const PopulationSettings& settings,
                                                  std::uint64_t seed, std::uint32_t replicate,
                                                  std::uint32_t patient);

/// The random effects of one virtual patient, from (seed, replicate, patient, Purpose::kParameters)
/// only: ω from the parameter table, ρ_f from `population[rho_fitness]`. eta = 0 where ω = 0.
[[nodiscard]] model::Etas sample_etas(const model::ParameterSet& population, std::uint64_t seed,
                                      std::uint32_t replicate, std::uint32_t patient);

[[nodiscard]] std::string_view to_string(AgeDistribution distribution);

}  // namespace il2sim::population
