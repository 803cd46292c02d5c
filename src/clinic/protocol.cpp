#include "clinic/protocol.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/units.hpp"

namespace il2sim::clinic {

Protocol::Protocol(const scenario::Scenario& s, const dosing::Regimen* regimen,
                   const VirtualPatient& v, EventClock& clock, sim::DoseFeed& feed,
                   PatientRecord& record)
    : s_(s),
      regimen_(regimen),
      v_(v),
      clock_(clock),
      feed_(feed),
      record_(record),
      rules_(scenario::effective_rules(
          s.protocol, regimen != nullptr ? regimen->rules : dosing::RuleOverrides{})) {
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
  if (rules_.early_stop_per_month > 0.0) {
    // A constant hazard while on treatment: the stop falls at an Exp(rate) time from the start
    // and takes effect only if the patient is still on IL-2 then.
    using core::kDaysPerMonth;
    const double draw = v_.streams(Purpose::kEarlyStop).exponential();
    clock_.push(t + draw * kDaysPerMonth / rules_.early_stop_per_month, Pending::kEarlyStop);
  }
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
  const auto instances = dosing::schedule(*regimen_, t);
  for (std::size_t i = 0; i < instances.size(); ++i) {
    const auto& in = instances[i];
    const bool il2 = std::any_of(records.begin(), records.end(), [&](const auto& r) {
      return r.instance == i && r.il2_iu() > 0.0;
    });
    phases_.push_back({in.start, in.end, i, in.phase, il2});
    clock_.push(in.end, Pending::kPhaseBoundary, i);
    plan_apheresis(phases_.back(), in.start, 0.0);
  }
  planned_end_ = instances.empty() ? t : instances.back().end;
  plan_administrations(t);
}

void Protocol::plan_apheresis(const PlannedPhase& ph, double from, double delta) {
  if (!regimen_->phases[ph.phase].apheresis) return;
  const double days = ph.end - ph.start - delta;  // the instance's own days
  for (double day = 0; day < days - 1e-9; day += 1.0) {
    if (ph.start + day >= from - 1e-9)
      clock_.push(ph.start + day + delta, Pending::kApheresis, ph.index);
  }
}

void Protocol::plan_administrations(double t) {
  // One administration event per time at which bolus, SC or LAK records are due.
  double last = -sim::kNever;
  for (const auto& d : feed_.doses()) {
    const auto& r = d.record;
    if (d.status != sim::DoseStatus::kPlanned || r.infusion() || r.time == last ||
        r.time < t - 1e-9)
      continue;
    clock_.push(r.time, Pending::kAdministration);
    last = r.time;
  }
}

void Protocol::phase_boundary(double t) {
  // A delayed hold: the boundaries are planned again, later, at the resumption.
  if (held_ && rules_.on_hold == dosing::OnHold::kDelay) return;
  held_ = false;  // missed doses are not made up
  if (on_treatment_ && t >= planned_end_ - 1e-9) finish_treatment(t);
}

void Protocol::finish_treatment(double t) {
  on_treatment_ = false;
  clock_.erase({Pending::kEarlyStop});
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
  clock_.erase({Pending::kApheresis, Pending::kAdministration, Pending::kEarlyStop});
  schedule_treatment_windows(t);
}

std::string Protocol::hold_reason(const Grades& grades) const {
  const int cls = grades[ToxTerm::kCapillaryLeak];
  const int hyp = grades[ToxTerm::kHypotension];
  if (cls >= rules_.hold_cls_grade) return fmt::format("hold: capillary leak grade {}", cls);
  if (hyp >= rules_.hold_hypotension_grade) return fmt::format("hold: hypotension grade {}", hyp);
  return fmt::format("hold: platelets < {:g}", rules_.hold_platelets);
}

void Protocol::evaluate(double t, const Grades& grades, double platelets) {
  if (!on_treatment_) return;
  const auto& r = rules_;
  const int cls = grades[ToxTerm::kCapillaryLeak];
  const int hyp = grades[ToxTerm::kHypotension];
  if (s_.protocol.stop_on_grade4_nonhaematologic && (cls >= 4 || hyp >= 4)) {
    stop(t, StopReason::kGrade4Toxicity);
    return;
  }
  // A delayed hold stays with its phase instance, wherever the calendar has moved since.
  const bool delayed = held_ && r.on_hold == dosing::OnHold::kDelay;
  const auto* ph = delayed ? &phases_[held_instance_] : phase_at(t);
  if (ph == nullptr || !ph->il2) return;
  const bool hold_now =
      cls >= r.hold_cls_grade || hyp >= r.hold_hypotension_grade || platelets < r.hold_platelets;
  if (!held_ && hold_now) {
    if (record_.holds >= r.max_holds) {
      ++record_.holds;
      stop(t, StopReason::kSecondHold);
      return;
    }
    ++record_.holds;
    hold(t, *ph, grades);
    return;
  }
  if (held_ && cls <= r.resume_grade && hyp <= std::max(1, r.resume_grade) &&
      platelets >= r.resume_platelets) {
    resume(t, *ph);
  }
}

void Protocol::hold(double t, const PlannedPhase& ph, const Grades& grades) {
  held_ = true;
  held_instance_ = ph.index;
  hold_start_ = t;
  if (rules_.on_hold == dosing::OnHold::kSkip) {
    feed_.cut(t, ph.index, sim::DoseStatus::kWithheld, hold_reason(grades), false);
    return;
  }
  // Delay: everything still to come waits for the resumption (LAK cells and apheresis too).
  feed_.cut(t, std::nullopt, sim::DoseStatus::kWithheld, hold_reason(grades), true);
  clock_.erase({Pending::kApheresis});
}

void Protocol::resume(double t, const PlannedPhase& ph) {
  held_ = false;
  if (rules_.on_hold == dosing::OnHold::kSkip) {
    feed_.resume(t, ph.index, rules_.resume_fraction);
  } else {
    postpone(t);
  }
}

void Protocol::postpone(double t) {
  const double delta = t - hold_start_;
  feed_.postpone(delta, held_instance_, rules_.resume_fraction);
  clock_.erase({Pending::kPhaseBoundary, Pending::kAdministration, Pending::kApheresis});
  for (auto& ph : phases_) {
    if (ph.index < held_instance_) continue;
    if (ph.index > held_instance_) ph.start += delta;
    ph.end += delta;
    clock_.push(ph.end, Pending::kPhaseBoundary, ph.index);
    plan_apheresis(ph, ph.index == held_instance_ ? hold_start_ : ph.start,
                   ph.index == held_instance_ ? delta : 0.0);
  }
  planned_end_ += delta;
  plan_administrations(t);
}

const Protocol::PlannedPhase* Protocol::phase_at(double t) const {
  for (const auto& ph : phases_) {
    if (t >= ph.start - 1e-9 && t < ph.end - 1e-9) return &ph;
  }
  return nullptr;
}

bool Protocol::in_role(double t, std::span<const dosing::PhaseRole> roles) const {
  for (const auto& ph : phases_) {
    const auto role = regimen_->phases[ph.phase].role;
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
    (regimen_->phases[ph.phase].setting == dosing::CareSetting::kInpatient
         ? record_.inpatient_days
         : record_.outpatient_days) += days;
  }
}

}  // namespace il2sim::clinic
