#pragma once
/// @file dose_feed.hpp
/// The one component that plays dose records to the simulator, for every route: the infusion rate
/// from the infusion records, IV boluses into the central compartment (Directive.bolus, so that
/// fast mode integrates the PK dynamically), SC injections into the depot times F_sc, LAK cells
/// into the LAK pool K. The records come from dosing::expand; whoever runs the patient (the clinic)
/// edits them here (cut an infusion, withhold or drop records, resume at a fraction) and afterwards
/// reads which records were given. Alone it is the controller of a fixed schedule (the typical
/// patient, calibration's population trajectories, tests).

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dosing/regimen.hpp"
#include "sim/controller.hpp"
#include "sim/patient_sim.hpp"

namespace il2sim::sim {

/// Where a record stands.
enum class DoseStatus {
  kPlanned,   ///< to be given (an infusion: being given while it runs)
  kGiven,     ///< given (a bolus/SC/LAK record once administered; an infusion once it has ended)
  kWithheld,  ///< not given because of a hold (may be resumed)
  kDropped    ///< not given: treatment stopped, or after the end of follow-up
};

struct FedDose {
  dosing::DoseRecord record;
  DoseStatus status = DoseStatus::kPlanned;
  std::string end_reason;  ///< why an infusion record ended early, or why a record was not given
};

class DoseFeed final : public Controller {
 public:
  /// `F_sc` the SC bioavailability, `blood_volume_ul` the volume LAK cells are diluted in (µL).
  DoseFeed(double F_sc, double blood_volume_ul);
  /// The feed of the patient with these parameters.
  explicit DoseFeed(const model::IndividualParameters& p) : DoseFeed(p.F_sc, p.blood_volume_ul) {}

  /// Adds planned records (already in time order, as dosing::expand returns them).
  void load(std::span<const dosing::DoseRecord> records);
  [[nodiscard]] const std::vector<FedDose>& doses() const { return doses_; }

  // ---- sim::Controller: a fixed schedule
  [[nodiscard]] double infusion_rate(double t) const override;
  [[nodiscard]] double next_breakpoint(double t) const override;
  Directive at_breakpoint(double t, std::span<double> y, const ModelContext& context) override;

  /// Administers every planned bolus, SC and LAK record due at t (marks them given).
  Directive give(double t, std::span<double> y);

  // ---- Edits (the clinic)
  /// From t on, records of the phase instance `instance` (DoseRecord::instance; all if empty)
  /// that are still planned get `status`: an infusion running at t ends at t (its `end_reason`
  /// becomes `reason`) and its remainder is a record of its own with `status`. LAK cell records
  /// only if `cells_too`.
  void cut(double t, std::optional<std::size_t> instance, DoseStatus status,
           const std::string& reason, bool cells_too);
  /// Records of the phase instance `instance` withheld and still ahead of t are planned again at
  /// `fraction` of the full dose (an infusion from t on).
  void resume(double t, std::size_t instance, double fraction);
  /// Every withheld record is planned again `delta` days later; the IL-2 of the phase instance
  /// `instance` at `fraction` of the full dose (a hold whose doses are delayed, not lost).
  void postpone(double delta, std::size_t instance, double fraction);
  /// End of follow-up at t: an infusion running at t ends there with `reason`, infusions that ended
  /// are given, and records still planned after t are dropped.
  void close(double t, const std::string& reason);

 private:
  /// Splits the running infusion `i` at t; the tail (returned index) gets `status`.
  std::size_t split(std::size_t i, double t, DoseStatus status);

  std::vector<FedDose> doses_;
  double F_sc_;
  double blood_volume_ul_;
};

/// Runs `simulator` (a patient with parameters `p`) under the fixed schedule `records`.
PatientOutcome play(PatientSimulator& simulator, const model::IndividualParameters& p,
                    std::span<const dosing::DoseRecord> records, double L0,
                    RandomStream& tumour_stream, std::span<const double> output_times,
                    const Observer& observer);

}  // namespace il2sim::sim
