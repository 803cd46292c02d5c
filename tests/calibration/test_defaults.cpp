// The shipped defaults meet a fast subset of the calibration targets (the whole table runs in
// seconds, but only these are met with a margin of more than two Monte Carlo SEs under the current
// defaults; `il2sim calibrate --check` and the fit report list every target, met or not).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "calibration/evaluate.hpp"

namespace il2sim::calibration {
namespace {

TEST(ShippedDefaults, MeetTheFastSubset) {
  EvaluationOptions o;
  o.threads = 2;
  // Targets of calibration-targets.md met by the defaults of src/model/parameters.cpp (measured
  // with `il2sim calibrate --check`): PK from Konrad 1990 and the Proleukin label, reconstitution
  // (Porrata 2001, CDLI 2004), NK and sIL-2Rα response to the Chiron regimen (Seattle phase I/II,
  // Lange 2011), toxicity (Sievers 1998, Robinson 1996, Chiron phase II maintenance, Benyunes 1993
  // platelets), the start of IL-2 and attrition before it (Seattle trials, S9438 registration) and
  // the Chiron phase I/II NHL CR rate. TX1_at12 and TX2 are met by the fit study-flow but within
  // two Monte Carlo SEs of their bounds, so they are left to `calibrate --check`.
  o.only = {"PK1",
            "PK2_beta",
            "PK4_p95",
            "IM1",
            "IM2_nk",
            "IM2_cd8",
            "IM3",
            "IM7_d4",
            "IM7_d18",
            "TX9",
            "TX4_hypotension",
            "TX7_high",
            "TX7_low",
            "TX8",
            "GV1_acute",
            "ST1",
            "ST2",
            "ST3_refusal",
            "DZ6_nhl"};
  const auto ev = Evaluator(builtin_targets(), o).evaluate({});
  ASSERT_EQ(ev.targets.size(), o.only.size());
  for (const auto& t : ev.targets) {
    EXPECT_TRUE(t.met) << t.id << ": simulated " << t.simulated << " (SE " << t.mc_se << "), range "
                       << t.lower << "-" << t.upper;
  }
  EXPECT_EQ(ev.met_fraction, 1.0);
}

// Issue 8's bar for the shipped defaults over the whole table (a few seconds): at least 80 % of the
// counted targets met, and every unmet one explained by its unmet_note in calibration/targets.toml.
TEST(ShippedDefaults, MeetEightyPercentAndExplainEveryMiss) {
  EvaluationOptions o;
  o.threads = 2;
  const auto set = builtin_targets();
  const auto ev = Evaluator(set, o).evaluate({});
  EXPECT_GE(ev.met_fraction, 0.8) << ev.met << " of " << ev.counted;
  for (const auto& r : ev.targets) {
    if (r.met || r.informational) continue;
    const auto t = std::find_if(set.targets.begin(), set.targets.end(),
                                [&](const Target& x) { return x.id == r.id; });
    ASSERT_NE(t, set.targets.end());
    EXPECT_FALSE(t->unmet_note.empty())
        << r.id << " is unmet (simulated " << r.simulated << ", range " << r.lower << "-" << r.upper
        << ") and has no unmet_note";
  }
}

TEST(ShippedDefaults, InformationalTargetIsNotCounted) {
  EvaluationOptions o;
  o.only = {"DZ8", "PK1"};
  const auto ev = Evaluator(builtin_targets(), o).evaluate({});
  EXPECT_EQ(ev.counted, 1);
  // In file order: PK1, then DZ8. DZ8: ln 2 / r_aml with the default r_aml = 0.045/day
  // (parameters.cpp) = 15.4 days.
  EXPECT_NEAR(ev.targets[1].simulated, std::log(2.0) / 0.045, 1e-9);
  EXPECT_EQ(ev.targets[1].id, "DZ8");
  EXPECT_FALSE(ev.targets[1].met);
}

}  // namespace
}  // namespace il2sim::calibration
