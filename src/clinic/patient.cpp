#include "clinic/patient.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <boost/math/distributions/normal.hpp>

#include "clinic/grading.hpp"
#include "core/error.hpp"
#include "population/population.hpp"
#include "sim/controller.hpp"
#include "sim/patient_sim.hpp"

namespace il2sim::clinic {

std::string_view to_string(NotTreatedReason r) {
  switch (r) {
    case NotTreatedReason::kNone:
      return "";
    case NotTreatedReason::kRefusal:
      return "refusal";
    case NotTreatedReason::kNoPlateletRecovery:
      return "no platelet recovery";
    case NotTreatedReason::kRelapse:
      return "relapse";
    case NotTreatedReason::kDeath:
      return "death";
    case NotTreatedReason::kNumericalFailure:
      return "numerical failure";
    case NotTreatedReason::kOther:
      return "other";
  }
  return "";
}

std::string_view to_string(StopReason r) {
  switch (r) {
    case StopReason::kNone:
      return "";
    case StopReason::kSecondHold:
      return "second hold";
    case StopReason::kGrade4Toxicity:
      return "grade 4 non-haematologic toxicity";
    case StopReason::kRelapse:
      return "relapse";
    case StopReason::kDeath:
      return "death";
  }
  return "";
}

std::string_view to_string(DeathCause c) {
  switch (c) {
    case DeathCause::kNone:
      return "";
    case DeathCause::kNonRelapse:
      return "non-relapse mortality";
    case DeathCause::kRelapse:
      return "relapse";
    case DeathCause::kToxic:
      return "IL-2 toxicity";
  }
  return "";
}

double weibull_scale_for_one_year(double p_one_year, double shape) {
  return 365.25 / std::pow(-std::log1p(-p_one_year), 1.0 / shape);
}

namespace {

using model::ParamId;

// ---------------------------------------------------------------------------------------------------
// Registration draws
// ---------------------------------------------------------------------------------------------------

double truncated_normal(RandomStream& s, double mean, double sd, double lo, double hi) {
  const boost::math::normal_distribution<double> n(mean, sd);
  const double a = boost::math::cdf(n, lo);
  const double b = boost::math::cdf(n, hi);
  return boost::math::quantile(n, a + (b - a) * s.uniform());
}

}  // namespace

VirtualPatient make_patient(const scenario::Scenario& s, const scenario::CohortSpec& cohort,
                            std::uint32_t replicate, std::uint32_t id) {
  VirtualPatient v;
  v.id = id;
  v.replicate = replicate;
  v.disease = cohort.disease;
  v.transplant = cohort.transplant;
  const auto& population_settings = cohort.paediatric ? s.children : s.adults;
  v.covariates = population::sample_covariates(population_settings, s.seed, replicate, id);
  v.covariates.bsa_m2 =
      dosing::body_surface_area(v.covariates.height_cm, v.covariates.weight_kg, s.bsa_formula);
  const auto etas = population::sample_etas(s.parameters, s.seed, replicate, id);
  v.parameters = model::resolve(s.parameters, v.covariates, v.disease, v.transplant, etas);

  RandomStream disease(s.seed, replicate, id, Purpose::kDisease);
  const double u_free = disease.uniform();
  // The cohort's own residual-disease parameters where its remission status sets it apart
  // (scenario::CohortSpec); the draws are the same either way.
  if (u_free >= s.parameters[cohort.p_no_disease]) {
    const double log10_L0 =
        truncated_normal(disease, s.parameters[cohort.log10_L0_mean],
                         std::max(s.parameters[ParamId::kLog10L0Sd], 1e-9), 0.0, 10.0);
    v.L0 = std::pow(10.0, log10_L0);
  }
  RandomStream protocol(s.seed, replicate, id, Purpose::kProtocol);
  v.scheduling_delay_days = static_cast<int>(
      protocol.below(static_cast<std::uint64_t>(s.protocol.max_scheduling_delay_days) + 1));
  v.refuses = protocol.bernoulli(s.protocol.refusal_probability);
  {
    // LAK cell dose: log-normal around the median with the range as ±2 SD, truncated to the range.
    const double lo = std::log(s.protocol.lak_cells_min);
    const double hi = std::log(s.protocol.lak_cells_max);
    const double sd = std::max((hi - lo) / 4.0, 1e-9);
    v.lak_cells =
        std::exp(truncated_normal(protocol, std::log(s.protocol.lak_cells_median), sd, lo, hi));
  }
  // Drawn after the others so that the earlier draws of the protocol stream are unchanged.
  v.other_attrition = protocol.bernoulli(s.protocol.other_attrition_probability);
  RandomStream events(s.seed, replicate, id, Purpose::kClinicalEvents);
  v.nrm_draw = events.exponential();
  v.agvhd_draw = events.exponential();
  v.cgvhd_draw = events.exponential();
  v.post_relapse_z = events.normal();
  return v;
}

namespace {

// ---------------------------------------------------------------------------------------------------
// The clinic: protocol rules, toxicity grading and holds, clinical events, assays
// ---------------------------------------------------------------------------------------------------

enum class PhaseRole { kInduction, kMaintenance, kOther };

PhaseRole role_of(const dosing::Phase& phase) {
  if (phase.name.find("induction") != std::string::npos) return PhaseRole::kInduction;
  if (phase.name.find("maintenance") != std::string::npos) return PhaseRole::kMaintenance;
  return PhaseRole::kOther;
}

struct PlannedPhase {
  double start;
  double end;
  double rate;  ///< IU/day at full dose (0 = rest)
  PhaseRole role;
  const dosing::Phase* phase;
  double delivered = 0.0;
  bool held_during = false;
};

enum class Pending {
  kEligibilityCheck,
  kStart,
  kPhaseBoundary,
  kVisit,
  kObservedRelapse,
  kDeath,
  kAeWindowEnd,
  kGvhdWindowEnd,
  kApheresis,
  kLakInfusion,
  kPlateletDltCheck
};

struct PendingEvent {
  double t;
  Pending kind;
  std::size_t index;  ///< visit index, phase index, ...
};

class ClinicController final : public sim::Controller {
 public:
  ClinicController(const scenario::Scenario& s, const scenario::ArmSpec& arm,
                   const VirtualPatient& v, double horizon, PatientRecord& record)
      : s_(s),
        v_(v),
        p_(v.parameters),
        regimen_(arm.regimen ? &s.regimens.at(*arm.regimen) : nullptr),
        horizon_(horizon),
        grader_(s.toxicity, v.parameters),
        record_(record),
        events_(s.seed, v.replicate, v.id, Purpose::kClinicalEvents),
        assay_(s.seed, v.replicate, v.id, Purpose::kAssay) {
    // The event stream's first draws were used at registration (make_patient); skip them so that
    // the toxic-death draws are the next ones.
    for (int i = 0; i < 4; ++i) (void)events_.uniform();
    const double shape = s.parameters[ParamId::kNrmShape];
    const double p1 = v.transplant == model::Transplant::kAllogeneic
                          ? s.parameters[ParamId::kNrm1yAllo]
                          : s.parameters[ParamId::kNrm1yAuto];
    nrm_scale_ = weibull_scale_for_one_year(p1, shape);
    nrm_shape_ = shape;
    nrm_day_ = nrm_day();
    allo_ = v.transplant == model::Transplant::kAllogeneic;
    // Registration-time schedule.
    for (double d = std::ceil(s.protocol.window_start_day); d <= s.protocol.window_end_day + 1e-9;
         d += 1.0) {
      push(d, Pending::kEligibilityCheck);
    }
    for (std::size_t i = 0; i < s.assays.visits_from_transplant.size(); ++i) {
      push(s.assays.visits_from_transplant[i], Pending::kVisit, i);
    }
    if (nrm_day_ < horizon_) push(nrm_day_, Pending::kDeath);
  }

