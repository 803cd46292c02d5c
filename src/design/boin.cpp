#include "design/boin.hpp"

#include <cmath>
#include <limits>

#include <boost/math/distributions/beta.hpp>

#include "core/error.hpp"
#include "design/isotonic.hpp"

namespace il2sim::design {

BoinSettings BoinSettings::for_target(double target) {
  BoinSettings s;
  s.target = target;
  s.phi1 = 0.6 * target;
  s.phi2 = 1.4 * target;
  return s;
}

BoinLambdas boin_lambdas(double target, double phi1, double phi2) {
  IL2SIM_ASSERT(0.0 < phi1 && phi1 < target && target < phi2 && phi2 < 1.0,
                "BOIN needs 0 < phi1 < target < phi2 < 1");
  const double lambda_e = std::log((1.0 - phi1) / (1.0 - target)) /
                          std::log(target * (1.0 - phi1) / (phi1 * (1.0 - target)));
  const double lambda_d = std::log((1.0 - target) / (1.0 - phi2)) /
                          std::log(phi2 * (1.0 - target) / (target * (1.0 - phi2)));
  return {lambda_e, lambda_d};
}

namespace {

/// P(p > target | y DLTs of n) under a Beta(1, 1) prior: the posterior is Beta(y + 1, n - y + 1).
double posterior_exceedance(double target, int y, int n) {
  const boost::math::beta_distribution<double> posterior(y + 1.0, n - y + 1.0);
  return boost::math::cdf(boost::math::complement(posterior, target));
}

bool eliminate(double target, int y, int n, double cutoff) {
  return n >= 3 && posterior_exceedance(target, y, n) > cutoff;
}

// get.boundary's integer boundaries; the 1e-10 guard keeps lambda * n that are integers in
// floating point on the intended side.
int escalate_at_most(double lambda_e, int n) {
  return static_cast<int>(std::floor(lambda_e * n + 1e-10));
}
int deescalate_at_least(double lambda_d, int n) {
  return static_cast<int>(std::floor(lambda_d * n - 1e-10)) + 1;
}

}  // namespace

std::optional<int> boin_elimination_boundary(double target, int n, double cutoff) {
  if (n < 3) return std::nullopt;
  for (int y = 0; y <= n; ++y) {
    if (eliminate(target, y, n, cutoff)) return y;
  }
  return std::nullopt;
}

std::vector<BoinBoundaryRow> boin_boundaries(const BoinSettings& s, int max_n) {
  const BoinLambdas l = boin_lambdas(s.target, s.phi1, s.phi2);
  std::vector<BoinBoundaryRow> rows;
  for (int n = 1; n <= max_n; ++n) {
    rows.push_back({n, escalate_at_most(l.lambda_e, n), deescalate_at_least(l.lambda_d, n),
                    boin_elimination_boundary(s.target, n, s.cutoff_eli)});
  }
  return rows;
}

std::optional<int> boin_select_mtd(double target, std::span<const int> patients,
                                   std::span<const int> dlts, double cutoff_eli) {
  IL2SIM_ASSERT(patients.size() == dlts.size(), "boin_select_mtd: sizes differ");
  const std::size_t k = patients.size();
  // Elimination from the data: the lowest dose meeting the rule removes itself and all above.
  std::size_t admissible_end = k;
  for (std::size_t i = 0; i < k; ++i) {
    if (eliminate(target, dlts[i], patients[i], cutoff_eli)) {
      admissible_end = i;
      break;
    }
  }
  if (admissible_end == 0) return std::nullopt;

  std::vector<int> index;
  std::vector<double> estimate, weight;
  for (std::size_t i = 0; i < admissible_end; ++i) {
    if (patients[i] == 0) continue;
    const double n = patients[i];
    const double y = dlts[i];
    index.push_back(static_cast<int>(i));
    estimate.push_back((y + 0.05) / (n + 0.1));
    const double variance = (y + 0.05) * (n - y + 0.05) / ((n + 0.1) * (n + 0.1) * (n + 0.1 + 1.0));
    weight.push_back(1.0 / variance);
  }
  if (index.empty()) return std::nullopt;
  std::vector<double> fitted = isotonic_regression(estimate, weight);
  // Tie-break as select.mtd: an increasing perturbation (1e-10 per position) makes tied estimates
  // above the target favour the lower dose and tied estimates below it favour the higher dose.
  std::size_t best = 0;
  double best_distance = std::numeric_limits<double>::infinity();
  for (std::size_t j = 0; j < fitted.size(); ++j) {
    const double distance = std::fabs(fitted[j] + 1e-10 * static_cast<double>(j + 1) - target);
    if (distance < best_distance) {
      best_distance = distance;
      best = j;
    }
  }
  return index[best];
}

Boin::Boin(const BoinSettings& settings, int n_doses, int start_dose)
    : settings_(settings),
      lambdas_(boin_lambdas(settings.target, settings.phi1, settings.phi2)),
      n_doses_(n_doses),
      patients_(n_doses, 0),
      dlts_(n_doses, 0),
      eliminated_(n_doses, false) {
  IL2SIM_ASSERT(n_doses >= 1, "Boin needs at least one dose");
  IL2SIM_ASSERT(start_dose >= 0 && start_dose < n_doses, "Boin start dose out of range");
  IL2SIM_ASSERT(settings.cohort_size >= 1 && settings.max_n >= 1,
                "Boin cohort size and max_n >= 1");
  decision_.dose = start_dose;
}

void Boin::stop_and_select() {
  const std::optional<int> mtd =
      boin_select_mtd(settings_.target, patients_, dlts_, settings_.cutoff_eli);
  decision_.kind = mtd ? BoinDecision::Kind::kStopMtd : BoinDecision::Kind::kStopNone;
  decision_.dose = mtd.value_or(-1);
}

const BoinDecision& Boin::record(int treated, int dlts) {
  IL2SIM_ASSERT(!stopped(), "Boin::record after the trial stopped");
  IL2SIM_ASSERT(treated >= 1 && dlts >= 0 && dlts <= treated, "Boin::record: bad counts");
  const int d = decision_.dose;
  patients_[d] += treated;
  dlts_[d] += dlts;
  total_ += treated;
  const int n = patients_[d];
  const int y = dlts_[d];

  decision_.eliminated = false;
  if (eliminate(settings_.target, y, n, settings_.cutoff_eli)) {
    decision_.eliminated = true;
    for (int i = d; i < n_doses_; ++i) eliminated_[i] = true;
    if (d == 0) {
      decision_.action = BoinDecision::Action::kDeescalate;
      decision_.kind = BoinDecision::Kind::kStopNone;
      decision_.dose = -1;
      return decision_;
    }
  }
  // The move for the next cohort (get.oc's order: escalate, de-escalate, stay).
  int next = d;
  if (y <= escalate_at_most(lambdas_.lambda_e, n) && d < n_doses_ - 1) {
    if (!eliminated_[d + 1]) next = d + 1;
  } else if (decision_.eliminated) {
    next = d - 1;  // an eliminated dose is never retried (d > 0 here)
  } else if (y >= deescalate_at_least(lambdas_.lambda_d, n) && d > 0) {
    next = d - 1;
  }
  decision_.action = next > d   ? BoinDecision::Action::kEscalate
                     : next < d ? BoinDecision::Action::kDeescalate
                                : BoinDecision::Action::kStay;
  decision_.dose = next;
  if (total_ >= settings_.max_n || n >= settings_.n_earlystop) stop_and_select();
  return decision_;
}

}  // namespace il2sim::design
