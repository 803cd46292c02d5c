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
/// When a randomized stage randomizes: at the would-be start of IL-2 after the screening course
/// (the landmark), at transplant (every registrant), or at registration before transplant.
enum class RandomizeAt { kStart, kTransplant, kRegistration };
/// Analysis population of a randomized stage: everyone randomized (intention to treat), or the
/// experimental-arm patients who received IL-2 and the control-arm patients who would have.
enum class AnalysisPopulation { kItt, kTreated };
/// When the analyses of a randomized stage happen: when the PFS events reach the information
/// fractions of `looks`, or at fixed calendar months.
enum class AnalysisTiming { kEvents, kCalendar };

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
  int registered = 394;  ///< patients registered at transplant (0: `randomized` drives accrual)
  int randomized = 0;    ///< accrual target of randomized patients (0: off, `registered` drives)
  RandomizeAt randomize_at = RandomizeAt::kStart;
  double registration_lead_days = 0.0;  ///< randomization before transplant (registration only)
  /// Probability that an experimental-arm patient reaching the would-be start does not start.
  double never_start_probability = 0.0;
  AnalysisPopulation population = AnalysisPopulation::kItt;
  double accrual_per_month = 8.0;   ///< registrations per month (Poisson process)
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
  AnalysisTiming analysis = AnalysisTiming::kEvents;
  std::vector<double> analysis_months;  ///< calendar analyses: months since the first registration
  /// target_events = 0: Schoenfeld's events times the group-sequential inflation factor of the
  /// looks (as rpact's getSampleSizeSurvival), not the fixed-design count.
  bool inflate_events = false;
  std::vector<double> landmark_years{1.0, 2.0, 5.0};  ///< PFS/OS landmarks reported per arm
  SpendingFamily spending = SpendingFamily::kObrienFleming;
  std::optional<SpendingFamily> futility;  ///< non-binding futility bound from beta spending
  double horizon_days = 3650.0;            ///< per-patient simulation horizon after transplant
};

}  // namespace il2sim::scenario