  // ---- sim::Controller
  // ---------------------------------------------------------------------------
  [[nodiscard]] double infusion_rate(double t) const override {
    if (!on_treatment_ || held_) return 0.0;
    const auto* ph = phase_at(t);
    return ph == nullptr ? 0.0 : ph->rate * dose_factor_;
  }

  [[nodiscard]] bool gvhd_window(double t) const override {
    return allo_ && record_.treated && t >= *record_.start_day - 1e-9 &&
           t < gvhd_window_end_ - 1e-9;
  }

  [[nodiscard]] double next_breakpoint(double t) const override {
    double next = sim::kNever;
    for (const auto& e : pending_) {
      if (e.t > t + 1e-9) next = std::min(next, e.t);
    }
    return next;
  }

  sim::Directive at_breakpoint(double t, std::span<double> y, const sim::ModelContext& m) override {
    sim::Directive d;
    // Process every pending event due now, in a fixed order of kinds (deterministic); events that
    // the processing itself schedules for now are processed in the same call.
    for (;;) {
      std::vector<PendingEvent> due;
      for (auto it = pending_.begin(); it != pending_.end();) {
        if (it->t <= t + 1e-9) {
          due.push_back(*it);
          it = pending_.erase(it);
        } else {
          ++it;
        }
      }
      if (due.empty() || record_.death_day || record_.relapse_day) break;
      std::stable_sort(due.begin(), due.end(), [](const PendingEvent& a, const PendingEvent& b) {
        return static_cast<int>(a.kind) < static_cast<int>(b.kind);
      });
      for (const auto& e : due) {
        switch (e.kind) {
          case Pending::kDeath:
            if (!record_.death_day) die(t, pending_death_cause_);
            break;
          case Pending::kObservedRelapse:
            observe_relapse(t, false);
            break;
          case Pending::kEligibilityCheck:
            check_eligibility(t, y);
            break;
          case Pending::kStart:
            start(t, y, m);
            break;
          case Pending::kPhaseBoundary:
            phase_boundary(t, y);
            break;
          case Pending::kApheresis:
            y[model::kP] *= s_.protocol.apheresis_platelet_factor;
            break;
          case Pending::kLakInfusion:
            y[model::kK] += lak_per_day_ / p_.blood_volume_ul;
            break;
          case Pending::kVisit:
            visit(t, y, m, e.index);
            break;
          case Pending::kAeWindowEnd:
            close_adverse_events(t, false);
            break;
          case Pending::kGvhdWindowEnd:
            break;
          case Pending::kPlateletDltCheck:
            if (grades_[ToxTerm::kThrombocytopenia] == 4 && in_ae_window(t)) {
              mark_dlt(t, fmt::format("grade 4 thrombocytopenia > {:g} days",
                                      s_.toxicity.dlt_thrombocytopenia_days));
            }
            break;
        }
        if (record_.death_day || record_.relapse_day) break;
      }
    }
    if (record_.death_day || record_.relapse_day) {
      d.stop = true;
      return d;
    }
    update_grades(t, y);
    evaluate_treatment(t, y);
    log_rate(t, "");
    d.stop = nothing_left(t);
    return d;
  }

