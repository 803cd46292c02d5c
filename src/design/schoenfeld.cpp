#include "design/schoenfeld.hpp"

#include <cmath>

#include <boost/math/distributions/normal.hpp>

#include "core/error.hpp"

namespace il2sim::design {
namespace {

const boost::math::normal_distribution<double> kStandard(0.0, 1.0);

double allocation_product(double ratio) {
  const double pi = ratio / (1.0 + ratio);
  return pi * (1.0 - pi);
}

void check(const SchoenfeldSettings& s) {
  IL2SIM_ASSERT(s.hazard_ratio > 0.0 && s.hazard_ratio != 1.0, "HR must be positive and not 1");
  IL2SIM_ASSERT(s.alpha > 0.0 && s.alpha < 1.0, "alpha in (0, 1)");
  IL2SIM_ASSERT(s.sides == 1 || s.sides == 2, "sides is 1 or 2");
  IL2SIM_ASSERT(s.ratio > 0.0, "allocation ratio must be positive");
}

}  // namespace

double schoenfeld_events(const SchoenfeldSettings& s, double power) {
  check(s);
  IL2SIM_ASSERT(power > 0.0 && power < 1.0, "power in (0, 1)");
  const double z_alpha = boost::math::quantile(kStandard, 1.0 - s.alpha / s.sides);
  const double z_beta = boost::math::quantile(kStandard, power);
  const double log_hr = std::log(s.hazard_ratio);
  return (z_alpha + z_beta) * (z_alpha + z_beta) / (allocation_product(s.ratio) * log_hr * log_hr);
}

double schoenfeld_power(const SchoenfeldSettings& s, double events) {
  check(s);
  IL2SIM_ASSERT(events > 0.0, "events must be positive");
  const double z_alpha = boost::math::quantile(kStandard, 1.0 - s.alpha / s.sides);
  const double drift =
      std::sqrt(events * allocation_product(s.ratio)) * std::fabs(std::log(s.hazard_ratio));
  return boost::math::cdf(kStandard, drift - z_alpha);
}

}  // namespace il2sim::design
