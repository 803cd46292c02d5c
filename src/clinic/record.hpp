#pragma once
/// @file record.hpp
/// What the clinic records of one virtual patient on one arm: the data a trial's case report forms
/// would hold (the source of the ADSL/ADTTE/ADLB/ADAE/EX views).

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clinic/grading.hpp"
#include "model/patient.hpp"

namespace il2sim::clinic {

/// Why a registered patient did not start IL-2 (attrition before the start/randomization).
enum class NotTreatedReason {
  kNone,  ///< started (or, in an observation arm, reached the would-be start)
  kRefusal,
  kNoPlateletRecovery,  ///< platelets not recovered by the end of the start window
  kRelapse,             ///< relapse observed before the start
  kDeath,               ///< died before the start (non-relapse mortality)
  kNumericalFailure,
  kOther,        ///< another reason, not simulated (protocol.other_attrition_probability)
  kNeverStarted  ///< randomized to IL-2, did not start (a stage's never_start_probability)
};
[[nodiscard]] std::string_view to_string(NotTreatedReason r);

/// Why IL-2 ended before the planned end.
enum class StopReason {
  kNone,
  kSecondHold,
  kGrade4Toxicity,
  kRelapse,
  kDeath,
  kEarlyStop  ///< the early-stop process (protocol.early_stop_per_month)
};
[[nodiscard]] std::string_view to_string(StopReason r);

enum class DeathCause { kNone, kNonRelapse, kRelapse, kToxic };
[[nodiscard]] std::string_view to_string(DeathCause c);

/// One given dose record (EX): an infusion segment at constant rate, or one administration (IV
/// bolus, SC injection, LAK cell infusion) with start = end.
struct ExposureSegment {
  double start = 0.0;
  double end = 0.0;
  double rate_iu_per_day = 0.0;  ///< Chiron IU/day (infusions; 0 for an administration)
  double dose_iu = 0.0;          ///< IL-2 delivered (Chiron IU; 0 for LAK cells)
  std::string phase;
  double dose_fraction = 1.0;  ///< 1 full dose, 0.5 after a resumption
  /// "completed" (an infusion run to its planned end), "given" (an administration), "hold: ...",
  /// "stopped: ...", "ongoing at end of follow-up"
  std::string end_reason;
  std::string route;    ///< "civ", "iv_bolus", "sc", or "lak_cells"
  std::string role;     ///< the phase's role: induction, maintenance, consolidation, rest, other
  double amount = 0.0;  ///< an administration's amount: IU (before bioavailability) or cells
  std::string amount_unit;  ///< "IU" or "cells" (administrations; empty for infusions)
  int cycle = 0;            ///< repetition of the regimen's cycle it belongs to (1..; 0: none)
};

/// One adverse-event episode (ADAE): contiguous time at grade >= 1 of one term.
struct AdverseEvent {
  ToxTerm term = ToxTerm::kCapillaryLeak;
  int grade = 0;       ///< maximum grade
  double onset = 0.0;  ///< day since transplant
  double end = 0.0;
  bool ongoing = false;      ///< still ongoing at the end of recording
  double grade4_days = 0.0;  ///< time spent at grade 4
};

/// VISIT of the assay visits before the (would-be) start of IL-2 (visits_from_start < 0): the
/// protocol's baseline.
inline constexpr std::string_view kBaselineVisit = "BASELINE";

/// One lab or assay value at a visit (ADLB).
struct LabValue {
  double day = 0.0;
  std::string paramcd;  ///< NKBLD, CD8BLD, PLAT, SIL2RA, LYSK562, LYSDAUDI, LU20K562, LU20DAUD,
                        ///< WTGAIN, IL2CONC, MRD
  double value = 0.0;
  double et_ratio = 0.0;  ///< lysis assays: effector:target ratio (0 otherwise)
  std::string visit;      ///< e.g. "IL2 D4", "TX D30", "BASELINE"
};

struct PatientRecord {
  std::uint32_t id = 0;
  std::string arm;
  std::string cohort;  ///< the patient's cohort (a mixture's: the component drawn)
  model::Covariates covariates;
  model::Disease disease = model::Disease::kNhl;
  model::Transplant transplant = model::Transplant::kAutologous;
  double L0 = 0.0;

  // Start of IL-2 (or of the would-be start in an observation arm)
  NotTreatedReason not_treated = NotTreatedReason::kNone;
  std::optional<double> eligible_day;  ///< first window day meeting the platelet criterion
  std::optional<double>
      landmark_day;  ///< the (would-be) start of IL-2: eligibility + scheduling delay
  std::optional<double> start_day;  ///< first day of IL-2 (treated patients only)
  bool treated = false;             ///< received any IL-2

  // Treatment
  bool completed_induction = false;
  bool completed_maintenance = false;
  double induction_intensity = 0.0;  ///< delivered / planned dose
  double maintenance_intensity = 0.0;
  int holds = 0;
  double inpatient_days =
      0.0;  ///< days of the regimen spent in inpatient phases (to the end of IL-2)
  double outpatient_days = 0.0;  ///< days spent in outpatient phases
  StopReason stop = StopReason::kNone;
  std::optional<double> stop_day;
  std::optional<double> treatment_end_day;  ///< end of the last infusion
  bool dlt = false;
  std::optional<double> dlt_day;
  std::string dlt_reason;

  // Outcomes (days since transplant)
  std::optional<double> relapse_true_day;
  std::optional<double> relapse_day;  ///< observed
  bool relapse_symptomatic = false;
  std::optional<double> cure_day;
  std::optional<double> death_day;
  DeathCause death_cause = DeathCause::kNone;
  std::optional<double> agvhd_day;
  std::optional<double> cgvhd_day;
  double follow_up_end = 0.0;  ///< censoring day (horizon) if alive

  std::vector<ExposureSegment> exposure;
  std::vector<AdverseEvent> adverse_events;
  std::vector<LabValue> labs;
  std::array<int, kToxTermCount> max_grade{};  ///< worst treatment-emergent grade per term

  bool numerical_failure = false;
  std::string failure;  ///< message naming patient, day and the setting to change
  long rhs_evals = 0;
  long steps = 0;         ///< accepted steps
  long failed_steps = 0;  ///< rejected steps
  long resets = 0;        ///< integrator restarts (breakpoints, regime changes)
  long birth_death_events = 0;
};

/// The patient's grade-4 adverse-event episodes (an episode's grade is its worst, and grades stop
/// at 4: grading.hpp): TX6's episodes per patient, the denominator of toxic deaths per episode.
[[nodiscard]] inline int grade4_episodes(const PatientRecord& r) {
  return static_cast<int>(std::count_if(r.adverse_events.begin(), r.adverse_events.end(),
                                        [](const AdverseEvent& e) { return e.grade >= 4; }));
}

}  // namespace il2sim::clinic
