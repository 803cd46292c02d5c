#pragma once
/// @file settings.hpp
/// Clinic settings of a scenario: protocol rules (model.md §4), toxicity grading and the DLT
/// definition (§3), clinical events (§3), assay visits (§2). Plain data with the defaults of the
/// model specification; every field is a scenario setting (scenario.cpp parses them, serialize.cpp
/// writes them).

#include <vector>

#include "dosing/regimen.hpp"

namespace il2sim::scenario {

/// NCI Common Toxicity Criteria version used for grading.
enum class CtcVersion {
  kV2,  ///< NCI CTC version 2.0 (1998), the version of the trials' era (default)
  kV1   ///< the earlier NCI common toxicity criteria: thrombocytopenia grade 3 at 25-<50, grade 4 <
        ///< 25 ×10^9/L
};

struct ProtocolSettings {
  double window_start_day = 28.0;  ///< first day after transplant IL-2 may start
  double window_end_day = 80.0;    ///< not started by this day: not treated
  double start_platelets =
      50.0;  ///< platelets (10^9/L) needed to start (docs/model.md: 20 in model.md)
  int max_scheduling_delay_days =
      14;  ///< delay ~ uniform whole days 0..max after the criterion is met
  double refusal_probability = 0.11;  ///< 44/394 in S9438
  /// Registrants who do not start for reasons the model does not simulate (ineligible on review,
  /// physician or insurance decision, ...), decided at the would-be start after refusal: 0 by
  /// default; S9438 60/394 (phase3-autosct-nhl).
  double other_attrition_probability = 0.0;
  /// Restaging at the would-be start: a relapse that has happened (tumour above L_rel) but is not
  /// yet recorded by a scheduled assessment is recorded then, and the patient does not start.
  bool restage_before_start = true;
  // Holds (model.md §4)
  int hold_cls_grade = 3;          ///< hold when capillary leak reaches this grade
  int hold_hypotension_grade = 3;  ///< hold when hypotension reaches this grade
  double hold_platelets = 10.0;    ///< hold when platelets fall below (10^9/L)
  double resume_platelets = 20.0;  ///< platelets needed to resume after a platelet hold
  int resume_grade = 1;  ///< resume when CLS and hypotension are back to this grade or lower
  double resume_fraction = 0.5;  ///< dose fraction after a resumption
  int max_holds = 1;             ///< a further hold stops IL-2 for good
  /// skip: a held phase's doses are lost and it ends on schedule; delay: they are given after the
  /// resumption and the rest of the regimen moves later.
  dosing::OnHold on_hold = dosing::OnHold::kSkip;
  /// Hazard (per month of 365.25/12 days) of stopping IL-2 for good while on treatment, for a
  /// reason the model does not simulate (patient's or physician's decision): 0 by default.
  double early_stop_per_month = 0.0;
  bool stop_on_grade4_nonhaematologic = true;
  // LAK feasibility arm (model.md §4)
  double apheresis_platelet_factor = 0.7;  ///< platelets × this per apheresis day
  double lak_cells_median = 1.5e11;        ///< LAK cells infused in total
  double lak_cells_min = 0.6e11;
  double lak_cells_max = 2.8e11;
  // Disease assessments (model.md §3)
  double assessment_interval_days = 90.0;  ///< until assessment_switch_day
  double assessment_switch_day = 730.0;
  double assessment_interval_late_days = 180.0;  ///< afterwards
  double adverse_event_window_days =
      14.0;  ///< AEs are recorded until this long after the last infusion
};

/// The hold, dose-reduction and early-stop rules in force for one regimen: the protocol's values
/// (their one home and the defaults), each overridden by the regimen's `[regimens.NAME.rules]`.
struct TreatmentRules {  // built by effective_rules only
  int hold_cls_grade{};
  int hold_hypotension_grade{};
  double hold_platelets{};
  double resume_platelets{};
  int resume_grade{};
  double resume_fraction{};
  int max_holds{};
  dosing::OnHold on_hold{};
  double early_stop_per_month{};
};

/// The rules of a regimen with `overrides` under the protocol `p`.
[[nodiscard]] inline TreatmentRules effective_rules(const ProtocolSettings& p,
                                                    const dosing::RuleOverrides& overrides) {
  const auto& o = overrides;
  return {o.hold_cls_grade.value_or(p.hold_cls_grade),
          o.hold_hypotension_grade.value_or(p.hold_hypotension_grade),
          o.hold_platelets.value_or(p.hold_platelets),
          o.resume_platelets.value_or(p.resume_platelets),
          o.resume_grade.value_or(p.resume_grade),
          o.resume_fraction.value_or(p.resume_fraction),
          o.max_holds.value_or(p.max_holds),
          o.on_hold.value_or(p.on_hold),
          o.early_stop_per_month.value_or(p.early_stop_per_month)};
}

struct ToxicitySettings {
  CtcVersion ctc = CtcVersion::kV2;
  /// Capillary leak / weight gain: W (% body weight) at which grades 1..4 start (model.md §3).
  std::vector<double> cls_thresholds{2.0, 5.0, 10.0, 15.0};
  /// Hypotension: multiples of the individual W_hyp at which grades 2, 3, 4 start (model.md §3).
  std::vector<double> hypotension_multiples{1.0, 1.4, 2.0};
  // DLT definition (model.md §3 default)
  int dlt_nonhaematologic_grade = 3;       ///< any such toxicity during induction is a DLT
  double dlt_thrombocytopenia_days = 7.0;  ///< grade 4 thrombocytopenia lasting longer is a DLT
  bool dlt_toxic_death = true;
  /// The DLT window: toxicities (and a toxic death) count as DLTs while the patient is in a phase
  /// whose role is listed here (scenario key `dlt_window_roles`: induction, maintenance,
  /// consolidation, rest, other). Default: the induction phases.
  std::vector<dosing::PhaseRole> dlt_window_roles{dosing::PhaseRole::kInduction};
};

struct EventSettings {
  double gvhd_window_after_il2_days = 30.0;  ///< GVHD hazard while on or within this long of IL-2
  double chronic_gvhd_hazard_ratio = 1.0;  ///< chronic GVHD hazard relative to acute (same drivers)
  double chronic_gvhd_onset_day =
      100.0;                            ///< chronic GVHD is recorded from this day after transplant
  double toxic_death_delay_days = 3.0;  ///< death this long after the fatal grade-4 episode starts
};

struct AssaySettings {
  /// Visit days relative to the first day of IL-2 (or of the would-be start in an observation arm).
  std::vector<double> visits_from_start{-1, 1, 2, 3, 4, 5, 8, 9, 13, 18, 19, 21, 25, 32, 46, 74};
  /// Visit days after transplant, for every registered patient (reconstitution).
  std::vector<double> visits_from_transplant{30, 100, 180, 365};
};

}  // namespace il2sim::scenario
