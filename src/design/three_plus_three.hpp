#pragma once
/// @file three_plus_three.hpp
/// The 3+3 dose-escalation design: exact operating characteristics and a decision engine.
///
/// Variant implemented ("A+B with de-escalation", A = B = 3; Storer 1989 design "B" as formalised
/// by Lin & Shih 2001, Biostatistics 2:203-215):
///  1. Start at the lowest dose. Treat a cohort of 3.
///  2. Escalation phase, at dose d:
///     - 0/3 DLT: escalate to d+1.
///     - 1/3 DLT: treat 3 more at d; with <= 1/6 escalate to d+1, with >= 2/6 dose d is too toxic.
///     - >= 2/3 DLT: dose d is too toxic.
///     At the highest dose, "escalate" means: if it has only 3 patients (0/3), treat 3 more; with
///     <= 1/6 the highest dose is the MTD, with >= 2/6 it is too toxic.
///  3. When dose d is too toxic, de-escalate to d-1 (never returning to d or above):
///     - if d-1 already has 6 patients (it had 1/6), d-1 is the MTD;
///     - otherwise (it had 0/3) treat 3 more at d-1: with <= 1/6 it is the MTD, with >= 2/6 it is
///       too toxic and the rule repeats one dose lower.
///     If the lowest dose is too toxic, no dose is selected.
/// So the MTD is the highest dose with <= 1 DLT among 6 patients below the lowest too-toxic dose,
/// and the MTD always has had 6 patients.

#include <span>
#include <vector>

namespace il2sim::design {

/// Exact operating characteristics of the 3+3 design above.
struct ThreePlusThreeOc {
  std::vector<double> p_select;           ///< P(dose i is selected as MTD), per dose
  double p_select_none = 0.0;             ///< P(no dose selected: the lowest dose too toxic)
  std::vector<double> expected_patients;  ///< expected patients treated at each dose
  double expected_total = 0.0;            ///< expected patients in the trial
  std::vector<double> expected_dlts;      ///< expected DLTs observed at each dose
};

/// Exact operating characteristics for true DLT probabilities `p_dlt` (each in [0, 1]), one per
/// dose in increasing order, by exact enumeration of the design's paths. Cost O(doses^2): the
/// escalation phase is a chain, and given that a dose was passed, its state (3 patients with 0 DLT,
/// or 6 with 1 DLT) has a known conditional law used when the trial comes back down to it.
[[nodiscard]] ThreePlusThreeOc three_plus_three_oc(std::span<const double> p_dlt);

/// What the 3+3 decision engine says after a cohort.
struct ThreePlusThreeDecision {
  enum class Kind {
    kTreat,     ///< treat the next cohort of 3 at `dose`
    kStopMtd,   ///< trial over; `dose` is the MTD
    kStopNone,  ///< trial over; no dose selected (`dose` is -1)
  };
  Kind kind = Kind::kTreat;
  int dose = 0;  ///< 0-based dose index
};

/// The 3+3 design above as a state machine for a simulator: ask `decision()` for the dose of the
/// next cohort, treat 3 patients there, and pass their DLT count to `record`.
class ThreePlusThree {
 public:
  static constexpr int kCohortSize = 3;

  /// @param n_doses  number of dose levels (>= 1); the trial starts at dose 0.
  explicit ThreePlusThree(int n_doses);

  /// The current decision (initially: treat at dose 0).
  [[nodiscard]] const ThreePlusThreeDecision& decision() const { return decision_; }
  /// Records the DLT count (0..3) of the cohort just treated at `decision().dose` and returns the
  /// next decision. Must not be called after the trial has stopped.
  const ThreePlusThreeDecision& record(int dlts);

  [[nodiscard]] bool stopped() const {
    return decision_.kind != ThreePlusThreeDecision::Kind::kTreat;
  }
  [[nodiscard]] std::span<const int> patients() const { return patients_; }
  [[nodiscard]] std::span<const int> dlts() const { return dlts_; }

 private:
  void too_toxic(int dose);

  int n_doses_;
  bool deescalating_ = false;
  std::vector<int> patients_;
  std::vector<int> dlts_;
  ThreePlusThreeDecision decision_;
};

}  // namespace il2sim::design