  [[nodiscard]] std::size_t root_count() const override { return Grader::kThresholdCount + 4; }

  void roots(double, std::span<const double> y, const sim::ModelContext&,
             std::span<double> g) const override {
    grader_.thresholds(y[model::kW], y[model::kP], y[model::kCe], g);
    std::size_t i = Grader::kThresholdCount;
    g[i++] = y[model::kP] - s_.protocol.hold_platelets;
    g[i++] = y[model::kP] - s_.protocol.resume_platelets;
    if (allo_) {
      g[i++] = p_.h0_gvhd * y[model::kGvhd] - v_.agvhd_draw;
      g[i++] = p_.h0_gvhd * s_.events.chronic_gvhd_hazard_ratio * y[model::kGvhd] - v_.cgvhd_draw;
    } else {
      g[i++] = -1.0;
      g[i++] = -1.0;
    }
  }

  sim::Directive at_roots(double t, std::span<double> y, const sim::ModelContext&,
                          std::span<const int> dirs) override {
    const std::size_t gv = Grader::kThresholdCount + 2;
    if (dirs[gv] > 0 && !record_.agvhd_day) gvhd_onset(t, true);
    if (dirs[gv + 1] > 0 && !record_.cgvhd_day) gvhd_onset(t, false);
    update_grades(t, y);
    evaluate_treatment(t, y);
    log_rate(t, "");
    return {};
  }

  sim::Directive at_tumour_event(double t, sim::TumourEvent event) override {
    switch (event) {
      case sim::TumourEvent::kRelapseCrossing:
        record_.relapse_true_day = t;
        push(next_assessment(t), Pending::kObservedRelapse);
        break;
      case sim::TumourEvent::kSymptomaticCrossing:
        if (!record_.relapse_day) {
          observe_relapse(t, true);
          return {true, false};
        }
        break;
      case sim::TumourEvent::kCure:
        record_.cure_day = t;
        break;
      case sim::TumourEvent::kMrdPositive:
      case sim::TumourEvent::kMrdNegative:
        break;
    }
    return {};
  }

  /// After the simulation: close what is open and settle deaths that happen after the ODEs stopped.
  void finish(double end_day) {
    close_adverse_events(end_day, true);
    log_rate(end_day, "end of simulation");
    if (on_treatment_) record_.treatment_end_day = end_day;
    finalize_phases();
    if (!record_.death_day) {
      double death = nrm_day_;
      DeathCause cause = DeathCause::kNonRelapse;
      if (record_.relapse_day) {
        const double median = post_relapse_median_days();
        const double pr =
            *record_.relapse_day +
            median * std::exp(s_.parameters[ParamId::kPostRelapseSigma] * v_.post_relapse_z);
        if (pr < death) {
          death = pr;
          cause = DeathCause::kRelapse;
        }
      }
      if (death < horizon_) {
        record_.death_day = death;
        record_.death_cause = cause;
      }
    }
    if (!record_.landmark_day && record_.not_treated == NotTreatedReason::kNone) {
      // The window never closed during the simulation (death or relapse came first).
      if (record_.death_day && *record_.death_day <= s_.protocol.window_end_day) {
        record_.not_treated = NotTreatedReason::kDeath;
      } else if (record_.relapse_day && *record_.relapse_day <= s_.protocol.window_end_day) {
        record_.not_treated = NotTreatedReason::kRelapse;
      }
    }
    record_.follow_up_end = record_.death_day ? *record_.death_day : horizon_;
  }

