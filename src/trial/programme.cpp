#include "trial/programme.hpp"
#include "core/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace il2sim::trial {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

nlohmann::json num(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

double mean(const std::vector<double>& v) {
  double s = 0.0;
  long n = 0;
  for (const double x : v) {
    if (std::isfinite(x)) s += x, ++n;
  }
  return n > 0 ? s / static_cast<double>(n) : kNaN;
}

/// Mean and 2.5–97.5 % range over replicates (type 7 quantiles of the finite values).
nlohmann::json spread(const std::vector<double>& v) {
  return {{"mean", num(mean(v))},
          {"q025", num(core::quantile(v, 0.025))},
          {"q975", num(core::quantile(v, 0.975))}};
}

/// The selection-bias analysis of a single-arm stage over the replicates in which it ran:
/// relapse-free survival at comparison_days of the treated with and without IL-2's effect on tumour
/// kill and of the historical control, from transplant and from the landmark, and the differences
/// treated − control.
nlohmann::json selection_bias_json(const std::vector<std::vector<StageResult>>& kept, std::size_t i,
                                   const scenario::StageSpec& st) {
  std::vector<double> ctx, clm;
  std::vector<double> tx[2], lm[2], dtx[2], dlm[2], ptx[2], plm[2], rate[2];
  for (const auto& rep : kept) {
    const auto& a = std::get<SingleArmResult>(rep[i]);
    if (a.planned_n < 0) continue;
    ctx.push_back(a.control_from_transplant);
    clm.push_back(a.control_from_landmark);
    const double treated_tx[2] = {a.rfs_from_transplant, a.rfs_from_transplant_without_effect};
    const double treated_lm[2] = {a.rfs_from_landmark, a.rfs_from_landmark_without_effect};
    const double p_tx[2] = {a.logrank_p_transplant, a.logrank_p_transplant_without_effect};
    const double p_lm[2] = {a.logrank_p_landmark, a.logrank_p_landmark_without_effect};
    const int responses[2] = {a.responses, a.responses_without_effect};
    for (int k = 0; k < 2; ++k) {
      tx[k].push_back(treated_tx[k]);
      lm[k].push_back(treated_lm[k]);
      dtx[k].push_back(treated_tx[k] - a.control_from_transplant);
      dlm[k].push_back(treated_lm[k] - a.control_from_landmark);
      ptx[k].push_back(p_tx[k] < 0.05 ? 1.0 : 0.0);
      plm[k].push_back(p_lm[k] < 0.05 ? 1.0 : 0.0);
      rate[k].push_back(a.treated > 0 ? static_cast<double>(responses[k]) / a.treated : kNaN);
    }
  }
  auto arm = [&](int k) {
    return nlohmann::json{{"rfs_from_transplant", spread(tx[k])},
                          {"rfs_from_landmark", spread(lm[k])},
                          {"difference_from_transplant", spread(dtx[k])},
                          {"difference_from_landmark", spread(dlm[k])},
                          {"p_logrank_below_0.05_from_transplant", num(mean(ptx[k]))},
                          {"p_logrank_below_0.05_from_landmark", num(mean(plm[k]))},
                          {"response_rate_mean", num(mean(rate[k]))}};
  };
  return {{"at_days", st.comparison_days},
          {"replicates", ctx.size()},
          {"with_effect", arm(0)},
          {"without_effect", arm(1)},
          {"control", {{"rfs_from_transplant", spread(ctx)}, {"rfs_from_landmark", spread(clm)}}},
          {"apparent_benefit_from_selection", spread(dtx[1])},
          {"apparent_benefit_from_selection_landmark", spread(dlm[1])}};
}

}  // namespace

ReplicateResult run_replicate(const scenario::Scenario& s, std::uint32_t replicate,
                              bool keep_patients, unsigned threads) {
  ReplicateResult out;
  out.replicate = replicate;
  std::map<std::string, std::optional<int>> mtds;
  for (std::size_t i = 0; i < s.stages.size(); ++i) {
    const auto& st = s.stages[i];
    std::vector<StagePatient> kept;
    auto* keep = keep_patients ? &kept : nullptr;
    std::optional<int> mtd;
    if (!st.dose_from.empty()) {
      mtd = mtds[st.dose_from];
      if (!mtd) {
        // No dose was selected: the later stage cannot be run with the carried-forward dose.
        out.skipped.push_back(st.name);
        out.stages.emplace_back(std::in_place_type<SingleArmResult>);
        out.patients.emplace_back();
        continue;
      }
    }
    switch (st.type) {
      case scenario::StageType::kDoseEscalation: {
        auto r = run_dose_escalation(s, i, replicate, keep);
        mtds[st.name] = r.mtd;
        out.stages.emplace_back(std::move(r));
        break;
      }
      case scenario::StageType::kSingleArm:
        out.stages.emplace_back(run_single_arm(s, i, replicate, mtd, keep));
        break;
      case scenario::StageType::kRandomized:
        out.stages.emplace_back(run_randomized(s, i, replicate, mtd, keep, threads));
        break;
    }
    out.patients.push_back(std::move(kept));
  }
  return out;
}

