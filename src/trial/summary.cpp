#include "trial/summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>

#include "core/json_number.hpp"
#include "core/statistics.hpp"
#include "core/text.hpp"

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
  return {mean(v),       core::quantile(v, 0.025), core::quantile(v, 0.975),
          mc_se_mean(v), mc_se_quantile(v, 0.025), mc_se_quantile(v, 0.975)};
}
/// The share of replicates with a 1 in `flags` (0/1 values) and its Monte Carlo SE.
std::pair<double, double> share(const std::vector<double>& flags) {
  const double p = mean(flags);
  return {p, mc_se_proportion(p, static_cast<double>(flags.size()))};
}
double below_005(double p) {
  return p < 0.05 ? 1.0 : 0.0;
}
double rate(int responses, int treated) {
  return treated > 0 ? static_cast<double>(responses) / treated : kNoValue;
}

// ---- JSON from field tables -------------------------------------------------------------------

nlohmann::json num(double v) {
  return core::json_number(v);
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

constexpr std::string_view kSeMean = "Monte Carlo SE of the mean: sd / sqrt(replicates)";
constexpr std::string_view kSeQuantile =
    "Monte Carlo SE of the quantile: half the order-statistic binomial 95 % interval / 1.96";
constexpr std::string_view kSeProportion =
    "Monte Carlo SE of the share: sqrt(p (1 - p) / replicates)";
constexpr std::string_view kSeRatio =
    "Monte Carlo SE of the pooled ratio (ratio estimator over replicates)";

constexpr std::array<core::Field<Spread>, 6> kSpreadFields{{
    member<&Spread::mean>("mean", kReal, "", "mean over replicates"),
    member<&Spread::mean_mc_se>("mean_mc_se", kReal, "", kSeMean),
    member<&Spread::q025>("q025", kReal, "", "2.5 % quantile over replicates"),
    member<&Spread::q025_mc_se>("q025_mc_se", kReal, "", kSeQuantile),
    member<&Spread::q975>("q975", kReal, "", "97.5 % quantile over replicates"),
    member<&Spread::q975_mc_se>("q975_mc_se", kReal, "", kSeQuantile),
}};
nlohmann::json spread_json(const Spread& s) {
  return fields_json<Spread>(s, kSpreadFields);
}

// ---- Dose escalation --------------------------------------------------------------------------

constexpr std::array<core::Field<LevelSummary>, 9> kLevelFields{{
    member<&LevelSummary::level>("level", kInt, "", "1-based dose level"),
    member<&LevelSummary::dose>("dose", kReal, "", "the level's dose"),
    member<&LevelSummary::days>("days", kReal, "day", "the level's duration (null: the regimen's)"),
    member<&LevelSummary::p_select>("p_select", kReal, "", "share of replicates selecting it"),
    member<&LevelSummary::p_select_mc_se>("p_select_mc_se", kReal, "", kSeProportion),
    member<&LevelSummary::mean_patients>("mean_patients", kReal, "patients",
                                         "patients treated at it per trial"),
    member<&LevelSummary::mean_patients_mc_se>("mean_patients_mc_se", kReal, "patients", kSeMean),
    member<&LevelSummary::observed_dlt_rate>("observed_dlt_rate", kReal, "",
                                             "DLTs / treated at it, pooled over replicates"),
    member<&LevelSummary::observed_dlt_rate_mc_se>("observed_dlt_rate_mc_se", kReal, "", kSeRatio),
}};

FieldValue p_select_list(const EscalationSummary& e) {
  std::vector<double> p;
  for (const auto& l : e.levels) p.push_back(l.p_select);
  return p;
}
FieldValue p_select_mc_se_list(const EscalationSummary& e) {
  std::vector<double> p;
  for (const auto& l : e.levels) p.push_back(l.p_select_mc_se);
  return p;
}
const char* method_text(scenario::EscalationMethod m) {
  return m == scenario::EscalationMethod::kThreePlusThree ? "3+3"
         : m == scenario::EscalationMethod::kBoin         ? "boin"
                                                          : "crm";
}

using Es = EscalationSummary;
constexpr std::array<core::Field<Es>, 9> kEscalationFields{{
    member<&Es::method>("method", kText, "", "3+3, boin or crm"),
    {"p_select", kList, "", "share of replicates selecting each level", &p_select_list},
    {"p_select_mc_se", kList, "", kSeProportion, &p_select_mc_se_list},
    member<&Es::p_select_none>("p_select_none", kReal, "", "share of replicates selecting no MTD"),
    member<&Es::p_select_none_mc_se>("p_select_none_mc_se", kReal, "", kSeProportion),
    member<&Es::mean_patients>("mean_patients", kReal, "patients", "evaluable patients per trial"),
    member<&Es::mean_patients_mc_se>("mean_patients_mc_se", kReal, "patients", kSeMean),
    member<&Es::mean_not_evaluable>("mean_not_evaluable", kReal, "patients",
                                    "replaced patients per trial"),
    member<&Es::mean_not_evaluable_mc_se>("mean_not_evaluable_mc_se", kReal, "patients", kSeMean),
}};

EscalationSummary escalation_summary(const ProgrammeSummary& ps, std::size_t i) {
  const auto& st = ps.scenario().stages[i];
  const auto n = static_cast<double>(std::max(1L, ps.replicates()));
  const std::size_t L = st.levels.size();
  // Per replicate: selected level flags, patients and DLTs per level, totals.
  std::vector<std::vector<double>> select(L), treated(L), dlts(L);
  std::vector<double> none, patients, not_evaluable;
  for (const auto& rep : ps.results()) {
    const auto& e = std::get<EscalationResult>(rep[i]);
    none.push_back(e.mtd ? 0.0 : 1.0);
    for (std::size_t l = 0; l < L; ++l) {
      select[l].push_back(e.mtd && static_cast<std::size_t>(*e.mtd) == l ? 1.0 : 0.0);
      treated[l].push_back(0.0);
      dlts[l].push_back(0.0);
    }
    for (const auto& p : e.patients) {
      treated[static_cast<std::size_t>(p.level)].back() += 1.0;
      dlts[static_cast<std::size_t>(p.level)].back() += p.dlt ? 1.0 : 0.0;
    }
    patients.push_back(static_cast<double>(e.patients.size()));
    not_evaluable.push_back(e.not_evaluable);
  }
  const auto total = [](const std::vector<double>& v) {
    double t = 0.0;
    for (const double x : v) t += x;
    return t;
  };
  EscalationSummary s;
  s.method = method_text(st.method);
  std::vector<double> selected(L);
  for (std::size_t l = 0; l < L; ++l) {
    LevelSummary level;
    level.level = static_cast<int>(l + 1);
    level.dose = st.levels[l].dose;
    level.days = st.levels[l].days.value_or(kNoValue);
    selected[l] = total(select[l]);
    level.p_select = selected[l] / n;
    level.p_select_mc_se = mc_se_proportion(level.p_select, n);
    level.mean_patients = total(treated[l]) / n;
    level.mean_patients_mc_se = mc_se_mean(treated[l]);
    if (total(treated[l]) > 0) {
      level.observed_dlt_rate = total(dlts[l]) / total(treated[l]);
      level.observed_dlt_rate_mc_se = mc_se_ratio(dlts[l], treated[l]);
    }
    s.levels.push_back(level);
  }
  s.p_select_none = total(none) / n;
  s.p_select_none_mc_se = mc_se_proportion(s.p_select_none, n);
  const auto best = std::max_element(selected.begin(), selected.end());
  if (best != selected.end() && *best > total(none)) {
    s.mtd = static_cast<std::size_t>(best - selected.begin());
    s.mtd_dose = st.levels[*s.mtd].dose;
  }
  s.mean_patients = total(patients) / n;
  s.mean_patients_mc_se = mc_se_mean(patients);
  s.mean_not_evaluable = total(not_evaluable) / n;
  s.mean_not_evaluable_mc_se = mc_se_mean(not_evaluable);
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
constexpr std::array<core::Field<Hc>, 13> kHistoricalFields{{
    member<&Hc::at_days>("at_days", kReal, "day", "the stage's comparison_days"),
    member<&Hc::rfs_il2_from_transplant>("rfs_il2_from_transplant", kReal, "",
                                         "KM RFS of the treated, from transplant (mean)"),
    member<&Hc::rfs_il2_from_transplant_mc_se>("rfs_il2_from_transplant_mc_se", kReal, "", kSeMean),
    member<&Hc::rfs_control_from_transplant>("rfs_control_from_transplant", kReal, "",
                                             "the same for the historical control"),
    member<&Hc::rfs_control_from_transplant_mc_se>("rfs_control_from_transplant_mc_se", kReal, "",
                                                   kSeMean),
    member<&Hc::rfs_il2_from_landmark>("rfs_il2_from_landmark", kReal, "",
                                       "KM RFS of the treated, from IL-2 start (mean)"),
    member<&Hc::rfs_il2_from_landmark_mc_se>("rfs_il2_from_landmark_mc_se", kReal, "", kSeMean),
    member<&Hc::rfs_control_from_landmark>("rfs_control_from_landmark", kReal, "",
                                           "the same for the historical control"),
    member<&Hc::rfs_control_from_landmark_mc_se>("rfs_control_from_landmark_mc_se", kReal, "",
                                                 kSeMean),
    member<&Hc::p_below_005_from_transplant>("p_logrank_below_0.05_from_transplant", kReal, "",
                                             "share of replicates with log-rank p < 0.05"),
    member<&Hc::p_below_005_from_transplant_mc_se>("p_logrank_below_0.05_from_transplant_mc_se",
                                                   kReal, "", kSeProportion),
    member<&Hc::p_below_005_from_landmark>("p_logrank_below_0.05_from_landmark", kReal, "",
                                           "the same from the landmark"),
    member<&Hc::p_below_005_from_landmark_mc_se>("p_logrank_below_0.05_from_landmark_mc_se", kReal,
                                                 "", kSeProportion),
}};

FieldValue p_reject(const SingleArmSummary& s) {
  return s.p_reject_h0;
}
FieldValue p_reject_mc_se(const SingleArmSummary& s) {
  return s.p_reject_h0_mc_se;
}
using Ss = SingleArmSummary;
constexpr std::array<core::Field<Ss>, 13> kSingleArmFields{{
    member<&Ss::replicates_run>("replicates_run", kReal, "", "replicates that ran the stage"),
    member<&Ss::p_reject_h0>("p_reject_h0", kReal, "", "P(reject H0)"),
    member<&Ss::p_reject_h0_mc_se>("p_reject_h0_mc_se", kReal, "", kSeProportion),
    {"decision_promising", kReal, "", "P(promising) (= p_reject_h0)", &p_reject},
    {"decision_promising_mc_se", kReal, "", kSeProportion, &p_reject_mc_se},
    member<&Ss::p_early_stop>("p_early_stop", kReal, "", "P(stop at stage 1)"),
    member<&Ss::p_early_stop_mc_se>("p_early_stop_mc_se", kReal, "", kSeProportion),
    member<&Ss::mean_treated>("mean_treated", kReal, "patients", "treated per trial"),
    member<&Ss::mean_treated_mc_se>("mean_treated_mc_se", kReal, "patients", kSeMean),
    member<&Ss::response_rate_mean>("response_rate_mean", kReal, "", "responses / treated, mean"),
    member<&Ss::response_rate_mean_mc_se>("response_rate_mean_mc_se", kReal, "", kSeMean),
    member<&Ss::dose_median>("dose_median", kReal, "", "median dose given"),
    member<&Ss::dose_median_mc_se>("dose_median_mc_se", kReal, "", kSeQuantile),
}};

using Sba = SelectionBiasArm;
constexpr std::array<core::Field<Sba>, 6> kSelectionBiasArmFields{{
    member<&Sba::p_below_005_from_transplant>("p_logrank_below_0.05_from_transplant", kReal, "",
                                              "share of replicates with log-rank p < 0.05"),
    member<&Sba::p_below_005_from_transplant_mc_se>("p_logrank_below_0.05_from_transplant_mc_se",
                                                    kReal, "", kSeProportion),
    member<&Sba::p_below_005_from_landmark>("p_logrank_below_0.05_from_landmark", kReal, "",
                                            "the same from the landmark"),
    member<&Sba::p_below_005_from_landmark_mc_se>("p_logrank_below_0.05_from_landmark_mc_se", kReal,
                                                  "", kSeProportion),
    member<&Sba::response_rate_mean>("response_rate_mean", kReal, "", "responses / treated"),
    member<&Sba::response_rate_mean_mc_se>("response_rate_mean_mc_se", kReal, "", kSeMean),
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
    SelectionBiasArm a{spread(tx[k]), spread(lm[k]), spread(dtx[k]), spread(dlm[k]),
                       mean(ptx[k]),  mean(plm[k]),  mean(rates[k])};
    a.p_below_005_from_transplant_mc_se = share(ptx[k]).second;
    a.p_below_005_from_landmark_mc_se = share(plm[k]).second;
    a.response_rate_mean_mc_se = mc_se_mean(rates[k]);
    return a;
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
  std::vector<double> reject, early, treated, rates, tx, lm, ctx, clm, p_tx, p_lm, dose;
  for (const auto* a : run) {
    reject.push_back(a->reject_h0 ? 1.0 : 0.0);
    early.push_back(a->stopped_early ? 1.0 : 0.0);
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
  if (!run.empty()) {
    std::tie(s.p_reject_h0, s.p_reject_h0_mc_se) = share(reject);
    std::tie(s.p_early_stop, s.p_early_stop_mc_se) = share(early);
  }
  s.mean_treated = mean(treated);
  s.mean_treated_mc_se = mc_se_mean(treated);
  s.response_rate_mean = mean(rates);
  s.response_rate_mean_mc_se = mc_se_mean(rates);
  s.dose_median = median(dose);
  s.dose_median_mc_se = mc_se_quantile(dose, 0.5);
  s.historical = {st.comparison_days, mean(tx),   mean(ctx), mean(lm),
                  mean(clm),          mean(p_tx), mean(p_lm)};
  auto& h = s.historical;
  h.rfs_il2_from_transplant_mc_se = mc_se_mean(tx);
  h.rfs_control_from_transplant_mc_se = mc_se_mean(ctx);
  h.rfs_il2_from_landmark_mc_se = mc_se_mean(lm);
  h.rfs_control_from_landmark_mc_se = mc_se_mean(clm);
  h.p_below_005_from_transplant_mc_se = share(p_tx).second;
  h.p_below_005_from_landmark_mc_se = share(p_lm).second;
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

using As = ArmSummary;
constexpr std::array<core::Field<As>, 11> kArmFields{{
    member<&As::arm>("arm", kText, "", "arm name"),
    member<&As::randomized_mean>("randomized_mean", kReal, "patients", "randomized per trial"),
    member<&As::randomized_mean_mc_se>("randomized_mean_mc_se", kReal, "patients", kSeMean),
    member<&As::pfs_median_months>("pfs_median_months", kReal, "month",
                                   "median over replicates of the median PFS"),
    member<&As::pfs_median_months_mc_se>("pfs_median_months_mc_se", kReal, "month", kSeQuantile),
    member<&As::os_median_months>("os_median_months", kReal, "month",
                                  "median over replicates of the median OS"),
    member<&As::os_median_months_mc_se>("os_median_months_mc_se", kReal, "month", kSeQuantile),
    member<&As::relapse_2y>("relapse_2y", kReal, "",
                            "median over replicates of the 2-year relapse incidence"),
    member<&As::relapse_2y_mc_se>("relapse_2y_mc_se", kReal, "", kSeQuantile),
    member<&As::not_started_fraction>(
        "not_started_fraction", kReal, "",
        "randomized but did not start IL-2 / randomized, pooled (attrition after randomization)"),
    member<&As::not_started_fraction_mc_se>("not_started_fraction_mc_se", kReal, "", kSeRatio),
}};

using Rs = RandomizedSummary;
constexpr std::array<core::Field<Rs>, 26> kRandomizedFields{{
    member<&Rs::replicates_run>("replicates_run", kReal, "", "replicates that ran the stage"),
    member<&Rs::power>("power", kReal, "", "P(reject H0)"),
    member<&Rs::power_mc_se>("power_mc_se", kReal, "", kSeProportion),
    member<&Rs::hr_median>("hr_median", kReal, "", "median Cox HR at the stop"),
    member<&Rs::hr_median_mc_se>("hr_median_mc_se", kReal, "", kSeQuantile),
    member<&Rs::hr_q05>("hr_q05", kReal, "", "5 % quantile of the HR"),
    member<&Rs::hr_q05_mc_se>("hr_q05_mc_se", kReal, "", kSeQuantile),
    member<&Rs::hr_q95>("hr_q95", kReal, "", "95 % quantile of the HR"),
    member<&Rs::hr_q95_mc_se>("hr_q95_mc_se", kReal, "", kSeQuantile),
    member<&Rs::events_median>("events_median", kReal, "events", "median events at the stop"),
    member<&Rs::events_median_mc_se>("events_median_mc_se", kReal, "events", kSeQuantile),
    member<&Rs::target_events>("target_events", kInt, "events", "events planned"),
    member<&Rs::duration_months_median>("duration_months_median", kReal, "month",
                                        "median trial duration"),
    member<&Rs::duration_months_median_mc_se>("duration_months_median_mc_se", kReal, "month",
                                              kSeQuantile),
    member<&Rs::not_randomized_fraction>("not_randomized_fraction", kReal, "",
                                         "registered but not randomized / registered"),
    member<&Rs::not_randomized_fraction_mc_se>("not_randomized_fraction_mc_se", kReal, "",
                                               kSeRatio),
    member<&Rs::registered_per_trial>("registered_per_trial", kReal, "patients",
                                      "registered per trial"),
    member<&Rs::registered_per_trial_mc_se>("registered_per_trial_mc_se", kReal, "patients",
                                            kSeMean),
    member<&Rs::os_hr_median>("os_hr_median", kReal, "", "median Cox HR of OS at the stop"),
    member<&Rs::os_hr_median_mc_se>("os_hr_median_mc_se", kReal, "", kSeQuantile),
    member<&Rs::os_hr_q05>("os_hr_q05", kReal, "", "5 % quantile of the OS HR"),
    member<&Rs::os_hr_q05_mc_se>("os_hr_q05_mc_se", kReal, "", kSeQuantile),
    member<&Rs::os_hr_q95>("os_hr_q95", kReal, "", "95 % quantile of the OS HR"),
    member<&Rs::os_hr_q95_mc_se>("os_hr_q95_mc_se", kReal, "", kSeQuantile),
    member<&Rs::randomized_mean>("randomized_mean", kReal, "patients",
                                 "randomized per trial (both arms)"),
    member<&Rs::randomized_mean_mc_se>("randomized_mean_mc_se", kReal, "patients", kSeMean),
}};

/// The standard normal's 97.5 % quantile (the z of the Cox 95 % interval, survival/cox.cpp).
constexpr double kZ975 = 1.959963984540054;

/// The per-replicate values of a randomized stage, collected for the aggregation.
struct RandomizedValues {
  std::vector<double> log_hr, log_hr_se;  ///< replicates with a finite Cox HR and SE > 0
  std::vector<std::uint32_t> log_hr_set;  ///< their ensemble sets (a run over an ensemble)
  std::vector<double> hr, os_hr, events, duration, reject, registered, lost, randomized_total;
  std::map<std::string, std::vector<double>> attrition;  ///< per cause, per replicate
  std::vector<std::string> decision;
  std::vector<std::vector<double>> pfs, os, rel, randomized, not_started, pfs_lm, os_lm;
  double run = 0;
  int target = 0;
  std::size_t years = 0;
  /// per arm, per cause, per replicate: randomized but not started
  std::vector<std::map<std::string, std::vector<double>>> not_started_causes;
  RandomizedValues(std::size_t arms, std::size_t landmark_years)
      : pfs(arms),
        os(arms),
        rel(arms),
        randomized(arms),
        not_started(arms),
        pfs_lm(arms * landmark_years),
        os_lm(arms * landmark_years),
        years(landmark_years),
        not_started_causes(arms) {}
  void add(const RandomizedResult& r, std::uint32_t set) {
    run += 1;
    hr.push_back(r.hr);
    // The Cox SE of log HR from its 95 % interval, exp(coef -/+ z se).
    const double se = (std::log(r.hr_upper) - std::log(r.hr_lower)) / (2.0 * kZ975);
    if (std::isfinite(std::log(r.hr)) && std::isfinite(se) && se > 0) {
      log_hr.push_back(std::log(r.hr));
      log_hr_se.push_back(se);
      log_hr_set.push_back(set);
    }
    os_hr.push_back(r.os_hr);
    events.push_back(r.events);
    duration.push_back(r.duration_months);
    reject.push_back(r.reject ? 1.0 : 0.0);
    registered.push_back(r.registered);
    target = r.target_events;
    decision.push_back(r.decision);
    double lost_here = 0, randomized_here = 0;
    for (const auto& [cause, count] : r.attrition) lost_here += count;
    lost.push_back(lost_here);
    for (const auto& [cause, count] : r.attrition) {
      auto& v = attrition[cause];
      v.resize(static_cast<std::size_t>(run) - 1, 0.0);
      v.push_back(count);
    }
    for (std::size_t a = 0; a < pfs.size(); ++a) {
      pfs[a].push_back(r.pfs_median_months[a]);
      os[a].push_back(r.os_median_months[a]);
      rel[a].push_back(r.relapse_2y[a]);
      randomized[a].push_back(r.randomized[a]);
      randomized_here += r.randomized[a];
      not_started[a].push_back(a < r.not_started.size() ? r.not_started[a] : 0.0);
      for (std::size_t y = 0; y < years; ++y) {
        const std::size_t k = a * years + y;
        pfs_lm[k].push_back(k < r.pfs_landmark.size() ? r.pfs_landmark[k] : kNoValue);
        os_lm[k].push_back(k < r.os_landmark.size() ? r.os_landmark[k] : kNoValue);
      }
    }
    randomized_total.push_back(randomized_here);
    for (const auto& row : r.not_started_causes) {
      auto& v = not_started_causes.at(static_cast<std::size_t>(row.arm))[row.cause];
      v.resize(static_cast<std::size_t>(run), 0.0);
      v.back() += row.patients;
    }
  }
};

double total(const std::vector<double>& v) {
  double t = 0.0;
  for (const double x : v) t += x;
  return t;
}

/// The landmark year as a JSON key: "1", "2.5".
std::string year_key(double y) {
  return core::format_double(y);
}

ArmSummary arm_summary(const scenario::StageSpec& st, const RandomizedValues& v, std::size_t a) {
  ArmSummary s;
  s.arm = st.arms[a];
  s.randomized_mean = mean(v.randomized[a]);
  s.pfs_median_months = median(v.pfs[a]);
  s.os_median_months = median(v.os[a]);
  s.relapse_2y = median(v.rel[a]);
  s.randomized_mean_mc_se = mc_se_mean(v.randomized[a]);
  s.pfs_median_months_mc_se = mc_se_quantile(v.pfs[a], 0.5);
  s.os_median_months_mc_se = mc_se_quantile(v.os[a], 0.5);
  s.relapse_2y_mc_se = mc_se_quantile(v.rel[a], 0.5);
  if (total(v.randomized[a]) > 0) {
    s.not_started_fraction = total(v.not_started[a]) / total(v.randomized[a]);
    s.not_started_fraction_mc_se = mc_se_ratio(v.not_started[a], v.randomized[a]);
  }
  for (auto [cause, n] : v.not_started_causes[a]) {
    n.resize(v.randomized[a].size(), 0.0);
    if (total(v.randomized[a]) > 0) {
      s.not_started_by_cause[cause] = total(n) / total(v.randomized[a]);
      s.not_started_by_cause_mc_se[cause] = mc_se_ratio(n, v.randomized[a]);
    }
  }
  for (std::size_t y = 0; y < v.years; ++y) {
    const auto key = year_key(st.landmark_years[y]);
    const auto& p = v.pfs_lm[a * v.years + y];
    const auto& o = v.os_lm[a * v.years + y];
    s.pfs_landmark[key] = mean(p);
    s.pfs_landmark_mc_se[key] = mc_se_mean(p);
    s.os_landmark[key] = mean(o);
    s.os_landmark_mc_se[key] = mc_se_mean(o);
  }
  return s;
}

RandomizedSummary randomized_summary(const ProgrammeSummary& ps, std::size_t i) {
  const auto& st = ps.scenario().stages[i];
  RandomizedValues v(st.arms.size(), st.landmark_years.size());
  const auto& sets = ps.ensemble_sets();
  for (std::size_t r = 0; r < ps.results().size(); ++r) {
    const auto* res = std::get_if<RandomizedResult>(&ps.results()[r][i]);
    if (res != nullptr) v.add(*res, r < sets.size() ? sets[r] : 0U);
  }
  RandomizedSummary s;
  const double m = std::max(v.run, 1.0);
  s.replicates_run = v.run;
  s.power = mean(v.reject);
  s.power_mc_se = mc_se_proportion(s.power, v.run);
  s.hr_median = median(v.hr);
  s.hr_q05 = core::quantile(v.hr, 0.05);
  s.hr_q95 = core::quantile(v.hr, 0.95);
  s.hr_median_mc_se = mc_se_quantile(v.hr, 0.5);
  s.hr_q05_mc_se = mc_se_quantile(v.hr, 0.05);
  s.hr_q95_mc_se = mc_se_quantile(v.hr, 0.95);
  s.os_hr_median = median(v.os_hr);
  s.os_hr_q05 = core::quantile(v.os_hr, 0.05);
  s.os_hr_q95 = core::quantile(v.os_hr, 0.95);
  s.os_hr_median_mc_se = mc_se_quantile(v.os_hr, 0.5);
  s.os_hr_q05_mc_se = mc_se_quantile(v.os_hr, 0.05);
  s.os_hr_q95_mc_se = mc_se_quantile(v.os_hr, 0.95);
  s.events_median = median(v.events);
  s.events_median_mc_se = mc_se_quantile(v.events, 0.5);
  s.target_events = v.target;
  s.duration_months_median = median(v.duration);
  s.duration_months_median_mc_se = mc_se_quantile(v.duration, 0.5);
  // Every decision the stage can reach has a share, 0 when no replicate reached it (a sweep's
  // table and plots then show 0, not a missing value).
  for (const auto d : possible_decisions(st)) s.decisions[std::string(d)] = 0.0;
  for (const auto& d : v.decision) s.decisions[d] += 1;
  for (auto& [k, n] : s.decisions) {
    n /= m;
    s.decisions_mc_se[k] = mc_se_proportion(n, v.run);
  }
  const double registered = total(v.registered);
  for (auto [k, n] : v.attrition) {
    n.resize(v.registered.size(), 0.0);
    s.attrition[k] = registered > 0 ? total(n) / registered : 0.0;
    s.attrition_mc_se[k] = mc_se_ratio(n, v.registered);
  }
  s.not_randomized_fraction = registered > 0 ? total(v.lost) / registered : 0.0;
  s.not_randomized_fraction_mc_se = mc_se_ratio(v.lost, v.registered);
  s.registered_per_trial = registered / m;
  s.registered_per_trial_mc_se = mc_se_mean(v.registered);
  s.randomized_mean = mean(v.randomized_total);
  s.randomized_mean_mc_se = mc_se_mean(v.randomized_total);
  for (std::size_t a = 0; a < st.arms.size(); ++a) s.arms.push_back(arm_summary(st, v, a));
  if (ps.ensemble()) s.ensemble = ensemble_split(v.log_hr, v.log_hr_se, v.log_hr_set, v.reject);
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
  j["decisions_mc_se"] = shares_json(s.decisions_mc_se);
  j["attrition_before_randomization"] = shares_json(s.attrition);
  j["attrition_before_randomization_mc_se"] = shares_json(s.attrition_mc_se);
  j["arms"] = nlohmann::json::array();
  for (const auto& a : s.arms) {
    auto arm = fields_json<ArmSummary>(a, kArmFields);
    arm["not_started_by_cause"] = shares_json(a.not_started_by_cause);
    arm["not_started_by_cause_mc_se"] = shares_json(a.not_started_by_cause_mc_se);
    arm["pfs_landmark"] = shares_json(a.pfs_landmark);
    arm["pfs_landmark_mc_se"] = shares_json(a.pfs_landmark_mc_se);
    arm["os_landmark"] = shares_json(a.os_landmark);
    arm["os_landmark_mc_se"] = shares_json(a.os_landmark_mc_se);
    j["arms"].push_back(std::move(arm));
  }
  if (s.ensemble) {
    const auto& e = *s.ensemble;
    j["assurance"] = num(e.assurance);
    j["assurance_mc_se"] = num(e.assurance_mc_se);
    j["variance_split"] = {{"parameters", num(e.parameters)}, {"sampling", num(e.sampling)}};
    j["variance_log_hr"] = {{"total", num(e.variance_total)},
                            {"sampling", num(e.variance_sampling)},
                            {"replicates", e.replicates_with_hr},
                            {"method", e.method}};
  }
  j["design"] = {{"looks", st.looks},
                 {"one_sided_alpha", st.one_sided_alpha},
                 {"design_hr", st.design_hr},
                 {"power", st.power}};
  return j;
}

}  // namespace

double mc_se_proportion(double p, double n) {
  if (!(n > 0) || !std::isfinite(p)) return kNoValue;
  return std::sqrt(p * (1.0 - p) / n);
}

namespace {
std::vector<double> finite(const std::vector<double>& v) {
  std::vector<double> out;
  for (const double x : v) {
    if (std::isfinite(x)) out.push_back(x);
  }
  return out;
}
}  // namespace

double mc_se_mean(const std::vector<double>& values) {
  const auto v = finite(values);
  if (v.size() < 2) return kNoValue;
  const double n = static_cast<double>(v.size());
  double m = 0.0;
  for (const double x : v) m += x;
  m /= n;
  double ss = 0.0;
  for (const double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / (n - 1.0) / n);
}

double mc_se_quantile(const std::vector<double>& values, double q) {
  auto v = finite(values);
  if (v.size() < 2) return kNoValue;
  std::sort(v.begin(), v.end());
  constexpr double kZ = 1.959963984540054;  // the 97.5 % normal quantile
  const double n = static_cast<double>(v.size());
  const double half = kZ * std::sqrt(n * q * (1.0 - q));
  const auto clamp = [&](double k) {
    return static_cast<std::size_t>(std::clamp(k, 1.0, n)) - 1;  // 1-based rank to index
  };
  const std::size_t l = clamp(std::floor(n * q - half));
  const std::size_t u = clamp(std::ceil(n * q + half));
  return (v[u] - v[l]) / (2.0 * kZ);
}

double mc_se_ratio(const std::vector<double>& a, const std::vector<double>& b) {
  const std::size_t n = std::min(a.size(), b.size());
  if (n < 2) return kNoValue;
  double sa = 0.0, sb = 0.0;
  for (std::size_t i = 0; i < n; ++i) sa += a[i], sb += b[i];
  if (!(sb > 0)) return kNoValue;
  const double r = sa / sb;
  double ss = 0.0;
  for (std::size_t i = 0; i < n; ++i) ss += (a[i] - r * b[i]) * (a[i] - r * b[i]);
  const double dn = static_cast<double>(n);
  return std::sqrt(ss / (dn * (dn - 1.0))) / (sb / dn);
}

namespace {

/// Sample variance (n - 1) of `x`; NaN for fewer than two values.
double sample_variance(const std::vector<double>& x) {
  if (x.size() < 2) return kNoValue;
  const double m = mean(x);
  double ss = 0.0;
  for (const double v : x) ss += (v - m) * (v - m);
  return ss / (static_cast<double>(x.size()) - 1.0);
}

/// The law of total variance over the groups of `x` (one group per ensemble set, the set drawn
/// with its weight): {Var(E[x | group]), E[Var(x | group)]}. Within = MSW, the pooled variance
/// SSW / (N - K); between = max(0, (SSB - (K - 1) MSW) / N), the variance of the group means
/// weighted by their shares n_k / N with the noise of the means removed (E[SSB] =
/// N Var_w(mu) + (K - 1) sigma_w^2 for a common within-group variance; the ensemble is the whole
/// distribution, not a sample of sets, so no K - 1 divisor). Empty when there are fewer than
/// `min_within_df` within-group degrees of freedom (N - K).
std::optional<std::pair<double, double>> total_variance_parts(
    const std::vector<double>& x, const std::vector<std::uint32_t>& group, double min_within_df) {
  std::map<std::uint32_t, std::vector<double>> by;
  for (std::size_t i = 0; i < x.size(); ++i) by[group[i]].push_back(x[i]);
  const double n = static_cast<double>(x.size()), k = static_cast<double>(by.size());
  if (n - k < min_within_df) return std::nullopt;
  const double grand = mean(x);
  double ssw = 0.0, ssb = 0.0;
  for (const auto& [g, v] : by) {
    const double m = mean(v), nk = static_cast<double>(v.size());
    for (const double xi : v) ssw += (xi - m) * (xi - m);
    ssb += nk * (m - grand) * (m - grand);
  }
  const double msw = ssw / (n - k);
  return std::make_pair(std::max(0.0, (ssb - (k - 1.0) * msw) / n), msw);
}

}  // namespace

EnsembleSplit ensemble_split(const std::vector<double>& log_hr, const std::vector<double>& se,
                             const std::vector<std::uint32_t>& set,
                             const std::vector<double>& reject) {
  EnsembleSplit e;
  const double n = static_cast<double>(reject.size());
  e.assurance = mean(reject);
  e.assurance_mc_se = mc_se_proportion(e.assurance, n);
  e.replicates_with_hr = static_cast<double>(log_hr.size());
  if (log_hr.size() < 2) return e;
  e.variance_total = sample_variance(log_hr);
  double parameters = 0.0;
  if (const auto anova = total_variance_parts(log_hr, set, kMinWithinSetDf)) {
    e.method = "within_sets";
    parameters = anova->first;
    e.variance_sampling = anova->second;
  } else {
    e.method = "cox_se";
    double se2 = 0.0;
    for (const double s : se) se2 += s * s;
    e.variance_sampling = se2 / e.replicates_with_hr;
    parameters = std::max(0.0, e.variance_total - e.variance_sampling);
  }
  const double whole = parameters + e.variance_sampling;
  if (whole > 0) {
    e.parameters = parameters / whole;
    e.sampling = e.variance_sampling / whole;
  }
  return e;
}

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