 private:
  void push(double t, Pending kind, std::size_t index = 0) {
    if (t <= horizon_ + 1e-9) pending_.push_back({t, kind, index});
  }

  [[nodiscard]] const PlannedPhase* phase_at(double t) const {
    for (const auto& ph : phases_) {
      if (t >= ph.start - 1e-9 && t < ph.end - 1e-9) return &ph;
    }
    return nullptr;
  }
  PlannedPhase* phase_at(double t) {
    return const_cast<PlannedPhase*>(std::as_const(*this).phase_at(t));
  }

  [[nodiscard]] double nrm_day() const {
    // Weibull cumulative hazard (t/λ)^k, doubled (gvhd_nrm_factor) after GVHD onset.
    const double factor = s_.parameters[ParamId::kGvhdNrmFactor];
    const auto H = [&](double t) { return std::pow(t / nrm_scale_, nrm_shape_); };
    const auto inv = [&](double h) { return nrm_scale_ * std::pow(h, 1.0 / nrm_shape_); };
    const double e = v_.nrm_draw;
    if (!gvhd_onset_ || H(*gvhd_onset_) >= e) return inv(e);
    return inv(H(*gvhd_onset_) + (e - H(*gvhd_onset_)) / factor);
  }

  [[nodiscard]] double post_relapse_median_days() const {
    constexpr double kDaysPerMonth = 365.25 / 12.0;
    switch (v_.disease) {
      case model::Disease::kNhl:
        return s_.parameters[ParamId::kPostRelapseMedianNhl] * kDaysPerMonth;
      case model::Disease::kHd:
        return s_.parameters[ParamId::kPostRelapseMedianHd] * kDaysPerMonth;
      case model::Disease::kAml:
        return s_.parameters[ParamId::kPostRelapseMedianAml] * kDaysPerMonth;
      case model::Disease::kAll:
        return s_.parameters[ParamId::kPostRelapseMedianAll] * kDaysPerMonth;
    }
    return s_.parameters[ParamId::kPostRelapseMedianNhl] * kDaysPerMonth;
  }

  [[nodiscard]] double next_assessment(double t) const {
    const auto& pr = s_.protocol;
    if (t <= pr.assessment_switch_day) {
      const double k = std::ceil(t / pr.assessment_interval_days - 1e-9);
      const double day = std::max(1.0, k) * pr.assessment_interval_days;
      // The switch day itself (2 years) is an assessment: a crossing after the last 90-day one is
      // seen there, not 180 days later.
      return std::min(day, pr.assessment_switch_day);
    }
    // The switch day itself (2 years) is an assessment: a crossing after the last 90-day assessment
    // before it (day 720) is recorded there (k = 0), later ones every 180 days after it.
    const double k =
        std::ceil((t - pr.assessment_switch_day) / pr.assessment_interval_late_days - 1e-9);
    return pr.assessment_switch_day + std::max(0.0, k) * pr.assessment_interval_late_days;
  }

  void gvhd_onset(double t, bool acute) {
    if (acute) {
      record_.agvhd_day = t;
    } else {
      record_.cgvhd_day = std::max(t, s_.events.chronic_gvhd_onset_day);
    }
    if (!gvhd_onset_) {
      gvhd_onset_ = acute ? t : *record_.cgvhd_day;
      const double previous = nrm_day_;
      nrm_day_ = nrm_day();
      if (nrm_day_ < previous) {
        std::erase_if(pending_, [](const PendingEvent& e) { return e.kind == Pending::kDeath; });
        if (toxic_death_day_) push(*toxic_death_day_, Pending::kDeath);
        if (nrm_day_ < horizon_) push(nrm_day_, Pending::kDeath);
        pending_death_cause_ = DeathCause::kNonRelapse;
      }
    }
  }

