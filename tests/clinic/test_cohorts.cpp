// A scenario's own cohorts through the clinic (docs/model.md "Cohorts"): the age range, the same
// draws as a built-in cohort of the same fields, the salvage fraction of survival after relapse,
// and the chemotherapy setting (its own NRM, no GVHD).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "clinic_fixtures.hpp"

namespace il2sim::clinic {
namespace {

using model::ParamId;
using testing::binomial_tolerance;

constexpr double kDaysPerMonth = 365.25 / 12.0;

/// The default scenario with extra TOML (cohorts, arms) appended to its resolved text.
scenario::Scenario with(const std::string& extra) {
  return scenario::parse_scenario(scenario::to_toml(testing::default_scenario()) + extra, "t.toml");
}

std::vector<VirtualPatient> draw(const scenario::Scenario& s, const std::string& cohort,
                                 std::uint32_t n) {
  const auto* c = s.find_cohort(cohort);
  EXPECT_NE(c, nullptr) << cohort;
  std::vector<VirtualPatient> out;
  for (std::uint32_t i = 1; i <= n; ++i) out.push_back(make_patient(s, *c, 0, i));
  return out;
}

std::vector<PatientRecord> run(const scenario::Scenario& s, const scenario::ArmSpec& arm,
                               std::uint32_t n, double horizon) {
  std::vector<PatientRecord> out;
  for (const auto& v : draw(s, arm.cohort, n)) {
    out.push_back(simulate_patient(s, arm, v, horizon));
    EXPECT_FALSE(out.back().numerical_failure) << out.back().failure;
  }
  return out;
}

}  // namespace

TEST(Cohorts, OwnAgeRangeDrawsAgesInIt) {
  const auto s = with(R"(
[cohorts.older]
disease = "aml"
setting = "autologous"
age_min = 60
age_max = 70

[cohorts.young-children]
disease = "all"
setting = "allogeneic"
population = "paediatric"
age_min = 2
age_max = 5
)");
  for (const auto& [name, lo, hi] :
       {std::tuple{"older", 60.0, 70.0}, {"young-children", 2.0, 5.0}}) {
    const auto patients = draw(s, name, 2000);
    double low = hi;
    double high = lo;
    for (const auto& v : patients) {
      EXPECT_GE(v.covariates.age_years, lo) << name;
      EXPECT_LE(v.covariates.age_years, hi) << name;
      low = std::min(low, v.covariates.age_years);
      high = std::max(high, v.covariates.age_years);
    }
    // 2000 draws cover the range: a gap of 5 % of it at either end has probability < 1e-9 for the
    // uniform (0.95^2000) and for the truncated normal N(48, 12) on [60, 70], whose density at 70
    // is still 0.31 of that at 60 (exp(-(22² - 12²)/288)), so the top 5 % holds over 1 % of the
    // mass.
    EXPECT_LT(low, lo + 0.05 * (hi - lo)) << name;
    EXPECT_GT(high, hi - 0.05 * (hi - lo)) << name;
  }
}

// A scenario cohort with the fields of a built-in one draws exactly the same patients (the fields
// are the same parameter rows; the streams are keyed by patient, not by cohort).
TEST(Cohorts, SameFieldsAsABuiltinCohortSameDraws) {
  const auto s = with(R"(
[cohorts.copy]
disease = "aml"
setting = "autologous"
p_no_disease = "p_no_disease_aml_cr1"
log10_L0_mean = "log10_L0_mean_aml_cr1"
)");
  const auto a = draw(s, "adult-auto-aml-cr1", 300);
  const auto b = draw(s, "copy", 300);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].covariates.age_years, b[i].covariates.age_years);
    EXPECT_EQ(a[i].covariates.bsa_m2, b[i].covariates.bsa_m2);
    EXPECT_EQ(a[i].parameters.r, b[i].parameters.r);
    EXPECT_EQ(a[i].L0, b[i].L0);
    EXPECT_EQ(a[i].nrm_1y, b[i].nrm_1y);
    EXPECT_EQ(a[i].post_relapse_median_days, b[i].post_relapse_median_days);
    EXPECT_FALSE(b[i].salvaged);
  }
}

