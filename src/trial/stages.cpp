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
constexpr double kDaysPerMonth = 365.25 / 12.0;
/// Registrations allowed per needed evaluable patient before a stage gives up (nobody can be
/// treated).
constexpr int kMaxRegistrationsPerEvaluable = 50;

const scenario::CohortSpec& cohort_of(const std::string& name) {
  const auto* c = scenario::find_cohort(name);
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

EscalationResult run_dose_escalation(const scenario::Scenario& s, std::size_t stage_index,
                                     std::uint32_t replicate, std::vector<StagePatient>* keep) {
  const auto& st = s.stages[stage_index];
  const auto& cohort = cohort_of(st.cohort);
  scenario::Scenario local = s;
  const auto& base = s.regimens.at(st.regimen);
  std::vector<scenario::ArmSpec> level_arms;
  for (std::size_t i = 0; i < st.levels.size(); ++i) {
    const std::string name = fmt::format("{} level {}", st.name, i + 1);
    local.regimens[name] = regimen_at_level(base, st.escalated_phase, st.levels[i]);
    level_arms.push_back({name, st.cohort, name});
  }
  EscalationResult result;
  std::uint32_t next_id = stage_patient_base(stage_index) + 1;
  const std::string product(dosing::to_string(base.product));
  // Treats `count` evaluable patients at `level`; returns their DLT count (or -1 if nobody can be
  // treated).
  auto treat = [&](int level, int count) {
    int dlts = 0;
    int treated = 0;
    int registered = 0;
    const auto& regimen = local.regimens.at(level_arms[static_cast<std::size_t>(level)].name);
    const double horizon = s.protocol.window_end_day + regimen.total_days() + st.dlt_followup_days;
    while (treated < count) {
      if (++registered > kMaxRegistrationsPerEvaluable * count) return -1;
      const auto v = clinic::make_patient(local, cohort, replicate, next_id++);
      auto record =
          clinic::simulate_patient(local, level_arms[static_cast<std::size_t>(level)], v, horizon);
      if (!record.treated) {
        ++result.not_evaluable;
        continue;
      }
      ++treated;
      dlts += record.dlt ? 1 : 0;
      result.patients.push_back({v.id, level, record.dlt});
      if (keep != nullptr) keep->push_back({std::move(record), 0.0, product});
    }
    return dlts;
  };
  const int n_levels = static_cast<int>(st.levels.size());
  switch (st.method) {
    case scenario::EscalationMethod::kThreePlusThree: {
      design::ThreePlusThree engine(n_levels);
      while (!engine.stopped()) {
        const int dlts = treat(engine.decision().dose, design::ThreePlusThree::kCohortSize);
        if (dlts < 0) return result;
        engine.record(dlts);
      }
      if (engine.decision().kind == design::ThreePlusThreeDecision::Kind::kStopMtd)
        result.mtd = engine.decision().dose;
      break;
    }
    case scenario::EscalationMethod::kBoin: {
      auto settings = design::BoinSettings::for_target(st.target);
      settings.cohort_size = st.cohort_size;
      settings.max_n = st.max_patients;
      design::Boin engine(settings, n_levels, st.start_level - 1);
      while (!engine.stopped()) {
        const int dlts = treat(engine.decision().dose, st.cohort_size);
        if (dlts < 0) return result;
        engine.record(st.cohort_size, dlts);
      }
      if (engine.decision().kind == design::BoinDecision::Kind::kStopMtd)
        result.mtd = engine.decision().dose;
      break;
    }
    case scenario::EscalationMethod::kCrm: {
      design::CrmSettings settings;
      settings.skeleton = st.skeleton;
      settings.target = st.target;
      design::Crm engine(settings, st.cohort_size, st.max_patients, st.start_level - 1);
      int recommended = engine.dose();
      while (!engine.stopped()) {
        const int dlts = treat(engine.dose(), st.cohort_size);
        if (dlts < 0) return result;
        recommended = engine.record(st.cohort_size, dlts).recommended;
      }
      result.mtd = recommended;
      break;
    }
  }
  return result;
}

// ---- Single arm
// -------------------------------------------------------------------------------------

SingleArmResult run_single_arm(const scenario::Scenario& s, std::size_t stage_index,
                               std::uint32_t replicate, std::optional<int> mtd,
                               std::vector<StagePatient>* keep) {
  const auto& st = s.stages[stage_index];
  const auto& cohort = cohort_of(st.cohort);
  scenario::Scenario local = s;
  dosing::Regimen regimen = s.regimens.at(st.regimen);
  SingleArmResult result;
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
  const std::string arm_name = st.name + " IL-2";
  local.regimens[arm_name] = regimen;
  const scenario::ArmSpec arm{arm_name, st.cohort, arm_name};
  const scenario::ArmSpec control{st.name + " historical control", st.cohort, std::nullopt};
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
    // Fixed n: reject H0 when responses exceed the exact one-sided binomial critical value at
    // alpha.
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
  std::uint32_t next_id = stage_patient_base(stage_index) + 1;
  std::vector<double> t_tx, t_lm;
  std::vector<int> e_tx, e_lm;
  // Selection-bias analysis: the same patients with the treatment's effect on tumour kill removed.
  result.selection_bias = st.selection_bias;
  scenario::Scenario counterfactual = local;
  counterfactual.solver.treatment_kill = false;
  std::vector<double> w_tx, w_lm;
  std::vector<int> we_tx, we_lm;
  int registered = 0;
  while (result.treated < n) {
    if (++registered > kMaxRegistrationsPerEvaluable * n) break;
    const auto v = clinic::make_patient(local, cohort, replicate, next_id++);
    auto record = clinic::simulate_patient(local, arm, v, st.horizon_days);
    if (!record.treated) continue;
    ++result.treated;
    const double start = *record.start_day;
    const bool responded = responded_by(record, start, st.response_days);
    result.responses += responded ? 1 : 0;
    const auto [tt, et] = rfs(record, 0.0);
    t_tx.push_back(tt), e_tx.push_back(et);
    const auto [tl, el] = rfs(record, start);
    t_lm.push_back(tl), e_lm.push_back(el);
    if (st.selection_bias) {
      const auto w = clinic::simulate_patient(counterfactual, arm, v, st.horizon_days);
      // Until the first IL-2 the two runs are the same computation, so the patient starts on the
      // same day.
      IL2SIM_ASSERT(w.treated && w.start_day == record.start_day,
                    "the counterfactual run differs from the treated run only from IL-2 start");
      result.responses_without_effect += responded_by(w, start, st.response_days) ? 1 : 0;
      const auto [wt, we] = rfs(w, 0.0);
      w_tx.push_back(wt), we_tx.push_back(we);
      const auto [wl, wel] = rfs(w, start);
      w_lm.push_back(wl), we_lm.push_back(wel);
    }
    if (keep != nullptr)
      keep->push_back({std::move(record), start, std::string(dosing::to_string(regimen.product))});
    if (st.simon && result.treated == n1) {
      result.stage1_responses = result.responses;
      if (result.responses <= result.r1) {
        result.stopped_early = true;
        break;
      }
    }
  }
  result.registered = registered;
  result.reject_h0 = !result.stopped_early && result.treated == n && result.responses > result.r;
  // Historical control: the same population without IL-2, from transplant (all registered) and from
  // the landmark (alive, relapse-free and eligible at the would-be start).
  std::vector<double> c_tx, c_lm;
  std::vector<int> ce_tx, ce_lm;
  const std::uint32_t control_base = stage_patient_base(stage_index) + 500'000U;
  for (int k = 1; k <= st.historical_patients; ++k) {
    const auto v = clinic::make_patient(local, cohort, replicate,
                                        control_base + static_cast<std::uint32_t>(k));
    const auto record = clinic::simulate_patient(local, control, v, st.horizon_days);
    const auto [tt, et] = rfs(record, 0.0);
    c_tx.push_back(tt), ce_tx.push_back(et);
    if (record.landmark_day && record.not_treated == clinic::NotTreatedReason::kNone) {
      const auto [tl, el] = rfs(record, *record.landmark_day);
      c_lm.push_back(tl), ce_lm.push_back(el);
    }
  }
  result.rfs_from_transplant = km_at(t_tx, e_tx, st.comparison_days);
  result.rfs_from_landmark = km_at(t_lm, e_lm, st.comparison_days);
  result.control_from_transplant = km_at(c_tx, ce_tx, st.comparison_days);
  result.control_from_landmark = km_at(c_lm, ce_lm, st.comparison_days);
  auto combined_p = [](std::vector<double> t1, std::vector<int> e1, const std::vector<double>& t2,
                       const std::vector<int>& e2) {
    std::vector<std::string> g(t1.size(), "IL-2");
    g.insert(g.end(), t2.size(), "historical control");
    t1.insert(t1.end(), t2.begin(), t2.end());
    e1.insert(e1.end(), e2.begin(), e2.end());
    return logrank_p(t1, e1, g);
  };
  result.logrank_p_transplant = combined_p(t_tx, e_tx, c_tx, ce_tx);
  result.logrank_p_landmark = combined_p(t_lm, e_lm, c_lm, ce_lm);
  if (st.selection_bias) {
    result.rfs_from_transplant_without_effect = km_at(w_tx, we_tx, st.comparison_days);
    result.rfs_from_landmark_without_effect = km_at(w_lm, we_lm, st.comparison_days);
    result.logrank_p_transplant_without_effect = combined_p(w_tx, we_tx, c_tx, ce_tx);
    result.logrank_p_landmark_without_effect = combined_p(w_lm, we_lm, c_lm, ce_lm);
    if (keep != nullptr) {
      using S = SingleArmResult::Sample;
      result.samples = {S{"IL-2", "transplant", t_tx, e_tx},
                        S{"IL-2 without kill effect", "transplant", w_tx, we_tx},
                        S{"historical control", "transplant", c_tx, ce_tx},
                        S{"IL-2", "landmark", t_lm, e_lm},
                        S{"IL-2 without kill effect", "landmark", w_lm, we_lm},
                        S{"historical control", "landmark", c_lm, ce_lm}};
    }
  }
  return result;
}

// ---- Randomized
// -------------------------------------------------------------------------------------

namespace {

struct Registrant {
  clinic::VirtualPatient patient;
  double registration_month = 0.0;
  double randomization_month = 0.0;
  double dropout_month = std::numeric_limits<double>::infinity();
  double landmark = 0.0;
  bool randomized = false;
  int arm = -1;
  std::string stratum;
  clinic::PatientRecord record;
};

/// Observed data of randomized patients at an analysis at calendar month `tau`.
struct AnalysisData {
  std::vector<double> pfs, os, relapse;
  std::vector<int> pfs_e, os_e, relapse_e;
  std::vector<std::string> arm;
};

AnalysisData analysis_data(const std::vector<Registrant>& regs, double tau,
                           const std::vector<std::string>& arms) {
  AnalysisData d;
  for (const auto& r : regs) {
    if (!r.randomized || r.randomization_month >= tau) continue;
    const double follow = (std::min(tau, r.dropout_month) - r.randomization_month) * kDaysPerMonth;
    const auto add = [&](const std::string& code, std::vector<double>& t, std::vector<int>& e) {
      for (const auto& ep : clinic::endpoints(r.record, r.landmark)) {
        if (ep.paramcd != code) continue;
        if (ep.aval <= follow) {
          t.push_back(ep.aval);
          e.push_back(1 - ep.cnsr);
        } else {
          t.push_back(follow);
          e.push_back(0);
        }
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

RandomizedResult run_randomized(const scenario::Scenario& s, std::size_t stage_index,
                                std::uint32_t replicate, std::optional<int> mtd,
                                std::vector<StagePatient>* keep, unsigned threads) {
  const auto& st = s.stages[stage_index];
  scenario::Scenario local = s;
  std::vector<scenario::ArmSpec> arms;
  for (const auto& name : st.arms) arms.push_back(*s.find_arm(name));
  // The MTD of an earlier stage sets the escalated phase of every IL-2 arm.
  if (!st.dose_from.empty() && mtd) {
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
  }
  const auto& cohort = cohort_of(arms.front().cohort);
  const scenario::ArmSpec pre{"pre-randomization", arms.front().cohort, std::nullopt};
  const std::uint32_t base = stage_patient_base(stage_index);
  RandomizedResult result;
  result.registered = st.registered;
  result.randomized.assign(arms.size(), 0);

  // Pass 1: registration at transplant and the course to the randomization window (identical in
  // every arm).
  std::vector<Registrant> regs(static_cast<std::size_t>(st.registered));
  double calendar = 0.0;
  for (std::size_t k = 0; k < regs.size(); ++k) {
    RandomStream trial_stream(s.seed, replicate, base + static_cast<std::uint32_t>(k) + 1,
                              Purpose::kTrial);
    calendar += trial_stream.exponential() / st.accrual_per_month;
    regs[k].registration_month = calendar;
    const double dropout_years = st.dropout_per_year > 0
                                     ? trial_stream.exponential() / st.dropout_per_year
                                     : std::numeric_limits<double>::infinity();
    regs[k].dropout_month = dropout_years * 12.0;  // relative; shifted after randomization
  }
  const std::function<clinic::PatientRecord(std::size_t)> screen = [&](std::size_t k) {
    regs[k].patient =
        clinic::make_patient(local, cohort, replicate, base + static_cast<std::uint32_t>(k) + 1);
    return clinic::simulate_patient(local, pre, regs[k].patient, s.protocol.window_end_day + 1.0);
  };
  const std::function<void(std::size_t, clinic::PatientRecord&)> screened =
      [&](std::size_t k, clinic::PatientRecord& r) {
        auto& g = regs[k];
        if (r.landmark_day && r.not_treated == clinic::NotTreatedReason::kNone &&
            !g.patient.refuses && !g.patient.other_attrition) {
          g.randomized = true;
          g.landmark = *r.landmark_day;
          g.randomization_month = g.registration_month + g.landmark / kDaysPerMonth;
          g.dropout_month += g.randomization_month;
        } else {
          const bool reached_start = r.not_treated == clinic::NotTreatedReason::kNone;
          std::string cause(reached_start && g.patient.refuses ? std::string("refusal")
                            : reached_start && g.patient.other_attrition
                                ? std::string(clinic::to_string(clinic::NotTreatedReason::kOther))
                                : std::string(clinic::to_string(r.not_treated)));
          if (cause.empty()) cause = "other";
          ++result.attrition[cause];
        }
      };
  core::ordered_parallel_for<clinic::PatientRecord>(regs.size(), threads, screen, screened);

  // Pass 2: stratified permuted-block randomization in order of randomization time.
  std::vector<std::size_t> order;
  for (std::size_t k = 0; k < regs.size(); ++k) {
    if (regs[k].randomized) order.push_back(k);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return regs[a].randomization_month < regs[b].randomization_month;
  });
  std::map<std::string, std::vector<int>> blocks;
  std::map<std::string, RandomStream> block_streams;
  const double L_mrd = s.parameters[model::ParamId::kLMrd];
  for (const std::size_t k : order) {
    auto& g = regs[k];
    std::string stratum;
    for (const auto& f : st.strata) {
      if (f == "sex") stratum += std::string(model::to_string(g.patient.covariates.sex));
      if (f == "age") stratum += g.patient.covariates.age_years >= st.age_cutoff ? "old" : "young";
      if (f == "mrd") stratum += g.patient.L0 >= L_mrd ? "mrd+" : "mrd-";
      stratum += "/";
    }
    g.stratum = stratum;
    auto& block = blocks[stratum];
    if (block.empty()) {
      auto it = block_streams.find(stratum);
      if (it == block_streams.end()) {
        // One stream per stratum, keyed by the stratum's label.
        std::uint32_t key = 0;
        for (const char c : stratum) key = key * 131U + static_cast<unsigned char>(c);
        it = block_streams
                 .emplace(stratum, RandomStream(s.seed, replicate, base ^ key, Purpose::kTrial))
                 .first;
      }
      const int total = std::accumulate(st.allocation.begin(), st.allocation.end(), 0);
      for (int rep = 0; rep < st.block_size / total; ++rep) {
        for (std::size_t a = 0; a < st.allocation.size(); ++a) {
          for (int i = 0; i < st.allocation[a]; ++i) block.push_back(static_cast<int>(a));
        }
      }
      for (std::size_t i = block.size(); i > 1; --i) {  // Fisher-Yates
        std::swap(block[i - 1], block[static_cast<std::size_t>(it->second.below(i))]);
      }
    }
    g.arm = block.back();
    block.pop_back();
    ++result.randomized[static_cast<std::size_t>(g.arm)];
  }

  // Pass 3: the randomized patients on their arms.
  const std::function<clinic::PatientRecord(std::size_t)> treat = [&](std::size_t i) {
    const auto& g = regs[order[i]];
    return clinic::simulate_patient(local, arms[static_cast<std::size_t>(g.arm)], g.patient,
                                    st.horizon_days);
  };
  const std::function<void(std::size_t, clinic::PatientRecord&)> treated =
      [&](std::size_t i, clinic::PatientRecord& r) { regs[order[i]].record = std::move(r); };
  core::ordered_parallel_for<clinic::PatientRecord>(order.size(), threads, treat, treated);

  // Analyses: at the calendar times the PFS events reach each information fraction.
  int target = st.target_events;
  if (target <= 0) {
    design::SchoenfeldSettings sch;
    sch.hazard_ratio = st.design_hr;
    sch.alpha = st.one_sided_alpha;
    sch.sides = 1;
    sch.ratio = static_cast<double>(st.allocation[0]) / st.allocation[1];
    target = static_cast<int>(std::ceil(design::schoenfeld_events(sch, st.power)));
  }
  result.target_events = target;
  std::vector<double> event_months;
  for (const std::size_t k : order) {
    const auto& g = regs[k];
    for (const auto& ep : clinic::endpoints(g.record, g.landmark)) {
      if (ep.paramcd == "PFS" && ep.cnsr == 0) {
        const double month = g.randomization_month + ep.aval / kDaysPerMonth;
        if (month <= g.dropout_month) event_months.push_back(month);
      }
    }
  }
  std::sort(event_months.begin(), event_months.end());
  const double last_registration = regs.empty() ? 0.0 : regs.back().registration_month;
  const double latest = last_registration + st.max_follow_up_months;
  const double earliest_final = last_registration + st.min_follow_up_months;
  std::vector<double> look_times;
  for (const double f : st.looks) {
    const auto needed = static_cast<std::size_t>(std::ceil(f * target - 1e-9));
    double t = latest;
    if (needed >= 1 && needed <= event_months.size() && event_months[needed - 1] < latest)
      t = event_months[needed - 1];
    // The final analysis waits for the minimum follow-up after the last registration.
    if (std::fabs(f - 1.0) < 1e-12) t = std::max(t, earliest_final);
    look_times.push_back(t);
  }
  design::GsdSettings gsd;
  gsd.alpha = st.one_sided_alpha;
  gsd.spending = to_spending(st.spending);
  if (st.futility) {
    gsd.beta = 1.0 - st.power;
    gsd.futility_spending = to_spending(*st.futility);
  }
  const auto one = [](std::size_t n) { return survival::single_level(n, "all"); };
  std::vector<double> info_so_far;
  AnalysisData final_data;
  double stop_time = look_times.back();
  for (std::size_t k = 0; k < look_times.size(); ++k) {
    const double tau = look_times[k];
    auto data = analysis_data(regs, tau, st.arms);
    LookResult look;
    look.calendar_months = tau;
    look.events = static_cast<int>(std::count(data.pfs_e.begin(), data.pfs_e.end(), 1));
    const bool last = k + 1 == look_times.size() || tau >= latest;
    look.info = last ? 1.0 : std::min(0.999, static_cast<double>(look.events) / target);
    if (!info_so_far.empty() && look.info <= info_so_far.back())
      look.info = std::min(1.0, info_so_far.back() + 1e-3);
    info_so_far.push_back(look.info);
    gsd.info = info_so_far;
    if (gsd.info.back() < 1.0)
      gsd.info.push_back(1.0);  // planned remainder, for the spending function
    const auto bounds = design::group_sequential_design(gsd);
    const auto& b = bounds.looks[info_so_far.size() - 1];
    look.efficacy_bound = b.efficacy_z ? *b.efficacy_z : std::numeric_limits<double>::infinity();
    look.futility_bound = b.futility_z;
    const auto g = survival::make_factor(data.arm);
    if (g.levels.size() == 2 && look.events > 0) {
      const auto lr = survival::logrank(data.pfs, data.pfs_e, g, one(data.pfs.size()), 0.0);
      // Sign: positive when the experimental arm has fewer events than expected.
      const auto& exp_group = lr.groups[0].group == st.arms[0] ? lr.groups[0] : lr.groups[1];
      look.z = std::copysign(std::sqrt(lr.chisq), exp_group.expected - exp_group.observed);
    }
    result.looks.push_back(look);
    final_data = std::move(data);
    stop_time = tau;
    result.stop_look = static_cast<int>(k + 1);
    if (look.z >= look.efficacy_bound) {
      result.decision = "efficacy";
      result.reject = true;
      break;
    }
    if (!last && look.futility_bound && look.z < *look.futility_bound) {
      result.decision = "futility";
      break;
    }
    if (last) {
      result.decision = "no difference";
      break;
    }
  }
  result.duration_months = stop_time;
  result.events = result.looks.empty() ? 0 : result.looks.back().events;
  // Estimates at the stopping analysis.
  const auto final_groups = survival::make_factor(final_data.arm);
  if (final_groups.levels.size() == 2 && result.events > 0) {
    const auto lr = survival::logrank(final_data.pfs, final_data.pfs_e, final_groups,
                                      one(final_data.pfs.size()), 0.0);
    result.logrank_p = lr.p;
    survival::Design x;
    x.x.resize(static_cast<Eigen::Index>(final_data.arm.size()), 1);
    for (std::size_t i = 0; i < final_data.arm.size(); ++i) {
      x.x(static_cast<Eigen::Index>(i), 0) = final_data.arm[i] == st.arms[0] ? 1.0 : 0.0;
    }
    x.terms = {"arm" + st.arms[0]};
    const auto cox = survival::cox_fit(final_data.pfs, final_data.pfs_e, x,
                                       one(final_data.pfs.size()), survival::CoxOptions{});
    result.hr = cox.terms[0].hr;
    result.hr_lower = cox.terms[0].hr_lower;
    result.hr_upper = cox.terms[0].hr_upper;
  }
  for (const auto& name : st.arms) {
    std::vector<double> tp, to, tr;
    std::vector<int> ep, eo, er;
    for (std::size_t i = 0; i < final_data.arm.size(); ++i) {
      if (final_data.arm[i] != name) continue;
      tp.push_back(final_data.pfs[i]), ep.push_back(final_data.pfs_e[i]);
      to.push_back(final_data.os[i]), eo.push_back(final_data.os_e[i]);
      tr.push_back(final_data.relapse[i]), er.push_back(final_data.relapse_e[i]);
    }
    const auto median_months = [](const std::vector<double>& t, const std::vector<int>& e) {
      if (t.empty()) return kNaN;
      return survival::kaplan_meier(t, e, survival::KmOptions{}).median / kDaysPerMonth;
    };
    result.pfs_median_months.push_back(median_months(tp, ep));
    result.os_median_months.push_back(median_months(to, eo));
    const double free2 = km_at(tr, er, 2 * 365.25);
    result.relapse_2y.push_back(std::isfinite(free2) ? 1.0 - free2 : kNaN);
  }
  if (keep != nullptr) {
    for (const std::size_t k : order) {
      auto& g = regs[k];
      const auto& arm = arms[static_cast<std::size_t>(g.arm)];
      std::string product;
      if (arm.regimen)
        product = std::string(dosing::to_string(local.regimens.at(*arm.regimen).product));
      keep->push_back({std::move(g.record), g.landmark, product});
    }
  }
  return result;
}

}  // namespace il2sim::trial
