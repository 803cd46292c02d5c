#include "trial/summary.hpp"

#include <algorithm>
#include <cmath>

#include "core/statistics.hpp"

namespace il2sim::trial {
namespace {

using core::FieldType;
using core::FieldValue;
using core::member;
constexpr auto kInt = FieldType::kInteger;
constexpr auto kReal = FieldType::kReal;
constexpr auto kText = FieldType::kText;
constexpr auto kList = FieldType::kRealList;

// ---- Aggregation helpers ----------------------------------------------------------------------

double mean(const std::vector<double>& v) {
  double s = 0.0;
  long n = 0;
  for (const double x : v) {
    if (std::isfinite(x)) s += x, ++n;
  }
  return n > 0 ? s / static_cast<double>(n) : kNoValue;
}
double median(const std::vector<double>& v) {
  return core::quantile(v, 0.5);
}
Spread spread(const std::vector<double>& v) {
  return {mean(v), core::quantile(v, 0.025), core::quantile(v, 0.975)};
}
double below_005(double p) {
  return p < 0.05 ? 1.0 : 0.0;
}
double rate(int responses, int treated) {
  return treated > 0 ? static_cast<double>(responses) / treated : kNoValue;
}

// ---- JSON from field tables -------------------------------------------------------------------

nlohmann::json num(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}
nlohmann::json json_of(const FieldValue& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return num(*d);
  if (const auto* l = std::get_if<std::vector<double>>(&v)) {
    nlohmann::json a = nlohmann::json::array();
    for (const double x : *l) a.push_back(num(x));
    return a;
  }
  if (core::is_null(v)) return nullptr;
  return std::string(core::text_of(v));
}
template <class R>
void put_fields(nlohmann::json& j, const R& r, core::FieldTable<R> table) {
  for (const auto& f : table) j[std::string(f.name)] = json_of(f.get(r));
}
template <class R>
nlohmann::json fields_json(const R& r, core::FieldTable<R> table) {
  nlohmann::json j = nlohmann::json::object();
  put_fields(j, r, table);
  return j;
}

constexpr std::array<core::Field<Spread>, 3> kSpreadFields{{
    member<&Spread::mean>("mean", kReal, "", "mean over replicates"),
    member<&Spread::q025>("q025", kReal, "", "2.5 % quantile over replicates"),
    member<&Spread::q975>("q975", kReal, "", "97.5 % quantile over replicates"),
}};
nlohmann::json spread_json(const Spread& s) {
  return fields_json<Spread>(s, kSpreadFields);
}

// ---- Dose escalation --------------------------------------------------------------------------

constexpr std::array<core::Field<LevelSummary>, 6> kLevelFields{{
    member<&LevelSummary::level>("level", kInt, "", "1-based dose level"),
    member<&LevelSummary::dose>("dose", kReal, "", "the level's dose"),
    member<&LevelSummary::days>("days", kReal, "day", "the level's duration (null: the regimen's)"),
    member<&LevelSummary::p_select>("p_select", kReal, "", "share of replicates selecting it"),
    member<&LevelSummary::mean_patients>("mean_patients", kReal, "patients",
                                         "patients treated at it per trial"),
    member<&LevelSummary::observed_dlt_rate>("observed_dlt_rate", kReal, "",
                                             "DLTs / treated at it, pooled over replicates"),
}};

FieldValue p_select_list(const EscalationSummary& e) {
  std::vector<double> p;
  for (const auto& l : e.levels) p.push_back(l.p_select);
  return p;
}
const char* method_text(scenario::EscalationMethod m) {
  return m == scenario::EscalationMethod::kThreePlusThree ? "3+3"
         : m == scenario::EscalationMethod::kBoin         ? "boin"
                                                          : "crm";
}

constexpr std::array<core::Field<EscalationSummary>, 5> kEscalationFields{{
    member<&EscalationSummary::method>("method", kText, "", "3+3, boin or crm"),
    {"p_select", kList, "", "share of replicates selecting each level", &p_select_list},
    member<&EscalationSummary::p_select_none>("p_select_none", kReal, "",
                                              "share of replicates selecting no MTD"),
    member<&EscalationSummary::mean_patients>("mean_patients", kReal, "patients",
                                              "evaluable patients per trial"),
    member<&EscalationSummary::mean_not_evaluable>("mean_not_evaluable", kReal, "patients",
                                                   "replaced patients per trial"),
}};

EscalationSummary escalation_summary(const ProgrammeSummary& ps, std::size_t i) {
  const auto& st = ps.scenario().stages[i];
  const auto n = static_cast<double>(std::max(1L, ps.replicates()));
  const std::size_t L = st.levels.size();
  std::vector<double> select(L, 0.0), treated(L, 0.0), dlts(L, 0.0);
  double none = 0.0, patients = 0.0, not_evaluable = 0.0;
  for (const auto& rep : ps.results()) {
    const auto& e = std::get<EscalationResult>(rep[i]);
    if (e.mtd) {
      select[static_cast<std::size_t>(*e.mtd)] += 1.0;
    } else {
      none += 1.0;
    }
    for (const auto& p : e.patients) {
      treated[static_cast<std::size_t>(p.level)] += 1.0;
      dlts[static_cast<std::size_t>(p.level)] += p.dlt ? 1.0 : 0.0;
    }
    patients += static_cast<double>(e.patients.size());
    not_evaluable += e.not_evaluable;
  }
  EscalationSummary s;
  s.method = method_text(st.method);
  for (std::size_t l = 0; l < L; ++l) {
    s.levels.push_back({static_cast<int>(l + 1), st.levels[l].dose,
                        st.levels[l].days.value_or(kNoValue), select[l] / n, treated[l] / n,
                        treated[l] > 0 ? dlts[l] / treated[l] : kNoValue});
  }
  s.p_select_none = none / n;
  const auto best = std::max_element(select.begin(), select.end());
  if (best != select.end() && *best > none) {
    s.mtd = static_cast<std::size_t>(best - select.begin());
    s.mtd_dose = st.levels[*s.mtd].dose;
  }
  s.mean_patients = patients / n;
  s.mean_not_evaluable = not_evaluable / n;
  return s;
}

nlohmann::json escalation_json(const EscalationSummary& s) {
  nlohmann::json j;
  j["type"] = "dose_escalation";
  put_fields<EscalationSummary>(j, s, kEscalationFields);
  j["levels"] = nlohmann::json::array();
  for (const auto& l : s.levels) j["levels"].push_back(fields_json<LevelSummary>(l, kLevelFields));
  j["mtd"] = s.mtd ? nlohmann::json({{"level", *s.mtd + 1}, {"dose", s.mtd_dose}})
                   : nlohmann::json(nullptr);
  return j;
}

// ---- Single arm -------------------------------------------------------------------------------

using Hc = HistoricalComparison;
constexpr std::array<core::Field<Hc>, 7> kHistoricalFields{{
    member<&Hc::at_days>("at_days", kReal, "day", "the stage's comparison_days"),
    member<&Hc::rfs_il2_from_transplant>("rfs_il2_from_transplant", kReal, "",
                                         "KM RFS of the treated, from transplant (mean)"),
    member<&Hc::rfs_control_from_transplant>("rfs_control_from_transplant", kReal, "",
                                             "the same for the historical control"),
    member<&Hc::rfs_il2_from_landmark>("rfs_il2_from_landmark", kReal, "",
                                       "KM RFS of the treated, from IL-2 start (mean)"),
    member<&Hc::rfs_control_from_landmark>("rfs_control_from_landmark", kReal, "",
                                           "the same for the historical control"),
    member<&Hc::p_below_005_from_transplant>("p_logrank_below_0.05_from_transplant", kReal, "",
                                             "share of replicates with log-rank p < 0.05"),
    member<&Hc::p_below_005_from_landmark>("p_logrank_below_0.05_from_landmark", kReal, "",
                                           "the same from the landmark"),
}};

FieldValue p_reject(const SingleArmSummary& s) {
  return s.p_reject_h0;
}
constexpr std::array<core::Field<SingleArmSummary>, 7> kSingleArmFields{{
    member<&SingleArmSummary::replicates_run>("replicates_run", kReal, "",
                                              "replicates that ran the stage"),
    member<&SingleArmSummary::p_reject_h0>("p_reject_h0", kReal, "", "P(reject H0)"),
    {"decision_promising", kReal, "", "P(promising) (= p_reject_h0)", &p_reject},
    member<&SingleArmSummary::p_early_stop>("p_early_stop", kReal, "", "P(stop at stage 1)"),
    member<&SingleArmSummary::mean_treated>("mean_treated", kReal, "patients", "treated per trial"),
    member<&SingleArmSummary::response_rate_mean>("response_rate_mean", kReal, "",
                                                  "responses / treated, mean"),
    member<&SingleArmSummary::dose_median>("dose_median", kReal, "", "median dose given"),
}};

using Sba = SelectionBiasArm;
constexpr std::array<core::Field<Sba>, 3> kSelectionBiasArmFields{{
    member<&Sba::p_below_005_from_transplant>("p_logrank_below_0.05_from_transplant", kReal, "",
                                              "share of replicates with log-rank p < 0.05"),
    member<&Sba::p_below_005_from_landmark>("p_logrank_below_0.05_from_landmark", kReal, "",
                                            "the same from the landmark"),
    member<&Sba::response_rate_mean>("response_rate_mean", kReal, "", "responses / treated"),
}};

/// The single-arm results of stage i in the replicates that ran it.
std::vector<const SingleArmResult*> run_single_arms(const ProgrammeSummary& ps, std::size_t i) {
  std::vector<const SingleArmResult*> out;
  for (const auto& rep : ps.results()) {
    const auto& a = std::get<SingleArmResult>(rep[i]);
    if (a.planned_n >= 0) out.push_back(&a);  // planned_n < 0: not run (ProgrammeSummary::add)
  }
  return out;
}

SelectionBiasSummary selection_bias_summary(const std::vector<const SingleArmResult*>& run,
                                            const scenario::StageSpec& st) {
  std::vector<double> ctx, clm;
  std::vector<double> tx[2], lm[2], dtx[2], dlm[2], ptx[2], plm[2], rates[2];
  for (const auto* a : run) {
    ctx.push_back(a->control_from_transplant);
    clm.push_back(a->control_from_landmark);
    const double treated_tx[2] = {a->rfs_from_transplant, a->rfs_from_transplant_without_effect};
    const double treated_lm[2] = {a->rfs_from_landmark, a->rfs_from_landmark_without_effect};
    const double p_tx[2] = {a->logrank_p_transplant, a->logrank_p_transplant_without_effect};
    const double p_lm[2] = {a->logrank_p_landmark, a->logrank_p_landmark_without_effect};
    const int responses[2] = {a->responses, a->responses_without_effect};
    for (int k = 0; k < 2; ++k) {
      tx[k].push_back(treated_tx[k]);
      lm[k].push_back(treated_lm[k]);
      dtx[k].push_back(treated_tx[k] - a->control_from_transplant);
      dlm[k].push_back(treated_lm[k] - a->control_from_landmark);
      ptx[k].push_back(below_005(p_tx[k]));
      plm[k].push_back(below_005(p_lm[k]));
      rates[k].push_back(rate(responses[k], a->treated));
    }
  }
  auto arm = [&](int k) {
    return SelectionBiasArm{spread(tx[k]), spread(lm[k]), spread(dtx[k]), spread(dlm[k]),
                            mean(ptx[k]),  mean(plm[k]),  mean(rates[k])};
  };
  return {st.comparison_days,
          static_cast<long>(ctx.size()),
          arm(0),
          arm(1),
          spread(ctx),
          spread(clm),
          spread(dtx[1]),
          spread(dlm[1])};
}

SingleArmDesign design_of(const SingleArmResult& a, const scenario::StageSpec& st) {
  return {a.n1,
          a.r1,
          a.planned_n,
          a.r,
          st.simon,
          st.p0,
          st.p1,
          "alive and relapse-free " + std::to_string(static_cast<long>(st.response_days)) +
              " days after IL-2 start"};
}

SingleArmSummary single_arm_summary(const ProgrammeSummary& ps, std::size_t i) {
  const auto& st = ps.scenario().stages[i];
  const auto run = run_single_arms(ps, i);
  double reject = 0, early = 0;
  std::vector<double> treated, rates, tx, lm, ctx, clm, p_tx, p_lm, dose;
  for (const auto* a : run) {
    reject += a->reject_h0;
    early += a->stopped_early;
    treated.push_back(a->treated);
    rates.push_back(rate(a->responses, a->treated));
    tx.push_back(a->rfs_from_transplant);
    lm.push_back(a->rfs_from_landmark);
    ctx.push_back(a->control_from_transplant);
    clm.push_back(a->control_from_landmark);
    p_tx.push_back(below_005(a->logrank_p_transplant));
    p_lm.push_back(below_005(a->logrank_p_landmark));
    dose.push_back(a->dose);
  }
  SingleArmSummary s;
  if (!run.empty()) s.design = design_of(*run.back(), st);
  s.replicates_run = static_cast<double>(run.size());
  const double m = std::max(s.replicates_run, 1.0);
  s.p_reject_h0 = reject / m;
  s.p_early_stop = early / m;
  s.mean_treated = mean(treated);
  s.response_rate_mean = mean(rates);
  s.dose_median = median(dose);
  s.historical = {st.comparison_days, mean(tx),   mean(ctx), mean(lm),
                  mean(clm),          mean(p_tx), mean(p_lm)};
  if (st.selection_bias) s.selection_bias = selection_bias_summary(run, st);
  return s;
}

nlohmann::json selection_bias_json(const SelectionBiasSummary& s) {
  auto arm = [](const SelectionBiasArm& a) {
    nlohmann::json j = fields_json<Sba>(a, kSelectionBiasArmFields);
    j["rfs_from_transplant"] = spread_json(a.rfs_from_transplant);
    j["rfs_from_landmark"] = spread_json(a.rfs_from_landmark);
    j["difference_from_transplant"] = spread_json(a.difference_from_transplant);
    j["difference_from_landmark"] = spread_json(a.difference_from_landmark);
    return j;
  };
  return {{"at_days", s.at_days},
          {"replicates", s.replicates},
          {"with_effect", arm(s.with_effect)},
          {"without_effect", arm(s.without_effect)},
          {"control",
           {{"rfs_from_transplant", spread_json(s.control_from_transplant)},
            {"rfs_from_landmark", spread_json(s.control_from_landmark)}}},
          {"apparent_benefit_from_selection", spread_json(s.apparent_benefit)},
          {"apparent_benefit_from_selection_landmark", spread_json(s.apparent_benefit_landmark)}};
}

nlohmann::json single_arm_json(const SingleArmSummary& s) {
  nlohmann::json j;
  j["type"] = "single_arm";
  put_fields<SingleArmSummary>(j, s, kSingleArmFields);
  j["design"] = nullptr;
  if (const auto& d = s.design) {
    j["design"] = {{"n1", d->n1},       {"r1", d->r1}, {"n", d->n},   {"r", d->r},
                   {"simon", d->simon}, {"p0", d->p0}, {"p1", d->p1}, {"response", d->response}};
  }
  j["historical_comparison"] = fields_json<Hc>(s.historical, kHistoricalFields);
  if (s.selection_bias) j["selection_bias"] = selection_bias_json(*s.selection_bias);
  return j;
}

// ---- Randomized -------------------------------------------------------------------------------

constexpr std::array<core::Field<ArmSummary>, 5> kArmFields{{
    member<&ArmSummary::arm>("arm", kText, "", "arm name"),
    member<&ArmSummary::randomized_mean>("randomized_mean", kReal, "patients",
                                         "randomized per trial"),
    member<&ArmSummary::pfs_median_months>("pfs_median_months", kReal, "month",
                                           "median over replicates of the median PFS"),
    member<&ArmSummary::os_median_months>("os_median_months", kReal, "month",
                                          "median over replicates of the median OS"),
    member<&ArmSummary::relapse_2y>("relapse_2y", kReal, "",
                                    "median over replicates of the 2-year relapse incidence"),
}};

using Rs = RandomizedSummary;
constexpr std::array<core::Field<Rs>, 10> kRandomizedFields{{
    member<&Rs::replicates_run>("replicates_run", kReal, "", "replicates that ran the stage"),
    member<&Rs::power>("power", kReal, "", "P(reject H0)"),
    member<&Rs::hr_median>("hr_median", kReal, "", "median Cox HR at the stop"),
    member<&Rs::hr_q05>("hr_q05", kReal, "", "5 % quantile of the HR"),
    member<&Rs::hr_q95>("hr_q95", kReal, "", "95 % quantile of the HR"),
    member<&Rs::events_median>("events_median", kReal, "events", "median events at the stop"),
    member<&Rs::target_events>("target_events", kInt, "events", "events planned"),
    member<&Rs::duration_months_median>("duration_months_median", kReal, "month",
                                        "median trial duration"),
    member<&Rs::not_randomized_fraction>("not_randomized_fraction", kReal, "",
                                         "registered but not randomized / registered"),
    member<&Rs::registered_per_trial>("registered_per_trial", kReal, "patients",
                                      "registered per trial"),
}};

/// The per-replicate values of a randomized stage, collected for the aggregation.
struct RandomizedValues {
  std::vector<double> hr, events, duration, reject;
  std::map<std::string, double> attrition, decisions;
  std::vector<std::vector<double>> pfs, os, rel, randomized;
  double registered = 0, run = 0;
  int target = 0;
  explicit RandomizedValues(std::size_t arms) : pfs(arms), os(arms), rel(arms), randomized(arms) {}
  void add(const RandomizedResult& r) {
    run += 1;
    hr.push_back(r.hr);
    events.push_back(r.events);
    duration.push_back(r.duration_months);
    reject.push_back(r.reject ? 1.0 : 0.0);
    registered += r.registered;
    target = r.target_events;
    decisions[r.decision] += 1;
    for (const auto& [cause, count] : r.attrition) attrition[cause] += count;
    for (std::size_t a = 0; a < pfs.size(); ++a) {
      pfs[a].push_back(r.pfs_median_months[a]);
      os[a].push_back(r.os_median_months[a]);
      rel[a].push_back(r.relapse_2y[a]);
      randomized[a].push_back(r.randomized[a]);
    }
  }
};

RandomizedSummary randomized_summary(const ProgrammeSummary& ps, std::size_t i) {
  const auto& st = ps.scenario().stages[i];
  RandomizedValues v(st.arms.size());
  for (const auto& rep : ps.results()) {
    if (const auto* r = std::get_if<RandomizedResult>(&rep[i])) v.add(*r);
  }
  RandomizedSummary s;
  const double m = std::max(v.run, 1.0);
  s.replicates_run = v.run;
  s.power = mean(v.reject);
  s.hr_median = median(v.hr);
  s.hr_q05 = core::quantile(v.hr, 0.05);
  s.hr_q95 = core::quantile(v.hr, 0.95);
  s.events_median = median(v.events);
  s.target_events = v.target;
  s.duration_months_median = median(v.duration);
  for (const auto& [k, n] : v.decisions) s.decisions[k] = n / m;
  double lost = 0;
  for (const auto& [k, n] : v.attrition) {
    s.attrition[k] = v.registered > 0 ? n / v.registered : 0.0;
    lost += n;
  }
  s.not_randomized_fraction = v.registered > 0 ? lost / v.registered : 0.0;
  s.registered_per_trial = v.registered / m;
  for (std::size_t a = 0; a < st.arms.size(); ++a) {
    s.arms.push_back(
        {st.arms[a], mean(v.randomized[a]), median(v.pfs[a]), median(v.os[a]), median(v.rel[a])});
  }
  return s;
}

/// A share per key; null when there is none (as summary.json always wrote it).
nlohmann::json shares_json(const std::map<std::string, double>& shares) {
  nlohmann::json j;
  for (const auto& [k, v] : shares) j[k] = v;
  return j;
}

nlohmann::json randomized_json(const scenario::StageSpec& st, const RandomizedSummary& s) {
  nlohmann::json j;
  j["type"] = "randomized";
  put_fields<Rs>(j, s, kRandomizedFields);
  j["decisions"] = shares_json(s.decisions);
  j["attrition_before_randomization"] = shares_json(s.attrition);
  j["arms"] = nlohmann::json::array();
  for (const auto& a : s.arms) j["arms"].push_back(fields_json<ArmSummary>(a, kArmFields));
  j["design"] = {{"looks", st.looks},
                 {"one_sided_alpha", st.one_sided_alpha},
                 {"design_hr", st.design_hr},
                 {"power", st.power}};
  return j;
}

}  // namespace

std::vector<StageSummary> stage_summaries(const ProgrammeSummary& summary) {
  std::vector<StageSummary> out;
  const auto& stages = summary.scenario().stages;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    switch (stages[i].type) {
      case scenario::StageType::kDoseEscalation:
        out.emplace_back(escalation_summary(summary, i));
        break;
      case scenario::StageType::kSingleArm:
        out.emplace_back(single_arm_summary(summary, i));
        break;
      case scenario::StageType::kRandomized:
        out.emplace_back(randomized_summary(summary, i));
        break;
    }
  }
  return out;
}