  void die(double t, DeathCause cause) {
    record_.death_day = t;
    record_.death_cause =
        toxic_death_day_ && std::fabs(*toxic_death_day_ - t) < 1e-9 ? DeathCause::kToxic : cause;
    if (record_.death_cause == DeathCause::kToxic && s_.toxicity.dlt_toxic_death &&
        in_dlt_scope(t)) {
      mark_dlt(t, "toxic death");
    }
    stop_treatment(t, StopReason::kDeath);
    if (!record_.landmark_day && record_.not_treated == NotTreatedReason::kNone)
      record_.not_treated = NotTreatedReason::kDeath;
  }

  void observe_relapse(double t, bool symptomatic) {
    if (record_.relapse_day || record_.death_day) return;
    record_.relapse_day = t;
    record_.relapse_symptomatic = symptomatic;
    stop_treatment(t, StopReason::kRelapse);
    if (!record_.landmark_day && record_.not_treated == NotTreatedReason::kNone) {
      record_.not_treated = NotTreatedReason::kRelapse;
    }
  }

  void check_eligibility(double t, std::span<const double> y) {
    if (record_.eligible_day || record_.start_day || record_.not_treated != NotTreatedReason::kNone)
      return;
    if (y[model::kP] >= s_.protocol.start_platelets) {
      record_.eligible_day = t;
      std::erase_if(pending_,
                    [](const PendingEvent& e) { return e.kind == Pending::kEligibilityCheck; });
      const double start_day = t + v_.scheduling_delay_days;
      if (start_day > s_.protocol.window_end_day + 1e-9) {
        record_.not_treated = NotTreatedReason::kNoPlateletRecovery;
        return;
      }
      push(start_day, Pending::kStart);
      // Visits relative to the (would-be) start; one falling before today (the day-before baseline
      // when there is no scheduling delay) is taken today.
      for (std::size_t i = 0; i < s_.assays.visits_from_start.size(); ++i) {
        push(std::max(start_day + s_.assays.visits_from_start[i], t), Pending::kVisit, 1000 + i);
      }
    } else if (t >= s_.protocol.window_end_day - 1e-9) {
      record_.not_treated = NotTreatedReason::kNoPlateletRecovery;
    }
  }

  void start(double t, std::span<double> y, const sim::ModelContext& m) {
    if (record_.not_treated != NotTreatedReason::kNone) return;
    if (s_.protocol.restage_before_start && record_.relapse_true_day && !record_.relapse_day) {
      // Restaging before the start: a relapse that has happened but is not yet recorded is found
      // now.
      observe_relapse(t, false);
      return;
    }
    record_.landmark_day = t;
    if (regimen_ == nullptr) return;  // observation arm: the landmark only
    if (v_.refuses) {
      record_.not_treated = NotTreatedReason::kRefusal;
      return;
    }
    if (v_.other_attrition) {
      record_.not_treated = NotTreatedReason::kOther;
      return;
    }
    record_.start_day = t;
    const auto doses = dosing::expand(*regimen_, t, {v_.covariates.bsa_m2, v_.covariates.weight_kg},
                                      s_.parameters[ParamId::kPotencyRoche]);
    double at = t;
    for (std::size_t i = 0; i < regimen_->phases.size(); ++i) {
      const auto& ph = regimen_->phases[i];
      double rate = 0.0;
      for (const auto& d : doses) {
        if (d.phase_index == i && d.duration > 0.0) rate = d.rate_iu_per_day;
      }
      phases_.push_back({at, at + ph.days, rate, role_of(ph), &ph});
      push(at + ph.days, Pending::kPhaseBoundary, i);
      for (double day = 0; day < ph.days - 1e-9; day += 1.0) {
        if (ph.apheresis) push(at + day, Pending::kApheresis, i);
        if (ph.lak_infusion) push(at + day, Pending::kLakInfusion, i);
      }
      if (ph.lak_infusion) lak_per_day_ = v_.lak_cells / std::max(1.0, std::ceil(ph.days));
      at += ph.days;
    }
    planned_end_ = at;
    on_treatment_ = true;
    record_.treated = true;
    gvhd_window_end_ = sim::kNever;
    // Treatment-emergent adverse events are counted relative to the grades at the start.
    baseline_ = grader_.grade(y[model::kW], y[model::kP], y[model::kCe]);
    grades_ = baseline_;
    ae_window_open_ = true;
    (void)m;
  }

  void phase_boundary(double t, std::span<const double> y) {
    (void)y;
    held_ = false;  // missed days are not made up
    dose_factor_ = 1.0;
    if (on_treatment_ && t >= planned_end_ - 1e-9) finish_treatment(t);
  }

  void finish_treatment(double t) {
    on_treatment_ = false;
    record_.treatment_end_day = t;
    schedule_treatment_windows(t);
  }

