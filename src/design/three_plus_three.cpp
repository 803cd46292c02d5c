#include "design/three_plus_three.hpp"

#include <cmath>

#include "core/error.hpp"

namespace il2sim::design {

ThreePlusThreeOc three_plus_three_oc(std::span<const double> p_dlt) {
  const int k = static_cast<int>(p_dlt.size());
  IL2SIM_ASSERT(k >= 1, "three_plus_three_oc needs at least one dose");
  for (const double p : p_dlt)
    IL2SIM_ASSERT(p >= 0.0 && p <= 1.0, "DLT probability outside [0, 1]");

  // Per-dose cohort probabilities.
  std::vector<double> a0(k), a1(k), b(k), esc3(k), esc6(k);
  for (int i = 0; i < k; ++i) {
    const double p = p_dlt[i];
    const double q = 1.0 - p;
    a0[i] = q * q * q;        // 0 DLT in a cohort of 3
    a1[i] = 3.0 * p * q * q;  // exactly 1 DLT in a cohort of 3
    b[i] = a0[i] + a1[i];     // <= 1 DLT in a cohort of 3
    esc3[i] = a0[i];          // passed with 3 patients (0/3)
    esc6[i] = a1[i] * a0[i];  // passed with 6 patients (1/3 then 0/3)
  }

  ThreePlusThreeOc oc;
  oc.p_select.assign(k, 0.0);
  oc.expected_patients.assign(k, 0.0);
  oc.expected_dlts.assign(k, 0.0);

  // De-escalation from a too-toxic dose `from`, reached with probability `mass`. Each lower dose j
  // was passed in the escalation phase, so conditionally it holds 6 patients with probability
  // esc6/(esc3+esc6) (then it is the MTD), else 3 patients and 3 more are treated.
  auto descend = [&](int from, double mass) {
    for (int j = from - 1; j >= 0 && mass > 0.0; --j) {
      const double passed = esc3[j] + esc6[j];
      const double s6 = esc6[j] / passed;
      const double s3 = esc3[j] / passed;
      oc.expected_patients[j] += mass * s3 * 3.0;
      oc.expected_dlts[j] += mass * s3 * 3.0 * p_dlt[j];
      oc.p_select[j] += mass * (s6 + s3 * b[j]);
      mass *= s3 * (1.0 - b[j]);
    }
    if (mass > 0.0) oc.p_select_none += mass;
  };

  double reach = 1.0;  // P(the escalation phase treats dose i)
  for (int i = 0; i < k && reach > 0.0; ++i) {
    const double p = p_dlt[i];
    if (i < k - 1) {
      // 3 patients, plus 3 more after 1/3. DLTs: E[first cohort] + P(1/3) * E[second cohort].
      oc.expected_patients[i] += reach * (3.0 + 3.0 * a1[i]);
      oc.expected_dlts[i] += reach * (3.0 * p + a1[i] * 3.0 * p);
      descend(i, reach * (1.0 - esc3[i] - esc6[i]));
      reach *= esc3[i] + esc6[i];
    } else {
      // Highest dose: after 0/3 or 1/3 a second cohort is treated; MTD if <= 1/6 overall.
      oc.expected_patients[i] += reach * (3.0 + 3.0 * b[i]);
      oc.expected_dlts[i] += reach * (3.0 * p + b[i] * 3.0 * p);
      const double mtd_here = a0[i] * b[i] + esc6[i];
      oc.p_select[i] += reach * mtd_here;
      descend(i, reach * (1.0 - mtd_here));
    }
  }
  for (const double e : oc.expected_patients) oc.expected_total += e;
  return oc;
}

ThreePlusThree::ThreePlusThree(int n_doses)
    : n_doses_(n_doses), patients_(n_doses, 0), dlts_(n_doses, 0) {
  IL2SIM_ASSERT(n_doses >= 1, "ThreePlusThree needs at least one dose");
}

void ThreePlusThree::too_toxic(int dose) {
  deescalating_ = true;
  const int below = dose - 1;
  if (below < 0) {
    decision_ = {ThreePlusThreeDecision::Kind::kStopNone, -1};
  } else if (patients_[below] >= 2 * kCohortSize) {
    decision_ = {ThreePlusThreeDecision::Kind::kStopMtd, below};
  } else {
    decision_ = {ThreePlusThreeDecision::Kind::kTreat, below};
  }
}

const ThreePlusThreeDecision& ThreePlusThree::record(int dlts) {
  IL2SIM_ASSERT(!stopped(), "ThreePlusThree::record after the trial stopped");
  IL2SIM_ASSERT(dlts >= 0 && dlts <= kCohortSize, "cohort DLT count outside 0..3");
  const int d = decision_.dose;
  patients_[d] += kCohortSize;
  dlts_[d] += dlts;
  const int n = patients_[d];
  const int y = dlts_[d];
  const bool top = d == n_doses_ - 1;

  if (deescalating_) {
    // A dose revisited on the way down now has 6 patients.
    if (y <= 1) {
      decision_ = {ThreePlusThreeDecision::Kind::kStopMtd, d};
    } else {
      too_toxic(d);
    }
    return decision_;
  }
  if (n == kCohortSize) {
    if (y >= 2) {
      too_toxic(d);
    } else if (y == 1 || top) {
      decision_ = {ThreePlusThreeDecision::Kind::kTreat, d};  // expand to 6
    } else {
      decision_ = {ThreePlusThreeDecision::Kind::kTreat, d + 1};
    }
  } else {
    if (y >= 2) {
      too_toxic(d);
    } else if (top) {
      decision_ = {ThreePlusThreeDecision::Kind::kStopMtd, d};
    } else {
      decision_ = {ThreePlusThreeDecision::Kind::kTreat, d + 1};
    }
  }
  return decision_;
}

}  // namespace il2sim::design
