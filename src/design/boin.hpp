#pragma once
/// @file boin.hpp
/// The Bayesian optimal interval (BOIN) design of Liu & Yuan (2015), J. R. Stat. Soc. C 64:507-523,
/// with the conventions of the authors' R package BOIN (get.boundary, get.oc, select.mtd).
///
/// - Boundaries (paper eq. 2): with target phi, sub-therapeutic phi1 and overly toxic phi2,
///     lambda_e = log((1-phi1)/(1-phi)) / log(phi(1-phi1) / (phi1(1-phi)))
///     lambda_d = log((1-phi)/(1-phi2)) / log(phi2(1-phi) / (phi(1-phi2))).
///   With n patients and y DLTs at the current dose: escalate if y/n <= lambda_e, de-escalate if
///   y/n >= lambda_d, else stay.
/// - Elimination: with a Beta(1, 1) prior, dose d and all higher doses are eliminated when n >= 3
/// and
///   P(p_d > phi | y, n) > cutoff (default 0.95); the trial stops if the lowest dose is eliminated.
/// - MTD selection: isotonic regression (weighted pool-adjacent-violators) of the estimates
///   (y + 0.05)/(n + 0.1) with weights 1/variance over the doses that were tried and not
///   eliminated; the dose whose estimate is closest to phi is selected; ties go to the lower dose
///   when the tied estimates are above phi and to the higher dose when below (BOIN's select.mtd).

#include <optional>
#include <span>
#include <vector>

namespace il2sim::design {

/// Settings of a BOIN trial. Defaults are the paper's and the R package's.
struct BoinSettings {
  double target = 0.3;       ///< target DLT probability phi, in (0, 1)
  double phi1 = 0.6 * 0.3;   ///< highest sub-therapeutic DLT probability, 0 < phi1 < target
  double phi2 = 1.4 * 0.3;   ///< lowest overly toxic DLT probability, target < phi2 < 1
  double cutoff_eli = 0.95;  ///< elimination cut-off on P(p > target | data)
  int cohort_size = 3;       ///< patients per cohort
  int max_n = 30;            ///< maximum number of patients in the trial
  int n_earlystop = 100;     ///< stop when this many patients are at the current dose

  /// The defaults phi1 = 0.6 target, phi2 = 1.4 target for a given target.
  [[nodiscard]] static BoinSettings for_target(double target);
};

/// The escalation / de-escalation boundaries lambda_e and lambda_d (paper eq. 2).
struct BoinLambdas {
  double lambda_e;
  double lambda_d;
};
[[nodiscard]] BoinLambdas boin_lambdas(double target, double phi1, double phi2);

/// The decision table for n patients at a dose.
struct BoinBoundaryRow {
  int n;
  int escalate_if_dlt_at_most;                   ///< y <= this: escalate
  int deescalate_if_dlt_at_least;                ///< y >= this: de-escalate
  std::optional<int> eliminate_if_dlt_at_least;  ///< y >= this: eliminate (none if n < 3 or never)
};

/// The smallest y with P(p > target | y, n) > cutoff under a Beta(1, 1) prior, if n >= 3 and one
/// exists.
[[nodiscard]] std::optional<int> boin_elimination_boundary(double target, int n, double cutoff);

/// Decision table for n = 1..max_n (as get.boundary: escalate if y <= floor(lambda_e n),
/// de-escalate if y >= floor(lambda_d n) + 1, with a 1e-10 guard for products that are integers).
[[nodiscard]] std::vector<BoinBoundaryRow> boin_boundaries(const BoinSettings& s, int max_n);

/// BOIN's MTD selection from the per-dose patients and DLT counts (doses with n = 0 untried).
/// Returns the 0-based dose, or nothing when the lowest dose is eliminated or no dose was tried.
[[nodiscard]] std::optional<int> boin_select_mtd(double target, std::span<const int> patients,
                                                 std::span<const int> dlts,
                                                 double cutoff_eli = 0.95);

/// What the BOIN engine decided after a cohort.
struct BoinDecision {
  enum class Action { kStart, kEscalate, kStay, kDeescalate };
  enum class Kind {
    kTreat,     ///< treat the next cohort at `dose`
    kStopMtd,   ///< trial over, `dose` is the selected MTD
    kStopNone,  ///< trial over, no dose selected (`dose` is -1)
  };
  Kind kind = Kind::kTreat;
  Action action = Action::kStart;  ///< the move made after the last cohort
  bool eliminated = false;         ///< the last cohort triggered elimination of its dose and above
  int dose = 0;
};

/// The BOIN design as a state machine: `decision()` gives the dose of the next cohort; `record`
/// takes the cohort's DLT count. Stops at max_n patients, at n_earlystop at one dose, or when the
/// lowest dose is eliminated; then selects the MTD with boin_select_mtd.
class Boin {
 public:
  Boin(const BoinSettings& settings, int n_doses, int start_dose = 0);

  [[nodiscard]] const BoinDecision& decision() const { return decision_; }
  /// Records `dlts` DLTs among `treated` patients (usually the cohort size) at `decision().dose`.
  const BoinDecision& record(int treated, int dlts);

  [[nodiscard]] bool stopped() const { return decision_.kind != BoinDecision::Kind::kTreat; }
  [[nodiscard]] std::span<const int> patients() const { return patients_; }
  [[nodiscard]] std::span<const int> dlts() const { return dlts_; }
  [[nodiscard]] bool is_eliminated(int dose) const { return eliminated_[dose]; }

 private:
  void stop_and_select();

  BoinSettings settings_;
  BoinLambdas lambdas_;
  int n_doses_;
  int total_ = 0;
  std::vector<int> patients_;
  std::vector<int> dlts_;
  std::vector<bool> eliminated_;
  BoinDecision decision_;
};

}  // namespace il2sim::design
