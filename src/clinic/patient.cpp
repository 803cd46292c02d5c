#include "clinic/patient.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <boost/math/distributions/normal.hpp>

#include "clinic/adverse_events.hpp"
#include "clinic/assays.hpp"
#include "clinic/event_clock.hpp"
#include "clinic/exposure.hpp"
#include "clinic/grading.hpp"
#include "clinic/protocol.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "population/population.hpp"
#include "sim/controller.hpp"
#include "sim/dose_feed.hpp"
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
    case NotTreatedReason::kNeverStarted:
      return "never started after randomization";
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
    case StopReason::kEarlyStop:
      return "early stop";
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

/// The cohort's NRM and survival after relapse, and whether a relapse would be salvaged (its own
/// stream: no other draw moves).
void set_cohort_events(const scenario::Scenario& s, const scenario::CohortSpec& cohort,
                       VirtualPatient& v) {
  using core::kDaysPerMonth;
  v.nrm_1y = cohort.nrm_1y.value(s.parameters);
  const double fraction = cohort.salvage_fraction.value(s.parameters);
  v.salvaged = fraction > 0.0 && v.streams(Purpose::kSalvage).bernoulli(fraction);
  const double months = v.salvaged ? cohort.salvage_median_months->value(s.parameters)
                                   : cohort.post_relapse_median_months.value(s.parameters);
  v.post_relapse_median_days = months * kDaysPerMonth;
}

/// The component of a mixture cohort a patient belongs to: one uniform draw of its own stream
/// against the cumulative weights (in the order of `mix`).
const scenario::CohortSpec& mixture_component(const scenario::Scenario& s,
                                              const scenario::CohortSpec& mixture,
                                              const PatientStreams& streams) {
  const double u = streams(Purpose::kMixture).uniform();
  double cumulative = 0.0;
  const std::string* chosen = &mixture.mix.back().first;  // weights sum to 1 within 1e-9
  for (const auto& [component, weight] : mixture.mix) {
    cumulative += weight;
    if (u < cumulative) {
      chosen = &component;
      break;
    }
  }
  const auto* c = s.find_cohort(*chosen);
  IL2SIM_ASSERT(c != nullptr && !c->is_mixture(), "mixture components validated at the input edge");
  return *c;
}

}  // namespace

RandomStream PatientStreams::operator()(Purpose purpose) const {
  // The seam keys the perturbed purpose by a different seed (a fixed bit flip).
  const std::uint64_t key = perturbed && *perturbed == purpose ? seed ^ 0x5EA3ULL : seed;
  return {key, replicate, patient, purpose};
}

VirtualPatient make_patient(const scenario::Scenario& s, const scenario::CohortSpec& cohort,
                            std::uint32_t replicate, std::uint32_t id,
                            std::optional<Purpose> perturbed) {
  if (cohort.is_mixture()) {
    return make_patient(s, mixture_component(s, cohort, {s.seed, replicate, id, perturbed}),
                        replicate, id, perturbed);
  }
  VirtualPatient v;
  v.id = id;
  v.replicate = replicate;
  v.cohort = cohort.name;
  v.disease = cohort.disease;
  v.transplant = cohort.transplant;
  v.covariates =
      population::sample_covariates(scenario::cohort_population(s, cohort), s.seed, replicate, id);
  v.covariates.bsa_m2 =
      dosing::body_surface_area(v.covariates.height_cm, v.covariates.weight_kg, s.bsa_formula);
  const auto etas = population::sample_etas(s.parameters, s.seed, replicate, id);
  v.parameters =
      model::resolve(s.parameters, v.covariates, v.disease, v.transplant, etas, s.structure);

  v.streams = {s.seed, replicate, id, perturbed};
  RandomStream disease = v.streams(Purpose::kDisease);
  const double u_free = disease.uniform();
  // The cohort's residual disease (scenario::CohortSpec); the draws are the same in every cohort,
  // so a patient keeps his rank in L0.
  if (u_free >= cohort.p_no_disease.value(s.parameters)) {
    const double log10_L0 =
        truncated_normal(disease, cohort.log10_L0_mean.value(s.parameters),
                         std::max(cohort.log10_L0_sd.value(s.parameters), 1e-9), 0.0, 10.0);
    v.L0 = std::pow(10.0, log10_L0);
  }
  // One stream per decision: no draw shifts another's.
  v.scheduling_delay_days = static_cast<int>(
      v.streams(Purpose::kSchedulingDelay)
          .below(static_cast<std::uint64_t>(s.protocol.max_scheduling_delay_days) + 1));
  v.refuses = v.streams(Purpose::kRefusal).bernoulli(s.protocol.refusal_probability);
  {
    // LAK cell dose: log-normal around the median with the range as ±2 SD, truncated to the range.
    const double lo = std::log(s.protocol.lak_cells_min);
    const double hi = std::log(s.protocol.lak_cells_max);
    const double sd = std::max((hi - lo) / 4.0, 1e-9);
    auto lak = v.streams(Purpose::kLakDose);
    v.lak_cells =
        std::exp(truncated_normal(lak, std::log(s.protocol.lak_cells_median), sd, lo, hi));
  }
  v.other_attrition =
      v.streams(Purpose::kOtherAttrition).bernoulli(s.protocol.other_attrition_probability);
  v.nrm_draw = v.streams(Purpose::kNrm).exponential();
  v.agvhd_draw = v.streams(Purpose::kAcuteGvhd).exponential();
  v.cgvhd_draw = v.streams(Purpose::kChronicGvhd).exponential();
  v.post_relapse_z = v.streams(Purpose::kPostRelapse).normal();
  set_cohort_events(s, cohort, v);
  return v;
}

