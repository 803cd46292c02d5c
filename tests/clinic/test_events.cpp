// Clinical events of model.md §3 recover their settings: 1-year non-relapse mortality (Weibull,
// shape 0.5), log-normal survival after relapse (median per disease, months = 365.25/12 days), and
// relapse recorded at the first scheduled assessment at or after the true crossing unless
// symptomatic.
#include <gtest/gtest.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <vector>

#include "clinic_fixtures.hpp"

namespace il2sim::clinic {
namespace {

using model::ParamId;
using testing::binomial_tolerance;
using testing::default_scenario;

constexpr double kDaysPerMonth = 365.25 / 12.0;

std::vector<PatientRecord> run_cohort(const scenario::Scenario& s, const scenario::ArmSpec& arm,
                                      std::uint32_t n, double horizon) {
  const auto* cohort = scenario::find_cohort(arm.cohort);
  std::vector<PatientRecord> out;
  out.reserve(n);
  for (std::uint32_t i = 1; i <= n; ++i) {
    out.push_back(simulate_patient(s, arm, make_patient(s, *cohort, 0, i), horizon));
    EXPECT_FALSE(out.back().numerical_failure) << out.back().failure;
  }
  return out;
}

/// No residual disease and no IL-2: nothing competes with non-relapse mortality.
double nrm_fraction_by(const std::vector<PatientRecord>& records, double day) {
  double dead = 0;
  for (const auto& r : records) {
    if (r.death_day && *r.death_day <= day) {
      EXPECT_EQ(r.death_cause, DeathCause::kNonRelapse);
      ++dead;
    }
  }
  return dead / static_cast<double>(records.size());
}

// model.md §3: NRM Weibull hazard from day 0, shape 0.5, scale such that 1-year NRM is nrm_1y_auto.
// 6 months: 1 − (1 − p)^(0.5^0.5) (the Weibull survival at half the year).
TEST(NonRelapseMortality, OneYearProportionMatchesTheSetting) {
  for (const double p : {0.05, 0.3}) {
    auto s = default_scenario();
    s.parameters.set(ParamId::kPNoDisease, 1.0);
    s.parameters.set(ParamId::kNrm1yAuto, p);
    const std::uint32_t n = 4000;
    const auto records = run_cohort(s, testing::arm(s, "observation"), n, 400.0);
    const double one_year = nrm_fraction_by(records, 365.25);
    EXPECT_NEAR(one_year, p, binomial_tolerance(p, n)) << "nrm_1y_auto " << p;
    const double half = 1.0 - std::pow(1.0 - p, std::pow(0.5, s.parameters[ParamId::kNrmShape]));
    EXPECT_NEAR(nrm_fraction_by(records, 365.25 / 2.0), half, binomial_tolerance(half, n))
        << "6 months, " << p;
    for (const auto& r : records) {
      EXPECT_FALSE(r.relapse_day);
      EXPECT_FALSE(r.treated);
    }
  }
}

TEST(NonRelapseMortality, WeibullScaleClosedForm) {
  // S(365.25) = exp(−(365.25/λ)^k) = 1 − p.
  for (const double p : {0.05, 0.15, 0.5}) {
    for (const double k : {0.5, 1.0, 2.0}) {
      const double lambda = weibull_scale_for_one_year(p, k);
      EXPECT_NEAR(1.0 - std::exp(-std::pow(365.25 / lambda, k)), p, 1e-12);
    }
  }
}

// model.md §3: death after relapse is log-normal from the (observed) relapse, median NHL 8 / AML 5
// months, σ 0.8. Every patient relapses early (L0 half a log below L_rel); NRM is switched off.
// The fraction dying within median·exp(σ·q) of relapse must be Φ(q) for q = −1, 0, 1.
void check_post_relapse(const std::string& cohort, ParamId median_id) {
  auto s = default_scenario();
  const auto* c = scenario::find_cohort(cohort);
  ASSERT_NE(c, nullptr);
  const scenario::ArmSpec arm{"observation", cohort, std::nullopt};
  const auto typical = model::resolve(s.parameters, {}, c->disease, c->transplant,
                                      model::typical_etas(), s.structure);
  s.parameters.set(ParamId::kPNoDisease, 0.0);
  s.parameters.set(ParamId::kLog10L0Mean, std::log10(typical.L_rel) - 0.5);
  s.parameters.set(ParamId::kLog10L0Sd, 0.01);
  s.parameters.set(ParamId::kNrm1yAuto, 0.0);
  s.parameters.set(ParamId::kNrm1yAllo, 0.0);
  const double median = s.parameters[median_id] * kDaysPerMonth;
  const double sigma = s.parameters[ParamId::kPostRelapseSigma];
  const double horizon = 4000.0;
  const auto records = run_cohort(s, arm, 1500, horizon);
  std::vector<const PatientRecord*> relapsed;
  for (const auto& r : records) {
    if (r.relapse_day && *r.relapse_day < 1000.0) relapsed.push_back(&r);
  }
  ASSERT_GT(relapsed.size(), 1000U);
  const boost::math::normal_distribution<double> z;
  for (const double q : {-1.0, 0.0, 1.0}) {
    const double cut = median * std::exp(sigma * q);
    double within = 0;
    for (const auto* r : relapsed) {
      if (r->death_day) {
        EXPECT_EQ(r->death_cause, DeathCause::kRelapse);
      }
      if (r->death_day && *r->death_day - *r->relapse_day <= cut) ++within;
    }
    const double expected = boost::math::cdf(z, q);
    EXPECT_NEAR(within / static_cast<double>(relapsed.size()), expected,
                binomial_tolerance(expected, relapsed.size()))
        << cohort << ": fraction dead within " << cut << " days of relapse";
  }
}

TEST(DeathAfterRelapse, NhlMedianEightMonths) {
  check_post_relapse("adult-auto-nhl", ParamId::kPostRelapseMedianNhl);
}
TEST(DeathAfterRelapse, AmlMedianFiveMonths) {
  check_post_relapse("adult-auto-aml", ParamId::kPostRelapseMedianAml);
}

/// The first scheduled assessment at or after `t`: every 90 days to day 730, then every 180.
double next_assessment(const scenario::ProtocolSettings& p, double t) {
  for (double d = p.assessment_interval_days; d <= p.assessment_switch_day + 1e-9;
       d += p.assessment_interval_days) {
    if (d >= t) return d;
  }
  double d = p.assessment_switch_day;
  while (d < t) d += p.assessment_interval_late_days;
  return d;
}

// model.md §3: relapse (L crossing L_rel) is recorded at the first scheduled assessment at or after
// the crossing, or at once when L reaches 10·L_rel (symptomatic). Both times are kept.
TEST(Relapse, ObservedAtTheFirstAssessmentAtOrAfterTheCrossing) {
  const auto s = default_scenario();
  ASSERT_EQ(s.protocol.assessment_interval_days, 90.0);
  ASSERT_EQ(s.protocol.assessment_switch_day, 730.0);
  ASSERT_EQ(s.protocol.assessment_interval_late_days, 180.0);
  int at_assessment = 0, symptomatic = 0, late = 0, restaged = 0;
  for (const char* a : {"il2", "observation"}) {
    for (const auto& r : run_cohort(s, testing::arm(s, a), 600, 1826.0)) {
      if (!r.relapse_day) {
        // A crossing without a recorded relapse: death or the end of follow-up came before the
        // assessment.
        if (r.relapse_true_day && !r.death_day) {
          EXPECT_GT(next_assessment(s.protocol, *r.relapse_true_day), 1826.0) << r.id;
        }
        continue;
      }
      ASSERT_TRUE(r.relapse_true_day) << r.id;
      const double truth = *r.relapse_true_day;
      const double scheduled = next_assessment(s.protocol, truth);
      EXPECT_GE(*r.relapse_day, truth) << r.id;
      if (r.relapse_symptomatic) {
        ++symptomatic;
        EXPECT_LE(*r.relapse_day, scheduled) << r.id;
      } else if (s.protocol.restage_before_start && r.not_treated == NotTreatedReason::kRelapse &&
                 *r.relapse_day < scheduled) {
        // Restaging before the start: recorded at the would-be start, the day of eligibility plus
        // the scheduling delay (0..max_scheduling_delay_days).
        ++restaged;
        EXPECT_FALSE(r.landmark_day) << r.id;
        ASSERT_TRUE(r.eligible_day) << r.id;
        EXPECT_GE(*r.relapse_day, *r.eligible_day) << r.id;
        EXPECT_LE(*r.relapse_day, *r.eligible_day + s.protocol.max_scheduling_delay_days) << r.id;
      } else {
        ++at_assessment;
        if (truth > 730.0) ++late;
        EXPECT_EQ(*r.relapse_day, scheduled) << "patient " << r.id << " crossing on day " << truth;
      }
    }
  }
  EXPECT_GT(at_assessment, 20);
  EXPECT_GT(symptomatic, 5);
  EXPECT_GT(late, 0) << "no relapse on the 180-day schedule";
  EXPECT_GT(restaged, 0) << "no relapse found at the restaging before the start";
}

// A tumour that reaches 10·L_rel between assessments is recorded on that day (symptomatic), and the
// recorded day is when L crosses 10·L_rel in the patient's trajectory.
TEST(Relapse, SymptomaticRelapseIsRecordedAtOnce) {
  const auto s = default_scenario();
  auto v = testing::typical_patient(s);
  v.parameters.r = 0.1;  // fast growth: L_rel to 10·L_rel in ~23 days, between two assessments
  v.L0 = 1e5;            // crossing L_rel after day 90
  const auto r = simulate_patient(s, testing::arm(s, "observation"), v, 730.0);
  ASSERT_TRUE(r.relapse_true_day);
  ASSERT_TRUE(r.relapse_day);
  EXPECT_TRUE(r.relapse_symptomatic);
  const auto trajectory = testing::trajectory(s, v, {}, *r.relapse_day + 2.0, 0.01);
  EXPECT_NEAR(*r.relapse_true_day,
              testing::crossing(trajectory, "L", 0.0, v.parameters.L_rel, true), 0.02);
  EXPECT_NEAR(*r.relapse_day,
              testing::crossing(trajectory, "L", 0.0, 10.0 * v.parameters.L_rel, true), 0.02);
  EXPECT_LT(*r.relapse_day, next_assessment(s.protocol, *r.relapse_true_day));
}

}  // namespace
}  // namespace il2sim::clinic