ReplicateResult example_replicates(const scenario::Scenario& s, const ProgrammeSummary& summary,
                                   ReplicateResult already, unsigned threads) {
  const auto& results = summary.results();
  std::vector<std::uint32_t> chosen(s.stages.size(), 0);
  for (std::size_t i = 0; i < s.stages.size(); ++i) {
    for (std::size_t r = 0; r < results.size(); ++r) {
      const auto* a = std::get_if<SingleArmResult>(&results[r][i]);
      if (a == nullptr ||
          a->planned_n >= 0) {  // planned_n < 0 marks a stage not run (ProgrammeSummary::add)
        chosen[i] = static_cast<std::uint32_t>(r);
        break;
      }
    }
  }
  std::map<std::uint32_t, ReplicateResult> runs;
  for (const auto r : chosen) {
    if (runs.count(r) > 0) continue;
    runs.emplace(r, r == already.replicate && !already.patients.empty()
                        ? std::move(already)
                        : run_replicate(s, r, true, threads));
  }
  ReplicateResult out;
  out.stage_replicates = chosen;
  for (std::size_t i = 0; i < s.stages.size(); ++i) {
    auto& from = runs.at(chosen[i]);
    out.stages.push_back(from.stages[i]);
    out.patients.push_back(std::move(from.patients[i]));
    if (std::find(from.skipped.begin(), from.skipped.end(), s.stages[i].name) !=
        from.skipped.end()) {
      out.skipped.push_back(s.stages[i].name);
    }
  }
  return out;
}

ProgrammeSummary::ProgrammeSummary(const scenario::Scenario& s) : s_(s) {}

void ProgrammeSummary::add(const ReplicateResult& r) {
  ++replicates_;
  std::vector<StageResult> compact = r.stages;
  for (std::size_t i = 0; i < compact.size(); ++i) {
    const bool skipped =
        std::find(r.skipped.begin(), r.skipped.end(), s_.stages[i].name) != r.skipped.end();
    if (skipped) compact[i] = SingleArmResult{-1};  // planned_n = -1 marks "not run"
    if (auto* e = std::get_if<EscalationResult>(&compact[i])) e->patients.shrink_to_fit();
    if (auto* a = std::get_if<SingleArmResult>(&compact[i]))
      a->samples = {};  // the example's KM data
  }
  kept_.push_back(std::move(compact));
}

