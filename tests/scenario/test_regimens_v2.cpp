// Regimens v2 in the scenario language: cycles (`repeat`), custom products (`[products.NAME]`),
// per-regimen rules (`[regimens.NAME.rules]`) and the protocol's early stop / on_hold: parsed with
// range checks (every bad value refused naming file:line, key and what is allowed), written back
// by to_toml (round trip), reachable by --set.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "scenario/scenario.hpp"

namespace il2sim::scenario {
namespace {

const std::string kBase = R"(format_version = 1
name = "v2"
[products.bio]
chiron_iu_per_unit = 2.5
[regimens.courses]
product = "bio"
phases = [
  { name = "induction", route = "civ", dose = 9, unit = "MU/m2/day", days = 5 },
  { name = "rest", days = 10 },
  { name = "course", route = "civ", dose = 9, unit = "MU/m2/day", days = 2 },
]
repeat = [ { phases = ["rest", "course"], times = 4 } ]
[regimens.courses.rules]
max_holds = 2
on_hold = "delay"
early_stop_per_month = 0.1
[regimens.monthly]
phases = [ { name = "cycle", route = "sc", dose = 5, unit = "MU", days = 5 } ]
repeat = [ { phases = ["cycle"], times = 12, every_days = 28, cycle_doses = [5, 5, 5, 5, 5, 5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5] } ]
[[arms]]
name = "il2"
cohort = "adult-auto-aml"
regimen = "courses"
)";

std::string error_of(const std::string& text) {
  try {
    (void)parse_scenario(text, "s.toml");
  } catch (const UserError& e) {
    return e.what();
  }
  return "(no error)";
}

/// kBase with `from` replaced by `to`; the error must name s.toml at the line of the replacement
/// (counted in kBase) and contain every fragment.
void expect_refused(const std::string& from, const std::string& to,
                    const std::vector<std::string>& fragments) {
  const auto at = kBase.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  const auto line = 1 + std::count(kBase.begin(), kBase.begin() + static_cast<long>(at), '\n');
  std::string text = kBase;
  text.replace(at, from.size(), to);
  const std::string e = error_of(text);
  EXPECT_EQ(e.rfind("s.toml:" + std::to_string(line) + ":", 0), 0U) << to << " -> " << e;
  for (const auto& f : fragments) EXPECT_NE(e.find(f), std::string::npos) << f << " in " << e;
}

TEST(RegimensV2Errors, Products) {
  expect_refused("product = \"bio\"", "product = \"bioo\"",
                 {"regimens.courses.product", "unknown product 'bioo'; did you mean 'bio'?",
                  "chiron, cetus, roche, bio"});
  expect_refused("chiron_iu_per_unit = 2.5", "chiron_iu_per_unit = 0",
                 {"products.bio.chiron_iu_per_unit", "not a potency", "> 0"});
  expect_refused("chiron_iu_per_unit = 2.5", "chiron_iu_per_unit = \"x\"",
                 {"products.bio.chiron_iu_per_unit", "expected a number"});
  expect_refused("chiron_iu_per_unit = 2.5", "potency = 2.5",
                 {"products.bio.potency", "unknown key"});
  expect_refused("[products.bio]\n", "[products.cetus]\n",
                 {"products.cetus", "built-in product and cannot be redefined"});
}

TEST(RegimensV2Errors, Repeat) {
  expect_refused("times = 4", "times = 0", {"regimens.courses.repeat[0].times", "1 to 1000"});
  expect_refused("times = 4", "time = 4", {"regimens.courses.repeat[0].time", "did you mean"});
  expect_refused("[\"rest\", \"course\"]", "[\"course\", \"rest\"]",
                 {"regimens.courses.repeat[0].phases[1]", "must follow each other"});
  expect_refused(
      "[\"rest\", \"course\"]", "[\"rest\", \"cours\"]",
      {"regimens.courses.repeat[0].phases[1]", "no phase named 'cours'; did you mean 'course'?"});
  expect_refused("[\"rest\", \"course\"]", "[1, 7]",
                 {"regimens.courses.repeat[0].phases[1]", "0 to 2"});
  expect_refused("every_days = 28", "every_days = 3",
                 {"regimens.monthly.repeat[0].every_days", "shorter than one cycle", "at least 5"});
  expect_refused("cycle_doses = [5, ", "cycle_doses = [",
                 {"regimens.monthly.repeat[0].cycle_doses", "11 doses for 12 cycles"});
  expect_refused("cycle_doses = [5, ", "cycle_doses = [-5, ",
                 {"regimens.monthly.repeat[0].cycle_doses[0]", "out of range"});
  expect_refused(
      "phases = [\"rest\", \"course\"], times = 4 }",
      "phases = [\"induction\", \"rest\", \"course\"], times = 4, cycle_doses = [1, 2, "
      "3, 4] }",
      {"regimens.courses.repeat[0].cycle_doses", "2 phases with a dose", "exactly one phase"});
}

TEST(RegimensV2Errors, Rules) {
  expect_refused("on_hold = \"delay\"", "on_hold = \"later\"",
                 {"regimens.courses.rules.on_hold", "unknown value 'later'", "skip, delay"});
  expect_refused("max_holds = 2", "max_holds = -1",
                 {"regimens.courses.rules.max_holds", "0 to 100"});
  expect_refused("max_holds = 2", "max_hold = 2",
                 {"regimens.courses.rules.max_hold", "did you mean 'max_holds'?"});
  expect_refused("early_stop_per_month = 0.1", "early_stop_per_month = -1",
                 {"regimens.courses.rules.early_stop_per_month", "0 to 1000"});
  expect_refused("max_holds = 2", "resume_fraction = 1.5",
                 {"regimens.courses.rules.resume_fraction", "0 to 1"});
  expect_refused("max_holds = 2", "hold_hypotension_grade = 1",
                 {"regimens.courses.rules.hold_hypotension_grade", "2 to 5"});
  // The protocol's own keys.
  // kBase ends with a newline: [protocol] is on line count + 1, its key on count + 2.
  const auto n = 2 + std::count(kBase.begin(), kBase.end(), '\n');
  EXPECT_EQ(error_of(kBase + "[protocol]\non_hold = \"x\"\n"),
            "s.toml:" + std::to_string(n) +
                ":11: protocol.on_hold: unknown value 'x' (allowed: skip, delay)");
  EXPECT_EQ(error_of(kBase + "[protocol]\nearly_stop_per_month = -0.5\n"),
            "s.toml:" + std::to_string(n) +
                ":24: protocol.early_stop_per_month: value -0.5 is out of range (allowed: 0 to "
                "1000)");
}

// Escalating a phase whose dose is set per cycle would change nothing: refused.
TEST(RegimensV2Errors, EscalatedPhaseWithCycleDoses) {
  const std::string stage = R"(
[[stages]]
name = "esc"
type = "dose_escalation"
cohort = "adult-auto-aml"
regimen = "monthly"
escalated_phase = "cycle"
levels = [1e6, 2e6]
)";
  const std::string e = error_of(kBase + stage);
  EXPECT_NE(e.find("stages[0].escalated_phase: phase 'cycle' of regimen 'monthly' is in a cycle "
                   "with cycle_doses"),
            std::string::npos)
      << e;
  // The same escalation of a cycle without per-cycle doses is accepted.
  std::string text = kBase + stage;
  const std::string from = "regimen = \"monthly\"\nescalated_phase = \"cycle\"";
  text.replace(text.rfind(from), from.size(),
               "regimen = \"courses\"\nescalated_phase = \"course\"");
  EXPECT_EQ(error_of(text), "(no error)");
}