namespace {

// ---------------------------------------------------------------------------------------------------
// The clinic: the event clock, the protocol, the dose feed, the adverse-event log and the assays,
// plus the clinical events (relapse, NRM, GVHD, deaths).
// ---------------------------------------------------------------------------------------------------

class ClinicController final : public sim::Controller {
 public:
  ClinicController(const scenario::Scenario& s, const scenario::ArmSpec& arm,
                   const VirtualPatient& v, double horizon, PatientRecord& record)
      : s_(s),
        v_(v),
        p_(v.parameters),
        regimen_(arm.regimen ? &s.regimens.at(*arm.regimen) : nullptr),
        horizon_(horizon),
        record_(record),
        clock_(horizon),
        feed_(v.parameters),
        protocol_(s, regimen_, v, clock_, feed_, record),
        adverse_events_(s.toxicity, v.parameters, record),
        assays_(s, v.parameters, v.streams(Purpose::kAssay)),
        toxic_death_(v.streams(Purpose::kToxicDeath)) {
    IL2SIM_ASSERT(!std::isnan(v.nrm_1y) && !std::isnan(v.post_relapse_median_days),
                  "the cohort's event settings are set by make_patient");
    const double shape = s.parameters[ParamId::kNrmShape];
    nrm_scale_ = weibull_scale_for_one_year(v.nrm_1y, shape);
    nrm_shape_ = shape;
    nrm_day_ = nrm_day();
    allo_ = v.transplant == model::Transplant::kAllogeneic;
    for (std::size_t i = 0; i < s.assays.visits_from_transplant.size(); ++i) {
      clock_.push(s.assays.visits_from_transplant[i], Pending::kVisit, i);
    }
    if (nrm_day_ < horizon_) clock_.push(nrm_day_, Pending::kDeath);
  }

  [[nodiscard]] double infusion_rate(double t) const override { return feed_.infusion_rate(t); }
  [[nodiscard]] bool gvhd_window(double t) const override { return protocol_.gvhd_window(t); }
  [[nodiscard]] double next_breakpoint(double t) const override {
    return std::min(clock_.next_after(t), feed_.next_breakpoint(t));
  }

  sim::Directive at_breakpoint(double t, std::span<double> y, const sim::ModelContext& m) override {
    sim::Directive d;
    // Every event due now, in the fixed order of kinds; events the processing itself schedules for
    // now are processed in the same call.
    for (;;) {
      const auto due = clock_.take_due(t);
      if (due.empty() || ended()) break;
      for (const auto& e : due) {
        if (process(e, t, y, m)) d.bolus = true;
        if (ended()) break;
      }
    }
    if (ended()) {
      d.stop = true;
      return d;
    }
    update_grades(t, y);
    protocol_.evaluate(t, adverse_events_.grades(), y[model::kP]);
    d.stop = nothing_left();
    return d;
  }

  [[nodiscard]] std::size_t root_count() const override { return Grader::kThresholdCount + 4; }