  void schedule_treatment_windows(double end) {
    push(end + s_.protocol.adverse_event_window_days, Pending::kAeWindowEnd);
    gvhd_window_end_ = end + s_.events.gvhd_window_after_il2_days;
    if (allo_) push(gvhd_window_end_, Pending::kGvhdWindowEnd);
  }

  void stop_treatment(double t, StopReason reason) {
    if (!on_treatment_) return;
    log_rate(t, fmt::format("stopped: {}", to_string(reason)), true);
    on_treatment_ = false;
    record_.stop = reason;
    record_.stop_day = t;
    record_.treatment_end_day = t;
    std::erase_if(pending_, [](const PendingEvent& e) {
      return e.kind == Pending::kApheresis || e.kind == Pending::kLakInfusion;
    });
    schedule_treatment_windows(t);
  }

  [[nodiscard]] bool in_ae_window(double) const { return ae_window_open_; }
  [[nodiscard]] bool in_dlt_scope(double t) const {
    for (const auto& ph : phases_) {
      if (ph.role == PhaseRole::kInduction && t >= ph.start - 1e-9 && t <= ph.end + 1e-9)
        return true;
    }
    return false;
  }

  void mark_dlt(double t, const std::string& reason) {
    if (record_.dlt) return;
    record_.dlt = true;
    record_.dlt_day = t;
    record_.dlt_reason = reason;
  }

  void update_grades(double t, std::span<const double> y) {
    if (!ae_window_open_) return;
    const Grades now = grader_.grade(y[model::kW], y[model::kP], y[model::kCe]);
    for (std::size_t k = 0; k < kToxTermCount; ++k) {
      const auto term = static_cast<ToxTerm>(k);
      const int g = now.grade[k];
      auto& open = open_ae_[k];
      if (g > 0 && !open) {
        open = AdverseEvent{term, g, t, t, true, 0.0};
      }
      if (open) {
        if (g > open->grade) open->grade = g;
        if (grades_.grade[k] == 4 && g != 4) open->grade4_days += t - grade4_since_[k];
        if (g == 4 && grades_.grade[k] != 4) {
          grade4_since_[k] = t;
          on_grade4(t, term);
        }
        if (g == 0) {
          open->end = t;
          open->ongoing = false;
          keep_if_emergent(k, *open);
          open.reset();
        }
      }
      if (g > baseline_.grade[k] && g > record_.max_grade[k]) record_.max_grade[k] = g;
      if (g >= s_.toxicity.dlt_nonhaematologic_grade && !is_haematologic(term) &&
          g > baseline_.grade[k] && in_dlt_scope(t)) {
        mark_dlt(t, fmt::format("grade {} {}", g, to_string(term)));
      }
    }
    grades_ = now;
  }

  void on_grade4(double t, ToxTerm term) {
    if (term == ToxTerm::kThrombocytopenia) {
      push(t + s_.toxicity.dlt_thrombocytopenia_days, Pending::kPlateletDltCheck);
    }
    if (!toxic_death_day_ && events_.bernoulli(s_.parameters[ParamId::kPToxDeath])) {
      toxic_death_day_ = t + s_.events.toxic_death_delay_days;
      pending_death_cause_ = DeathCause::kToxic;
      push(*toxic_death_day_, Pending::kDeath);
    }
  }

  void keep_if_emergent(std::size_t k, const AdverseEvent& e) {
    if (e.grade > baseline_.grade[k] || e.onset > *record_.start_day + 1e-9)
      record_.adverse_events.push_back(e);
  }

  void close_adverse_events(double t, bool ongoing) {
    if (!ae_window_open_) return;
    for (std::size_t k = 0; k < kToxTermCount; ++k) {
      auto& open = open_ae_[k];
      if (!open) continue;
      if (grades_.grade[k] == 4) open->grade4_days += t - grade4_since_[k];
      open->end = t;
      open->ongoing = ongoing;
      keep_if_emergent(k, *open);
      open.reset();
    }
    ae_window_open_ = false;
  }

