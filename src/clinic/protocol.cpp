#include "clinic/protocol.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace il2sim::clinic {

Protocol::Protocol(const scenario::Scenario& s, const dosing::Regimen* regimen,
                   const VirtualPatient& v, EventClock& clock, sim::DoseFeed& feed,
                   PatientRecord& record)
    : s_(s), regimen_(regimen), v_(v), clock_(clock), feed_(feed), record_(record) {
  for (double d = std::ceil(s.protocol.window_start_day); d <= s.protocol.window_end_day + 1e-9;
       d += 1.0) {
    clock_.push(d, Pending::kEligibilityCheck);
  }
}

void Protocol::check_eligibility(double t, std::span<const double> y) {
  if (record_.eligible_day || record_.start_day || record_.not_treated != NotTreatedReason::kNone)
    return;
  if (y[model::kP] >= s_.protocol.start_platelets) {
    record_.eligible_day = t;
    clock_.erase({Pending::kEligibilityCheck});
    const double start_day = t + v_.scheduling_delay_days;
    if (start_day > s_.protocol.window_end_day + 1e-9) {
      record_.not_treated = NotTreatedReason::kNoPlateletRecovery;
      return;
    }
    clock_.push(start_day, Pending::kStart);
    // Visits relative to the (would-be) start; one falling before today (the day-before baseline
    // when there is no scheduling delay) is taken today.
    for (std::size_t i = 0; i < s_.assays.visits_from_start.size(); ++i) {
      clock_.push(std::max(start_day + s_.assays.visits_from_start[i], t), Pending::kVisit,
                  kVisitFromStart + i);
    }
  } else if (t >= s_.protocol.window_end_day - 1e-9) {
    record_.not_treated = NotTreatedReason::kNoPlateletRecovery;
  }
}

bool Protocol::start(double t) {
  if (record_.not_treated != NotTreatedReason::kNone) return false;
  record_.landmark_day = t;
  if (regimen_ == nullptr) return false;  // observation arm: the landmark only
  if (v_.refuses) {
    record_.not_treated = NotTreatedReason::kRefusal;
    return false;
  }
  if (v_.other_attrition) {
    record_.not_treated = NotTreatedReason::kOther;
    return false;
  }
  if (v_.never_starts) {
    record_.not_treated = NotTreatedReason::kNeverStarted;
    return false;
  }
  record_.start_day = t;
  load_regimen(t);
  on_treatment_ = true;
  record_.treated = true;
  gvhd_window_end_ = sim::kNever;
  return true;
}

void Protocol::load_regimen(double t) {
  const auto records =
      dosing::expand(*regimen_, t, {v_.covariates.bsa_m2, v_.covariates.weight_kg, v_.lak_cells},
                     s_.parameters[model::ParamId::kPotencyRoche]);
  feed_.load(records);
  double at = t;
  for (std::size_t i = 0; i < regimen_->phases.size(); ++i) {
    const auto& ph = regimen_->phases[i];
    const bool il2 = std::any_of(records.begin(), records.end(), [&](const auto& r) {
      return r.phase_index == i && r.il2_iu() > 0.0;
    });
    phases_.push_back({at, at + ph.days, i, il2});
    clock_.push(at + ph.days, Pending::kPhaseBoundary, i);
    for (double day = 0; day < ph.days - 1e-9; day += 1.0) {
      if (ph.apheresis) clock_.push(at + day, Pending::kApheresis, i);
    }
    at += ph.days;
  }
  planned_end_ = at;
  // One administration event per time at which bolus, SC or LAK records are due.
  double last = -sim::kNever;
  for (const auto& r : records) {
    if (r.infusion() || r.time == last) continue;
    clock_.push(r.time, Pending::kAdministration);
    last = r.time;
  }
}

void Protocol::phase_boundary(double t) {
  held_ = false;  // missed doses are not made up
  if (on_treatment_ && t >= planned_end_ - 1e-9) finish_treatment(t);
}

void Protocol::finish_treatment(double t) {
  on_treatment_ = false;
  record_.treatment_end_day = t;
  schedule_treatment_windows(t);
}

