#include "trial/stages.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>

#include "clinic/endpoints.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/units.hpp"
#include "design/boin.hpp"
#include "design/crm.hpp"
#include "design/group_sequential.hpp"
#include "design/schoenfeld.hpp"
#include "design/simon.hpp"
#include "design/three_plus_three.hpp"
#include "survival/cox.hpp"
#include "survival/data.hpp"
#include "survival/km.hpp"
#include "survival/logrank.hpp"

namespace il2sim::trial {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using core::kDaysPerMonth;
/// Registrations allowed per needed evaluable patient before a stage gives up (nobody can be
/// treated).
constexpr int kMaxRegistrationsPerEvaluable = 50;

const scenario::CohortSpec& cohort_of(const scenario::Scenario& s, const std::string& name) {
  const auto* c = s.find_cohort(name);
  IL2SIM_ASSERT(c != nullptr, "cohort validated at the input edge");
  return *c;
}

double km_at(const std::vector<double>& time, const std::vector<int>& event, double t) {
  if (time.empty()) return kNaN;
  return survival::survival_at(survival::kaplan_meier(time, event, survival::KmOptions{}), t);
}

/// Relapse-free survival (event: observed relapse or death) of a record from `origin`.
std::pair<double, int> rfs(const clinic::PatientRecord& r, double origin) {
  for (const auto& e : clinic::endpoints(r, origin)) {
    if (e.paramcd == "PFS") return {e.aval, 1 - e.cnsr};
  }
  return {r.follow_up_end - origin, 0};
}

/// Response of a single-arm stage: alive and relapse-free `days` after IL-2 start, and followed
/// that long.
bool responded_by(const clinic::PatientRecord& r, double start, double days) {
  return (!r.relapse_day || *r.relapse_day > start + days) &&
         (!r.death_day || *r.death_day > start + days) && r.follow_up_end >= start + days;
}

/// Two-group log-rank p-value (two-sided).
double logrank_p(const std::vector<double>& time, const std::vector<int>& event,
                 const std::vector<std::string>& group) {
  if (time.empty()) return 1.0;
  const auto g = survival::make_factor(group);
  if (g.levels.size() < 2) return 1.0;
  if (std::none_of(event.begin(), event.end(), [](int e) { return e == 1; })) return 1.0;
  const auto one = survival::single_level(time.size(), "all");
  return survival::logrank(time, event, g, one, 0.0).p;
}

design::Spending to_spending(scenario::SpendingFamily f) {
  switch (f) {
    case scenario::SpendingFamily::kObrienFleming:
      return design::Spending::kOBrienFleming;
    case scenario::SpendingFamily::kPocock:
      return design::Spending::kPocock;
    case scenario::SpendingFamily::kNone:
      return design::Spending::kNone;
  }
  return design::Spending::kOBrienFleming;
}

}  // namespace

std::uint32_t stage_patient_base(std::size_t stage_index) {
  return static_cast<std::uint32_t>((stage_index + 1) * 1'000'000U);
}

dosing::Regimen regimen_at_level(const dosing::Regimen& base, const std::string& phase,
                                 const scenario::DoseLevel& level) {
  dosing::Regimen r = base;
  for (auto& ph : r.phases) {
    if (ph.name == phase) {
      ph.dose = level.dose;
      if (level.days) ph.days = *level.days;
    }
  }
  return r;
}

// ---- Dose escalation
// --------------------------------------------------------------------------------

namespace {

/// Treats one dose-escalation cohort at a time: one arm per dose level (the stage's regimen with
/// its escalated phase at that level), patients numbered in order of registration.
class EscalationClinic {
 public:
  EscalationClinic(const scenario::Scenario& s, std::size_t stage_index, std::uint32_t replicate,
                   EscalationResult& result, std::vector<StagePatient>* keep)
      : s_(s),
        st_(s.stages[stage_index]),
        cohort_(cohort_of(s, st_.cohort)),
        local_(s),
        replicate_(replicate),
        next_id_(stage_patient_base(stage_index) + 1),
        result_(result),
        keep_(keep) {
    const auto& base = s.regimens.at(st_.regimen);
    product_ = std::string(dosing::to_string(base.product));
    for (std::size_t i = 0; i < st_.levels.size(); ++i) {
      const std::string name = fmt::format("{} level {}", st_.name, i + 1);
      local_.regimens[name] = regimen_at_level(base, st_.escalated_phase, st_.levels[i]);
      level_arms_.push_back({name, st_.cohort, name});
    }
  }

  /// Treats `count` evaluable patients at `level`; returns their DLT count (or -1 if nobody can be
  /// treated).
  int treat(int level, int count) {
    int dlts = 0;
    int treated = 0;
    int registered = 0;
    const auto& arm = level_arms_[static_cast<std::size_t>(level)];
    const auto& regimen = local_.regimens.at(arm.name);
    const double horizon =
        s_.protocol.window_end_day + regimen.total_days() + st_.dlt_followup_days;
    while (treated < count) {
      if (++registered > kMaxRegistrationsPerEvaluable * count) return -1;
      const auto v = clinic::make_patient(local_, cohort_, replicate_, next_id_++);
      auto record = clinic::simulate_patient(local_, arm, v, horizon);
      if (!record.treated) {
        ++result_.not_evaluable;
        continue;
      }
      ++treated;
      dlts += record.dlt ? 1 : 0;
      result_.patients.push_back({v.id, level, record.dlt});
      if (keep_ != nullptr) keep_->push_back({std::move(record), 0.0, product_});
    }
    return dlts;
  }