  void evaluate_treatment(double t, std::span<const double> y) {
    if (!on_treatment_) return;
    const int cls = grades_[ToxTerm::kCapillaryLeak];
    const int hyp = grades_[ToxTerm::kHypotension];
    const double P = y[model::kP];
    if (s_.protocol.stop_on_grade4_nonhaematologic && (cls >= 4 || hyp >= 4)) {
      stop_treatment(t, StopReason::kGrade4Toxicity);
      return;
    }
    auto* ph = phase_at(t);
    const bool infusing = ph != nullptr && ph->rate > 0.0;
    const bool hold_now = cls >= s_.protocol.hold_cls_grade ||
                          hyp >= s_.protocol.hold_hypotension_grade ||
                          P < s_.protocol.hold_platelets;
    if (!held_ && infusing && hold_now) {
      if (record_.holds >= s_.protocol.max_holds) {
        ++record_.holds;
        stop_treatment(t, StopReason::kSecondHold);
        return;
      }
      ++record_.holds;
      held_ = true;
      ph->held_during = true;
      hold_reason_ =
          cls >= s_.protocol.hold_cls_grade ? fmt::format("hold: capillary leak grade {}", cls)
          : hyp >= s_.protocol.hold_hypotension_grade
              ? fmt::format("hold: hypotension grade {}", hyp)
              : std::string("hold: platelets < ") + fmt::format("{:g}", s_.protocol.hold_platelets);
      log_rate(t, hold_reason_);
      return;
    }
    if (held_ && infusing && cls <= s_.protocol.resume_grade &&
        hyp <= std::max(1, s_.protocol.resume_grade) && P >= s_.protocol.resume_platelets) {
      held_ = false;
      dose_factor_ = s_.protocol.resume_fraction;
    }
  }

  /// Keeps the exposure log in step with the effective rate; `reason` ends the current segment.
  void log_rate(double t, const std::string& reason, bool force_zero = false) {
    const double rate = force_zero ? 0.0 : infusion_rate(t);
    if (rate == logged_rate_) return;
    if (logged_rate_ > 0.0 && t > segment_start_) {
      auto* ph = phase_for_segment(segment_start_);
      const double dose = logged_rate_ * (t - segment_start_);
      std::string why = reason;
      if (why.empty()) why = "completed";
      record_.exposure.push_back({segment_start_, t, logged_rate_, dose,
                                  ph != nullptr ? ph->phase->name : std::string(), logged_factor_,
                                  why});
      if (ph != nullptr) ph->delivered += dose;
    }
    logged_rate_ = rate;
    logged_factor_ = dose_factor_;
    segment_start_ = t;
  }

  PlannedPhase* phase_for_segment(double t) { return phase_at(t); }

  void finalize_phases() {
    if (record_.start_day) {
      const double end = record_.treatment_end_day ? *record_.treatment_end_day : planned_end_;
      for (const auto& ph : phases_) {
        const double days = std::max(0.0, std::min(ph.end, end) - ph.start);
        (ph.phase->setting == dosing::CareSetting::kInpatient ? record_.inpatient_days
                                                              : record_.outpatient_days) += days;
      }
    }
    for (const auto& ph : phases_) {
      const double planned = ph.rate * (ph.end - ph.start);
      if (planned <= 0.0) continue;
      const double intensity = ph.delivered / planned;
      const bool completed = !ph.held_during && intensity > 1.0 - 1e-6;
      if (ph.role == PhaseRole::kInduction) {
        record_.induction_intensity = intensity;
        record_.completed_induction = completed;
      } else if (ph.role == PhaseRole::kMaintenance) {
        record_.maintenance_intensity = intensity;
        record_.completed_maintenance = completed;
      }
    }
  }

  void visit(double t, std::span<const double> y, const sim::ModelContext& m, std::size_t index) {
    const auto o = m.observe(y);
    const auto& par = s_.parameters;
    auto noisy = [&](double value, double cv) {
      // Log-normal assay error with the given CV (sigma² = ln(1 + CV²)), median-unbiased.
      if (cv <= 0.0 || value <= 0.0) return value;
      return value * std::exp(std::sqrt(std::log1p(cv * cv)) * assay_.normal());
    };
    std::string label;
    if (index >= 1000) {
      const double offset = s_.assays.visits_from_start[index - 1000];
      label = offset < 0 ? std::string("BASELINE") : fmt::format("IL2 D{:g}", offset);
    } else {
      label = fmt::format("TX D{:g}", s_.assays.visits_from_transplant[index]);
    }
    auto add = [&](const char* code, double value, double et = 0.0) {
      record_.labs.push_back({t, code, value, et, label});
    };
    const double cv_cells = par[ParamId::kCvCells];
    const double nk = noisy(o.NK_blood, cv_cells);
    const double cd8 = noisy(o.CD8_blood, cv_cells);
    add("NKBLD", nk);
    add("CD8BLD", cd8);
    add("PLAT", noisy(o.platelets, par[ParamId::kCvPlatelets]));
    add("SIL2RA", noisy(o.sIL2Ra, par[ParamId::kCvSil2ra]));
    add("WTGAIN", o.weight_gain);
    add("IL2CONC", noisy(o.C, par[ParamId::kCvIl2]));
    // Cytotoxicity on the measured effectors: lysis rate constants carry the cell-count assay
    // error.
    const double lymph = nk + cd8 + p_.other_lymph * y[model::kBE];
    const double phi = lymph > 0 ? nk / lymph : 0.0;
    const double a = y[model::kAct];
    const double kk = p_.kappa_K * phi * (1.0 + a);
    const double kd = p_.kappa_D * phi * a;
    for (const double et : model::kEffectorTargetRatios) {
      add("LYSK562", 100.0 * (1.0 - std::exp(-kk * et)), et);
      add("LYSDAUDI", 100.0 * (1.0 - std::exp(-kd * et)), et);
    }
    add("LU20K562", kk > 0 ? 1e7 / (-std::log(0.8) / kk * 1e4) : 0.0);
    add("LU20DAUD", kd > 0 ? 1e7 / (-std::log(0.8) / kd * 1e4) : 0.0);
    add("MRD", o.mrd_positive ? 1.0 : 0.0);
  }

