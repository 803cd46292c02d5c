#pragma once
/// @file protocol.hpp
/// The treatment protocol of one patient on one arm (model.md §4): eligibility in the start window
/// (platelet criterion, scheduling delay), the start of IL-2 (refusal, other attrition, the dose
/// records of the regimen loaded into the dose feed), holds on toxicity or platelets (the held
/// phase's IL-2 records are withheld), resumption at a fraction of the dose, discontinuation (the
/// remaining records are dropped), and the windows that follow the end of IL-2.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "clinic/event_clock.hpp"
#include "clinic/grading.hpp"
#include "clinic/patient.hpp"
#include "sim/dose_feed.hpp"

namespace il2sim::clinic {

class Protocol {
 public:
  /// `regimen` is null for an observation arm. Plans the daily eligibility checks of the window.
  Protocol(const scenario::Scenario& s, const dosing::Regimen* regimen, const VirtualPatient& v,
           EventClock& clock, sim::DoseFeed& feed, PatientRecord& record);

  /// A window day: the platelet criterion, then the start after the scheduling delay.
  void check_eligibility(double t, std::span<const double> y);
  /// The (would-be) start at t: the landmark; refusal or other attrition; else IL-2 starts (the
  /// regimen's records go to the dose feed). Returns whether IL-2 started.
  bool start(double t);
  /// The end of a phase instance: a hold ends (on_hold = "skip": missed doses are not made up;
  /// "delay": nothing happens while held, the boundary moves with the delay); after the last, IL-2
  /// ends.
  void phase_boundary(double t);
  /// Discontinues IL-2 for good at t (no-op when not on treatment).
  void stop(double t, StopReason reason);
  /// Stop, hold and resumption rules at t under the current grades and platelet count.
  void evaluate(double t, const Grades& grades, double platelets);
  /// After the simulation (ended at end_day): the end of IL-2 and the days in each care setting.
  void finish(double end_day);

  [[nodiscard]] bool on_treatment() const { return on_treatment_; }
  /// The hold, dose-reduction and early-stop rules of the arm's regimen (the protocol's without).
  [[nodiscard]] const scenario::TreatmentRules& rules() const { return rules_; }
  /// Whether t lies in a phase whose role is one of `roles` (the phase's end included).
  [[nodiscard]] bool in_role(double t, std::span<const dosing::PhaseRole> roles) const;
  /// Whether the GVHD window (from the start of IL-2 to some time after its end) is open at t.
  [[nodiscard]] bool gvhd_window(double t) const;

 private:
  /// One phase instance of dosing::schedule (index = its position there).
  struct PlannedPhase {
    double start = 0.0;
    double end = 0.0;
    std::size_t index = 0;
    std::size_t phase = 0;  ///< index into the regimen's phases
    bool il2 = false;       ///< the phase gives IL-2 (holds apply)
  };
  [[nodiscard]] const PlannedPhase* phase_at(double t) const;
  void load_regimen(double t);
  void hold(double t, const PlannedPhase& ph, const Grades& grades);
  void resume(double t, const PlannedPhase& ph);
  /// on_hold = "delay": the held doses and everything after move by the length of the hold.
  void postpone(double t);
  /// Plans the administration events of the feed's planned records at or after t.
  void plan_administrations(double t);
  /// Plans the apheresis days of instance `ph` from `from` on, `delta` days later.
  void plan_apheresis(const PlannedPhase& ph, double from, double delta);
  void finish_treatment(double t);
  void schedule_treatment_windows(double end);
  [[nodiscard]] std::string hold_reason(const Grades& grades) const;

  const scenario::Scenario& s_;
  const dosing::Regimen* regimen_;
  const VirtualPatient& v_;
  EventClock& clock_;
  sim::DoseFeed& feed_;
  PatientRecord& record_;
  scenario::TreatmentRules rules_;
  std::vector<PlannedPhase> phases_;
  double planned_end_ = 0.0;
  bool on_treatment_ = false;
  bool held_ = false;
  std::size_t held_instance_ = 0;  ///< the phase instance of the current hold
  double hold_start_ = 0.0;        ///< the day the current hold began
  double gvhd_window_end_ = sim::kNever;
};

}  // namespace il2sim::clinic
