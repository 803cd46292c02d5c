#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "scenario/scenario.hpp"

namespace il2sim::scenario {
namespace {

const std::string kValid = R"(format_version = 1
name = "t"
[regimens.r]
product = "roche"
phases = [ { name = "induction", route = "civ", dose = 3, unit = "MU/m2/day", days = 5 } ]
[[arms]]
name = "il2"
cohort = "adult-auto-aml"
regimen = "r"
)";

std::string error_of(const std::string& text) {
  try {
    (void)parse_scenario(text, "s.toml");
  } catch (const UserError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(Scenario, ParsesRegimenArmsAndUnits) {
  const auto s = parse_scenario(kValid, "s.toml");
  EXPECT_EQ(s.name, "t");
  ASSERT_EQ(s.arms.size(), 1U);
  EXPECT_EQ(s.arms[0].cohort, "adult-auto-aml");
  const auto& r = s.regimens.at("r");
  EXPECT_EQ(r.product, dosing::Product::kRoche);
  EXPECT_DOUBLE_EQ(r.phases[0].dose, 3e6);  // "MU" = 10^6 units
  EXPECT_EQ(r.phases[0].unit, dosing::DoseUnit::kPerM2PerDay);
}

// Every built-in scenario parses, and its resolved TOML reads back to the same resolved TOML.
TEST(Scenario, BuiltinsParseAndRoundTrip) {
  ASSERT_FALSE(builtin_scenarios().empty());
  bool has_default = false;
  for (const auto& b : builtin_scenarios()) {
    const auto s = parse_scenario(b.toml, std::string(b.name));
    EXPECT_EQ(s.name, b.name);
    const std::string resolved = to_toml(s);
    EXPECT_EQ(to_toml(parse_scenario(resolved, "resolved")), resolved) << b.name;
    has_default = has_default || b.name == kDefaultScenario;
  }
  EXPECT_TRUE(has_default);
}

// Names and descriptions may hold any character TOML can escape; to_toml must write them back as
// valid TOML (found by fuzz_scenario: a multi-line description made scenario.toml unreadable).
TEST(Scenario, RoundTripEscapesControlCharacters) {
  const std::string text =
      "format_version = 1\nname = \"tab\\there \\u0001 \\u007f \\\"q\\\" \\\\ \\r\"\n"
      "description = \"\"\"multi\nline\"\"\"\n[regimens.\"new\\nline\"]\nphases = [{ days = 1 }]\n"
      "[[arms]]\nname = \"a\\fb\"\ncohort = \"adult-auto-nhl\"\nregimen = \"new\\nline\"\n";
  const auto s = parse_scenario(text, "s.toml");
  EXPECT_EQ(s.name, "tab\there \x01 \x7f \"q\" \\ \r");
  EXPECT_EQ(s.description, "multi\nline");
  const std::string resolved = to_toml(s);
  const auto back = parse_scenario(resolved, "resolved");
  EXPECT_EQ(back.name, s.name);
  EXPECT_EQ(back.description, s.description);
  EXPECT_EQ(back.arms.at(0).name, "a\fb");
  EXPECT_EQ(back.regimens.count("new\nline"), 1U);
  EXPECT_EQ(to_toml(back), resolved);
}

TEST(Scenario, OverridesParametersByName) {
  const auto s = parse_scenario(kValid + "[parameters]\nkN = 5e-5\npotency_roche = 6\n", "s.toml");
  EXPECT_DOUBLE_EQ(s.parameters[model::ParamId::kKN], 5e-5);
  EXPECT_DOUBLE_EQ(s.parameters[model::ParamId::kPotencyRoche], 6.0);
}

// Error messages are part of the interface: file:line:column, key, value, what is allowed.
TEST(ScenarioErrors, UnknownKeyWithSuggestion) {
  EXPECT_EQ(error_of(kValid + "[solver]\nrtoll = 1e-6\n"),
            "s.toml:11:9: solver.rtoll: unknown key; did you mean 'rtol'? (allowed: mode, rtol, "
            "max_steps, "
            "stochastic_tumour, birth_death_slice, pk_transient_days)");
}

TEST(ScenarioErrors, UnknownParameterWithSuggestion) {
  EXPECT_EQ(error_of(kValid + "[parameters]\nkmrag = 3\n"),
            "s.toml:11:9: parameters.kmrag: unknown parameter; did you mean 'kmarg'? (allowed: a "
            "name listed by "
            "`il2sim params`)");
}

TEST(ScenarioErrors, OutOfRangeNamesTheRange) {
  EXPECT_EQ(error_of(kValid + "[parameters]\npotency_roche = 10\n"),
            "s.toml:11:17: parameters.potency_roche: value 10 is out of range (allowed: 3 to 6)");
}

// The attrition settings of the start (settings.hpp): parsed, range-checked, written back.
TEST(Scenario, AttritionSettings) {
  const auto s = parse_scenario(
      kValid + "[protocol]\nother_attrition_probability = 0.25\nrestage_before_start = false\n",
      "s.toml");
  EXPECT_DOUBLE_EQ(s.protocol.other_attrition_probability, 0.25);
  EXPECT_FALSE(s.protocol.restage_before_start);
  const auto back = parse_scenario(to_toml(s), "back.toml");
  EXPECT_DOUBLE_EQ(back.protocol.other_attrition_probability, 0.25);
  EXPECT_FALSE(back.protocol.restage_before_start);
  // The defaults: no other attrition, restaging on.
  const auto d = parse_scenario(kValid, "s.toml");
  EXPECT_DOUBLE_EQ(d.protocol.other_attrition_probability, 0.0);
  EXPECT_TRUE(d.protocol.restage_before_start);
  EXPECT_EQ(error_of(kValid + "[protocol]\nother_attrition_probability = 1.5\n"),
            "s.toml:11:31: protocol.other_attrition_probability: value 1.5 is out of range "
            "(allowed: 0 to 1)");
  EXPECT_NE(error_of(kValid + "[protocol]\nrestage_before_start = 1\n")
                .find("protocol.restage_before_start"),
            std::string::npos);
}

TEST(ScenarioErrors, WrongType) {
  EXPECT_EQ(error_of(kValid + "[parameters]\nkN = \"high\"\n"),
            "s.toml:11:6: parameters.kN: expected a number, found the string \"high\"");
}

TEST(ScenarioErrors, NewerFormatVersion) {
  std::string text = kValid;
  text.replace(text.find("format_version = 1"), 18, "format_version = 3");
  EXPECT_EQ(error_of(text),
            "s.toml:1:18: format_version: format version 3 is newer than this il2sim reads "
            "(allowed: 1 to 2; "
            "upgrade il2sim)");
}

TEST(ScenarioErrors, MalformedToml) {
  const std::string e = error_of("format_version = 1\nname = \"x\n");
  EXPECT_EQ(e.rfind("s.toml:2:", 0), 0U) << e;
  EXPECT_NE(e.find("malformed TOML"), std::string::npos) << e;
}

TEST(ScenarioErrors, EmptyAndBinary) {
  EXPECT_EQ(error_of(""),
            "s.toml: empty scenario (allowed: a TOML file with at least format_version and name)");
  EXPECT_EQ(error_of(std::string("\x7f\x45\x4c\x46\0\0", 6)),
            "s.toml: binary data is not a TOML scenario (allowed: a UTF-8 TOML text file)");
}

// toml++ 3.3 has undefined behaviour on non-ASCII characters where it looks for whitespace
// (found by fuzz_scenario), so they are refused outside strings and comments before it runs;
// inside strings and comments they stay allowed.
TEST(ScenarioErrors, NonAsciiOutsideStringsAndComments) {
  const std::string outside =
      " non-ASCII character outside a string or comment (allowed: non-ASCII text only inside "
      "\"quoted strings\" and after # in comments)";
  EXPECT_EQ(error_of("format_version = 1\nname\xC3\x97 = 4\n"), "s.toml:2:5:" + outside);
  EXPECT_EQ(error_of("\xEF\xBB\xBF"
                     "a = 1\n\xCC\xAA"),
            "s.toml:2:1:" + outside);
  EXPECT_EQ(error_of("s = +\"\xC2\xA7\"\n"), "s.toml:1:7:" + outside);  // no string after '+'
  EXPECT_EQ(error_of("a = 1\ns = \"\xC3\xA9\xA9\"\n"),
            "s.toml:2:7: byte 0xA9 does not start a valid UTF-8 character (allowed: UTF-8 text)");
  EXPECT_EQ(error_of("s = \"\xED\xA0\x80\"\n"),  // a surrogate
            "s.toml:1:6: byte 0xED does not start a valid UTF-8 character (allowed: UTF-8 text)");
  EXPECT_NE(error_of("s = \"\"\"\\\n  \xC2\xA7\"\"\"\n").find("s.toml:2:3: a line continued with"),
            std::string::npos);
  EXPECT_NE(error_of("s = \"a\\\xC2\xA7\"\n").find("s.toml:1:8: non-ASCII character after '\\'"),
            std::string::npos);
  const auto s = parse_scenario(
      "# \xC3\x97 in a comment\ndescription = '''\xC2\xB2 \"\"\" ''' # \xC2\xA7\n" + kValid +
          "[regimens.\"\xC3\xA9\"]\nphases = [{ name = \"\xC3\xA9 \\\" \xC3\xA9\", days = 1 }]\n",
      "s.toml");
  EXPECT_EQ(s.description, "\xC2\xB2 \"\"\" ");
  EXPECT_EQ(s.regimens.at("\xC3\xA9").phases.at(0).name, "\xC3\xA9 \" \xC3\xA9");
}

TEST(ScenarioErrors, UnitMustFitRoute) {
  std::string text = kValid;
  text.replace(text.find("MU/m2/day"), 9, "MU/m2");
  EXPECT_EQ(error_of(text),
            "s.toml:5:66: regimens.r.phases[0].unit: unit 'MU/m2' does not fit route 'civ' "
            "(allowed: U/m2/day, "
            "U/day, U/kg/day, MU/m2/day, MU/day, MU/kg/day (U = the product's unit))");
}

TEST(ScenarioErrors, UnknownCohortAndRegimen) {
  std::string text = kValid;
  text.replace(text.find("adult-auto-aml"), 14, "adult-auto-amll");
  EXPECT_EQ(error_of(text),
            "s.toml:8:10: arms[0].cohort: unknown cohort 'adult-auto-amll'; did you mean "
            "'adult-auto-aml'? "
            "(allowed: adult-auto-nhl, adult-auto-aml, adult-auto-lymphoma, peds-allo-leukaemia, "
            "adult-auto-aml-cr1, adult-auto-aml-beyond-cr1, or a cohort defined under "
            "[cohorts.NAME])");
  text = kValid;
  text.replace(text.find("regimen = \"r\""), 13, "regimen = \"x\"");
  EXPECT_EQ(error_of(text), "s.toml:9:11: arms[0].regimen: no regimen named 'x' (allowed: r)");
}

TEST(ScenarioErrors, MissingFileAndUnknownBuiltin) {
  try {
    (void)load_scenario("/nonexistent/dir/s.toml");
    FAIL();
  } catch (const UserError& e) {
    // The operating system's reason is glibc's strerror(ENOENT).
    EXPECT_STREQ(e.what(),
                 "/nonexistent/dir/s.toml: cannot open the scenario file (No such file or "
                 "directory) (allowed: an existing readable .toml file, or a built-in name from "
                 "`il2sim scenarios`)");
  }
  try {
    (void)load_scenario("chiron-regimn");
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'chiron-regimen'?"), std::string::npos)
        << e.what();
  }
}

}  // namespace il2sim::scenario

namespace il2sim::scenario {

// Population settings are scenario settings: [population.adult] / [population.paediatric] override
// the defaults of population::adult_population() / paediatric_population().
TEST(Scenario, OverridesPopulationSettings) {
  const auto s =
      parse_scenario(kValid +
                         "[population.adult]\nmale_fraction = 0.8\nage_distribution = \"uniform\"\n"
                         "age_min = 20\nage_max = 40\n",
                     "s.toml");
  EXPECT_DOUBLE_EQ(s.adults.male_fraction, 0.8);
  EXPECT_EQ(s.adults.age.distribution, population::AgeDistribution::kUniform);
  EXPECT_DOUBLE_EQ(s.adults.age.max_years, 40.0);
  EXPECT_DOUBLE_EQ(s.children.male_fraction, population::paediatric_population().male_fraction);
  const auto again = parse_scenario(to_toml(s), "resolved");
  EXPECT_DOUBLE_EQ(again.adults.age.min_years, 20.0);
}

TEST(ScenarioErrors, PopulationAgeRangeChecked) {
  EXPECT_NE(error_of(kValid + "[population.adult]\nage_min = 60\nage_max = 40\n")
                .find("population.adult"),
            std::string::npos);
}

}  // namespace il2sim::scenario

namespace il2sim::scenario {

// selection_bias is a key of single-arm stages (the analysis compares a single-arm trial with its
// historical control); on another stage type it is an input error naming the key.
TEST(ScenarioErrors, SelectionBiasOnlyForSingleArmStages) {
  const std::string stage = R"(
[[stages]]
name = "esc"
type = "dose_escalation"
cohort = "adult-auto-aml"
regimen = "r"
escalated_phase = "induction"
levels = [1e6, 2e6]
selection_bias = true
)";
  const std::string message = error_of(kValid + stage);
  EXPECT_NE(
      message.find(
          "stages[0].selection_bias: only a single_arm stage has the selection-bias analysis"),
      std::string::npos)
      << message;
  // A single-arm stage accepts it, and the resolved scenario keeps it.
  const std::string single = R"(
[[stages]]
name = "p2"
type = "single_arm"
cohort = "adult-auto-aml"
regimen = "r"
escalated_phase = "induction"
patients = 10
selection_bias = true
)";
  const auto s = parse_scenario(kValid + single, "s.toml");
  ASSERT_EQ(s.stages.size(), 1U);
  EXPECT_TRUE(s.stages[0].selection_bias);
  EXPECT_NE(to_toml(s).find("selection_bias = true"), std::string::npos);
}

}  // namespace il2sim::scenario