nlohmann::json stage_json(const scenario::StageSpec& st, const StageSummary& s) {
  nlohmann::json j = std::visit(
      [&](const auto& x) -> nlohmann::json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, EscalationSummary>) return escalation_json(x);
        if constexpr (std::is_same_v<T, SingleArmSummary>) return single_arm_json(x);
        if constexpr (std::is_same_v<T, RandomizedSummary>) return randomized_json(st, x);
      },
      s);
  j["name"] = st.name;
  return j;
}

nlohmann::json summary_json(const ProgrammeSummary& summary,
                            const std::vector<StageSummary>& stages) {
  const auto& s = summary.scenario();
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t i = 0; i < stages.size(); ++i) out.push_back(stage_json(s.stages[i], stages[i]));
  return {{"scenario", s.name},
          {"seed", s.seed},
          {"replicates", summary.replicates()},
          {"stages", out}};
}

core::FieldTable<LevelSummary> level_summary_fields() {
  return kLevelFields;
}
core::FieldTable<EscalationSummary> escalation_summary_fields() {
  return kEscalationFields;
}
core::FieldTable<HistoricalComparison> historical_comparison_fields() {
  return kHistoricalFields;
}
core::FieldTable<SingleArmSummary> single_arm_summary_fields() {
  return kSingleArmFields;
}
core::FieldTable<ArmSummary> arm_summary_fields() {
  return kArmFields;
}
core::FieldTable<RandomizedSummary> randomized_summary_fields() {
  return kRandomizedFields;
}

}  // namespace il2sim::trial
