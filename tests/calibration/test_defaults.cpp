// The shipped defaults meet a fast subset of the calibration targets (the whole table runs in
// seconds, but only these are met with a margin of more than two Monte Carlo SEs under the current
// defaults; `il2sim calibrate --check` and the fit report list every target, met or not).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include <toml++/toml.h>

#include "calibration/evaluate.hpp"
#include "model/structure.hpp"

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

namespace il2sim::calibration {
namespace {

/// The [parameters] of a calibrate --out folder's calibrated.toml, as a patch.
ParameterPatch calibrated_parameters(const std::string& file) {
  const auto root = toml::parse_file(file);
  ParameterPatch patch;
  const auto* table = root["parameters"].as_table();
  if (table == nullptr) return patch;
  for (const auto& [key, value] : *table) {
    const auto id = model::find_parameter(key.str());
    if (id.has_value()) patch.emplace_back(*id, value.value_or(0.0));
  }
  return patch;
}

// Model v2's IL-2-dependent NK pool ([model] nk = "il2_dependent", docs/model.md "IL-2-dependent
// NK survival") with its immune fit (calibration/fits-v2/nk-immune/, the command in its README)
// meets the immune targets that the single pool misses at any parameters: blood NK peaks 2-5 days
// after a 6-day CIV and is back near baseline within 21 days (IM5, J Hematother 1995), and 90 days
// of 2x10^5 IU/m2/d raise blood NK at least five-fold (IM6_nk, Soiffer 1992), while the Chiron
// regimen's NK fold stays in 1.8-4.5 (IM3). The same parameters under the single pool miss
// IM5_return and meet fewer of these: the mechanism, not the values, is what meets them.
TEST(NkVariant, Il2DependentPoolMeetsTheNkKineticsTheSinglePoolMisses) {
  const auto patch = calibrated_parameters(std::string(IL2SIM_SOURCE_DIR) +
                                           "/calibration/fits-v2/nk-immune/calibrated.toml");
  ASSERT_EQ(patch.size(), 8U);  // dNb, EC50Nb, asN, kD, EC50D, tauE, pE, CLcell0
  EvaluationOptions o;
  o.threads = 2;
  o.only = {"IM3", "IM5_peak", "IM5_return", "IM6_nk", "IM6_t"};
  o.structure.nk = model::NkForm::kIl2Dependent;
  const auto v2 = Evaluator(builtin_targets(), o).evaluate(patch);
  for (const auto& t : v2.targets) {
    EXPECT_TRUE(t.met) << t.id << ": simulated " << t.simulated << " (SE " << t.mc_se << "), range "
                       << t.lower << "-" << t.upper;
  }
  auto single = patch;
  std::erase_if(single,
                [](const auto& p) { return !model::uses_parameter(model::Structure{}, p.first); });
  o.structure = model::Structure{};
  const auto v1 = Evaluator(builtin_targets(), o).evaluate(single);
  for (const auto& t : v1.targets) {
    if (t.id == "IM5_return") {
      EXPECT_FALSE(t.met) << "single pool: return day " << t.simulated;
    }
  }
  EXPECT_LT(v1.met, v2.met);
}

}  // namespace
}  // namespace il2sim::calibration