namespace il2sim::scenario {

// A setting the escalation method does not use is refused, not ignored (the 3+3 has cohorts of 3
// and no sample-size cap or target; only the CRM has a skeleton); a default value passes, as the
// resolved scenario writes every field.
TEST(ScenarioErrors, EscalationSettingsTheMethodDoesNotUse) {
  const std::string stage =
      "[[stages]]\nname = \"esc\"\ntype = \"dose_escalation\"\ncohort = \"adult-auto-aml\"\n"
      "regimen = \"r\"\nlevels = [1, 2, 3]\n";
  const auto error = [&](const std::string& extra) {
    try {
      (void)parse_scenario(kValid + stage + extra, "s.toml");
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(error(""), "(no error)");
  EXPECT_EQ(error("cohort_size = 3\nmax_patients = 30\n"), "(no error)");
  for (const std::string extra : {"cohort_size = 4\n", "max_patients = 12\n", "target = 0.25\n",
                                  "skeleton = [0.1, 0.2, 0.3]\n"}) {
    const std::string e = error(extra);
    EXPECT_NE(e.find("is not used by method = \"3+3\""), std::string::npos) << extra << e;
  }
  EXPECT_NE(error("method = \"boin\"\nskeleton = [0.1, 0.2, 0.3]\n")
                .find("a skeleton is not used by method = \"boin\""),
            std::string::npos);
  EXPECT_EQ(error("method = \"boin\"\ncohort_size = 4\ntarget = 0.25\n"), "(no error)");
}

}  // namespace il2sim::scenario

namespace il2sim::scenario {
namespace {

std::string override_error(const std::vector<Override>& overrides) {
  try {
    (void)parse_scenario(kValid, "s.toml", overrides);
  } catch (const UserError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

// kValid above: regimen "r" with one phase (index 0, name "induction", dose 3 MU/m2/day).
TEST(ScenarioOverrides, ReplaceAPhaseFieldByIndexOrNameAndAPlainTable) {
  auto s =
      parse_scenario(kValid, "s.toml", std::vector<Override>{{"regimens.r.phases.0.dose", "5"}});
  EXPECT_DOUBLE_EQ(s.regimens.at("r").phases[0].dose, 5e6);  // 5 MU = 5·10^6 units
  s = parse_scenario(kValid, "s.toml",
                     std::vector<Override>{{"regimens.r.phases.induction.route", "sc"},
                                           {"regimens.r.phases.0.unit", "\"MU/m2\""},
                                           {"protocol.refusal_probability", "0.25"},
                                           {"seed", "7"}});
  EXPECT_EQ(s.regimens.at("r").phases[0].route, dosing::Route::kSc);  // unquoted word: a string
  EXPECT_DOUBLE_EQ(s.protocol.refusal_probability, 0.25);
  EXPECT_EQ(s.seed, 7U);
  // Cross-checks see the override like a file's value: an SC phase dosed per day is refused.
  const auto e = override_error({{"regimens.r.phases.0.route", "sc"}});
  EXPECT_NE(e.find("does not fit route 'sc'"), std::string::npos) << e;
  // The resolved TOML holds the override: reading it back gives the same scenario text.
  EXPECT_EQ(to_toml(parse_scenario(to_toml(s), "resolved.toml")), to_toml(s));
}

TEST(ScenarioOverrides, TheLastOnAPathWins) {
  const auto s = parse_scenario(kValid, "s.toml",
                                std::vector<Override>{{"protocol.refusal_probability", "0.1"},
                                                      {"protocol.refusal_probability", "0.2"}});
  EXPECT_DOUBLE_EQ(s.protocol.refusal_probability, 0.2);
}

TEST(ScenarioOverrides, RefusalsNameSetAndThePath) {
  auto e = override_error({{"protocol.refusal_probabilty", "1"}});
  EXPECT_NE(e.find("--set"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean 'refusal_probability'?"), std::string::npos) << e;
  e = override_error({{"regimens.r.phases.1.dose", "1"}});
  EXPECT_NE(e.find("names induction; or indices 0 to 0"), std::string::npos) << e;
  e = override_error({{"protocol.refusal_probability", "1.5"}});  // a probability: 0 to 1
  EXPECT_NE(e.find("--set (on s.toml)"), std::string::npos) << e;
  EXPECT_NE(e.find("out of range"), std::string::npos) << e;
  e = override_error({{"name.x", "1"}});  // name is a string in kValid
  EXPECT_NE(e.find("'name' is a value"), std::string::npos) << e;
  EXPECT_THROW((void)parse_override("protocol.refusal_probability"), UserError);  // no '='
  EXPECT_THROW((void)parse_override("a..b=1"), UserError);                        // empty segment
  const auto o = parse_override("regimens.r.phases.0.unit=MU/m2/day");
  EXPECT_EQ(o.path, "regimens.r.phases.0.unit");
  EXPECT_EQ(o.value, "MU/m2/day");
}

// A value that is not one TOML value (here a second key smuggled after a newline) is a string.
TEST(ScenarioOverrides, TextThatIsNotOneValueIsAString) {
  const auto e = override_error({{"seed", "1\nname = \"x\""}});
  EXPECT_NE(e.find("--set"), std::string::npos) << e;
}

}  // namespace il2sim::scenario

namespace il2sim::scenario {
namespace {

// kValid with a second arm (observation) and a randomized stage; `extra` adds keys to the stage.
std::string randomized_text(const std::string& extra) {
  return kValid +
         "[[arms]]\nname = \"obs\"\ncohort = \"adult-auto-aml\"\n"
         "[[stages]]\nname = \"p3\"\ntype = \"randomized\"\narms = [\"il2\", \"obs\"]\n" +
         extra;
}

}  // namespace

// The version-2 keys of a randomized stage: parsed, written back only when set (so that version-1
// resolved scenarios keep their bytes) and read back the same.
TEST(ScenarioRandomizedV2, KeysRoundTrip) {
  const auto plain = parse_scenario(randomized_text(""), "s.toml");
  EXPECT_EQ(to_toml(plain).find("randomize_at"), std::string::npos);
  const auto s = parse_scenario(
      randomized_text("randomize_at = \"registration\"\nregistration_lead_days = 30\n"
                      "never_start_probability = 0.4\npopulation = \"treated\"\n"
                      "randomized = 130\nanalysis = \"calendar\"\nanalysis_months = [24, 48]\n"
                      "inflate_events = true\nlandmark_years = [1, 3]\n"),
      "s.toml");
  const auto& st = s.stages[0];
  EXPECT_EQ(st.randomize_at, RandomizeAt::kRegistration);
  EXPECT_DOUBLE_EQ(st.registration_lead_days, 30.0);
  EXPECT_DOUBLE_EQ(st.never_start_probability, 0.4);
  EXPECT_EQ(st.population, AnalysisPopulation::kTreated);
  EXPECT_EQ(st.randomized, 130);
  EXPECT_EQ(st.registered, 0);  // the randomized target drives accrual
  EXPECT_EQ(st.analysis, AnalysisTiming::kCalendar);
  EXPECT_EQ(st.looks, (std::vector<double>{0.5, 1.0}));  // derived: one per calendar analysis
  EXPECT_TRUE(st.inflate_events);
  EXPECT_EQ(st.landmark_years, (std::vector<double>{1.0, 3.0}));
  const std::string resolved = to_toml(s);
  EXPECT_EQ(to_toml(parse_scenario(resolved, "resolved")), resolved);
}

// Settings the engine cannot honour are refused with the key, the value and what is allowed.
TEST(ScenarioRandomizedV2, RefusesAmbiguousOrUnusedSettings) {
  const auto error = [](const std::string& extra) {
    try {
      (void)parse_scenario(randomized_text(extra), "s.toml");
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_NE(error("registered = 100\nrandomized = 50\n").find("ambiguous accrual target"),
            std::string::npos);
  EXPECT_EQ(error("registered = 0\nrandomized = 50\n"), "(no error)");
  EXPECT_NE(error("registered = 0\n").find("no randomized target"), std::string::npos);
  EXPECT_NE(error("never_start_probability = 1\n").find("never_start_probability"),
            std::string::npos);
  EXPECT_NE(error("registration_lead_days = 10\n").find("randomize_at = \"registration\""),
            std::string::npos);
  EXPECT_NE(error("analysis = \"calendar\"\n").find("analysis_months"), std::string::npos);
  EXPECT_NE(error("analysis = \"calendar\"\nanalysis_months = [24, 12]\n").find("must increase"),
            std::string::npos);
  EXPECT_NE(error("analysis = \"calendar\"\nanalysis_months = [12, 24]\nlooks = [1]\n")
                .find("1 looks for 2 analysis_months"),
            std::string::npos);
  EXPECT_NE(error("analysis = \"calendar\"\nanalysis_months = [12]\nmax_follow_up_months = 30\n")
                .find("not used with analysis = \"calendar\""),
            std::string::npos);
  EXPECT_NE(error("analysis_months = [12]\n").find("analysis = \"events\""), std::string::npos);
  EXPECT_NE(error("inflate_events = true\ntarget_events = 100\n").find("target_events = 0"),
            std::string::npos);
  EXPECT_NE(error("randomize_at = \"enrolment\"\n").find("randomize_at"), std::string::npos);
  EXPECT_NE(error("population = \"pp\"\n").find("itt"), std::string::npos);
}

}  // namespace il2sim::scenario

namespace il2sim::scenario {

// [model] (model/structure.hpp): the switch is parsed, written back only when it is not the
// default (so that resolved v1 scenarios keep their bytes), and a parameter the scenario's model
// does not read is refused at its line, whatever the order of the sections.
TEST(Scenario, ModelSectionSwitchesTheStructure) {
  const auto mass = parse_scenario(kValid, "s.toml");
  EXPECT_EQ(mass.structure, model::Structure{});
  EXPECT_EQ(to_toml(mass).find("[model]"), std::string::npos);
  const auto sat = parse_scenario(
      kValid + "[parameters]\nkill_max = 0.2\n[model]\nkill = \"saturating\"\n", "s.toml");
  EXPECT_EQ(sat.structure.kill, model::KillForm::kSaturating);
  EXPECT_DOUBLE_EQ(sat.parameters[model::ParamId::kKillMax], 0.2);
  const std::string resolved = to_toml(sat);
  EXPECT_NE(resolved.find("[model]\nkill = \"saturating\"\n"), std::string::npos);
  const auto back = parse_scenario(resolved, "resolved");
  EXPECT_EQ(back.structure, sat.structure);
  EXPECT_EQ(to_toml(back), resolved);
}

TEST(ScenarioErrors, ModelSwitchAndParametersItDoesNotRead) {
  EXPECT_EQ(error_of(kValid + "[model]\nkill = \"linear\"\n"),
            "s.toml:11:8: model.kill: unknown value 'linear' (allowed: mass_action, saturating)");
  EXPECT_EQ(error_of(kValid + "[parameters]\nkill_max = 0.2\n"),
            "s.toml:11:12: parameters.kill_max: the model of this scenario does not read it (only "
            "kill = \"saturating\" does) (allowed: [model] kill = \"saturating\", or no value for "
            "kill_max)");
}

}  // namespace il2sim::scenario