// Survival after relapse with a salvage fraction: the salvaged have the median
// salvage_median_months (same sigma, same deviate), so with salvage_fraction = 1 and a median twice
// the cohort's, every patient's time from relapse to death is exactly twice as long (closed form:
// median·exp(σz)); a fraction f salvages f of the patients (binomial).
TEST(Cohorts, SalvageFractionLengthensSurvivalAfterRelapse) {
  auto base = testing::default_scenario();
  const double median_months = base.parameters[ParamId::kPostRelapseMedianAml];
  const auto typical =
      model::resolve(base.parameters, {}, model::Disease::kAml, model::Transplant::kAutologous,
                     model::typical_etas(), base.structure);
  // Every patient relapses early (L0 half a log below L_rel) and nothing else kills (NRM 0).
  const std::string common = fmt::format(
      "disease = \"aml\"\nsetting = \"autologous\"\np_no_disease = 0\nlog10_L0_mean = {}\n"
      "log10_L0_sd = 0.01\nnrm_1y = 0\n",
      std::log10(typical.L_rel) - 0.5);
  const auto s =
      with(fmt::format("[cohorts.plain]\n{0}\n[cohorts.salvaged]\n{0}salvage_fraction = 1\n"
                       "salvage_median_months = {1}\n\n[cohorts.some]\n{0}salvage_fraction = 0.3\n"
                       "salvage_median_months = {1}\n",
                       common, 2.0 * median_months));
  const auto some = draw(s, "some", 4000);
  const double share = static_cast<double>(std::count_if(
                           some.begin(), some.end(), [](const auto& v) { return v.salvaged; })) /
                       static_cast<double>(some.size());
  EXPECT_NEAR(share, 0.3, binomial_tolerance(0.3, some.size()));
  for (const auto& v : some) {
    EXPECT_DOUBLE_EQ(v.post_relapse_median_days,
                     (v.salvaged ? 2.0 : 1.0) * median_months * kDaysPerMonth);
  }
  const double horizon = 6000.0;
  const auto plain = run(s, {"observation", "plain", std::nullopt}, 300, horizon);
  const auto salvaged = run(s, {"observation", "salvaged", std::nullopt}, 300, horizon);
  int compared = 0;
  double sum_plain = 0;
  double sum_salvaged = 0;
  for (std::size_t i = 0; i < plain.size(); ++i) {
    ASSERT_TRUE(plain[i].relapse_day && salvaged[i].relapse_day);
    EXPECT_EQ(*plain[i].relapse_day, *salvaged[i].relapse_day);  // the disease is the same
    if (!plain[i].death_day || !salvaged[i].death_day) continue;
    EXPECT_EQ(plain[i].death_cause, DeathCause::kRelapse);
    const double a = *plain[i].death_day - *plain[i].relapse_day;
    const double b = *salvaged[i].death_day - *salvaged[i].relapse_day;
    EXPECT_NEAR(b / a, 2.0, 1e-9) << "patient " << i + 1;
    sum_plain += a;
    sum_salvaged += b;
    ++compared;
  }
  EXPECT_GT(compared, 250);  // exp(σz) below ~15 for nearly everybody: both deaths in the horizon
  EXPECT_GT(sum_salvaged, sum_plain);
}

// The chemotherapy setting: NRM from the cohort's own nrm_1y (no disease, so nothing competes: the
// Kaplan–Meier NRM at 1 year is the dead fraction, binomial around nrm_1y), and no GVHD whatever
// the GVHD hazard, while the same patients after an allogeneic transplant get it.
TEST(Cohorts, ChemotherapySettingHasItsOwnNrmAndNoGvhd) {
  auto s = with(R"(
[cohorts.chemo]
disease = "aml"
setting = "chemotherapy"
p_no_disease = 1
nrm_1y = 0.3

[cohorts.allo]
disease = "aml"
setting = "allogeneic"
p_no_disease = 1
nrm_1y = 0
)");
  const std::uint32_t n = 4000;
  const auto records = run(s, {"observation", "chemo", std::nullopt}, n, 400.0);
  double dead = 0;
  for (const auto& r : records) {
    EXPECT_EQ(r.transplant, model::Transplant::kChemotherapy);
    if (r.death_day && *r.death_day <= 365.25) {
      EXPECT_EQ(r.death_cause, DeathCause::kNonRelapse);
      ++dead;
    }
  }
  EXPECT_NEAR(dead / n, 0.3, binomial_tolerance(0.3, n));

  s.parameters.set(ParamId::kH0Gvhd, 1.0);  // the upper bound: GVHD within days of IL-2 if allo
  const auto* il2 = s.find_arm("il2");
  ASSERT_NE(il2, nullptr);
  const auto chemo = run(s, {"il2", "chemo", il2->regimen}, 40, 150.0);
  const auto allo = run(s, {"il2", "allo", il2->regimen}, 40, 150.0);
  int treated_chemo = 0;
  int treated_allo = 0;
  int gvhd_allo = 0;
  for (std::size_t i = 0; i < chemo.size(); ++i) {
    EXPECT_FALSE(chemo[i].agvhd_day.has_value()) << "patient " << i + 1;
    EXPECT_FALSE(chemo[i].cgvhd_day.has_value()) << "patient " << i + 1;
    treated_chemo += chemo[i].treated ? 1 : 0;
    treated_allo += allo[i].treated ? 1 : 0;
    gvhd_allo += allo[i].treated && allo[i].agvhd_day ? 1 : 0;
  }
  EXPECT_GT(treated_chemo, 20);
  EXPECT_GT(treated_allo, 20);
  EXPECT_GT(gvhd_allo, treated_allo / 2);  // the contrast: the hazard fires after a graft
}

