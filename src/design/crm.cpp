#include "design/crm.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/quadrature/gauss_kronrod.hpp>

#include "core/error.hpp"

namespace il2sim::design {
namespace {

/// log of likelihood x prior density (up to a constant) at a.
double log_integrand(double a, const CrmSettings& s, std::span<const int> patients,
                     std::span<const int> dlts) {
  const double e = std::exp(a);
  double value = -0.5 * a * a / s.prior_variance;
  for (std::size_t i = 0; i < s.skeleton.size(); ++i) {
    if (patients[i] == 0) continue;
    const double log_p = e * std::log(s.skeleton[i]);   // log p_i(a)
    const double log_q = std::log1p(-std::exp(log_p));  // log (1 - p_i(a))
    value += dlts[i] * log_p + (patients[i] - dlts[i]) * log_q;
  }
  return value;
}

}  // namespace

CrmPosterior crm_posterior(const CrmSettings& s, std::span<const int> patients,
                           std::span<const int> dlts) {
  const std::size_t k = s.skeleton.size();
  IL2SIM_ASSERT(k >= 1 && patients.size() == k && dlts.size() == k, "crm_posterior: sizes differ");
  IL2SIM_ASSERT(s.prior_variance > 0.0, "crm_posterior: prior variance must be positive");

  // Scale by the integrand's maximum on a coarse grid so that exp() neither under- nor overflows.
  const double sd = std::sqrt(s.prior_variance);
  double shift = -std::numeric_limits<double>::infinity();
  for (int j = -400; j <= 400; ++j) {
    shift = std::max(shift, log_integrand(0.025 * j * sd, s, patients, dlts));
  }
  auto weight = [&](double a) {
    const double v = log_integrand(a, s, patients, dlts) - shift;
    return std::isfinite(v) ? std::exp(v) : 0.0;
  };
  using Quadrature = boost::math::quadrature::gauss_kronrod<double, 61>;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  constexpr unsigned kMaxDepth = 15;
  constexpr double kTol = 1e-12;
  const double z = Quadrature::integrate(weight, -kInf, kInf, kMaxDepth, kTol);
  const double m1 =
      Quadrature::integrate([&](double a) { return a * weight(a); }, -kInf, kInf, kMaxDepth, kTol) /
      z;
  const double m2 = Quadrature::integrate([&](double a) { return a * a * weight(a); }, -kInf, kInf,
                                          kMaxDepth, kTol) /
                    z;
  CrmPosterior post;
  post.a_mean = m1;
  post.a_sd = std::sqrt(std::max(0.0, m2 - m1 * m1));
  for (std::size_t i = 0; i < k; ++i) {
    const double log_s = std::log(s.skeleton[i]);
    post.p_mean.push_back(
        Quadrature::integrate([&](double a) { return std::exp(std::exp(a) * log_s) * weight(a); },
                              -kInf, kInf, kMaxDepth, kTol) /
        z);
    post.p_plug_in.push_back(std::pow(s.skeleton[i], std::exp(m1)));
  }

  const std::vector<double>& estimate =
      s.estimate == CrmEstimate::kPosteriorMeanProbability ? post.p_mean : post.p_plug_in;
  int highest_allowed = static_cast<int>(k) - 1;
  if (s.no_skipping) {
    int highest_tried = -1;
    for (std::size_t i = 0; i < k; ++i) {
      if (patients[i] > 0) highest_tried = static_cast<int>(i);
    }
    highest_allowed = std::min(highest_allowed, highest_tried + 1);
  }
  int best = 0;
  for (int i = 1; i <= highest_allowed; ++i) {
    // Strictly closer only: ties go to the lower dose.
    if (std::fabs(estimate[i] - s.target) < std::fabs(estimate[best] - s.target)) best = i;
  }
  post.recommended = best;
  return post;
}

Crm::Crm(CrmSettings settings, int cohort_size, int max_n, int start_dose)
    : settings_(std::move(settings)),
      cohort_size_(cohort_size),
      max_n_(max_n),
      dose_(start_dose),
      patients_(settings_.skeleton.size(), 0),
      dlts_(settings_.skeleton.size(), 0) {
  IL2SIM_ASSERT(cohort_size >= 1 && max_n >= 1, "Crm: cohort size and max_n must be >= 1");
  IL2SIM_ASSERT(start_dose >= 0 && start_dose < static_cast<int>(patients_.size()),
                "Crm: start dose out of range");
}

const CrmPosterior& Crm::record(int treated, int dlts) {
  IL2SIM_ASSERT(!stopped(), "Crm::record after the trial stopped");
  IL2SIM_ASSERT(treated >= 1 && dlts >= 0 && dlts <= treated, "Crm::record: bad counts");
  patients_[dose_] += treated;
  dlts_[dose_] += dlts;
  total_ += treated;
  posterior_ = crm_posterior(settings_, patients_, dlts_);
  dose_ = posterior_.recommended;
  return posterior_;
}

}  // namespace il2sim::design