  [[nodiscard]] bool nothing_left(double t) const {
    if (on_treatment_ || ae_window_open_) return false;
    if (!record_.landmark_day && record_.not_treated == NotTreatedReason::kNone)
      return false;  // start pending
    for (const auto& e : pending_) {
      if (e.kind == Pending::kVisit || e.kind == Pending::kStart ||
          e.kind == Pending::kObservedRelapse || e.kind == Pending::kGvhdWindowEnd ||
          e.kind == Pending::kPlateletDltCheck)
        return false;
    }
    const bool tumour_gone = !(v_.L0 > 0.0) || record_.cure_day.has_value();
    (void)t;
    return tumour_gone;
  }

  const scenario::Scenario& s_;
  const VirtualPatient& v_;
  const model::IndividualParameters& p_;
  const dosing::Regimen* regimen_;
  double horizon_;
  Grader grader_;
  PatientRecord& record_;
  RandomStream events_;
  RandomStream assay_;
  bool allo_ = false;
  double nrm_scale_ = 1.0;
  double nrm_shape_ = 1.0;
  double nrm_day_ = sim::kNever;
  std::optional<double> gvhd_onset_;
  std::optional<double> toxic_death_day_;
  DeathCause pending_death_cause_ = DeathCause::kNonRelapse;
  std::vector<PendingEvent> pending_;
  std::vector<PlannedPhase> phases_;
  double planned_end_ = 0.0;
  bool on_treatment_ = false;
  bool held_ = false;
  double dose_factor_ = 1.0;
  std::string hold_reason_;
  double gvhd_window_end_ = sim::kNever;
  double lak_per_day_ = 0.0;
  Grades baseline_{};
  Grades grades_{};
  bool ae_window_open_ = false;
  std::array<std::optional<AdverseEvent>, kToxTermCount> open_ae_{};
  std::array<double, kToxTermCount> grade4_since_{};
  double logged_rate_ = 0.0;
  double logged_factor_ = 1.0;
  double segment_start_ = 0.0;
};

}  // namespace

PatientRecord simulate_patient(const scenario::Scenario& s, const scenario::ArmSpec& arm,
                               const VirtualPatient& v, double horizon_days) {
  PatientRecord record;
  record.id = v.id;
  record.arm = arm.name;
  record.covariates = v.covariates;
  record.disease = v.disease;
  record.transplant = v.transplant;
  record.L0 = v.L0;
  ClinicController controller(s, arm, v, horizon_days, record);
  sim::SimulationOptions options = s.solver;
  options.horizon_days = horizon_days;
  sim::PatientSimulator simulator(v.parameters, options, v.id);
  RandomStream tumour(s.seed, v.replicate, v.id, Purpose::kTumourBirthDeath);
  const auto outcome = simulator.run(controller, v.L0, tumour, {}, nullptr);
  record.rhs_evals = outcome.stats.rhs_evals;
  record.steps = outcome.stats.steps;
  record.failed_steps = outcome.stats.failed_steps;
  record.resets = outcome.stats.resets;
  record.birth_death_events = outcome.birth_death_events;
  if (outcome.failed) {
    record.numerical_failure = true;
    record.failure = outcome.failure;
    if (!record.landmark_day && record.not_treated == NotTreatedReason::kNone) {
      record.not_treated = NotTreatedReason::kNumericalFailure;
    }
  }
  if (!record.relapse_true_day && outcome.relapse_day)
    record.relapse_true_day = outcome.relapse_day;
  controller.finish(outcome.end_day);
  return record;
}

}  // namespace il2sim::clinic