// ---- Mixture cohorts (docs/model.md "Mixture cohorts")

const std::string kMixtureCohorts = R"(
[cohorts.nhl-indolent]
disease = "nhl"
setting = "autologous"
p_no_disease = 0.6
[cohorts.nhl-aggressive]
disease = "nhl"
setting = "autologous"
age_min = 20
age_max = 50
p_no_disease = 0.2
[cohorts.nhl-mixed]
description = "40 % indolent, 60 % aggressive"
mix = { nhl-indolent = 0.4, nhl-aggressive = 0.6 }
[cohorts.only-aggressive]
mix = { nhl-aggressive = 1.0 }
)";

// The component is drawn with the mixture's weights (its own stream): over 2000 patients the share
// of the first component is 0.4 within 4 binomial SEs, sqrt(p(1-p)/n) (closed form); each patient
// is made as a patient of its component (its age range).
TEST(Cohorts, MixtureDrawsComponentsWithTheirWeights) {
  const auto s = with(kMixtureCohorts);
  const auto patients = draw(s, "nhl-mixed", 2000);
  std::size_t indolent = 0;
  for (const auto& v : patients) {
    ASSERT_TRUE(v.cohort == "nhl-indolent" || v.cohort == "nhl-aggressive") << v.cohort;
    indolent += v.cohort == "nhl-indolent" ? 1U : 0U;
    if (v.cohort == "nhl-aggressive") {
      EXPECT_GE(v.covariates.age_years, 20.0);
      EXPECT_LE(v.covariates.age_years, 50.0);
    }
  }
  const double share = static_cast<double>(indolent) / static_cast<double>(patients.size());
  EXPECT_NEAR(share, 0.4, binomial_tolerance(0.4, patients.size()));
  // A cohort that is not a mixture records itself.
  EXPECT_EQ(draw(s, "nhl-indolent", 1).at(0).cohort, "nhl-indolent");
}

// The component draw has its own stream: a mixture of weight 1 on C gives byte-identical patients
// to cohort C (every field of the virtual patient, and the same course through the clinic).
TEST(Cohorts, MixtureOfWeightOneIsTheComponent) {
  const auto s = with(kMixtureCohorts + R"(
[[arms]]
name = "aggressive-il2"
cohort = "nhl-aggressive"
regimen = "chiron"
)");
  const auto a = draw(s, "nhl-aggressive", 200);
  const auto b = draw(s, "only-aggressive", 200);
  const auto& arm = testing::arm(s, "aggressive-il2");
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(b[i].cohort, "nhl-aggressive");
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_EQ(a[i].covariates.age_years, b[i].covariates.age_years);
    EXPECT_EQ(a[i].covariates.sex, b[i].covariates.sex);
    EXPECT_EQ(a[i].covariates.height_cm, b[i].covariates.height_cm);
    EXPECT_EQ(a[i].covariates.weight_kg, b[i].covariates.weight_kg);
    EXPECT_EQ(a[i].covariates.bsa_m2, b[i].covariates.bsa_m2);
    EXPECT_EQ(std::memcmp(&a[i].parameters, &b[i].parameters, sizeof(a[i].parameters)), 0);
    EXPECT_EQ(a[i].L0, b[i].L0);
    EXPECT_EQ(a[i].scheduling_delay_days, b[i].scheduling_delay_days);
    EXPECT_EQ(a[i].refuses, b[i].refuses);
    EXPECT_EQ(a[i].other_attrition, b[i].other_attrition);
    EXPECT_EQ(a[i].lak_cells, b[i].lak_cells);
    EXPECT_EQ(a[i].nrm_draw, b[i].nrm_draw);
    EXPECT_EQ(a[i].agvhd_draw, b[i].agvhd_draw);
    EXPECT_EQ(a[i].cgvhd_draw, b[i].cgvhd_draw);
    EXPECT_EQ(a[i].post_relapse_z, b[i].post_relapse_z);
    EXPECT_EQ(a[i].nrm_1y, b[i].nrm_1y);
    EXPECT_EQ(a[i].salvaged, b[i].salvaged);
    EXPECT_EQ(a[i].post_relapse_median_days, b[i].post_relapse_median_days);
  }
  for (std::size_t i = 0; i < 20; ++i) {
    const auto ra = simulate_patient(s, arm, a[i], 730.0);
    const auto rb = simulate_patient(s, arm, b[i], 730.0);
    EXPECT_EQ(ra.cohort, rb.cohort);
    EXPECT_EQ(ra.relapse_day, rb.relapse_day);
    EXPECT_EQ(ra.death_day, rb.death_day);
    EXPECT_EQ(ra.start_day, rb.start_day);
    EXPECT_EQ(ra.labs.size(), rb.labs.size());
    EXPECT_EQ(ra.exposure.size(), rb.exposure.size());
  }
}

}  // namespace il2sim::clinic
