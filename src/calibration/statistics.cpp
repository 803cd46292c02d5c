#include "calibration/statistics.hpp"

#include <vector>

namespace il2sim::calibration {

std::span<const StatisticInfo> statistic_table() {
  using enum StatisticScale;
  using enum StatisticReads;
  using enum DefaultPopulation;
  using enum Estimator;
  // clang-format off
  static const std::vector<StatisticInfo> rows{
    // name, scale, reads, needs, default population, needs follow-up to `day`, estimator, meaning
    {"value_at", kOther, kTrajectory, "column", kNotCohort, false, kByScale,
     "the column at `day`, times `scale` (population experiments: every trajectory statistic is "
     "the median, or the `p` quantile, over patients)"},
    {"fold", kOther, kTrajectory, "column", kNotCohort, false, kByScale,
     "the column at `day` over its value at `ref_day`"},
    {"max_over", kOther, kTrajectory, "column", kNotCohort, false, kByScale,
     "the column's largest value over [from, to], times `scale`"},
    {"min_fall", kOther, kTrajectory, "column", kNotCohort, false, kByScale,
     "the largest fall of the column over [from, to]: 1 − its smallest value there over its "
     "value at `ref_day`"},
    {"peak_day", kOther, kTrajectory, "column", kNotCohort, false, kByScale,
     "days from `from` to the column's largest value over [from, to]"},
    {"return_day", kOther, kTrajectory, "column", kNotCohort, false, kByScale,
     "days from `from` to the first time after its peak in [from, to] that the column is at most "
     "(1 + `near`) × its value at `ref_day` (to − from if never)"},
    {"half_life_alpha", kOther, kBolus, "", kNotCohort, false, kByScale,
     "the distribution half-life of C after a bolus at the start, by curve stripping with the "
     "terminal phase over [from, to] (days, times `scale`)"},
    {"half_life_beta", kOther, kBolus, "", kNotCohort, false, kByScale,
     "the terminal half-life of C after a bolus at the start, log-linear over [from, to] (days, "
     "times `scale`)"},
    {"median_lab_fold", kOther, kCohort, "paramcd", kTreated, false, kByScale,
     "the median over patients of the lab at visit IL2 D`day` over its BASELINE"},
    {"fraction_completed_induction", kProportion, kCohort, "", kTreated, false, kByScale,
     "the fraction who completed induction"},
    {"fraction_with_grade", kProportion, kCohort, "term", kTreated, false, kByScale,
     "the fraction with `term` of at least `grade`"},
    {"fraction_dlt", kProportion, kCohort, "", kTreated, false, kByScale,
     "the fraction with a dose-limiting toxicity"},
    {"fraction_toxic_death", kProportion, kCohort, "", kTreated, false, kByScale,
     "the fraction who died of IL-2 toxicity"},
    {"grade4_events_per_patient", kRate, kCohort, "", kTreated, false, kByScale,
     "grade-4 adverse events per patient"},
    {"toxic_deaths_per_grade4_event", kProportion, kCohort, "", kTreated, false, kPooledEvents,
     "the fraction of grade-4 adverse-event episodes that were fatal (toxic deaths over grade-4 "
     "episodes, pooled over patients; a ratio estimate, its Monte Carlo error from the patients)"},
    {"fraction_gvhd", kProportion, kCohort, "kind", kTreated, false, kByScale,
     "the fraction with GVHD of `kind` (acute, chronic)"},
    {"median_start_day", kOther, kCohort, "", kTreated, false, kByScale,
     "the median day of the first IL-2, from transplant"},
    {"fraction_not_treated", kProportion, kCohort, "cause", kRegistered, false, kByScale,
     "the fraction who never started IL-2, for `cause` (or any)"},
    {"km_at", kProportion, kCohort, "endpoint", kRegistered, false, kKaplanMeier,
     "the Kaplan–Meier estimate of `endpoint` at `day` (1 − it with complement = true)"},
    {"median_relapse_months_among_relapsed", kOther, kCohort, "", kRegistered, false, kByScale,
     "the median month of relapse among the patients who relapsed"},
    {"fraction_relapses_by", kProportion, kCohort, "", kRegistered, false, kByScale,
     "among the patients who relapsed, the fraction who did by `day`"},
    {"fraction_alive_in_cr", kProportion, kCohort, "", kTreated, false, kByScale,
     "the fraction alive without relapse at `day`"},
    {"fraction_relapsed_by", kProportion, kCohort, "", kTreated, false, kByScale,
     "the fraction who relapsed by `day`"},
    {"fraction_alive_after_relapse", kProportion, kCohort, "", kRegistered, true, kByScale,
     "the fraction alive at `day` after a relapse by then: OS(day) − DFS(day), the survival that "
     "salvage after relapse adds"},
    {"fraction_nrm_by", kProportion, kCohort, "", kRegistered, true, kByScale,
     "the fraction who died by `day` without a relapse before: the cumulative incidence of "
     "non-relapse mortality with relapse as a competing risk"},
    {"doubling_time", kOther, kParameter, "parameter", kNotCohort, false, kByScale,
     "ln 2 over the growth-rate `parameter` (days)"},
  };
  // clang-format on
  return rows;
}

const StatisticInfo* find_statistic(std::string_view name) {
  for (const auto& s : statistic_table()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

}  // namespace il2sim::calibration