 private:
  const scenario::Scenario& s_;
  const scenario::StageSpec& st_;
  const scenario::CohortSpec& cohort_;
  scenario::Scenario local_;
  std::uint32_t replicate_;
  std::uint32_t next_id_;
  EscalationResult& result_;
  std::vector<StagePatient>* keep_;
  std::string product_;
  std::vector<scenario::ArmSpec> level_arms_;
};

/// The 3+3 rule from the lowest level; no MTD when a cohort cannot be treated.
std::optional<int> escalate_three_plus_three(int n_levels, EscalationClinic& clinic) {
  design::ThreePlusThree engine(n_levels);
  while (!engine.stopped()) {
    const int dlts = clinic.treat(engine.decision().dose, design::ThreePlusThree::kCohortSize);
    if (dlts < 0) return std::nullopt;
    engine.record(dlts);
  }
  if (engine.decision().kind == design::ThreePlusThreeDecision::Kind::kStopMtd)
    return engine.decision().dose;
  return std::nullopt;
}

/// BOIN at the stage's target, cohort size and sample size.
std::optional<int> escalate_boin(const scenario::StageSpec& st, int n_levels,
                                 EscalationClinic& clinic) {
  auto settings = design::BoinSettings::for_target(st.target);
  settings.cohort_size = st.cohort_size;
  settings.max_n = st.max_patients;
  design::Boin engine(settings, n_levels, st.start_level - 1);
  while (!engine.stopped()) {
    const int dlts = clinic.treat(engine.decision().dose, st.cohort_size);
    if (dlts < 0) return std::nullopt;
    engine.record(st.cohort_size, dlts);
  }
  if (engine.decision().kind == design::BoinDecision::Kind::kStopMtd) return engine.decision().dose;
  return std::nullopt;
}

/// The CRM with the stage's skeleton; the MTD is its last recommendation.
std::optional<int> escalate_crm(const scenario::StageSpec& st, EscalationClinic& clinic) {
  design::CrmSettings settings;
  settings.skeleton = st.skeleton;
  settings.target = st.target;
  design::Crm engine(settings, st.cohort_size, st.max_patients, st.start_level - 1);
  int recommended = engine.dose();
  while (!engine.stopped()) {
    const int dlts = clinic.treat(engine.dose(), st.cohort_size);
    if (dlts < 0) return std::nullopt;
    recommended = engine.record(st.cohort_size, dlts).recommended;
  }
  return recommended;
}

}  // namespace

EscalationResult run_dose_escalation(const scenario::Scenario& s, std::size_t stage_index,
                                     std::uint32_t replicate, std::vector<StagePatient>* keep) {
  const auto& st = s.stages[stage_index];
  EscalationResult result;
  EscalationClinic clinic(s, stage_index, replicate, result, keep);
  const int n_levels = static_cast<int>(st.levels.size());
  switch (st.method) {
    case scenario::EscalationMethod::kThreePlusThree:
      result.mtd = escalate_three_plus_three(n_levels, clinic);
      break;
    case scenario::EscalationMethod::kBoin:
      result.mtd = escalate_boin(st, n_levels, clinic);
      break;
    case scenario::EscalationMethod::kCrm:
      result.mtd = escalate_crm(st, clinic);
      break;
  }
  return result;
}

// ---- Single arm
// -------------------------------------------------------------------------------------

