#include "population/growth.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace il2sim::population {
namespace {

// |z| beyond which lms_value continues linearly (WHO 2006 restricted LMS).
constexpr double kZCut = 3.0;

// The plain Box-Cox (LMS) transform; valid while 1 + L·S·z > 0, which holds for |z| <= 3 in every
// row of the CDC tables (checked by a test).
double box_cox_value(const Lms& lms, double z) {
  if (lms.L == 0.0) return lms.M * std::exp(lms.S * z);
  return lms.M * std::pow(1.0 + lms.L * lms.S * z, 1.0 / lms.L);
}

double box_cox_z(const Lms& lms, double x) {
  if (lms.L == 0.0) return std::log(x / lms.M) / lms.S;
  return (std::pow(x / lms.M, lms.L) - 1.0) / (lms.L * lms.S);
}

}  // namespace

Lms cdc_lms(GrowthChart chart, model::Sex sex, double age_months) {
  IL2SIM_ASSERT(age_months >= kCdcMinAgeMonths && age_months <= kCdcMaxAgeMonths,
                "age outside the CDC growth tables (24-240 months)");
  const auto table = cdc_table(chart);
  // Rows of one sex are contiguous and sorted by age (checked by a test).
  const auto first =
      std::find_if(table.begin(), table.end(), [&](const LmsRow& r) { return r.sex == sex; });
  const auto last = std::find_if(first, table.end(), [&](const LmsRow& r) { return r.sex != sex; });
  IL2SIM_ASSERT(first != last, "CDC table without rows for this sex");
  auto upper = std::lower_bound(first, last, age_months,
                                [](const LmsRow& r, double age) { return r.age_months < age; });
  if (upper == last) upper = last - 1;
  if (upper->age_months == age_months || upper == first) return {upper->L, upper->M, upper->S};
  const LmsRow& a = *(upper - 1);
  const LmsRow& b = *upper;
  const double w = (age_months - a.age_months) / (b.age_months - a.age_months);
  return {a.L + w * (b.L - a.L), a.M + w * (b.M - a.M), a.S + w * (b.S - a.S)};
}

double lms_value(const Lms& lms, double z) {
  if (z > kZCut) {
    const double sd3 = box_cox_value(lms, kZCut);
    const double sd2 = box_cox_value(lms, kZCut - 1.0);
    return sd3 + (z - kZCut) * (sd3 - sd2);
  }
  if (z < -kZCut) {
    const double sd3 = box_cox_value(lms, -kZCut);
    const double sd2 = box_cox_value(lms, -kZCut + 1.0);
    return sd3 + (z + kZCut) * (sd2 - sd3);
  }
  return box_cox_value(lms, z);
}

double lms_z(const Lms& lms, double x) {
  IL2SIM_ASSERT(x > 0.0, "a growth measurement must be positive");
  const double sd3_upper = box_cox_value(lms, kZCut);
  if (x > sd3_upper) return kZCut + (x - sd3_upper) / (sd3_upper - box_cox_value(lms, kZCut - 1.0));
  const double sd3_lower = box_cox_value(lms, -kZCut);
  if (x < sd3_lower)
    return -kZCut + (x - sd3_lower) / (box_cox_value(lms, -kZCut + 1.0) - sd3_lower);
  return box_cox_z(lms, x);
}

}  // namespace il2sim::population
