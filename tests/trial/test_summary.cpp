// The operating characteristics as typed objects (trial/summary.hpp): the aggregations over
// replicates, and summary.json generated from their field tables.
#include "trial/summary.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/random.hpp"

#include "scenario/scenario.hpp"

namespace il2sim::trial {
namespace {

/// A replicate of `s` with hand-made results (no simulation): replicate `k` (0 or 1) has the
/// values the expectations below are computed from.
ReplicateResult made_up(const scenario::Scenario& s, std::uint32_t k) {
  ReplicateResult out;
  out.replicate = k;
  const double x = k;
  for (const auto& st : s.stages) {
    out.patients.emplace_back();
    if (st.type == scenario::StageType::kDoseEscalation) {
      EscalationResult e;
      if (k == 0) e.mtd = 0;
      e.patients = {{1, 0, true}, {2, 0, false}};  // {id, level, dlt}
      e.not_evaluable = static_cast<int>(k);
      out.stages.emplace_back(e);
    } else if (st.type == scenario::StageType::kSingleArm) {
      SingleArmResult a;
      a.planned_n = 10, a.treated = 10, a.responses = 3 + static_cast<int>(k);
      a.reject_h0 = k == 0;
      a.rfs_from_transplant = 0.5 + 0.1 * x, a.control_from_transplant = 0.4;
      a.rfs_from_landmark = 0.7, a.control_from_landmark = 0.6 - 0.2 * x;
      a.logrank_p_transplant = 0.01, a.logrank_p_landmark = 0.5;
      a.responses_without_effect = 2, a.rfs_from_transplant_without_effect = 0.45;
      out.stages.emplace_back(a);
    } else {
      RandomizedResult r;
      r.registered = 100 + static_cast<int>(k);
      r.attrition = {{"refusal", 5 + static_cast<int>(k)}};
      r.randomized = {40, 41 + static_cast<int>(k)};
      r.decision = k == 0 ? "efficacy" : "no difference";
      r.reject = k == 0;
      r.hr = 0.6 + 0.2 * x;
      r.events = 100 + 10 * static_cast<int>(k);
      r.target_events = 150;
      r.pfs_median_months = {10.0 + x, 12.0};
      r.os_median_months = {20.0, 24.0};
      r.relapse_2y = {0.3, 0.2};
      out.stages.emplace_back(r);
    }
  }
  return out;
}

ProgrammeSummary two_replicates(const scenario::Scenario& s) {
  ProgrammeSummary p(s);
  p.add(made_up(s, 0));
  p.add(made_up(s, 1));
  return p;
}

/// Every field of `table` is a key of `j` with the typed object's value.
template <class R>
void expect_json_has_fields(const nlohmann::json& j, const R& r, core::FieldTable<R> table) {
  for (const auto& f : table) {
    const std::string key(f.name);
    ASSERT_TRUE(j.contains(key)) << key;
    const auto v = f.get(r);
    if (f.type == core::FieldType::kInteger || f.type == core::FieldType::kReal) {
      const double want = core::number_of(v);
      if (std::isfinite(want)) {
        EXPECT_DOUBLE_EQ(j[key].get<double>(), want) << key;
      } else {
        EXPECT_TRUE(j[key].is_null()) << key;
      }
    } else if (f.type == core::FieldType::kText) {
      EXPECT_EQ(j[key].get<std::string>(), core::text_of(v)) << key;
    }
  }
}

}  // namespace

// Closed forms over the two made-up replicates (values in made_up): means, type-7 quantiles
// (median of two values = their mean; 5 % quantile = a + 0.05 (b − a)), shares.
TEST(StageSummaries, RandomizedAggregatesAndJson) {
  const auto s = scenario::load_scenario("phase3-autosct-nhl");
  const auto p = two_replicates(s);
  const auto stats = stage_summaries(p);
  ASSERT_EQ(stats.size(), s.stages.size());
  const auto& r = std::get<RandomizedSummary>(stats.at(0));
  EXPECT_DOUBLE_EQ(r.replicates_run, 2.0);
  EXPECT_DOUBLE_EQ(r.power, 0.5);
  EXPECT_NEAR(r.hr_median, 0.7, 1e-12);
  EXPECT_NEAR(r.hr_q05, 0.6 + 0.05 * 0.2, 1e-12);
  EXPECT_DOUBLE_EQ(r.events_median, 105.0);
  EXPECT_EQ(r.target_events, 150);
  EXPECT_DOUBLE_EQ(r.decisions.at("efficacy"), 0.5);
  EXPECT_DOUBLE_EQ(r.decisions.at("no difference"), 0.5);
  EXPECT_DOUBLE_EQ(r.attrition.at("refusal"), 11.0 / 201.0);
  EXPECT_DOUBLE_EQ(r.not_randomized_fraction, 11.0 / 201.0);
  EXPECT_DOUBLE_EQ(r.registered_per_trial, 100.5);
  ASSERT_EQ(r.arms.size(), 2U);
  EXPECT_DOUBLE_EQ(r.arms[0].pfs_median_months, 10.5);
  EXPECT_DOUBLE_EQ(r.arms[1].randomized_mean, 41.5);
  const auto j = summary_json(p, stats);
  EXPECT_EQ(j["replicates"], 2);
  const auto& js = j["stages"][0];
  EXPECT_EQ(js["type"], "randomized");
  expect_json_has_fields(js, r, randomized_summary_fields());
  expect_json_has_fields(js["arms"][0], r.arms[0], arm_summary_fields());
  EXPECT_DOUBLE_EQ(js["decisions"]["efficacy"].get<double>(), 0.5);
}

// A decision no replicate reached has share 0 (and MC SE 0), not a missing key: a sweep plots
// it as 0. The stage's possible decisions: efficacy and no difference, futility with a futility
// bound (stages.hpp possible_decisions).
TEST(StageSummaries, ADecisionNoReplicateReachedHasShareZero) {
  auto s = scenario::load_scenario("phase3-autosct-nhl");
  ProgrammeSummary p(s);
  p.add(made_up(s, 1));  // "no difference" only
  const auto stats = stage_summaries(p);
  const auto& r = std::get<RandomizedSummary>(stats.at(0));
  EXPECT_DOUBLE_EQ(r.decisions.at("efficacy"), 0.0);
  EXPECT_DOUBLE_EQ(r.decisions_mc_se.at("efficacy"), 0.0);
  EXPECT_DOUBLE_EQ(r.decisions.at("no difference"), 1.0);
  EXPECT_EQ(r.decisions.count("futility"), s.stages[0].futility ? 1U : 0U);
}

TEST(StageSummaries, EscalationAndSingleArmAggregatesAndJson) {
  const auto s = scenario::load_scenario("programme");
  const auto p = two_replicates(s);
  const auto stats = stage_summaries(p);
  const auto j = summary_json(p, stats);
  bool escalation = false, single_arm = false;
  for (std::size_t i = 0; i < s.stages.size(); ++i) {
    const auto& js = j["stages"][i];
    EXPECT_EQ(js["name"], s.stages[i].name);
    if (const auto* e = std::get_if<EscalationSummary>(&stats[i])) {
      escalation = true;
      // Level 1 selected in replicate 0, none in replicate 1: a tie, so no MTD.
      EXPECT_DOUBLE_EQ(e->levels.at(0).p_select, 0.5);
      EXPECT_DOUBLE_EQ(e->p_select_none, 0.5);
      EXPECT_FALSE(e->mtd.has_value());
      EXPECT_TRUE(js["mtd"].is_null());
      EXPECT_DOUBLE_EQ(e->levels.at(0).observed_dlt_rate, 0.5);    // 2 DLTs / 4 treated
      EXPECT_TRUE(std::isnan(e->levels.at(1).observed_dlt_rate));  // nobody treated: null
      EXPECT_TRUE(js["levels"][1]["observed_dlt_rate"].is_null());
      EXPECT_DOUBLE_EQ(e->mean_patients, 2.0);
      EXPECT_DOUBLE_EQ(e->mean_not_evaluable, 0.5);
      expect_json_has_fields(js, *e, escalation_summary_fields());
      expect_json_has_fields(js["levels"][0], e->levels[0], level_summary_fields());
    } else if (const auto* a = std::get_if<SingleArmSummary>(&stats[i])) {
      single_arm = true;
      EXPECT_DOUBLE_EQ(a->p_reject_h0, 0.5);
      EXPECT_NEAR(a->response_rate_mean, 0.35, 1e-12);  // mean of 3/10 and 4/10
      EXPECT_NEAR(a->historical.rfs_il2_from_transplant, 0.55, 1e-12);
      EXPECT_NEAR(a->historical.rfs_control_from_landmark, 0.5, 1e-12);
      EXPECT_DOUBLE_EQ(a->historical.p_below_005_from_transplant, 1.0);  // p = 0.01 in both
      EXPECT_DOUBLE_EQ(a->historical.p_below_005_from_landmark, 0.0);    // p = 0.5 in both
      ASSERT_EQ(a->selection_bias.has_value(), s.stages[i].selection_bias);
      if (a->selection_bias) {
        // without the effect, from transplant: 0.45 − 0.4 in both replicates
        EXPECT_NEAR(a->selection_bias->apparent_benefit.mean, 0.05, 1e-12);
        EXPECT_NEAR(js["selection_bias"]["apparent_benefit_from_selection"]["mean"].get<double>(),
                    0.05, 1e-12);
      }
      expect_json_has_fields(js, *a, single_arm_summary_fields());
      expect_json_has_fields(js["historical_comparison"], a->historical,
                             historical_comparison_fields());
    }
  }
  EXPECT_TRUE(escalation);
  EXPECT_TRUE(single_arm);
}

namespace {

// The variance split of a run over an ensemble (docs/ensemble.md) on draws with a known answer:
// log HR = mu_k + se z with mu_k = +d (set 0) or -d (set 1) with equal chances and z standard
// normal, so that Var(E[log HR | set]) = d^2, E[Var(log HR | set)] = se^2 and the parameters'
// share is d^2 / (d^2 + se^2) (law of total variance). The tolerance, 0.04, is 4 Monte Carlo SEs
// of a share at n = 20000 (the sample variance's relative SE sqrt(2 / (n - 1)) = 0.01 for normal
// draws; the two-point mixture has a lighter tail). `distinct_sets` gives every replicate its own
// set, so that no replicates share one and the Cox SE estimates the sampling part.
EnsembleSplit split_of(double d, double se, std::uint64_t seed, bool distinct_sets) {
  RandomStream rng(seed, 0, 0, Purpose::kTest);
  std::vector<double> log_hr, ses, reject;
  std::vector<std::uint32_t> sets;
  for (std::uint32_t i = 0; i < 20000; ++i) {
    const bool up = rng.uniform() < 0.5;
    log_hr.push_back((up ? d : -d) + se * rng.normal());
    ses.push_back(se);
    sets.push_back(distinct_sets ? i : (up ? 0U : 1U));
    reject.push_back(i % 4 == 0 ? 1.0 : 0.0);
  }
  return ensemble_split(log_hr, ses, sets, reject);
}

TEST(Summary, EnsembleSplitRecoversAKnownShareFromTheCoxSe) {
  const auto e = split_of(0.2, 0.2, 1, true);
  EXPECT_EQ(e.method, "cox_se");
  EXPECT_NEAR(e.parameters, 0.5, 0.04);  // d^2 / (d^2 + se^2)
  EXPECT_NEAR(e.sampling, 0.5, 0.04);
  EXPECT_NEAR(e.parameters + e.sampling, 1.0, 1e-12);  // fractions of their sum
  EXPECT_NEAR(e.variance_sampling, 0.04, 1e-12);       // se^2
  EXPECT_DOUBLE_EQ(e.assurance, 0.25);                 // every 4th replicate rejects
  EXPECT_DOUBLE_EQ(e.assurance_mc_se, std::sqrt(0.25 * 0.75 / 20000));
  EXPECT_EQ(e.replicates_with_hr, 20000.0);
}

TEST(Summary, EnsembleSplitRecoversAKnownShareWithinSets) {
  // The same draws with two sets used 10000 times each: the sampling part comes from the spread
  // within each set (the Cox SE given is ignored: here it is wrong by a factor of 3).
  RandomStream rng(1, 0, 0, Purpose::kTest);
  auto e = split_of(0.2, 0.2, 1, false);
  EXPECT_EQ(e.method, "within_sets");
  EXPECT_NEAR(e.parameters, 0.5, 0.04);
  EXPECT_NEAR(e.variance_sampling, 0.04, 0.04 * 0.04);  // se^2, relative SE 0.01: 4 SEs
  EXPECT_NEAR(e.parameters + e.sampling, 1.0, 1e-12);
  std::vector<double> x, ses, reject;
  std::vector<std::uint32_t> sets;
  for (std::uint32_t i = 0; i < 20000; ++i) {
    x.push_back((i % 2 == 0 ? 0.2 : -0.2) + 0.2 * rng.normal());
    ses.push_back(0.6);
    sets.push_back(i % 2);
    reject.push_back(0.0);
  }
  e = ensemble_split(x, ses, sets, reject);
  EXPECT_NEAR(e.parameters, 0.5, 0.04);
}

TEST(Summary, EnsembleSplitOfIdenticalSetsGivesParametersNearZero) {
  for (const std::uint64_t seed : {1, 2, 3}) {
    const auto e = split_of(0.0, 0.2, seed, true);
    EXPECT_LE(e.parameters, 0.04) << seed;  // 0 in expectation
    EXPECT_GE(e.parameters, 0.0) << seed;
    EXPECT_GE(e.sampling, 0.96) << seed;
  }
  // One set used by every replicate: no between-set variance at all.
  std::vector<double> x(30, 0.0), ses(30, 0.2), reject(30, 0.0);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 0.01 * static_cast<double>(i % 7);
  const auto e = ensemble_split(x, ses, std::vector<std::uint32_t>(30, 0U), reject);
  EXPECT_EQ(e.method, "within_sets");
  EXPECT_EQ(e.parameters, 0.0);
  EXPECT_EQ(e.sampling, 1.0);
}

TEST(Summary, EnsembleSplitFallsBackToTheCoxSeWithFewRepeats) {
  // 25 replicates over 10 sets: 15 within-set degrees of freedom, fewer than kMinWithinSetDf.
  std::vector<double> x, ses(25, 0.2), reject(25, 0.0);
  std::vector<std::uint32_t> sets;
  for (std::uint32_t i = 0; i < 25; ++i) {
    x.push_back(0.01 * static_cast<double>(i));
    sets.push_back(i % 10);
  }
  EXPECT_LT(25.0 - 10.0, kMinWithinSetDf);
  EXPECT_EQ(ensemble_split(x, ses, sets, reject).method, "cox_se");
}

TEST(Summary, EnsembleSplitNeedsTwoHazardRatios) {
  const auto e = ensemble_split({0.1}, {0.2}, {0U}, {1.0});
  EXPECT_EQ(e.assurance, 1.0);
  EXPECT_TRUE(std::isnan(e.parameters));
  EXPECT_TRUE(std::isnan(e.variance_total));
}

}  // namespace

}  // namespace il2sim::trial