namespace {

/// Relapse-free times and events of one group, from transplant and from the landmark.
struct RfsSample {
  std::vector<double> t_tx, t_lm;
  std::vector<int> e_tx, e_lm;
  void add(const clinic::PatientRecord& r, double landmark) {
    const auto [tt, et] = rfs(r, 0.0);
    t_tx.push_back(tt), e_tx.push_back(et);
    const auto [tl, el] = rfs(r, landmark);
    t_lm.push_back(tl), e_lm.push_back(el);
  }
};

/// The single-arm stage's regimen (the MTD of `dose_from` carried in) and its escalated dose.
dosing::Regimen single_arm_regimen(const scenario::Scenario& s, const scenario::StageSpec& st,
                                   std::optional<int> mtd, SingleArmResult& result) {
  dosing::Regimen regimen = s.regimens.at(st.regimen);
  for (const auto& ph : regimen.phases) {
    if (ph.name == st.escalated_phase) result.dose = ph.dose;
  }
  if (!st.dose_from.empty() && mtd) {
    for (const auto& prev : s.stages) {
      if (prev.name == st.dose_from) {
        regimen = regimen_at_level(regimen, st.escalated_phase,
                                   prev.levels[static_cast<std::size_t>(*mtd)]);
        result.dose = prev.levels[static_cast<std::size_t>(*mtd)].dose;
      }
    }
  }
  return regimen;
}

/// Simon's optimal two-stage design, or a fixed n whose rejection bound is the exact one-sided
/// binomial critical value at alpha.
void single_arm_design(const scenario::StageSpec& st, SingleArmResult& result) {
  int n = st.patients;
  int n1 = st.patients;
  if (st.simon) {
    const auto designs = design::simon_designs(st.p0, st.p1, st.alpha, st.beta);
    if (!designs)
      throw UserError(
          fmt::format("stage '{}': no Simon design found for p0 {} p1 {}", st.name, st.p0, st.p1));
    n1 = designs->optimal.n1;
    n = designs->optimal.n;
    result.r1 = designs->optimal.r1;
    result.r = designs->optimal.r;
  } else {
    const boost::math::binomial_distribution<double> b(n, st.p0);
    int r = n;
    for (int k = 0; k <= n; ++k) {
      if (boost::math::cdf(boost::math::complement(b, k)) <= st.alpha) {
        r = k;
        break;
      }
    }
    result.r = r;
  }
  result.planned_n = n;
  result.n1 = n1;
}

/// What the treated patients of a single-arm stage give: RFS with the effect and, for the
/// selection-bias analysis, without it (the same virtual patients, the same random streams).
struct SingleArmSamples {
  RfsSample with, without;
};

/// Registers patients until `planned_n` are treated (or Simon's first stage stops the trial).
SingleArmSamples treat_single_arm(const scenario::Scenario& local, const scenario::StageSpec& st,
                                  const scenario::ArmSpec& arm, std::uint32_t first_id,
                                  std::uint32_t replicate, const std::string& product,
                                  SingleArmResult& result, std::vector<StagePatient>* keep) {
  const auto& cohort = cohort_of(local, st.cohort);
  scenario::Scenario counterfactual = local;
  counterfactual.solver.treatment_kill = false;
  SingleArmSamples out;
  std::uint32_t next_id = first_id;
  const int n = result.planned_n;
  int registered = 0;
  while (result.treated < n) {
    if (++registered > kMaxRegistrationsPerEvaluable * n) break;
    const auto v = clinic::make_patient(local, cohort, replicate, next_id++);
    auto record = clinic::simulate_patient(local, arm, v, st.horizon_days);
    if (!record.treated) continue;
    ++result.treated;
    const double start = *record.start_day;
    result.responses += responded_by(record, start, st.response_days) ? 1 : 0;
    out.with.add(record, start);
    if (st.selection_bias) {
      const auto w = clinic::simulate_patient(counterfactual, arm, v, st.horizon_days);
      // Until the first IL-2 the two runs are the same computation, so the patient starts on the
      // same day.
      IL2SIM_ASSERT(w.treated && w.start_day == record.start_day,
                    "the counterfactual run differs from the treated run only from IL-2 start");
      result.responses_without_effect += responded_by(w, start, st.response_days) ? 1 : 0;
      out.without.add(w, start);
    }
    if (keep != nullptr) keep->push_back({std::move(record), start, product});
    if (st.simon && result.treated == result.n1) {
      result.stage1_responses = result.responses;
      if (result.responses <= result.r1) {
        result.stopped_early = true;
        break;
      }
    }
  }
  result.registered = registered;
  result.reject_h0 = !result.stopped_early && result.treated == n && result.responses > result.r;
  return out;
}

/// Historical control: the same population without IL-2, from transplant (all registered) and from
/// the landmark (alive, relapse-free and eligible at the would-be start).
RfsSample historical_control(const scenario::Scenario& local, const scenario::StageSpec& st,
                             const scenario::ArmSpec& control, std::uint32_t control_base,
                             std::uint32_t replicate) {
  const auto& cohort = cohort_of(local, st.cohort);
  RfsSample c;
  for (int k = 1; k <= st.historical_patients; ++k) {
    const auto v = clinic::make_patient(local, cohort, replicate,
                                        control_base + static_cast<std::uint32_t>(k));
    const auto record = clinic::simulate_patient(local, control, v, st.horizon_days);
    const auto [tt, et] = rfs(record, 0.0);
    c.t_tx.push_back(tt), c.e_tx.push_back(et);
    if (record.landmark_day && record.not_treated == clinic::NotTreatedReason::kNone) {
      const auto [tl, el] = rfs(record, *record.landmark_day);
      c.t_lm.push_back(tl), c.e_lm.push_back(el);
    }
  }
  return c;
}

/// Two-sided log-rank p of treated (t1, e1) against the historical control (t2, e2).
double versus_control_p(std::vector<double> t1, std::vector<int> e1, const std::vector<double>& t2,
                        const std::vector<int>& e2) {
  std::vector<std::string> g(t1.size(), "IL-2");
  g.insert(g.end(), t2.size(), "historical control");
  t1.insert(t1.end(), t2.begin(), t2.end());
  e1.insert(e1.end(), e2.begin(), e2.end());
  return logrank_p(t1, e1, g);
}

/// RFS at the comparison day and the log-rank comparisons with the historical control.
void compare_with_control(const scenario::StageSpec& st, const SingleArmSamples& treated,
                          const RfsSample& c, bool keep_samples, SingleArmResult& result) {
  const double day = st.comparison_days;
  const auto& w = treated.with;
  result.rfs_from_transplant = km_at(w.t_tx, w.e_tx, day);
  result.rfs_from_landmark = km_at(w.t_lm, w.e_lm, day);
  result.control_from_transplant = km_at(c.t_tx, c.e_tx, day);
  result.control_from_landmark = km_at(c.t_lm, c.e_lm, day);
  result.logrank_p_transplant = versus_control_p(w.t_tx, w.e_tx, c.t_tx, c.e_tx);
  result.logrank_p_landmark = versus_control_p(w.t_lm, w.e_lm, c.t_lm, c.e_lm);
  if (!st.selection_bias) return;
  const auto& wo = treated.without;
  result.rfs_from_transplant_without_effect = km_at(wo.t_tx, wo.e_tx, day);
  result.rfs_from_landmark_without_effect = km_at(wo.t_lm, wo.e_lm, day);
  result.logrank_p_transplant_without_effect = versus_control_p(wo.t_tx, wo.e_tx, c.t_tx, c.e_tx);
  result.logrank_p_landmark_without_effect = versus_control_p(wo.t_lm, wo.e_lm, c.t_lm, c.e_lm);
  if (keep_samples) {
    using S = SingleArmResult::Sample;
    result.samples = {S{"IL-2", "transplant", w.t_tx, w.e_tx},
                      S{"IL-2 without kill effect", "transplant", wo.t_tx, wo.e_tx},
                      S{"historical control", "transplant", c.t_tx, c.e_tx},
                      S{"IL-2", "landmark", w.t_lm, w.e_lm},
                      S{"IL-2 without kill effect", "landmark", wo.t_lm, wo.e_lm},
                      S{"historical control", "landmark", c.t_lm, c.e_lm}};
  }
}

}  // namespace

