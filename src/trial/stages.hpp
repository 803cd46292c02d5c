#pragma once
/// @file stages.hpp
/// One replicate of each trial stage, run with virtual patients of the clinic layer. Patient ids
/// are keyed by stage (stage k uses ids k·10^6 + 1, 2, …), so every stage and arm draws from its
/// own common-random-number streams and a replicate's results do not depend on threads.

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clinic/endpoints.hpp"
#include "clinic/patient.hpp"
#include "scenario/scenario.hpp"

namespace il2sim::trial {

/// First patient id of stage `stage_index` (0-based).
[[nodiscard]] std::uint32_t stage_patient_base(std::size_t stage_index);

/// `base` with the phase named `phase` given `level`'s dose (and duration, if set).
[[nodiscard]] dosing::Regimen regimen_at_level(const dosing::Regimen& base,
                                               const std::string& phase,
                                               const scenario::DoseLevel& level);

/// A patient record kept for the CSV views, with the stage it belongs to and its ADTTE origin.
/// A randomized stage keeps its randomized patients first (in order of randomization), then its
/// registrants who were never randomized (in order of registration; `not_randomized` set).
struct StagePatient {
  clinic::PatientRecord record;
  double origin = 0.0;  ///< randomization (or IL-2 start) day: time origin of ADTTE
  std::string product;
  /// A randomized stage's calendar of the patient, with the stage's data cuts (none elsewhere).
  std::optional<clinic::TrialCalendar> calendar{};
  /// A randomized stage's registrant who was never randomized: why (the cause of the stage's
  /// attrition table). Its record is the course from transplant to the end of the start window
  /// (arm "pre-randomization"), with `not_treated` set to the same reason.
  std::optional<clinic::NotTreatedReason> not_randomized{};
};

// ---- Dose escalation
// --------------------------------------------------------------------------------
struct EscalationPatient {
  std::uint32_t id;
  int level;  ///< 0-based
  bool dlt;
};
struct EscalationResult {
  std::vector<EscalationPatient> patients;  ///< evaluable patients in order of treatment
  std::optional<int> mtd;                   ///< 0-based selected level
  int not_evaluable = 0;                    ///< registered but never treated (replaced)
};
EscalationResult run_dose_escalation(const scenario::Scenario& s, std::size_t stage_index,
                                     std::uint32_t replicate, std::vector<StagePatient>* keep);

// ---- Single arm
// -------------------------------------------------------------------------------------
struct SingleArmResult {
  int planned_n = 0;
  int n1 = 0, r1 = -1, r = -1;  ///< Simon design (r1 = -1: fixed n)
  int treated = 0;
  int responses = 0;
  int stage1_responses = 0;
  bool stopped_early = false;
  bool reject_h0 = false;
  double dose = 0.0;  ///< escalated phase dose used
  double rfs_from_transplant =
      0.0;  ///< KM relapse-free survival at comparison_days, treated patients
  double rfs_from_landmark = 0.0;        ///< idem from IL-2 start
  double control_from_transplant = 0.0;  ///< historical control: all registered, no IL-2
  double control_from_landmark =
      0.0;  ///< historical control: alive and relapse-free at the would-be start
  double logrank_p_transplant = 1.0;  ///< phase II treated vs historical control, from transplant
  double logrank_p_landmark = 1.0;    ///< idem from the landmark
  int registered = 0;                 ///< registered to reach the treated sample
  // Selection-bias analysis (stage key selection_bias): the same treated patients (same virtual
  // patients, same random streams) run again with IL-2's effect on tumour kill removed; the
  // historical control is the same.
  bool selection_bias = false;
  int responses_without_effect = 0;
  double rfs_from_transplant_without_effect = 0.0;
  double rfs_from_landmark_without_effect = 0.0;
  double logrank_p_transplant_without_effect = 1.0;  ///< without the effect vs historical control
  double logrank_p_landmark_without_effect = 1.0;
  /// Relapse-free survival data of the example replicate for the report's Kaplan–Meier figures
  /// (filled only when patients are kept and selection_bias is on).
  struct Sample {
    std::string group;   ///< "IL-2", "IL-2 without kill effect", "historical control"
    std::string origin;  ///< "transplant" or "landmark"
    std::vector<double> time;
    std::vector<int> event;
  };
  std::vector<Sample> samples{};
};
SingleArmResult run_single_arm(const scenario::Scenario& s, std::size_t stage_index,
                               std::uint32_t replicate, std::optional<int> mtd,
                               std::vector<StagePatient>* keep);

// ---- Randomized
// -------------------------------------------------------------------------------------
struct LookResult {
  double info = 0.0;
  double calendar_months = 0.0;
  int events = 0;
  double z = 0.0;  ///< log-rank z, positive when the experimental arm does better
  double efficacy_bound = 0.0;
  std::optional<double> futility_bound;
};
/// Randomized patients of one arm who did not start IL-2, for one cause (the not-treated reason).
struct NotStartedRow {
  int arm = 0;  ///< 0-based arm (the stage's `arms` order)
  std::string cause;
  int patients = 0;
};
/// The decisions a randomized stage can reach: efficacy (a look's z crossed the efficacy bound),
/// futility (below a futility bound before the last look; only with `futility`), no difference.
inline constexpr std::string_view kDecisionEfficacy = "efficacy";
inline constexpr std::string_view kDecisionFutility = "futility";
inline constexpr std::string_view kDecisionNoDifference = "no difference";
/// The decisions stage `st` can reach, in the order above.
[[nodiscard]] std::vector<std::string_view> possible_decisions(const scenario::StageSpec& st);

struct RandomizedResult {
  int registered = 0;
  std::map<std::string, int> attrition;  ///< not randomized, by cause
  std::vector<int> randomized;           ///< per arm
  std::vector<LookResult> looks;
  std::string decision;  ///< "efficacy", "futility", "no difference"
  int stop_look = 0;     ///< 1-based look at which the trial stopped
  bool reject = false;
  double hr = 1.0, hr_lower = 1.0,
         hr_upper = 1.0;   ///< Cox, experimental vs control, at the stopping analysis
  double logrank_p = 1.0;  ///< two-sided, at the stopping analysis
  int events = 0;
  double duration_months = 0.0;  ///< first registration to the stopping analysis
  std::vector<double> pfs_median_months, os_median_months,
      relapse_2y;  ///< per arm (NaN if not reached)
  int target_events = 0;
  /// Cox hazard ratio of OS (experimental vs control) at the stopping analysis (NaN: no death).
  double os_hr = std::numeric_limits<double>::quiet_NaN();
  /// Per arm: randomized patients who did not start IL-2 (on an arm without IL-2: who would not
  /// have started it; see run_randomized).
  std::vector<int> not_started;
  std::vector<NotStartedRow> not_started_causes;  ///< the same by arm and cause (nonzero rows)
  /// Kaplan–Meier PFS and OS at the stage's landmark_years, arm by arm (arm 0's years first;
  /// NaN beyond the follow-up), at the stopping analysis.
  std::vector<double> pfs_landmark, os_landmark;
};

/// The group-sequential inflation factor of a randomized stage's looks, spending and power (the
/// ratio of the maximum to the fixed-design information, as rpact's inflationFactor).
[[nodiscard]] double inflation_factor(const scenario::StageSpec& st);

/// A randomized stage: registration (`registered`, or until `randomized` are randomized),
/// randomization at the would-be start, at transplant or at registration (`randomize_at`),
/// stratified permuted blocks, the arms' courses (an experimental-arm patient may never start:
/// `never_start_probability`), and the group-sequential analyses of the analysis population
/// (`population`) at event-driven or calendar times (`analysis`).
RandomizedResult run_randomized(const scenario::Scenario& s, std::size_t stage_index,
                                std::uint32_t replicate, std::optional<int> mtd,
                                std::vector<StagePatient>* keep, unsigned threads = 1);

}  // namespace il2sim::trial