TEST(RegimensV2, ParsesAndRoundTrips) {
  const auto s = parse_scenario(kBase + "[protocol]\nearly_stop_per_month = 0.2\n", "s.toml");
  const auto& c = s.regimens.at("courses");
  EXPECT_EQ(c.product, dosing::Product::custom("bio", 2.5));
  ASSERT_EQ(c.repeats.size(), 1U);
  EXPECT_EQ(c.repeats[0], (dosing::Repeat{1, 2, 4, 0.0, {}}));
  EXPECT_DOUBLE_EQ(c.total_days(), 53.0);  // 5 + 4 × (10 + 2)
  EXPECT_EQ(c.rules.max_holds, 2);
  EXPECT_EQ(c.rules.on_hold, dosing::OnHold::kDelay);
  EXPECT_FALSE(c.rules.hold_cls_grade.has_value());
  // Effective rules: the regimen's where set, else the protocol's.
  const auto rules = effective_rules(s.protocol, c.rules);
  EXPECT_EQ(rules.max_holds, 2);
  EXPECT_EQ(rules.hold_cls_grade, s.protocol.hold_cls_grade);
  EXPECT_DOUBLE_EQ(rules.early_stop_per_month, 0.1);
  EXPECT_DOUBLE_EQ(effective_rules(s.protocol, s.regimens.at("monthly").rules).early_stop_per_month,
                   0.2);
  const auto& m = s.regimens.at("monthly");
  ASSERT_EQ(m.repeats.size(), 1U);
  EXPECT_DOUBLE_EQ(m.repeats[0].cycle_doses[0], 5e6);  // MU → product units, like the phase dose
  EXPECT_DOUBLE_EQ(m.repeats[0].cycle_doses[11], 2.5e6);
  const std::string resolved = to_toml(s);
  const auto back = parse_scenario(resolved, "resolved.toml");
  EXPECT_EQ(to_toml(back), resolved);
  EXPECT_EQ(back.regimens.at("courses").repeats, c.repeats);
  EXPECT_EQ(back.regimens.at("courses").rules, c.rules);
  EXPECT_EQ(back.regimens.at("courses").product, c.product);
  EXPECT_EQ(back.regimens.at("monthly").repeats, m.repeats);
  EXPECT_DOUBLE_EQ(back.protocol.early_stop_per_month, 0.2);
  EXPECT_NE(resolved.find("[products.\"bio\"]"), std::string::npos) << resolved;
}

TEST(RegimensV2, SetReachesTheNewKeys) {
  const auto s = parse_scenario(kBase, "s.toml",
                                std::vector<Override>{{"regimens.courses.repeat.0.times", "6"},
                                                      {"products.bio.chiron_iu_per_unit", "3"},
                                                      {"regimens.courses.rules.on_hold", "skip"},
                                                      {"protocol.on_hold", "delay"}});
  const auto& c = s.regimens.at("courses");
  EXPECT_EQ(c.repeats[0].times, 6);
  EXPECT_DOUBLE_EQ(c.total_days(), 77.0);  // 5 + 6 × 12
  EXPECT_DOUBLE_EQ(c.product.chiron_iu_per_unit, 3.0);
  EXPECT_EQ(c.rules.on_hold, dosing::OnHold::kSkip);
  EXPECT_EQ(s.protocol.on_hold, dosing::OnHold::kDelay);
  EXPECT_EQ(to_toml(parse_scenario(to_toml(s), "resolved.toml")), to_toml(s));
}

}  // namespace
}  // namespace il2sim::scenario
