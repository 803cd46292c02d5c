#pragma once
/// @file summary.hpp
/// The operating characteristics of a run's stages as typed objects, computed once from the
/// per-replicate results (stage_summaries) and read by every writer: summary.json and the
/// `operating_characteristics` table of results.sqlite are generated from them through their field
/// tables (summary_json), and the report reads the objects themselves.

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/fields.hpp"
#include "trial/programme.hpp"

namespace il2sim::trial {

inline constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();  ///< JSON null

/// Monte Carlo standard errors of the operating characteristics. Every characteristic X of a
/// summary has its X_mc_se next to it (field tables and JSON), computed over the replicates by:
/// a proportion p of n replicates: sqrt(p (1 - p) / n);
[[nodiscard]] double mc_se_proportion(double p, double n);
/// a mean of the finite values: their sample standard deviation / sqrt(n) (NaN for n < 2);
[[nodiscard]] double mc_se_mean(const std::vector<double>& values);
/// a quantile q (a median: q = 0.5) of the n finite values: half the width of the order-statistic
/// binomial 95 % interval divided by 1.96, (x_(u) - x_(l)) / (2 · 1.96) with
/// l = floor(n q - 1.96 sqrt(n q (1 - q))), u = ceil(n q + 1.96 sqrt(n q (1 - q))) (1-based,
/// clamped to 1..n; NaN for n < 2);
[[nodiscard]] double mc_se_quantile(const std::vector<double>& values, double q);
/// a pooled ratio sum(a) / sum(b) of per-replicate counts (e.g. patients lost / registered): the
/// ratio estimator's sqrt(sum (a_i - R b_i)^2 / (n (n - 1))) / mean(b) (NaN for n < 2).
[[nodiscard]] double mc_se_ratio(const std::vector<double>& a, const std::vector<double>& b);

/// Mean and 2.5–97.5 % range over replicates (type 7 quantiles of the finite values).
struct Spread {
  double mean = kNoValue, q025 = kNoValue, q975 = kNoValue;
  double mean_mc_se = kNoValue, q025_mc_se = kNoValue, q975_mc_se = kNoValue;
};

/// One dose level of an escalation stage over replicates.
struct LevelSummary {
  int level = 0;  ///< 1-based
  double dose = 0.0;
  double days = kNoValue;  ///< the level's duration (null: the regimen's)
  double p_select = 0.0, mean_patients = 0.0;
  double observed_dlt_rate = kNoValue;  ///< null when nobody was treated at the level
  double p_select_mc_se = kNoValue, mean_patients_mc_se = kNoValue,
         observed_dlt_rate_mc_se = kNoValue;
};

struct EscalationSummary {
  std::string method;  ///< "3+3", "boin" or "crm"
  std::vector<LevelSummary> levels;
  double p_select_none = 0.0;
  std::optional<std::size_t> mtd;  ///< 0-based most often selected level (none: "no MTD" wins)
  double mtd_dose = kNoValue;
  double mean_patients = 0.0, mean_not_evaluable = 0.0;
  double p_select_none_mc_se = kNoValue, mean_patients_mc_se = kNoValue,
         mean_not_evaluable_mc_se = kNoValue;
};

/// The single-arm design as run (from the last replicate that ran the stage).
struct SingleArmDesign {
  int n1 = 0, r1 = 0, n = 0, r = 0;
  bool simon = false;
  double p0 = 0.0, p1 = 0.0;
  std::string response;
};

/// Relapse-free survival at comparison_days, treated vs historical control, mean over replicates.
struct HistoricalComparison {
  double at_days = 0.0;
  double rfs_il2_from_transplant = kNoValue, rfs_control_from_transplant = kNoValue;
  double rfs_il2_from_landmark = kNoValue, rfs_control_from_landmark = kNoValue;
  double p_below_005_from_transplant = kNoValue, p_below_005_from_landmark = kNoValue;
  double rfs_il2_from_transplant_mc_se = kNoValue, rfs_control_from_transplant_mc_se = kNoValue;
  double rfs_il2_from_landmark_mc_se = kNoValue, rfs_control_from_landmark_mc_se = kNoValue;
  double p_below_005_from_transplant_mc_se = kNoValue, p_below_005_from_landmark_mc_se = kNoValue;
};

/// The treated with or without IL-2's effect on tumour kill (selection-bias analysis).
struct SelectionBiasArm {
  Spread rfs_from_transplant, rfs_from_landmark, difference_from_transplant,
      difference_from_landmark;
  double p_below_005_from_transplant = kNoValue, p_below_005_from_landmark = kNoValue;
  double response_rate_mean = kNoValue;
  double p_below_005_from_transplant_mc_se = kNoValue, p_below_005_from_landmark_mc_se = kNoValue;
  double response_rate_mean_mc_se = kNoValue;
};

struct SelectionBiasSummary {
  double at_days = 0.0;
  long replicates = 0;
  SelectionBiasArm with_effect, without_effect;
  Spread control_from_transplant, control_from_landmark;
  Spread apparent_benefit, apparent_benefit_landmark;  ///< without effect − control
};

struct SingleArmSummary {
  std::optional<SingleArmDesign> design;  ///< none when no replicate ran the stage
  double replicates_run = 0.0;
  double p_reject_h0 = 0.0, p_early_stop = 0.0;
  double mean_treated = kNoValue, response_rate_mean = kNoValue, dose_median = kNoValue;
  double p_reject_h0_mc_se = kNoValue, p_early_stop_mc_se = kNoValue;
  double mean_treated_mc_se = kNoValue, response_rate_mean_mc_se = kNoValue,
         dose_median_mc_se = kNoValue;
  HistoricalComparison historical;
  std::optional<SelectionBiasSummary> selection_bias;  ///< when the stage asks for it
};

struct ArmSummary {
  std::string arm;
  double randomized_mean = kNoValue, pfs_median_months = kNoValue, os_median_months = kNoValue,
         relapse_2y = kNoValue;
  double randomized_mean_mc_se = kNoValue, pfs_median_months_mc_se = kNoValue,
         os_median_months_mc_se = kNoValue, relapse_2y_mc_se = kNoValue;
  /// Randomized patients who did not start IL-2 / randomized (attrition after randomization).
  double not_started_fraction = kNoValue, not_started_fraction_mc_se = kNoValue;
  /// The same by cause (the not-treated reason), pooled over replicates, and its Monte Carlo SE.
  std::map<std::string, double> not_started_by_cause, not_started_by_cause_mc_se;
  /// Mean over replicates of the Kaplan–Meier PFS / OS at each landmark year (key: the years as
  /// written, e.g. "2"), and their Monte Carlo SE.
  std::map<std::string, double> pfs_landmark, os_landmark, pfs_landmark_mc_se, os_landmark_mc_se;
};

/// The within-set degrees of freedom (replicates - sets used) from which the variance split
/// estimates E[Var(log HR | set)] from the replicates that share a set, not from the Cox SE.
inline constexpr double kMinWithinSetDf = 20.0;

/// A run over a parameter ensemble (`run --ensemble`, docs/ensemble.md): the probability of
/// success and the split of Var(log HR) by the law of total variance.
struct EnsembleSplit {
  double assurance = kNoValue;        ///< share of replicates that rejected H0 (= power)
  double assurance_mc_se = kNoValue;  ///< binomial sqrt(a (1 - a) / n)
  /// Var(log HR) over the replicates with a Cox HR and its SE (sample variance, n - 1).
  double variance_total = kNoValue;
  /// E[Var(log HR | set)]: "within_sets", the pooled variance of the replicates that share a set
  /// (when replicates - sets >= kMinWithinSetDf), else "cox_se", the mean squared Cox SE of
  /// log HR (from the 95 % interval).
  double variance_sampling = kNoValue;
  std::string method;
  /// The two parts as fractions of their sum: parameters is the variance of the sets' mean log HR
  /// (within_sets) or max(0, total - sampling) (cox_se).
  double parameters = kNoValue, sampling = kNoValue;
  double replicates_with_hr = 0.0;  ///< replicates with a finite Cox HR and SE > 0
};

struct RandomizedSummary {
  double replicates_run = 0.0;
  double power = kNoValue, hr_median = kNoValue, hr_q05 = kNoValue, hr_q95 = kNoValue;
  double events_median = kNoValue;
  int target_events = 0;
  double duration_months_median = kNoValue;
  std::map<std::string, double> decisions;  ///< share of replicates per decision
  std::map<std::string, double> attrition;  ///< share of the registered lost, per cause
  double not_randomized_fraction = 0.0, registered_per_trial = 0.0;
  std::vector<ArmSummary> arms;
  double os_hr_median = kNoValue, os_hr_q05 = kNoValue, os_hr_q95 = kNoValue;
  double randomized_mean = kNoValue;  ///< randomized per trial (both arms)
  double power_mc_se = kNoValue, hr_median_mc_se = kNoValue, hr_q05_mc_se = kNoValue,
         hr_q95_mc_se = kNoValue, events_median_mc_se = kNoValue,
         duration_months_median_mc_se = kNoValue, not_randomized_fraction_mc_se = kNoValue,
         registered_per_trial_mc_se = kNoValue, os_hr_median_mc_se = kNoValue,
         os_hr_q05_mc_se = kNoValue, os_hr_q95_mc_se = kNoValue, randomized_mean_mc_se = kNoValue;
  std::map<std::string, double> decisions_mc_se, attrition_mc_se;
  std::optional<EnsembleSplit> ensemble;  ///< a run over an ensemble only
};

/// The split of Var(log HR) of a randomized stage's replicates (docs/ensemble.md): `log_hr`,
/// `se` and `set` of the replicates with a finite Cox HR and SE > 0, `reject` of all replicates
/// run.
[[nodiscard]] EnsembleSplit ensemble_split(const std::vector<double>& log_hr,
                                           const std::vector<double>& se,
                                           const std::vector<std::uint32_t>& set,
                                           const std::vector<double>& reject);

using StageSummary = std::variant<EscalationSummary, SingleArmSummary, RandomizedSummary>;

/// Every stage's operating characteristics over the replicates of `summary` (in stage order).
[[nodiscard]] std::vector<StageSummary> stage_summaries(const ProgrammeSummary& summary);

/// summary.json's object of stage `i` (keys of interfaces.md), generated from the field tables.
[[nodiscard]] nlohmann::json stage_json(const scenario::StageSpec& st, const StageSummary& s);

/// The whole summary.json: scenario, seed, replicates and every stage's object.
[[nodiscard]] nlohmann::json summary_json(const ProgrammeSummary& summary,
                                          const std::vector<StageSummary>& stages);

// The field tables of the flat parts (JSON keys, types and descriptions).
[[nodiscard]] core::FieldTable<LevelSummary> level_summary_fields();
[[nodiscard]] core::FieldTable<EscalationSummary> escalation_summary_fields();
[[nodiscard]] core::FieldTable<HistoricalComparison> historical_comparison_fields();
[[nodiscard]] core::FieldTable<SingleArmSummary> single_arm_summary_fields();
[[nodiscard]] core::FieldTable<ArmSummary> arm_summary_fields();
[[nodiscard]] core::FieldTable<RandomizedSummary> randomized_summary_fields();

}  // namespace il2sim::trial