namespace il2sim::clinic {
namespace {

// L0 can exceed L_rel (NHL: 10^9; log10 L0 is truncated at 10): such a tumour is in relapse from
// day 0 (true relapse day 0) and is recorded at the first assessment (day 90) unless it becomes
// symptomatic.
TEST(Relapse, TumourAboveTheThresholdAtTransplantRelapsesOnDayZero) {
  auto s = default_scenario();
  auto v = testing::typical_patient(s);
  v.L0 = 3e9;
  v.parameters.r = 0.005;  // slow: not symptomatic (10·L_rel) before the day-90 assessment
  const auto r = simulate_patient(s, testing::arm(s, "observation"), v, 730.0);
  ASSERT_TRUE(r.relapse_true_day);
  EXPECT_EQ(*r.relapse_true_day, 0.0);
  ASSERT_TRUE(r.relapse_day);
  EXPECT_FALSE(r.relapse_symptomatic);
  // Found at the restaging before the would-be start (eligibility day + scheduling delay).
  ASSERT_TRUE(r.eligible_day);
  EXPECT_EQ(*r.relapse_day, *r.eligible_day + v.scheduling_delay_days);
  EXPECT_EQ(r.not_treated, NotTreatedReason::kRelapse);
  // Without restaging: at the first scheduled assessment, day 90.
  s.protocol.restage_before_start = false;
  const auto unstaged = simulate_patient(s, testing::arm(s, "observation"), v, 730.0);
  ASSERT_TRUE(unstaged.relapse_day);
  EXPECT_EQ(*unstaged.relapse_day, 90.0);
  s.protocol.restage_before_start = true;

  v.parameters.r = 0.1;  // fast: 10·L_rel before day 90, recorded at once
  const auto fast = simulate_patient(s, testing::arm(s, "observation"), v, 730.0);
  ASSERT_TRUE(fast.relapse_true_day && fast.relapse_day);
  EXPECT_EQ(*fast.relapse_true_day, 0.0);
  EXPECT_TRUE(fast.relapse_symptomatic);
  EXPECT_LT(*fast.relapse_day, 90.0);
}

}  // namespace
}  // namespace il2sim::clinic
