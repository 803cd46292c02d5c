// The targets file as data: the shipped calibration/targets.toml parses, holds every row id of the
// targets table (/work/shared/domain/calibration-targets.md), and the ranges of its n/N rows are
// the Wilson 95 % intervals the table prints, and the sources' evidence its rows carry; malformed
// files and bad evidence fail with file:line.
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "calibration/targets.hpp"
#include "core/error.hpp"

namespace il2sim::calibration {
namespace {

// Row ids of the targets table in calibration-targets.md.
const std::vector<std::string> kRows{"PK1", "PK2", "PK3", "PK4", "PK5", "PK6", "IM1", "IM2", "IM3",
                                     "IM4", "IM5", "IM6", "IM7", "IM8", "TX1", "TX2", "TX3", "TX4",
                                     "TX5", "TX6", "TX7", "TX8", "TX9", "GV1", "ST1", "ST2", "ST3",
                                     "DZ1", "DZ2", "DZ3", "DZ4", "DZ5", "DZ6", "DZ7", "DZ8",
                                     // section "v2"
                                     "DZ9", "DZ10", "DZ11", "DZ12", "DZ13"};

bool belongs_to(const std::string& id, const std::string& row) {
  return id == row || id.rfind(row + "_", 0) == 0;
}

TEST(Targets, ShippedFileHasEveryRowOfTheTable) {
  const auto set = builtin_targets();
  for (const auto& row : kRows) {
    EXPECT_TRUE(std::any_of(set.targets.begin(), set.targets.end(),
                            [&](const Target& t) { return belongs_to(t.id, row); }))
        << row << " is missing";
  }
  // ... and nothing else.
  for (const auto& t : set.targets) {
    EXPECT_TRUE(std::any_of(kRows.begin(), kRows.end(), [&](const std::string& r) {
      return belongs_to(t.id, r);
    })) << t.id;
  }
  // Rows with two numbers become two entries (calibration-targets.md).
  for (const auto* id :
       {"PK2_alpha", "PK2_beta", "PK6_low", "PK6_high", "TX4_hypotension", "TX4_fever", "IM7_d4",
        "IM7_d18", "DZ1_median", "DZ1_year1", "DZ1_2y", "DZ2_pfs4", "DZ2_os4", "DZ6_nhl", "DZ6_aml",
        "GV1_acute", "GV1_chronic", "ST3_refusal"}) {
    EXPECT_TRUE(std::any_of(set.targets.begin(), set.targets.end(), [&](const Target& t) {
      return t.id == id;
    })) << id;
  }
}

TEST(Targets, OnlyDz8AndTheV2ControlArmTargetsAreInformational) {
  // DZ8 has no range in the table ("–"); the v2 control-arm targets are reported, not counted,
  // until model v2 is refitted to them (docs/model.md "Calibration").
  for (const auto& t : builtin_targets().targets) {
    const bool v2 = t.id == "DZ9" || t.id.rfind("DZ10_", 0) == 0 || t.id == "DZ11" ||
                    t.id == "DZ12" || t.id.rfind("DZ13_", 0) == 0 || t.id == "TX5_grade4";
    EXPECT_EQ(t.informational, t.id == "DZ8" || v2) << t.id;
  }
}

struct Printed {
  const char* id;
  int x, n;
  double lower, upper;  ///< the range printed in calibration-targets.md
};

// The n/N rows of calibration-targets.md with their printed ranges (TX2: "0.80 (n = 52)" is 42/52).
const Printed kPrinted[] = {{"TX2", 42, 52, 0.68, 0.89},        {"TX5", 2, 52, 0.01, 0.13},
                            {"TX7_high", 3, 6, 0.19, 0.81},     {"GV1_acute", 2, 17, 0.03, 0.34},
                            {"GV1_chronic", 5, 17, 0.13, 0.53}, {"DZ5", 10, 17, 0.36, 0.78},
                            {"DZ6_nhl", 16, 31, 0.35, 0.68},    {"DZ6_aml", 4, 17, 0.10, 0.47},
                            {"DZ7", 5, 16, 0.14, 0.56}};

TEST(Targets, WilsonIntervalsMatchThePrintedRanges) {
  const auto set = builtin_targets();
  for (const auto& p : kPrinted) {
    const auto w = wilson_interval(p.x, p.n);
    EXPECT_NEAR(w.lower, p.lower, 0.01) << p.id;
    EXPECT_NEAR(w.upper, p.upper, 0.01) << p.id;
    const auto it = std::find_if(set.targets.begin(), set.targets.end(),
                                 [&](const Target& t) { return t.id == p.id; });
    ASSERT_NE(it, set.targets.end()) << p.id;
    ASSERT_TRUE(it->successes.has_value()) << p.id << " should carry its counts";
    EXPECT_EQ(*it->successes, p.x) << p.id;
    EXPECT_EQ(*it->trials, p.n) << p.id;
    EXPECT_NEAR(it->lower, p.lower, 0.01) << p.id;
    EXPECT_NEAR(it->upper, p.upper, 0.01) << p.id;
  }
}

TEST(Targets, WilsonClosedForm) {
  // 0/10: lower bound 0, upper z²/(n+z²) = 3.8415/13.8415 = 0.2775 (Wilson 1927).
  const auto w = wilson_interval(0, 10);
  EXPECT_DOUBLE_EQ(w.lower, 0.0);
  EXPECT_NEAR(w.upper, 0.27753, 1e-5);
}

const char* kMinimal = R"(format_version = 1
seed = 1
[experiments.e]
kind = "typical"
scenario = "chiron-regimen"
cohort = "adult-auto-nhl"
regimen = "chiron"
days = 60
[[targets]]
id = "A"
description = "d"
source = "s"
experiment = "e"
statistic = "value_at"
column = "C"
target = 1
lower = 0
upper = 2
)";

std::string error_of(const std::string& text) {
  try {
    (void)parse_targets(text, "t.toml");
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

TEST(Targets, MinimalFileParses) {
  const auto set = parse_targets(kMinimal, "t.toml");
  ASSERT_EQ(set.targets.size(), 1U);
  EXPECT_EQ(set.targets[0].statistic.column, "C");
  EXPECT_EQ(set.seed, 1U);
}

TEST(Targets, UnknownStatisticNamesFileLine) {
  std::string text = kMinimal;
  text.replace(text.find("\"value_at\""), 10, "\"value_att\"");
  const auto e = error_of(text);
  EXPECT_NE(e.find("t.toml:14"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown statistic 'value_att'; did you mean 'value_at'?"), std::string::npos)
      << e;
}

TEST(Targets, SyntaxErrorNamesFileLine) {
  std::string text = kMinimal;
  text.replace(text.find("upper = 2"), 9, "upper = = 2");
  const auto e = error_of(text);
  EXPECT_NE(e.find("t.toml:18"), std::string::npos) << e;
}

TEST(Targets, UnknownKeyExperimentAndRegimenAreUserErrors) {
  std::string a = kMinimal;
  a.replace(a.find("target = 1"), 10, "targte = 1");
  EXPECT_NE(error_of(a).find("did you mean 'target'"), std::string::npos) << error_of(a);
  std::string b = kMinimal;
  b.replace(b.find("experiment = \"e\""), 16, "experiment = \"x\"");
  EXPECT_NE(error_of(b).find("unknown experiment 'x'"), std::string::npos) << error_of(b);
  std::string c = kMinimal;
  c.replace(c.find("regimen = \"chiron\""), 18, "regimen = \"roche\"");
  EXPECT_NE(error_of(c).find("has no regimen 'roche'"), std::string::npos) << error_of(c);
  std::string d = kMinimal;
  d.replace(d.find("regimen = \"chiron\""), 18,
            "regimen = { phases = [ { name = \"x\", route = \"civ\", dose = 1e6, unit = \"U/m2\", "
            "days = 1 } ] }");
  EXPECT_NE(error_of(d).find("t.toml:7"), std::string::npos) << error_of(d);
}

// The checks derived from the statistics table (src/calibration/statistics.cpp): a statistic that
// counts patients by what happened by its day needs them all followed to it, a statistic reads one
// kind of experiment, and some need one setting.
TEST(Targets, StatisticTableChecksNameTheKey) {
  std::string text = kMinimal;
  text.replace(text.find("kind = \"typical\""), 16, "kind = \"cohort\"\npatients = 10");
  std::string a = text;
  a.replace(a.find("statistic = \"value_at\""), 22, "statistic = \"fraction_nrm_by\"\nday = 90");
  auto e = error_of(a);
  EXPECT_NE(e.find("t.toml:"), std::string::npos) << e;
  EXPECT_NE(e.find("targets[0].day: 90 for the statistic 'fraction_nrm_by', which counts every "
                   "patient followed to it"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("(0, 60], the experiment's days"), std::string::npos) << e;
  e = error_of(text);  // value_at on a cohort
  EXPECT_NE(e.find("statistic 'value_at' needs a typical or population experiment"),
            std::string::npos)
      << e;
  std::string b = text;
  b.replace(b.find("statistic = \"value_at\""), 22, "statistic = \"km_at\"\nday = 10");
  e = error_of(b);
  EXPECT_NE(e.find("targets[0].endpoint: statistic 'km_at' needs it"), std::string::npos) << e;
}

// fraction_not_treated names one of the causes of NotTreatedReason (or "any").
TEST(Targets, UnknownNotTreatedCauseIsAUserError) {
  std::string text = kMinimal;
  text.replace(text.find("kind = \"typical\""), 16, "kind = \"cohort\"\npatients = 10");
  text.replace(text.find("statistic = \"value_at\""), 22,
               "statistic = \"fraction_not_treated\"\ncause = \"ineligible\"");
  const auto e = error_of(text);
  EXPECT_NE(e.find("unknown cause 'ineligible'"), std::string::npos) << e;
  EXPECT_NE(e.find("no_platelet_recovery, other"), std::string::npos) << e;
}

TEST(Targets, CountsAndRangeAreExclusive) {
  std::string text = kMinimal;
  text += "successes = 1\ntrials = 2\n";
  EXPECT_NE(error_of(text).find("not both"), std::string::npos) << error_of(text);
}

const Target& target(const TargetSet& set, const std::string& id) {
  const auto it = std::find_if(set.targets.begin(), set.targets.end(),
                               [&](const Target& t) { return t.id == id; });
  if (it == set.targets.end()) throw std::runtime_error("no target " + id);
  return *it;
}

// The evidence of the shipped targets file: the S9438 registration counts (facts.md §4), the
// Kaplan–Meier estimates with their cohorts' sizes, the grade-4 events as a rate, counts rows as
// evidence, and a continuous target without any.
TEST(Targets, ShippedEvidence) {
  const auto set = builtin_targets();
  const auto check = [&](const char* id, StatisticScale scale, double observed, double n) {
    const auto& e = target(set, id).evidence;
    EXPECT_EQ(e.scale, scale) << id;
    EXPECT_DOUBLE_EQ(e.observed, observed) << id;
    EXPECT_DOUBLE_EQ(e.patients, n) << id;
  };
  check("ST2", StatisticScale::kProportion, 190.0 / 394.0, 394.0);
  check("ST3_fatal_toxicity", StatisticScale::kProportion, 30.0 / 394.0, 394.0);
  check("DZ1_2y", StatisticScale::kProportion, 180.0 / 215.0, 215.0);
  check("DZ2_pfs4", StatisticScale::kProportion, 0.34, 376.0);
  check("DZ4", StatisticScale::kProportion, 0.68, 39.0);
  check("TX6", StatisticScale::kRate, 14.0 / 97.0, 97.0);
  check("TX2", StatisticScale::kProportion, 42.0 / 52.0, 52.0);
  // TX5 pooled (calibration-targets.md v2): S9438's 0 deaths among 14 grade-4 events. The range of
  // 0/14 is the Wilson interval from exactly 0: (0, z²/(N + z²)) = (0, 0.2153).
  check("TX5_grade4", StatisticScale::kProportion, 0.0, 14.0);
  constexpr double z2 = 1.959963984540054 * 1.959963984540054;
  EXPECT_EQ(target(set, "TX5_grade4").lower, 0.0);
  EXPECT_NEAR(target(set, "TX5_grade4").upper, z2 / (14.0 + z2), 1e-15);
  EXPECT_EQ(target(set, "PK1").evidence.scale, StatisticScale::kOther);
  EXPECT_EQ(target(set, "DZ1_median").evidence.scale, StatisticScale::kOther);
  // Every evidence estimate lies in its target's range.
  for (const auto& t : set.targets) {
    if (t.evidence.scale == StatisticScale::kOther) continue;
    EXPECT_GE(t.evidence.observed, t.lower) << t.id;
    EXPECT_LE(t.evidence.observed, t.upper) << t.id;
  }
}

const char* kCohort = R"(format_version = 1
seed = 1
[experiments.c]
kind = "cohort"
scenario = "chiron-regimen"
cohort = "adult-auto-nhl"
regimen = "chiron"
patients = 10
days = 100
[experiments.e]
kind = "typical"
scenario = "chiron-regimen"
cohort = "adult-auto-nhl"
regimen = "chiron"
days = 60
[[targets]]
id = "A"
description = "d"
source = "s"
experiment = "c"
statistic = "fraction_toxic_death"
target = 0.1
lower = 0
upper = 0.2
EVIDENCE
)";

std::string error_with(const std::string& evidence, const std::string& statistic = {}) {
  std::string text = kCohort;
  text.replace(text.find("EVIDENCE"), 8, evidence);
  const std::string fraction = "experiment = \"c\"\nstatistic = \"fraction_toxic_death\"";
  if (!statistic.empty()) text.replace(text.find(fraction), fraction.size(), statistic);
  return error_of(text);
}

TEST(Targets, EvidenceForms) {
  EXPECT_EQ(error_with("evidence = { successes = 3, trials = 30 }"), "");
  EXPECT_EQ(error_with("evidence = { estimate = 0.1, patients = 52.5 }"), "");
  EXPECT_EQ(error_with("evidence = { events = 3, patients = 30 }",
                       "experiment = \"c\"\nstatistic = \"grade4_events_per_patient\""),
            "");
}

TEST(Targets, BadEvidenceIsRefusedNamingFileLineAndKey) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"evidence = { successes = 3, trials = 2 }",
       "t.toml:25:12: targets[0].evidence: out of range"},
      {"evidence = { successes = 1.5, trials = 2 }", "targets[0].evidence: out of range"},
      {"evidence = { estimate = 1.5, patients = 10 }", "targets[0].evidence: out of range"},
      {"evidence = { estimate = 0.1, patients = 0 }", "targets[0].evidence: out of range"},
      {"evidence = { estimate = 0.1 }", "targets[0].evidence.patients: missing"},
      {"evidence = { successes = 1, trials = 10, patients = 10 }", "two forms"},
      {"evidence = { events = 1, patients = 10 }", "targets[0].evidence.events: unknown key"},
      {"evidence = 3", "targets[0].evidence: expected a table"},
  };
  for (const auto& [evidence, message] : cases) {
    const auto e = error_with(evidence);
    EXPECT_NE(e.find(message), std::string::npos) << evidence << "\n" << e;
  }
  // Evidence on a statistic that is not a proportion or a rate.
  const auto e = error_with("evidence = { estimate = 0.1, patients = 10 }",
                            "experiment = \"e\"\nstatistic = \"value_at\"\ncolumn = \"C\"");
  EXPECT_NE(e.find("evidence for the statistic 'value_at'"), std::string::npos) << e;
}

}  // namespace
}  // namespace il2sim::calibration
