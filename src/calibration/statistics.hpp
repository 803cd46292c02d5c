#pragma once
/// @file statistics.hpp
/// The closed vocabulary of the targets file's statistics, as one table: each statistic's name,
/// what its value is (its scale, which decides the evidence a target can carry and how it is
/// aggregated), what experiment it reads, the one setting it cannot do without, whom a cohort
/// statistic counts by default, and what it means. The targets reader's checks, statistic_names(),
/// statistic_scale() and the evaluator's default population are derived from it.

#include <span>
#include <string_view>

namespace il2sim::calibration {

/// What a statistic's value is, which decides the evidence a target of it can carry.
enum class StatisticScale {
  kProportion,  ///< a fraction of patients or a Kaplan–Meier probability, in [0, 1]
  kRate,        ///< events per patient (Poisson)
  kOther        ///< a concentration, fold, day, median…: a range only
};

/// What a statistic reads.
enum class StatisticReads {
  kTrajectory,  ///< a trajectory column of a typical or population experiment
  kBolus,       ///< the concentration after a bolus (typical or population experiment)
  kCohort,      ///< the patient records of a cohort experiment (through the clinic)
  kParameter    ///< a parameter's value (any experiment: it only names the scenario)
};

/// Whom a cohort statistic counts when the target gives no `population`.
enum class DefaultPopulation {
  kNotCohort,   ///< not a cohort statistic
  kTreated,     ///< the patients who started IL-2
  kRegistered,  ///< every patient of the experiment, from transplant
};

/// How a cohort statistic's patients make one estimate.
enum class Estimator {
  kByScale,      ///< by its scale: proportions the fraction, rates the mean, others the median
  kKaplanMeier,  ///< the product-limit estimate at `day` from each patient's time and event
  kPooledEvents  ///< events of interest over events, both summed over patients (a ratio estimate)
};

struct StatisticInfo {
  std::string_view name;
  StatisticScale scale;
  StatisticReads reads;
  /// The setting the statistic cannot do without ("column", "paramcd", "term", "endpoint", "cause",
  /// "kind", "parameter"), or "" if none.
  std::string_view needs;
  DefaultPopulation population;
  /// Whether its `day` is a time at which every patient must still be followed (the experiment's
  /// `days` at least): its estimate counts patients by what happened by then, which is the
  /// Kaplan–Meier or Aalen–Johansen estimate only when nobody is censored before it.
  bool needs_follow_up;
  Estimator estimator;  ///< cohort statistics; kByScale for the others
  std::string_view meaning;
};

/// The statistics this build implements, in the order the reference lists them.
[[nodiscard]] std::span<const StatisticInfo> statistic_table();
/// The row of that name; nullptr if there is none.
[[nodiscard]] const StatisticInfo* find_statistic(std::string_view name);

}  // namespace il2sim::calibration
