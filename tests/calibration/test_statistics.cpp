// The statistics vocabulary as one table (src/calibration/statistics.hpp): the names and scales
// derived from it (the reader's checks: test_targets.cpp), the statistics of calibration-targets.md
// v2's DZ11 and DZ12 against the Kaplan–Meier estimates they must equal when nobody is censored,
// and TX5 pooled's against TX5 and TX6.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "calibration/evaluate.hpp"
#include "calibration/statistics.hpp"
#include "calibration/targets.hpp"

namespace il2sim::calibration {
namespace {

TEST(Statistics, TheTableIsTheVocabulary) {
  std::set<std::string_view> names;
  for (const auto& s : statistic_table()) {
    EXPECT_TRUE(names.insert(s.name).second) << "duplicate " << s.name;
    EXPECT_FALSE(s.meaning.empty()) << s.name;
    EXPECT_EQ(find_statistic(s.name), &s);
    EXPECT_EQ(statistic_scale(s.name), s.scale);
    // Only cohort statistics count patients; only they can need follow-up to their day.
    EXPECT_EQ(s.reads == StatisticReads::kCohort, s.population != DefaultPopulation::kNotCohort)
        << s.name;
    if (s.needs_follow_up || s.estimator != Estimator::kByScale) {
      EXPECT_EQ(s.reads, StatisticReads::kCohort) << s.name;
    }
    // `needs` names one of StatisticSpec's settings (the reader looks it up by that name).
    const std::set<std::string_view> settings{"",         "column", "paramcd", "term",
                                              "endpoint", "cause",  "kind",    "parameter"};
    EXPECT_TRUE(settings.count(s.needs) == 1) << s.name << ": " << s.needs;
  }
  EXPECT_EQ(statistic_names().size(), names.size());
  EXPECT_EQ(find_statistic("km_at_day"), nullptr);
  EXPECT_EQ(statistic_scale("km_at_day"), StatisticScale::kOther);
  // The scales the binomial likelihood reads (docs/posterior.md): proportions and one rate.
  EXPECT_EQ(statistic_scale("km_at"), StatisticScale::kProportion);
  EXPECT_EQ(statistic_scale("fraction_nrm_by"), StatisticScale::kProportion);
  EXPECT_EQ(statistic_scale("grade4_events_per_patient"), StatisticScale::kRate);
  EXPECT_EQ(statistic_scale("median_start_day"), StatisticScale::kOther);
  // Two cohort statistics are not estimated by their scale.
  EXPECT_EQ(find_statistic("km_at")->estimator, Estimator::kKaplanMeier);
  EXPECT_EQ(find_statistic("toxic_deaths_per_grade4_event")->estimator, Estimator::kPooledEvents);
}

// A cohort of AML CR1 patients without IL-2, followed 5 years; `rows` are [[targets]] on it.
std::string cohort_file(const std::string& rows) {
  return R"(format_version = 1
seed = 7
[experiments.aml]
kind = "cohort"
scenario = "chiron-regimen"
cohort = "adult-auto-aml-cr1"
regimen = "none"
patients = 300
days = 1826
)" + rows;
}

std::string target(const std::string& id, const std::string& statistic_lines) {
  return "[[targets]]\nid = \"" + id + "\"\ndescription = \"d\"\nsource = \"s\"\n" +
         "experiment = \"aml\"\n" + statistic_lines + "\ntarget = 0.5\nlower = 0\nupper = 1\n";
}

// Without censoring before day t (every patient followed to the experiment's horizon):
// OS(t) − PFS(t) is the fraction alive at t after a relapse by t (DZ11), and the fraction who died
// by t without a relapse before (DZ12, the Aalen–Johansen cumulative incidence of non-relapse
// mortality) and the fraction relapsed by t are disjoint and make up 1 − PFS(t): a PFS event is a
// relapse or a death, and nobody relapses after death.
TEST(Statistics, AliveAfterRelapseAndNrmAreTheKaplanMeierIdentities) {
  const std::string at = "day = 1461";
  const auto set = parse_targets(
      cohort_file(target("os", "statistic = \"km_at\"\nendpoint = \"OS\"\n" + at) +
                  target("pfs", "statistic = \"km_at\"\nendpoint = \"PFS\"\n" + at) +
                  target("alive", "statistic = \"fraction_alive_after_relapse\"\n" + at) +
                  target("nrm", "statistic = \"fraction_nrm_by\"\n" + at) +
                  target("relapsed", "statistic = \"fraction_relapsed_by\"\n" +
                                         std::string("population = \"registered\"\n") + at)),
      "t.toml");
  EvaluationOptions o;
  o.threads = 2;
  const auto ev = Evaluator(set, o).evaluate({});
  ASSERT_EQ(ev.targets.size(), 5U);
  const double os = ev.targets[0].simulated, pfs = ev.targets[1].simulated;
  const double alive = ev.targets[2].simulated, nrm = ev.targets[3].simulated;
  const double relapsed = ev.targets[4].simulated;
  EXPECT_NEAR(alive, os - pfs, 1e-12);
  EXPECT_NEAR(nrm + relapsed, 1.0 - pfs, 1e-12);
  // Not degenerate: some patients relapse and live on, some die without relapse.
  EXPECT_GT(alive, 0.0);
  EXPECT_GT(nrm, 0.0);
  EXPECT_GT(relapsed, nrm);
  EXPECT_EQ(ev.targets[2].n, 300);  // every registered patient counts
}

// TX5 pooled (calibration-targets.md v2): toxic deaths per grade-4 episode. Toxic death happens
// only at a grade-4 onset, so over the same treated patients it is the fraction who died of
// toxicity (TX5) over the grade-4 episodes per patient (TX6), exactly.
TEST(Statistics, ToxicDeathsPerGrade4EpisodeIsTheRatioOfTx5AndTx6) {
  EvaluationOptions o;
  o.threads = 2;
  o.only = {"TX5", "TX5_grade4", "TX6"};
  const auto ev = Evaluator(builtin_targets(), o).evaluate({});
  ASSERT_EQ(ev.targets.size(), 3U);
  const auto& deaths = ev.targets[0];
  const auto& per_episode = ev.targets[1];
  const auto& episodes = ev.targets[2];
  ASSERT_EQ(per_episode.id, "TX5_grade4");
  ASSERT_GT(episodes.simulated, 0.0);
  EXPECT_NEAR(per_episode.simulated, deaths.simulated / episodes.simulated, 1e-12);
  EXPECT_GT(per_episode.mc_se, 0.0);
  EXPECT_LE(per_episode.n, episodes.n);  // only the patients with an episode
}

}  // namespace
}  // namespace il2sim::calibration
