#include "calibration/likelihood.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/error.hpp"

namespace il2sim::calibration {
namespace {

constexpr double kZ975 = 1.959963984540054;  // the normal's 97.5 % quantile
constexpr double kNegInf = -std::numeric_limits<double>::infinity();

/// q·log(x/q), 0 when q = 0.
double xlog(double q, double x) {
  return q > 0.0 ? q * std::log(x / q) : 0.0;
}

double range_log_likelihood(const TargetResult& r) {
  const double d = standardized_distance(r.simulated, r.lower, r.upper);
  if (std::isinf(d)) return kNegInf;
  const double z = kZ975 * d;
  return -0.5 * z * z;
}

}  // namespace

const std::vector<LikelihoodInfo>& likelihoods() {
  static const std::vector<LikelihoodInfo> all{
      {Likelihood::kRange, "range",
       "range error model: flat inside each target's range, Gaussian outside with SD = "
       "half-width / 1.96 (docs/posterior.md)"},
      {Likelihood::kBinomial, "binomial",
       "binomial: each target with evidence by the binomial (proportion) or Poisson (rate) "
       "likelihood of its source's data, N patients, tempered by the simulation's Monte Carlo "
       "error; the others by the range error model (docs/posterior.md)"}};
  return all;
}

const LikelihoodInfo& likelihood_info(Likelihood l) {
  const auto& all = likelihoods();
  const auto it = std::find_if(all.begin(), all.end(), [l](const auto& i) { return i.id == l; });
  IL2SIM_ASSERT(it != all.end(), "every likelihood is in the table");
  return *it;
}

Likelihood parse_likelihood(std::string_view name, const std::string& option) {
  std::string names;
  for (const auto& i : likelihoods()) {
    if (i.name == name) return i.id;
    names += (names.empty() ? "" : ", ") + std::string(i.name);
  }
  throw UserError({option, std::nullopt, std::nullopt, std::string(name)},
                  fmt::format("unknown likelihood '{}'", name), names);
}

double evidence_log_likelihood(const Evidence& e, double simulated, double mc_se,
                               int virtual_patients) {
  if (std::isnan(simulated)) return kNegInf;
  const double floor = 0.5 / (std::max(virtual_patients, 0) + 1.0);
  const double n = e.patients;
  const double q = e.observed;
  const double se2 = std::isfinite(mc_se) ? mc_se * mc_se : 0.0;
  if (e.scale == StatisticScale::kRate) {
    const double lambda = std::max(simulated, floor);
    const double v = lambda / n;
    return v / (v + se2) * n * (xlog(q, lambda) - (lambda - q));
  }
  IL2SIM_ASSERT(e.scale == StatisticScale::kProportion, "evidence is a proportion or a rate");
  const double p = std::clamp(simulated, floor, 1.0 - floor);
  const double v = p * (1.0 - p) / n;
  return v / (v + se2) * n * (xlog(q, p) + xlog(1.0 - q, 1.0 - p));
}

double target_log_likelihood(const TargetResult& r, const Target& t, Likelihood l) {
  if (r.informational) return 0.0;
  const double ll = l == Likelihood::kBinomial && t.evidence.scale != StatisticScale::kOther
                        ? evidence_log_likelihood(t.evidence, r.simulated, r.mc_se, r.n)
                        : range_log_likelihood(r);
  return std::isinf(ll) ? ll : t.weight * ll;  // an impossible statistic stays impossible
}

double log_likelihood(const TargetSet& set, const Evaluation& ev, Likelihood l) {
  double sum = 0.0;
  for (const auto& r : ev.targets) {
    const auto it = std::find_if(set.targets.begin(), set.targets.end(),
                                 [&](const Target& t) { return t.id == r.id; });
    IL2SIM_ASSERT(it != set.targets.end(), "an evaluated target is in its set");
    sum += target_log_likelihood(r, *it, l);
  }
  return sum;
}

}  // namespace il2sim::calibration