SingleArmResult run_single_arm(const scenario::Scenario& s, std::size_t stage_index,
                               std::uint32_t replicate, std::optional<int> mtd,
                               std::vector<StagePatient>* keep) {
  const auto& st = s.stages[stage_index];
  SingleArmResult result;
  const dosing::Regimen regimen = single_arm_regimen(s, st, mtd, result);
  scenario::Scenario local = s;
  const std::string arm_name = st.name + " IL-2";
  local.regimens[arm_name] = regimen;
  const scenario::ArmSpec arm{arm_name, st.cohort, arm_name};
  const scenario::ArmSpec control{st.name + " historical control", st.cohort, std::nullopt};
  single_arm_design(st, result);
  result.selection_bias = st.selection_bias;
  const std::uint32_t base = stage_patient_base(stage_index);
  const auto treated =
      treat_single_arm(local, st, arm, base + 1, replicate,
                       std::string(dosing::to_string(regimen.product)), result, keep);
  const auto control_sample = historical_control(local, st, control, base + 500'000U, replicate);
  compare_with_control(st, treated, control_sample, keep != nullptr, result);
  return result;
}

// ---- Randomized
// -------------------------------------------------------------------------------------

namespace {

struct Registrant {
  clinic::VirtualPatient patient;
  clinic::TrialCalendar cal;  ///< registration, randomization, dropout; in the analysis population
  double origin = 0.0;  ///< time origin of the endpoints, days since transplant (randomization)
  bool randomized = false;
  /// Attrition cause when not randomized (then `record` is the screening course).
  clinic::NotTreatedReason not_randomized = clinic::NotTreatedReason::kNone;
  int arm = -1;
  bool started = false;  ///< received IL-2, or (arm without IL-2) would have (see run_randomized)
  std::string stratum;
  clinic::PatientRecord record;
};

/// Observed data of the analysed patients at an analysis at calendar month `tau`.
struct AnalysisData {
  std::vector<double> pfs, os, relapse;
  std::vector<int> pfs_e, os_e, relapse_e;
  std::vector<std::string> arm;
};

AnalysisData analysis_data(const std::vector<Registrant>& regs, double tau,
                           const std::vector<std::string>& arms) {
  AnalysisData d;
  for (const auto& r : regs) {
    if (!r.cal.in_cut(tau)) continue;
    const auto endpoints = clinic::endpoints(r.record, r.origin);  // once per patient and look
    const auto add = [&](const std::string& code, std::vector<double>& t, std::vector<int>& e) {
      for (const auto& ep : endpoints) {
        if (ep.paramcd != code) continue;
        const auto seen = r.cal.at_cut(ep, tau);
        t.push_back(seen.aval);
        e.push_back(1 - seen.cnsr);
      }
    };
    add("PFS", d.pfs, d.pfs_e);
    add("OS", d.os, d.os_e);
    add("RELAPSE", d.relapse, d.relapse_e);
    d.arm.push_back(arms[static_cast<std::size_t>(r.arm)]);
  }
  return d;
}

}  // namespace

namespace {

/// The stage's arms, with the MTD of an earlier stage set into the escalated phase of every IL-2
/// arm (the regimens at the MTD added to `local`).
std::vector<scenario::ArmSpec> randomized_arms(const scenario::Scenario& s,
                                               const scenario::StageSpec& st,
                                               std::optional<int> mtd, scenario::Scenario& local) {
  std::vector<scenario::ArmSpec> arms;
  for (const auto& name : st.arms) arms.push_back(*s.find_arm(name));
  if (st.dose_from.empty() || !mtd) return arms;
  for (const auto& prev : s.stages) {
    if (prev.name != st.dose_from) continue;
    for (auto& a : arms) {
      if (!a.regimen) continue;
      const std::string name = *a.regimen + " at MTD";
      local.regimens[name] = regimen_at_level(s.regimens.at(*a.regimen), st.escalated_phase,
                                              prev.levels[static_cast<std::size_t>(*mtd)]);
      a.regimen = name;
    }
  }
  return arms;
}

/// Pass 1a: registration times (Poisson accrual) and dropout times of registrants `regs.size()`
/// to `count - 1`, from each registrant's trial stream (the calendar continues from the last one).
void accrue(const scenario::Scenario& s, const scenario::StageSpec& st, std::uint32_t base,
            std::uint32_t replicate, std::size_t count, std::vector<Registrant>& regs) {
  double calendar = regs.empty() ? 0.0 : regs.back().cal.registration_month;
  for (std::size_t k = regs.size(); k < count; ++k) {
    RandomStream trial_stream(s.seed, replicate, base + static_cast<std::uint32_t>(k) + 1,
                              Purpose::kTrial);
    Registrant g;
    calendar += trial_stream.exponential() / st.accrual_per_month;
    g.cal.registration_month = calendar;
    const double dropout_years = st.dropout_per_year > 0
                                     ? trial_stream.exponential() / st.dropout_per_year
                                     : std::numeric_limits<double>::infinity();
    g.cal.dropout_month = dropout_years * 12.0;  // relative; shifted after randomization
    regs.push_back(std::move(g));
  }
}

/// Why a registrant was not randomized (the attrition table's cause).
clinic::NotTreatedReason attrition_cause(const Registrant& g, const clinic::PatientRecord& r) {
  using clinic::NotTreatedReason;
  const bool reached_start = r.not_treated == NotTreatedReason::kNone;
  if (reached_start && g.patient.refuses) return NotTreatedReason::kRefusal;
  if (reached_start) return NotTreatedReason::kOther;  // other attrition, or no would-be start
  return r.not_treated;
}

/// The screening context of a stage: what pass 1b needs to follow a registrant to the window.
struct Screening {
  const scenario::Scenario& local;
  const scenario::CohortSpec& cohort;
  const scenario::ArmSpec& pre;
  std::uint32_t base;
  std::uint32_t replicate;
  unsigned threads;
};

/// Pass 1b for registrants [from, regs.size()). randomize_at = "start": the course of every
/// registrant from transplant to the randomization window (the same in every arm); who is
/// randomized, when, and why the others are not. Otherwise every registrant is randomized at
/// registration (transplant, or `registration_lead_days` before it).
void screen(const Screening& c, const scenario::StageSpec& st, std::size_t from,
            std::vector<Registrant>& regs) {
  const auto id = [&](std::size_t k) { return c.base + static_cast<std::uint32_t>(k) + 1; };
  if (st.randomize_at != scenario::RandomizeAt::kStart) {
    const double lead =
        st.randomize_at == scenario::RandomizeAt::kRegistration ? st.registration_lead_days : 0.0;
    for (std::size_t k = from; k < regs.size(); ++k) {
      auto& g = regs[k];
      g.patient = clinic::make_patient(c.local, c.cohort, c.replicate, id(k));
      g.randomized = true;
      g.origin = -lead;
      g.cal.randomization_month = g.cal.registration_month;
      g.cal.dropout_month += g.cal.randomization_month;
    }
    return;
  }
  const std::function<clinic::PatientRecord(std::size_t)> course = [&](std::size_t i) {
    auto& g = regs[from + i];
    g.patient = clinic::make_patient(c.local, c.cohort, c.replicate, id(from + i));
    return clinic::simulate_patient(c.local, c.pre, g.patient,
                                    c.local.protocol.window_end_day + 1.0);
  };
  const std::function<void(std::size_t, clinic::PatientRecord&)> decide =
      [&](std::size_t i, clinic::PatientRecord& r) {
        auto& g = regs[from + i];
        if (r.landmark_day && r.not_treated == clinic::NotTreatedReason::kNone &&
            !g.patient.refuses && !g.patient.other_attrition) {
          g.randomized = true;
          g.origin = *r.landmark_day;
          g.cal.randomization_month = g.cal.registration_month + g.origin / kDaysPerMonth;
          g.cal.dropout_month += g.cal.randomization_month;
        } else {
          g.not_randomized = attrition_cause(g, r);
          g.record = std::move(r);  // the screening course: the registrant's row of ADSL
          g.record.not_treated = g.not_randomized;
        }
      };
  core::ordered_parallel_for<clinic::PatientRecord>(regs.size() - from, c.threads, course, decide);
}

/// Pass 1: registration and screening. With `registered` the registrants are that many; with a
/// `randomized` target N, registration continues (in batches, each registrant keeping its own
/// streams) until N registrants are randomized, and the N-th randomized registrant in order of
/// registration is the last one registered.
std::vector<Registrant> enrol(const Screening& c, const scenario::Scenario& s,
                              const scenario::StageSpec& st, RandomizedResult& result) {
  std::vector<Registrant> regs;
  if (st.randomized == 0) {
    accrue(s, st, c.base, c.replicate, static_cast<std::size_t>(st.registered), regs);
    screen(c, st, 0, regs);
  } else {
    const auto target = static_cast<std::size_t>(st.randomized);
    const std::size_t cap = target * kMaxRegistrationsPerEvaluable;
    std::size_t randomized = 0;
    std::size_t k = 0;
    while (randomized < target) {
      if (regs.size() >= cap) {
        throw UserError(
            {std::string(), std::nullopt, std::nullopt, "stages." + st.name + ".randomized"},
            fmt::format("randomized = {}: only {} of {} registrants were randomized (replicate {})",
                        st.randomized, randomized, regs.size(), c.replicate),
            "a smaller target, or less attrition before randomization");
      }
      const std::size_t from = regs.size();
      accrue(s, st, c.base, c.replicate, std::min(cap, from + 2 * (target - randomized) + 8), regs);
      screen(c, st, from, regs);
      for (; k < regs.size() && randomized < target; ++k) randomized += regs[k].randomized;
    }
    regs.resize(k);
  }
  for (const auto& g : regs) {
    if (!g.randomized) ++result.attrition[std::string(clinic::to_string(g.not_randomized))];
  }
  result.registered = static_cast<int>(regs.size());
  return regs;
}

/// The stratum label of a registrant ("sex/age/mrd/cohort/" in the order of the stage's strata;
/// cohort: the component of a mixture cohort, else the cohort).
std::string stratum_of(const scenario::StageSpec& st, const Registrant& g, double L_mrd) {
  std::string stratum;
  for (const auto& f : st.strata) {
    if (f == "sex") stratum += std::string(model::to_string(g.patient.covariates.sex));
    if (f == "age") stratum += g.patient.covariates.age_years >= st.age_cutoff ? "old" : "young";
    if (f == "mrd") stratum += g.patient.L0 >= L_mrd ? "mrd+" : "mrd-";
    if (f == "cohort") stratum += g.patient.cohort;
    stratum += "/";
  }
  return stratum;
}

/// A new permuted block of the stage's allocation, shuffled (Fisher-Yates) with `stream`.
std::vector<int> permuted_block(const scenario::StageSpec& st, RandomStream& stream) {
  std::vector<int> block;
  const int total = std::accumulate(st.allocation.begin(), st.allocation.end(), 0);
  for (int rep = 0; rep < st.block_size / total; ++rep) {
    for (std::size_t a = 0; a < st.allocation.size(); ++a) {
      for (int i = 0; i < st.allocation[a]; ++i) block.push_back(static_cast<int>(a));
    }
  }
  for (std::size_t i = block.size(); i > 1; --i) {
    std::swap(block[i - 1], block[static_cast<std::size_t>(stream.below(i))]);
  }
  return block;
}

/// Pass 2: stratified permuted-block randomization in order of randomization time; returns the
/// randomized registrants in that order.
std::vector<std::size_t> randomize(const scenario::Scenario& s, const scenario::StageSpec& st,
                                   std::uint32_t base, std::uint32_t replicate,
                                   std::vector<Registrant>& regs, RandomizedResult& result) {
  std::vector<std::size_t> order;
  for (std::size_t k = 0; k < regs.size(); ++k) {
    if (regs[k].randomized) order.push_back(k);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return regs[a].cal.randomization_month < regs[b].cal.randomization_month;
  });
  std::map<std::string, std::vector<int>> blocks;
  std::map<std::string, RandomStream> block_streams;
  const double L_mrd = s.parameters[model::ParamId::kLMrd];
  for (const std::size_t k : order) {
    auto& g = regs[k];
    g.stratum = stratum_of(st, g, L_mrd);
    auto& block = blocks[g.stratum];
    if (block.empty()) {
      auto it = block_streams.find(g.stratum);
      if (it == block_streams.end()) {
        // One stream per stratum, keyed by the stratum's label.
        std::uint32_t key = 0;
        for (const char c : g.stratum) key = key * 131U + static_cast<unsigned char>(c);
        it = block_streams
                 .emplace(g.stratum, RandomStream(s.seed, replicate, base ^ key, Purpose::kTrial))
                 .first;
      }
      block = permuted_block(st, it->second);
    }
    g.arm = block.back();
    block.pop_back();
    ++result.randomized[static_cast<std::size_t>(g.arm)];
  }
  return order;
}

/// Target number of PFS events: the stage's, or Schoenfeld's for its design HR and power (times
/// the group-sequential inflation factor of its looks with inflate_events).
int target_events(const scenario::StageSpec& st) {
  if (st.target_events > 0) return st.target_events;
  design::SchoenfeldSettings sch;
  sch.hazard_ratio = st.design_hr;
  sch.alpha = st.one_sided_alpha;
  sch.sides = 1;
  sch.ratio = static_cast<double>(st.allocation[0]) / st.allocation[1];
  const double fixed = design::schoenfeld_events(sch, st.power);
  if (!st.inflate_events) return static_cast<int>(std::ceil(fixed));
  return static_cast<int>(std::ceil(fixed * inflation_factor(st) - 1e-9));
}

/// Calendar months of the analyses. Event-driven: when the PFS events of the analysed patients
/// reach each information fraction, at the latest the maximum follow-up; the final one no earlier
/// than the minimum follow-up. Calendar: the stage's analysis_months (`latest` infinite).
std::vector<double> look_times(const scenario::StageSpec& st, const std::vector<Registrant>& regs,
                               const std::vector<std::size_t>& order, int target, double& latest) {
  if (st.analysis == scenario::AnalysisTiming::kCalendar) {
    latest = std::numeric_limits<double>::infinity();
    return st.analysis_months;
  }
  std::vector<double> event_months;
  for (const std::size_t k : order) {
    const auto& g = regs[k];
    if (!g.cal.analysed) continue;
    const auto pfs = clinic::survival_endpoints(g.record, g.origin).pfs;
    if (pfs.event == 1) {
      const double month = g.cal.randomization_month + pfs.time / kDaysPerMonth;
      if (month <= g.cal.dropout_month) event_months.push_back(month);
    }
  }
  std::sort(event_months.begin(), event_months.end());
  const double last_registration = regs.empty() ? 0.0 : regs.back().cal.registration_month;
  latest = last_registration + st.max_follow_up_months;
  const double earliest_final = last_registration + st.min_follow_up_months;
  std::vector<double> times;
  for (const double f : st.looks) {
    const auto needed = static_cast<std::size_t>(std::ceil(f * target - 1e-9));
    double t = latest;
    if (needed >= 1 && needed <= event_months.size() && event_months[needed - 1] < latest)
      t = event_months[needed - 1];
    if (std::fabs(f - 1.0) < 1e-12) t = std::max(t, earliest_final);
    times.push_back(t);
  }
  return times;
}

survival::Factor one_level(std::size_t n) {
  return survival::single_level(n, "all");
}

/// One interim or final analysis at calendar month `tau`: information (events over
/// `full_events`: the target, or with calendar analyses the events at the last date), Lan–DeMets
/// bounds for the information so far, and the log-rank z (positive when the experimental arm
/// does better).
LookResult analyse(const scenario::StageSpec& st, const AnalysisData& data, double tau,
                   int full_events, bool last, std::vector<double>& info_so_far) {
  LookResult look;
  look.calendar_months = tau;
  look.events = static_cast<int>(std::count(data.pfs_e.begin(), data.pfs_e.end(), 1));
  look.info =
      last ? 1.0 : std::min(0.999, static_cast<double>(look.events) / std::max(1, full_events));
  look.info = std::max(look.info, 1e-3);  // no events yet (an early calendar date)
  if (!info_so_far.empty() && look.info <= info_so_far.back())
    look.info = std::min(1.0, info_so_far.back() + 1e-3);
  info_so_far.push_back(look.info);
  design::GsdSettings gsd;
  gsd.alpha = st.one_sided_alpha;
  gsd.spending = to_spending(st.spending);
  if (st.futility) {
    gsd.beta = 1.0 - st.power;
    gsd.futility_spending = to_spending(*st.futility);
  }
  gsd.info = info_so_far;
  if (gsd.info.back() < 1.0) gsd.info.push_back(1.0);  // planned remainder, for the spending
  const auto bounds = design::group_sequential_design(gsd);
  const auto& b = bounds.looks[info_so_far.size() - 1];
  look.efficacy_bound = b.efficacy_z ? *b.efficacy_z : std::numeric_limits<double>::infinity();
  look.futility_bound = b.futility_z;
  const auto g = survival::make_factor(data.arm);
  if (g.levels.size() == 2 && look.events > 0) {
    const auto lr = survival::logrank(data.pfs, data.pfs_e, g, one_level(data.pfs.size()), 0.0);
    const auto& exp_group = lr.groups[0].group == st.arms[0] ? lr.groups[0] : lr.groups[1];
    look.z = std::copysign(std::sqrt(lr.chisq), exp_group.expected - exp_group.observed);
  }
  return look;
}

/// The group-sequential analyses in order until a bound is crossed or the last; returns the data
/// of the stopping analysis.
AnalysisData run_looks(const scenario::StageSpec& st, const std::vector<Registrant>& regs,
                       const std::vector<std::size_t>& order, RandomizedResult& result) {
  const int target = target_events(st);
  result.target_events = target;
  double latest = 0.0;
  const auto times = look_times(st, regs, order, target, latest);
  int full_events = target;
  if (st.analysis == scenario::AnalysisTiming::kCalendar) {
    const auto at_last = analysis_data(regs, times.back(), st.arms);
    full_events = static_cast<int>(std::count(at_last.pfs_e.begin(), at_last.pfs_e.end(), 1));
  }
  std::vector<double> info_so_far;
  AnalysisData final_data;
  double stop_time = times.back();
  for (std::size_t k = 0; k < times.size(); ++k) {
    const double tau = times[k];
    auto data = analysis_data(regs, tau, st.arms);
    const bool last = k + 1 == times.size() || tau >= latest;
    const auto look = analyse(st, data, tau, full_events, last, info_so_far);
    result.looks.push_back(look);
    final_data = std::move(data);
    stop_time = tau;
    result.stop_look = static_cast<int>(k + 1);
    if (look.z >= look.efficacy_bound) {
      result.decision = kDecisionEfficacy;
      result.reject = true;
      break;
    }
    if (!last && look.futility_bound && look.z < *look.futility_bound) {
      result.decision = kDecisionFutility;
      break;
    }
    if (last) {
      result.decision = kDecisionNoDifference;
      break;
    }
  }
  result.duration_months = stop_time;
  result.events = result.looks.empty() ? 0 : result.looks.back().events;
  return final_data;
}

/// Cox HR (experimental vs control) and its 95 % limits of one endpoint.
survival::CoxTerm cox_hr(const scenario::StageSpec& st, const std::vector<double>& time,
                         const std::vector<int>& event, const std::vector<std::string>& arm) {
  survival::Design x;
  x.x.resize(static_cast<Eigen::Index>(arm.size()), 1);
  for (std::size_t i = 0; i < arm.size(); ++i) {
    x.x(static_cast<Eigen::Index>(i), 0) = arm[i] == st.arms[0] ? 1.0 : 0.0;
  }
  x.terms = {"arm" + st.arms[0]};
  return survival::cox_fit(time, event, x, one_level(time.size()), survival::CoxOptions{}).terms[0];
}

/// Log-rank p, PFS Cox HR and OS Cox HR (experimental vs control) at the stopping analysis.
void final_estimates(const scenario::StageSpec& st, const AnalysisData& d,
                     RandomizedResult& result) {
  const auto groups = survival::make_factor(d.arm);
  if (groups.levels.size() != 2) return;
  if (std::count(d.os_e.begin(), d.os_e.end(), 1) > 0)
    result.os_hr = cox_hr(st, d.os, d.os_e, d.arm).hr;
  if (result.events <= 0) return;
  const auto lr = survival::logrank(d.pfs, d.pfs_e, groups, one_level(d.pfs.size()), 0.0);
  result.logrank_p = lr.p;
  const auto pfs = cox_hr(st, d.pfs, d.pfs_e, d.arm);
  result.hr = pfs.hr;
  result.hr_lower = pfs.hr_lower;
  result.hr_upper = pfs.hr_upper;
}

/// Per arm at the stopping analysis: median PFS and OS (months), relapse by 2 years, and PFS and
/// OS at the landmark years (Kaplan–Meier; NaN beyond the follow-up).
void per_arm_outcomes(const scenario::StageSpec& st, const AnalysisData& d,
                      RandomizedResult& result) {
  const auto median_months = [](const std::vector<double>& t, const std::vector<int>& e) {
    if (t.empty()) return kNaN;
    return survival::kaplan_meier(t, e, survival::KmOptions{}).median / kDaysPerMonth;
  };
  for (const auto& name : st.arms) {
    std::vector<double> tp, to, tr;
    std::vector<int> ep, eo, er;
    for (std::size_t i = 0; i < d.arm.size(); ++i) {
      if (d.arm[i] != name) continue;
      tp.push_back(d.pfs[i]), ep.push_back(d.pfs_e[i]);
      to.push_back(d.os[i]), eo.push_back(d.os_e[i]);
      tr.push_back(d.relapse[i]), er.push_back(d.relapse_e[i]);
    }
    result.pfs_median_months.push_back(median_months(tp, ep));
    result.os_median_months.push_back(median_months(to, eo));
    const double free2 = km_at(tr, er, 2 * 365.25);
    result.relapse_2y.push_back(std::isfinite(free2) ? 1.0 - free2 : kNaN);
    for (const double y : st.landmark_years) {
      result.pfs_landmark.push_back(km_at(tp, ep, y * 365.25));
      result.os_landmark.push_back(km_at(to, eo, y * 365.25));
    }
  }
}

/// Why a randomized patient did not start IL-2: the record's not-treated reason; on an arm without
/// IL-2 (reaching the would-be start), the draw that would have stopped him on the IL-2 arm.
std::string not_started_cause(const Registrant& g, bool never) {
  if (g.record.not_treated != clinic::NotTreatedReason::kNone)
    return std::string(clinic::to_string(g.record.not_treated));
  const auto reason = g.patient.refuses           ? clinic::NotTreatedReason::kRefusal
                      : g.patient.other_attrition ? clinic::NotTreatedReason::kOther
                      : never                     ? clinic::NotTreatedReason::kNeverStarted
                                                  : clinic::NotTreatedReason::kNone;
  const auto text = clinic::to_string(reason);
  return text.empty() ? std::string("other") : std::string(text);
}

/// Pass 3: the randomized patients on their arms. A patient of the experimental arm (the first)
/// with a never-start draw (Purpose::kNeverStart, drawn for every randomized patient so that the
/// draw is the same whichever arm) does not start IL-2. `started`: received IL-2; on an arm without
/// IL-2, would have started it on the experimental arm (reached the would-be start with no
/// refusal, other attrition or never-start draw). The analysis population is everyone randomized
/// (itt) or the started (treated).
void treat(const scenario::Scenario& local, const scenario::StageSpec& st,
           const std::vector<scenario::ArmSpec>& arms, const std::vector<std::size_t>& order,
           unsigned threads, std::vector<Registrant>& regs, RandomizedResult& result) {
  std::vector<char> never(order.size(), 0);
  std::map<std::pair<int, std::string>, int> causes;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto& v = regs[order[i]].patient;
    never[i] = st.never_start_probability > 0 &&
               v.streams(Purpose::kNeverStart).bernoulli(st.never_start_probability);
  }
  const std::function<clinic::PatientRecord(std::size_t)> run = [&](std::size_t i) {
    const auto& g = regs[order[i]];
    clinic::VirtualPatient v = g.patient;
    v.never_starts = g.arm == 0 && never[i] != 0;
    return clinic::simulate_patient(local, arms[static_cast<std::size_t>(g.arm)], v,
                                    st.horizon_days);
  };
  const std::function<void(std::size_t, clinic::PatientRecord&)> done =
      [&](std::size_t i, clinic::PatientRecord& r) {
        auto& g = regs[order[i]];
        const auto arm = static_cast<std::size_t>(g.arm);
        g.record = std::move(r);
        if (arms[arm].regimen) {
          g.started = g.record.treated;
        } else {
          g.started = g.record.landmark_day.has_value() &&
                      g.record.not_treated == clinic::NotTreatedReason::kNone &&
                      !g.patient.refuses && !g.patient.other_attrition && never[i] == 0;
        }
        g.cal.analysed = st.population == scenario::AnalysisPopulation::kItt || g.started;
        if (!g.started) {
          ++result.not_started[arm];
          ++causes[{static_cast<int>(arm), not_started_cause(g, never[i] != 0)}];
        }
      };
  core::ordered_parallel_for<clinic::PatientRecord>(order.size(), threads, run, done);
  for (const auto& [key, n] : causes)
    result.not_started_causes.push_back({key.first, key.second, n});
}

}  // namespace