nlohmann::json ProgrammeSummary::to_json() const {
  nlohmann::json stages = nlohmann::json::array();
  const auto n = static_cast<double>(std::max(1L, replicates_));
  for (std::size_t i = 0; i < s_.stages.size(); ++i) {
    const auto& st = s_.stages[i];
    nlohmann::json j;
    j["name"] = st.name;
    switch (st.type) {
      case scenario::StageType::kDoseEscalation: {
        j["type"] = "dose_escalation";
        j["method"] = st.method == scenario::EscalationMethod::kThreePlusThree ? "3+3"
                      : st.method == scenario::EscalationMethod::kBoin         ? "boin"
                                                                               : "crm";
        const std::size_t L = st.levels.size();
        std::vector<double> select(L, 0.0), treated(L, 0.0), dlts(L, 0.0);
        double none = 0.0, patients = 0.0, not_evaluable = 0.0;
        for (const auto& rep : kept_) {
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
        nlohmann::json levels = nlohmann::json::array();
        for (std::size_t l = 0; l < L; ++l) {
          levels.push_back({{"level", l + 1},
                            {"dose", st.levels[l].dose},
                            {"days", st.levels[l].days ? nlohmann::json(*st.levels[l].days)
                                                       : nlohmann::json(nullptr)},
                            {"p_select", select[l] / n},
                            {"mean_patients", treated[l] / n},
                            {"observed_dlt_rate", treated[l] > 0 ? num(dlts[l] / treated[l])
                                                                 : nlohmann::json(nullptr)}});
        }
        j["levels"] = levels;
        j["p_select"] = nlohmann::json::array();
        for (std::size_t l = 0; l < L; ++l) j["p_select"].push_back(select[l] / n);
        j["p_select_none"] = none / n;
        const auto best = std::max_element(select.begin(), select.end());
        j["mtd"] =
            *best > none
                ? nlohmann::json(
                      {{"level", best - select.begin() + 1},
                       {"dose", st.levels[static_cast<std::size_t>(best - select.begin())].dose}})
                : nlohmann::json(nullptr);
        j["mean_patients"] = patients / n;
        j["mean_not_evaluable"] = not_evaluable / n;
        break;
      }
      case scenario::StageType::kSingleArm: {
        j["type"] = "single_arm";
        double run = 0, reject = 0, early = 0;
        std::vector<double> treated, responses, rate, tx, lm, ctx, clm, p_tx, p_lm, dose;
        nlohmann::json design = nullptr;
        for (const auto& rep : kept_) {
          const auto& a = std::get<SingleArmResult>(rep[i]);
          if (a.planned_n < 0) continue;
          run += 1;
          reject += a.reject_h0;
          early += a.stopped_early;
          treated.push_back(a.treated);
          responses.push_back(a.responses);
          rate.push_back(a.treated > 0 ? static_cast<double>(a.responses) / a.treated : kNaN);
          tx.push_back(a.rfs_from_transplant);
          lm.push_back(a.rfs_from_landmark);
          ctx.push_back(a.control_from_transplant);
          clm.push_back(a.control_from_landmark);
          p_tx.push_back(a.logrank_p_transplant < 0.05 ? 1.0 : 0.0);
          p_lm.push_back(a.logrank_p_landmark < 0.05 ? 1.0 : 0.0);
          dose.push_back(a.dose);
          design = {{"n1", a.n1},
                    {"r1", a.r1},
                    {"n", a.planned_n},
                    {"r", a.r},
                    {"simon", st.simon},
                    {"p0", st.p0},
                    {"p1", st.p1},
                    {"response", "alive and relapse-free " +
                                     std::to_string(static_cast<long>(st.response_days)) +
                                     " days after IL-2 start"}};
        }
        j["design"] = design;
        j["replicates_run"] = run;
        const double m = std::max(run, 1.0);
        j["p_reject_h0"] = reject / m;
        j["decision_promising"] = reject / m;
        j["p_early_stop"] = early / m;
        j["mean_treated"] = num(mean(treated));
        j["response_rate_mean"] = num(mean(rate));
        j["dose_median"] = num(core::quantile(dose, 0.5));
        j["historical_comparison"] = {{"at_days", st.comparison_days},
                                      {"rfs_il2_from_transplant", num(mean(tx))},
                                      {"rfs_control_from_transplant", num(mean(ctx))},
                                      {"rfs_il2_from_landmark", num(mean(lm))},
                                      {"rfs_control_from_landmark", num(mean(clm))},
                                      {"p_logrank_below_0.05_from_transplant", num(mean(p_tx))},
                                      {"p_logrank_below_0.05_from_landmark", num(mean(p_lm))}};
        if (st.selection_bias) j["selection_bias"] = selection_bias_json(kept_, i, st);
        break;
      }
      case scenario::StageType::kRandomized: {
        j["type"] = "randomized";
        std::vector<double> hr, events, duration, reject;
        std::map<std::string, double> attrition;
        std::vector<std::vector<double>> pfs(st.arms.size()), os(st.arms.size()),
            rel(st.arms.size()), randomized(st.arms.size());
        std::map<std::string, double> decisions;
        double registered = 0, run = 0;
        int target = 0;
        for (const auto& rep : kept_) {
          const auto* r = std::get_if<RandomizedResult>(&rep[i]);
          if (r == nullptr) continue;
          run += 1;
          hr.push_back(r->hr);
          events.push_back(r->events);
          duration.push_back(r->duration_months);
          reject.push_back(r->reject ? 1.0 : 0.0);
          registered += r->registered;
          target = r->target_events;
          decisions[r->decision] += 1;
          for (const auto& [cause, count] : r->attrition) attrition[cause] += count;
          for (std::size_t a = 0; a < st.arms.size(); ++a) {
            pfs[a].push_back(r->pfs_median_months[a]);
            os[a].push_back(r->os_median_months[a]);
            rel[a].push_back(r->relapse_2y[a]);
            randomized[a].push_back(r->randomized[a]);
          }
        }
        const double m = std::max(run, 1.0);
        j["replicates_run"] = run;
        j["power"] = num(mean(reject));
        j["hr_median"] = num(core::quantile(hr, 0.5));
        j["hr_q05"] = num(core::quantile(hr, 0.05));
        j["hr_q95"] = num(core::quantile(hr, 0.95));
        j["events_median"] = num(core::quantile(events, 0.5));
        j["target_events"] = target;
        j["duration_months_median"] = num(core::quantile(duration, 0.5));
        nlohmann::json dec;
        for (const auto& [k, v] : decisions) dec[k] = v / m;
        j["decisions"] = dec;
        nlohmann::json att;
        double lost = 0;
        for (const auto& [k, v] : attrition) {
          att[k] = registered > 0 ? v / registered : 0.0;
          lost += v;
        }
        j["attrition_before_randomization"] = att;
        j["not_randomized_fraction"] = registered > 0 ? lost / registered : 0.0;
        j["registered_per_trial"] = registered / m;
        nlohmann::json arms = nlohmann::json::array();
        for (std::size_t a = 0; a < st.arms.size(); ++a) {
          arms.push_back({{"arm", st.arms[a]},
                          {"randomized_mean", num(mean(randomized[a]))},
                          {"pfs_median_months", num(core::quantile(pfs[a], 0.5))},
                          {"os_median_months", num(core::quantile(os[a], 0.5))},
                          {"relapse_2y", num(core::quantile(rel[a], 0.5))}});
        }
        j["arms"] = arms;
        j["design"] = {{"looks", st.looks},
                       {"one_sided_alpha", st.one_sided_alpha},
                       {"design_hr", st.design_hr},
                       {"power", st.power}};
        break;
      }
    }
    stages.push_back(j);
  }
  return {
      {"scenario", s_.name}, {"seed", s_.seed}, {"replicates", replicates_}, {"stages", stages}};
}

}  // namespace il2sim::trial