void Protocol::schedule_treatment_windows(double end) {
  clock_.push(end + s_.protocol.adverse_event_window_days, Pending::kAeWindowEnd);
  gvhd_window_end_ = end + s_.events.gvhd_window_after_il2_days;
  if (v_.transplant == model::Transplant::kAllogeneic)
    clock_.push(gvhd_window_end_, Pending::kGvhdWindowEnd);
}

void Protocol::stop(double t, StopReason reason) {
  if (!on_treatment_) return;
  feed_.cut(t, std::nullopt, sim::DoseStatus::kDropped,
            fmt::format("stopped: {}", to_string(reason)), true);
  on_treatment_ = false;
  record_.stop = reason;
  record_.stop_day = t;
  record_.treatment_end_day = t;
  clock_.erase({Pending::kApheresis, Pending::kAdministration});
  schedule_treatment_windows(t);
}

std::string Protocol::hold_reason(const Grades& grades) const {
  const int cls = grades[ToxTerm::kCapillaryLeak];
  const int hyp = grades[ToxTerm::kHypotension];
  if (cls >= s_.protocol.hold_cls_grade) return fmt::format("hold: capillary leak grade {}", cls);
  if (hyp >= s_.protocol.hold_hypotension_grade)
    return fmt::format("hold: hypotension grade {}", hyp);
  return fmt::format("hold: platelets < {:g}", s_.protocol.hold_platelets);
}

void Protocol::evaluate(double t, const Grades& grades, double platelets) {
  if (!on_treatment_) return;
  const auto& pr = s_.protocol;
  const int cls = grades[ToxTerm::kCapillaryLeak];
  const int hyp = grades[ToxTerm::kHypotension];
  if (pr.stop_on_grade4_nonhaematologic && (cls >= 4 || hyp >= 4)) {
    stop(t, StopReason::kGrade4Toxicity);
    return;
  }
  const auto* ph = phase_at(t);
  if (ph == nullptr || !ph->il2) return;
  const bool hold_now =
      cls >= pr.hold_cls_grade || hyp >= pr.hold_hypotension_grade || platelets < pr.hold_platelets;
  if (!held_ && hold_now) {
    if (record_.holds >= pr.max_holds) {
      ++record_.holds;
      stop(t, StopReason::kSecondHold);
      return;
    }
    ++record_.holds;
    held_ = true;
    feed_.cut(t, ph->index, sim::DoseStatus::kWithheld, hold_reason(grades), false);
    return;
  }
  if (held_ && cls <= pr.resume_grade && hyp <= std::max(1, pr.resume_grade) &&
      platelets >= pr.resume_platelets) {
    held_ = false;
    feed_.resume(t, ph->index, pr.resume_fraction);
  }
}

const Protocol::PlannedPhase* Protocol::phase_at(double t) const {
  for (const auto& ph : phases_) {
    if (t >= ph.start - 1e-9 && t < ph.end - 1e-9) return &ph;
  }
  return nullptr;
}

bool Protocol::in_role(double t, std::span<const dosing::PhaseRole> roles) const {
  for (const auto& ph : phases_) {
    const auto role = regimen_->phases[ph.index].role;
    if (std::find(roles.begin(), roles.end(), role) != roles.end() && t >= ph.start - 1e-9 &&
        t <= ph.end + 1e-9)
      return true;
  }
  return false;
}

bool Protocol::gvhd_window(double t) const {
  return v_.transplant == model::Transplant::kAllogeneic && record_.treated &&
         t >= *record_.start_day - 1e-9 && t < gvhd_window_end_ - 1e-9;
}

void Protocol::finish(double end_day) {
  if (on_treatment_) record_.treatment_end_day = end_day;
  if (!record_.start_day) return;
  const double end = record_.treatment_end_day ? *record_.treatment_end_day : planned_end_;
  for (const auto& ph : phases_) {
    const double days = std::max(0.0, std::min(ph.end, end) - ph.start);
    (regimen_->phases[ph.index].setting == dosing::CareSetting::kInpatient
         ? record_.inpatient_days
         : record_.outpatient_days) += days;
  }
}

}  // namespace il2sim::clinic
