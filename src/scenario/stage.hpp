#pragma once
/// @file stage.hpp
/// The trial stages of a scenario (`[[stages]]`), run in order by `il2sim run`: dose escalation
/// (3+3, BOIN, CRM), single-arm phase II (Simon two-stage or fixed n, with a historical control),
/// and randomized phase III (group-sequential). Plain data; the trial layer runs them.

#include <optional>
#include <string>
#include <vector>

namespace il2sim::scenario {

enum class StageType { kDoseEscalation, kSingleArm, kRandomized };
enum class EscalationMethod { kThreePlusThree, kBoin, kCrm };
enum class SpendingFamily { kObrienFleming, kPocock, kNone };

/// One dose level of an escalation: the escalated phase's dose (product units/m²/day) and,
/// optionally, its duration in days.
struct DoseLevel {
  double dose = 0.0;
  std::optional<double> days;
};

struct StageSpec {
  std::string name;
  StageType type = StageType::kRandomized;
  std::string cohort;   ///< population (dose escalation, single arm)
  std::string regimen;  ///< regimen given (dose escalation, single arm)
  std::string escalated_phase =
      "induction";        ///< the phase whose dose is escalated or carried forward
  std::string dose_from;  ///< a dose-escalation stage whose selected MTD sets the escalated phase

  // Dose escalation
  EscalationMethod method = EscalationMethod::kThreePlusThree;
  std::vector<DoseLevel> levels;
  int start_level = 1;  ///< 1-based
  int cohort_size = 3;
  int max_patients = 30;            ///< BOIN and CRM
  double target = 0.3;              ///< BOIN and CRM target DLT probability
  std::vector<double> skeleton;     ///< CRM prior DLT probabilities (one per level)
  double dlt_followup_days = 60.0;  ///< simulated beyond the planned start for DLT assessment

  // Single arm
  int patients = 0;    ///< fixed sample size (when not Simon)
  bool simon = false;  ///< Simon optimal two-stage design from p0, p1, alpha, beta
  double p0 = 0.3, p1 = 0.5, alpha = 0.05, beta = 0.2;
  double response_days = 365.0;    ///< response: alive and relapse-free this long after IL-2 start
  int historical_patients = 400;   ///< historical control: registered patients without IL-2
  double comparison_days = 730.0;  ///< relapse-free survival compared at this time
  /// Selection-bias analysis: the treated patients are also run with IL-2's effect on tumour kill
  /// removed (sim::SimulationOptions::treatment_kill = false), and both are compared with the
  /// historical control from transplant and from the landmark.
  bool selection_bias = false;

  // Randomized
  std::vector<std::string> arms;      ///< experimental arm first, then control (scenario arm names)
  std::vector<int> allocation{1, 1};  ///< allocation ratio of the arms
  int registered = 394;               ///< patients registered at transplant
  double accrual_per_month = 8.0;     ///< registrations per month (Poisson process)
  int block_size = 4;               ///< permuted blocks within strata (a multiple of the ratio sum)
  std::vector<std::string> strata;  ///< "sex", "age" (age >= age_cutoff), "mrd" (L0 >= L_MRD)
  double age_cutoff = 50.0;
  double dropout_per_year = 0.02;  ///< loss to follow-up hazard after randomization
  double min_follow_up_months =
      0.0;  ///< final analysis no earlier than this long after the last registration
  double max_follow_up_months =
      60.0;               ///< final analysis at the latest this long after the last registration
  int target_events = 0;  ///< PFS events for the final analysis; 0 = Schoenfeld from design_hr
  double design_hr = 0.67;
  double one_sided_alpha = 0.025;
  double power = 0.8;
  std::vector<double> looks{1.0};  ///< information fractions of the analyses, increasing, last 1
  SpendingFamily spending = SpendingFamily::kObrienFleming;
  std::optional<SpendingFamily> futility;  ///< non-binding futility bound from beta spending
  double horizon_days = 3650.0;            ///< per-patient simulation horizon after transplant
};

}  // namespace il2sim::scenario
