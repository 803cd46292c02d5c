#pragma once
/// @file growth.hpp
/// CDC 2000 growth charts (stature-for-age, weight-for-age, ages 2–20 years) as LMS parameters
/// (Cole's Box-Cox method; Kuczmarski et al., Vital Health Stat 11(246), 2002). The tables are
/// data/cdc-growth/*.csv, embedded at build time (src/population/embed_lms.cmake): nothing is read
/// at run time.

#include <span>

#include "model/patient.hpp"

namespace il2sim::population {

enum class GrowthChart {
  kStatureForAge,  ///< stature (cm), CDC statage.csv
  kWeightForAge    ///< weight (kg), CDC wtage.csv
};

/// One row of a CDC LMS table.
struct LmsRow {
  model::Sex sex;
  double age_months;  ///< CDC `Agemos`: 24, 24.5, 25.5, …, 239.5, 240
  double L;           ///< Box-Cox power
  double M;           ///< median (cm or kg)
  double S;           ///< generalised coefficient of variation
};

/// L, M and S at one age.
struct Lms {
  double L;
  double M;
  double S;
};

/// The ages the CDC tables cover, in months (first and last `Agemos`).
inline constexpr double kCdcMinAgeMonths = 24.0;
inline constexpr double kCdcMaxAgeMonths = 240.0;

/// The embedded table, rows as in the CSV (boys by increasing age, then girls).
[[nodiscard]] std::span<const LmsRow> cdc_table(GrowthChart chart);

/// L, M, S at `age_months` for `sex`, linearly interpolated between the two neighbouring rows
/// (exact at a tabulated age). Precondition (asserted): kCdcMinAgeMonths <= age_months <=
/// kCdcMaxAgeMonths.
[[nodiscard]] Lms cdc_lms(GrowthChart chart, model::Sex sex, double age_months);

/// The value at z-score `z`. For |z| <= 3 the LMS formula X = M·(1 + L·S·z)^(1/L) (M·exp(S·z) when
/// L = 0). Beyond ±3 the curve continues linearly with the slope between the ±2 and ±3 values (the
/// WHO "restricted" LMS; WHO Child Growth Standards, Methods and development, 2006, ch. 7): the CDC
/// weight tables have L down to −1.87, and the plain formula has a pole at z = −1/(L·S), as low
/// as 3.34.
[[nodiscard]] double lms_value(const Lms& lms, double z);

/// The z-score of value `x` > 0: the exact inverse of lms_value.
[[nodiscard]] double lms_z(const Lms& lms, double x);

}  // namespace il2sim::population