std::vector<std::string_view> possible_decisions(const scenario::StageSpec& st) {
  if (st.futility) return {kDecisionEfficacy, kDecisionFutility, kDecisionNoDifference};
  return {kDecisionEfficacy, kDecisionNoDifference};
}

double inflation_factor(const scenario::StageSpec& st) {
  design::GsdSettings gsd;
  gsd.info = st.looks;
  gsd.alpha = st.one_sided_alpha;
  gsd.spending = to_spending(st.spending);
  gsd.beta = 1.0 - st.power;
  if (st.futility) gsd.futility_spending = to_spending(*st.futility);
  return design::group_sequential_design(gsd).inflation_factor.value_or(1.0);
}

RandomizedResult run_randomized(const scenario::Scenario& s, std::size_t stage_index,
                                std::uint32_t replicate, std::optional<int> mtd,
                                std::vector<StagePatient>* keep, unsigned threads) {
  const auto& st = s.stages[stage_index];
  scenario::Scenario local = s;
  const auto arms = randomized_arms(s, st, mtd, local);
  const auto& cohort = cohort_of(s, arms.front().cohort);
  const scenario::ArmSpec pre{"pre-randomization", arms.front().cohort, std::nullopt};
  const std::uint32_t base = stage_patient_base(stage_index);
  RandomizedResult result;
  result.randomized.assign(arms.size(), 0);
  result.not_started.assign(arms.size(), 0);
  auto regs = enrol({local, cohort, pre, base, replicate, threads}, s, st, result);
  const auto order = randomize(s, st, base, replicate, regs, result);
  treat(local, st, arms, order, threads, regs, result);
  const auto final_data = run_looks(st, regs, order, result);
  final_estimates(st, final_data, result);
  per_arm_outcomes(st, final_data, result);
  if (keep != nullptr) {
    std::vector<double> cuts;
    for (const auto& look : result.looks) cuts.push_back(look.calendar_months);
    for (const std::size_t k : order) {
      auto& g = regs[k];
      const auto& arm = arms[static_cast<std::size_t>(g.arm)];
      std::string product;
      if (arm.regimen)
        product = std::string(dosing::to_string(local.regimens.at(*arm.regimen).product));
      g.cal.cut_months = cuts;
      keep->push_back({std::move(g.record), g.origin, product, std::move(g.cal)});
    }
    for (auto& g : regs) {
      if (g.randomized) continue;
      keep->push_back({std::move(g.record), 0.0, "", std::move(g.cal), g.not_randomized});
    }
  }
  return result;
}

}  // namespace il2sim::trial
