#pragma once
/// @file summary.hpp
/// The operating characteristics of a run's stages as typed objects, computed once from the
/// per-replicate results (stage_summaries) and read by every writer: summary.json and the
/// `operating_characteristics` table of results.sqlite are generated from them through their field
/// tables (summary_json), and the report reads the objects themselves.

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

/// Mean and 2.5–97.5 % range over replicates (type 7 quantiles of the finite values).
struct Spread {
  double mean = kNoValue, q025 = kNoValue, q975 = kNoValue;
};

/// One dose level of an escalation stage over replicates.
struct LevelSummary {
  int level = 0;  ///< 1-based
  double dose = 0.0;
  double days = kNoValue;  ///< the level's duration (null: the regimen's)
  double p_select = 0.0, mean_patients = 0.0;
  double observed_dlt_rate = kNoValue;  ///< null when nobody was treated at the level
};

struct EscalationSummary {
  std::string method;  ///< "3+3", "boin" or "crm"
  std::vector<LevelSummary> levels;
  double p_select_none = 0.0;
  std::optional<std::size_t> mtd;  ///< 0-based most often selected level (none: "no MTD" wins)
  double mtd_dose = kNoValue;
  double mean_patients = 0.0, mean_not_evaluable = 0.0;
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
};

/// The treated with or without IL-2's effect on tumour kill (selection-bias analysis).
struct SelectionBiasArm {
  Spread rfs_from_transplant, rfs_from_landmark, difference_from_transplant,
      difference_from_landmark;
  double p_below_005_from_transplant = kNoValue, p_below_005_from_landmark = kNoValue;
  double response_rate_mean = kNoValue;
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
  HistoricalComparison historical;
  std::optional<SelectionBiasSummary> selection_bias;  ///< when the stage asks for it
};

struct ArmSummary {
  std::string arm;
  double randomized_mean = kNoValue, pfs_median_months = kNoValue, os_median_months = kNoValue,
         relapse_2y = kNoValue;
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
};

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
