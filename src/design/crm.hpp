#pragma once
/// @file crm.hpp
/// The continual reassessment method (O'Quigley, Pepe & Fisher 1990) with the one-parameter power
/// ("empiric") model of dfcrm (Cheung 2011, Dose Finding by the Continual Reassessment Method):
///   p_i(a) = skeleton_i ^ exp(a),   prior a ~ N(0, sigma^2), sigma^2 = 1.34 by default.
/// The posterior is computed by adaptive Gauss-Kronrod quadrature over the real line (Boost.Math).
///
/// Estimates reported: the posterior mean of each p_i (the default basis of the recommendation, as
/// asked for here) and dfcrm's plug-in estimate skeleton_i ^ exp(E[a | data]) (what dfcrm::crm
/// reports as `ptox` with method "bayes"); the two differ by Jensen's inequality. Recommendation:
/// the dose whose estimate is closest to the target; by default without skipping an untried dose
/// (at most one level above the highest dose tried so far).

#include <span>
#include <vector>

namespace il2sim::design {

/// Which estimate the recommendation uses.
enum class CrmEstimate {
  kPosteriorMeanProbability,  ///< E[p_i | data]
  kPlugIn,                    ///< skeleton_i ^ exp(E[a | data]) (dfcrm)
};

struct CrmSettings {
  std::vector<double> skeleton;  ///< prior guesses of the DLT probabilities, increasing, in (0, 1)
  double target = 0.25;          ///< target DLT probability
  double prior_variance = 1.34;  ///< sigma^2 of the N(0, sigma^2) prior on a
  CrmEstimate estimate = CrmEstimate::kPosteriorMeanProbability;
  bool no_skipping = true;  ///< never recommend more than one level above the highest tried dose
};

/// Posterior summary given per-dose patients and DLTs.
struct CrmPosterior {
  double a_mean = 0.0;            ///< E[a | data]
  double a_sd = 0.0;              ///< SD[a | data]
  std::vector<double> p_mean;     ///< E[p_i | data]
  std::vector<double> p_plug_in;  ///< skeleton_i ^ exp(E[a | data])
  int recommended = 0;            ///< 0-based recommended dose
};

/// The posterior and the recommended dose. `patients` and `dlts` have the skeleton's size.
[[nodiscard]] CrmPosterior crm_posterior(const CrmSettings& s, std::span<const int> patients,
                                         std::span<const int> dlts);

/// CRM decision engine: treat cohorts at the recommended dose until `max_n` patients, then the
/// recommendation is the MTD.
class Crm {
 public:
  Crm(CrmSettings settings, int cohort_size, int max_n, int start_dose = 0);

  [[nodiscard]] int dose() const { return dose_; }
  [[nodiscard]] int cohort_size() const { return cohort_size_; }
  [[nodiscard]] bool stopped() const { return total_ >= max_n_; }
  /// Records `dlts` DLTs among `treated` patients at `dose()`, updates the posterior and the dose.
  const CrmPosterior& record(int treated, int dlts);
  [[nodiscard]] std::span<const int> patients() const { return patients_; }
  [[nodiscard]] std::span<const int> dlts() const { return dlts_; }

 private:
  CrmSettings settings_;
  int cohort_size_;
  int max_n_;
  int total_ = 0;
  int dose_;
  std::vector<int> patients_;
  std::vector<int> dlts_;
  CrmPosterior posterior_;
};

}  // namespace il2sim::design