  void roots(double, std::span<const double> y, const sim::ModelContext&,
             std::span<double> g) const override {
    adverse_events_.thresholds(y, g);
    std::size_t i = Grader::kThresholdCount;
    g[i++] = y[model::kP] - protocol_.rules().hold_platelets;
    g[i++] = y[model::kP] - protocol_.rules().resume_platelets;
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
    protocol_.evaluate(t, adverse_events_.grades(), y[model::kP]);
    return {};
  }

  sim::Directive at_tumour_event(double t, sim::TumourEvent event) override {
    switch (event) {
      case sim::TumourEvent::kRelapseCrossing:
        record_.relapse_true_day = t;
        clock_.push(next_assessment(t), Pending::kObservedRelapse);
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

  /// After the simulation: close what is open, log the exposure from the records given, and settle
  /// deaths that happen after the ODEs stopped.
  void finish(double end_day) {
    adverse_events_.close(end_day, true);
    feed_.close(end_day, "ongoing at end of follow-up");
    protocol_.finish(end_day);
    if (regimen_ != nullptr) log_exposure(feed_.doses(), *regimen_, record_);
    if (!record_.death_day) settle_death();
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
  [[nodiscard]] bool ended() const {
    return record_.death_day.has_value() || record_.relapse_day.has_value();
  }

  /// One due event; returns whether a bolus entered the central compartment.
  bool process(const PendingEvent& e, double t, std::span<double> y, const sim::ModelContext& m) {
    switch (e.kind) {
      case Pending::kDeath:
        if (!record_.death_day) die(t, pending_death_cause_);
        break;
      case Pending::kObservedRelapse:
        observe_relapse(t, false);
        break;
      case Pending::kEligibilityCheck:
        protocol_.check_eligibility(t, y);
        break;
      case Pending::kStart:
        start(t, y);
        break;
      case Pending::kPhaseBoundary:
        protocol_.phase_boundary(t);
        break;
      case Pending::kApheresis:
        y[model::kP] *= s_.protocol.apheresis_platelet_factor;
        break;
      case Pending::kAdministration:
        return feed_.give(t, y).bolus;
      case Pending::kVisit:
        assays_.visit(t, y, m, e.index, record_.labs);
        break;
      case Pending::kAeWindowEnd:
        adverse_events_.close(t, false);
        break;
      case Pending::kGvhdWindowEnd:
        break;
      case Pending::kEarlyStop:
        protocol_.stop(t, StopReason::kEarlyStop);
        break;
      case Pending::kPlateletDltCheck:
        if (adverse_events_.grades()[ToxTerm::kThrombocytopenia] == 4 &&
            adverse_events_.window_open()) {
          mark_dlt(t, fmt::format("grade 4 thrombocytopenia > {:g} days",
                                  s_.toxicity.dlt_thrombocytopenia_days));
        }
        break;
    }
    return false;
  }

  void start(double t, std::span<const double> y) {
    if (record_.not_treated != NotTreatedReason::kNone) return;
    if (s_.protocol.restage_before_start && record_.relapse_true_day && !record_.relapse_day) {
      // Restaging before the start: a relapse that has happened but is not yet recorded is found
      // now.
      observe_relapse(t, false);
      return;
    }
    if (protocol_.start(t)) adverse_events_.open(t, y);
  }

  [[nodiscard]] bool in_dlt_window(double t) const {
    return protocol_.in_role(t, s_.toxicity.dlt_window_roles);
  }

  void update_grades(double t, std::span<const double> y) {
    for (const auto& e : adverse_events_.update(t, y, in_dlt_window(t))) {
      if (e.grade4_onset) on_grade4(t, e.term);
      if (e.dlt) mark_dlt(t, fmt::format("grade {} {}", e.grade, to_string(e.term)));
    }
  }

  void on_grade4(double t, ToxTerm term) {
    if (term == ToxTerm::kThrombocytopenia) {
      clock_.push(t + s_.toxicity.dlt_thrombocytopenia_days, Pending::kPlateletDltCheck);
    }
    if (!toxic_death_day_ && toxic_death_.bernoulli(s_.parameters[ParamId::kPToxDeath])) {
      toxic_death_day_ = t + s_.events.toxic_death_delay_days;
      pending_death_cause_ = DeathCause::kToxic;
      clock_.push(*toxic_death_day_, Pending::kDeath);
    }
  }

  void mark_dlt(double t, const std::string& reason) {
    if (record_.dlt) return;
    record_.dlt = true;
    record_.dlt_day = t;
    record_.dlt_reason = reason;
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

  /// Death after the ODEs stopped: NRM, or death after relapse, whichever comes first.
  void settle_death() {
    double death = nrm_day_;
    DeathCause cause = DeathCause::kNonRelapse;
    if (record_.relapse_day) {
      const double median = v_.post_relapse_median_days;
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
    if (gvhd_onset_) return;
    gvhd_onset_ = acute ? t : *record_.cgvhd_day;
    const double previous = nrm_day_;
    nrm_day_ = nrm_day();
    if (nrm_day_ < previous) {
      clock_.erase({Pending::kDeath});
      if (toxic_death_day_) clock_.push(*toxic_death_day_, Pending::kDeath);
      if (nrm_day_ < horizon_) clock_.push(nrm_day_, Pending::kDeath);
      pending_death_cause_ = DeathCause::kNonRelapse;
    }
  }

  void die(double t, DeathCause cause) {
    record_.death_day = t;
    record_.death_cause =
        toxic_death_day_ && std::fabs(*toxic_death_day_ - t) < 1e-9 ? DeathCause::kToxic : cause;
    if (record_.death_cause == DeathCause::kToxic && s_.toxicity.dlt_toxic_death &&
        in_dlt_window(t)) {
      mark_dlt(t, "toxic death");
    }
    protocol_.stop(t, StopReason::kDeath);
    if (!record_.landmark_day && record_.not_treated == NotTreatedReason::kNone)
      record_.not_treated = NotTreatedReason::kDeath;
  }

  void observe_relapse(double t, bool symptomatic) {
    if (record_.relapse_day || record_.death_day) return;
    record_.relapse_day = t;
    record_.relapse_symptomatic = symptomatic;
    protocol_.stop(t, StopReason::kRelapse);
    if (!record_.landmark_day && record_.not_treated == NotTreatedReason::kNone) {
      record_.not_treated = NotTreatedReason::kRelapse;
    }
  }

  [[nodiscard]] bool nothing_left() const {
    if (protocol_.on_treatment() || adverse_events_.window_open()) return false;
    if (!record_.landmark_day && record_.not_treated == NotTreatedReason::kNone)
      return false;  // start pending
    if (clock_.any_of({Pending::kVisit, Pending::kStart, Pending::kObservedRelapse,
                       Pending::kGvhdWindowEnd, Pending::kPlateletDltCheck}))
      return false;
    return !(v_.L0 > 0.0) || record_.cure_day.has_value();
  }

  const scenario::Scenario& s_;
  const VirtualPatient& v_;
  const model::IndividualParameters& p_;
  const dosing::Regimen* regimen_;
  double horizon_;
  PatientRecord& record_;
  EventClock clock_;
  sim::DoseFeed feed_;
  Protocol protocol_;
  AdverseEventLog adverse_events_;
  Assays assays_;
  RandomStream toxic_death_;
  bool allo_ = false;
  double nrm_scale_ = 1.0;
  double nrm_shape_ = 1.0;
  double nrm_day_ = sim::kNever;
  std::optional<double> gvhd_onset_;
  std::optional<double> toxic_death_day_;
  DeathCause pending_death_cause_ = DeathCause::kNonRelapse;
};

}  // namespace

PatientRecord simulate_patient(const scenario::Scenario& s, const scenario::ArmSpec& arm,
                               const VirtualPatient& v, double horizon_days,
                               std::span<const double> output_times,
                               const sim::Observer& observer) {
  PatientRecord record;
  record.id = v.id;
  record.arm = arm.name;
  record.cohort = v.cohort;
  record.covariates = v.covariates;
  record.disease = v.disease;
  record.transplant = v.transplant;
  record.L0 = v.L0;
  ClinicController controller(s, arm, v, horizon_days, record);
  sim::SimulationOptions options = s.solver;
  options.horizon_days = horizon_days;
  sim::PatientSimulator simulator(v.parameters, options, v.id);
  RandomStream tumour = v.streams(Purpose::kTumourBirthDeath);
  const auto outcome = simulator.run(controller, v.L0, tumour, output_times, observer);
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
