// Cohorts as data (docs/model.md "Cohorts"): the built-in cohorts read from data/cohorts.toml equal
// the hard-coded list they replace, every [cohorts.NAME] key is parsed with range checks, and the
// resolved scenario writes a scenario's own cohorts back.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "scenario/scenario.hpp"

namespace il2sim::scenario {
namespace {

using model::ParamId;

std::string scenario_with(const std::string& cohort_table, const std::string& cohort = "own") {
  return R"(format_version = 1
name = "t"
)" + cohort_table +
         R"(
[regimens.r]
product = "roche"
phases = [ { name = "induction", route = "civ", dose = 3, unit = "MU/m2/day", days = 5 } ]
[[arms]]
name = "il2"
cohort = ")" +
         cohort + R"("
regimen = "r"
)";
}

const std::string kOwn = R"([cohorts.own]
description = "older adults with AML in CR1 after consolidation chemotherapy"
disease = "aml"
remission = "CR1"
setting = "chemotherapy"
population = "adult"
age_min = 55
age_max = 65
p_no_disease = 0.4
log10_L0_mean = "log10_L0_mean_aml_cr1"
log10_L0_sd = 1.5
nrm_1y = 0.03
post_relapse_median_months = "post_relapse_median_aml"
salvage_fraction = 0.25
salvage_median_months = 18
)";

std::string error_of(const std::string& text, std::span<const Override> overrides = {}) {
  try {
    (void)parse_scenario(text, "s.toml", overrides);
  } catch (const UserError& e) {
    return e.what();
  }
  return "(no error)";
}

void expect_parameter(const CohortValue& v, ParamId id, const std::string& what) {
  ASSERT_TRUE(v.parameter.has_value()) << what;
  EXPECT_EQ(*v.parameter, id) << what;
}

/// One built-in cohort as the hard-coded list had it before the cohorts became data (the list in
/// scenario.cpp and the NRM/post-relapse switches in clinic/patient.cpp at commit b90a331).
struct Expected {
  const char* name;
  model::Disease disease;
  model::Transplant transplant;
  bool paediatric;
  const char* description;
  const char* remission;
  ParamId p_no_disease;
  ParamId log10_L0_mean;
  ParamId nrm;
  ParamId post_relapse;
};

}  // namespace

TEST(Cohorts, BuiltinsFromDataEqualTheListTheyReplace) {
  using enum ParamId;
  using model::Disease;
  using model::Transplant;
  const std::vector<Expected> expected{
      {"adult-auto-nhl", Disease::kNhl, Transplant::kAutologous, false,
       "adults with non-Hodgkin lymphoma after autologous transplantation",
       "relapsed or refractory", kPNoDisease, kLog10L0Mean, kNrm1yAuto, kPostRelapseMedianNhl},
      {"adult-auto-aml", Disease::kAml, Transplant::kAutologous, false,
       "adults with AML (CR1 or beyond, not reported) after autologous transplantation",
       "CR1 or beyond", kPNoDisease, kLog10L0Mean, kNrm1yAuto, kPostRelapseMedianAml},
      {"adult-auto-lymphoma", Disease::kNhl, Transplant::kAutologous, false,
       "adults with Hodgkin or non-Hodgkin lymphoma after autologous transplantation (LAK trial)",
       "first relapse or beyond", kPNoDisease, kLog10L0Mean, kNrm1yAuto, kPostRelapseMedianNhl},
      {"peds-allo-leukaemia", Disease::kAll, Transplant::kAllogeneic, true,
       "children with acute leukaemia beyond CR1 after matched-sibling allogeneic transplantation",
       "beyond CR1", kPNoDisease, kLog10L0Mean, kNrm1yAllo, kPostRelapseMedianAll},
      {"adult-auto-aml-cr1", Disease::kAml, Transplant::kAutologous, false,
       "adults with AML in first complete remission after autologous transplantation (Stein 2003)",
       "CR1", kPNoDiseaseAmlCr1, kLog10L0MeanAmlCr1, kNrm1yAuto, kPostRelapseMedianAml},
      {"adult-auto-aml-beyond-cr1", Disease::kAml, Transplant::kAutologous, false,
       "adults with AML beyond first remission (first relapse, CR2 or later) after autologous "
       "transplantation (Benyunes 1993)",
       "beyond CR1", kPNoDiseaseAmlBeyondCr1, kLog10L0MeanAmlBeyondCr1, kNrm1yAuto,
       kPostRelapseMedianAml},
  };
  const auto& cohorts = builtin_cohorts();
  ASSERT_EQ(cohorts.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& c = cohorts[i];
    const auto& e = expected[i];
    SCOPED_TRACE(e.name);
    EXPECT_EQ(c.name, e.name);  // the order of the list, too
    EXPECT_EQ(c.disease, e.disease);
    EXPECT_EQ(c.transplant, e.transplant);
    EXPECT_EQ(c.paediatric, e.paediatric);
    EXPECT_EQ(c.description, e.description);
    EXPECT_EQ(c.remission, e.remission);
    EXPECT_FALSE(c.age_min.has_value());
    EXPECT_FALSE(c.age_max.has_value());
    expect_parameter(c.p_no_disease, e.p_no_disease, "p_no_disease");
    expect_parameter(c.log10_L0_mean, e.log10_L0_mean, "log10_L0_mean");
    expect_parameter(c.log10_L0_sd, kLog10L0Sd, "log10_L0_sd (shared by all)");
    expect_parameter(c.nrm_1y, e.nrm, "nrm_1y");
    expect_parameter(c.post_relapse_median_months, e.post_relapse, "post relapse");
    EXPECT_FALSE(c.salvage_fraction.parameter.has_value());
    EXPECT_EQ(c.salvage_fraction.number, 0.0);
    EXPECT_FALSE(c.salvage_median_months.has_value());
    EXPECT_TRUE(c.builtin);
    EXPECT_EQ(find_cohort(e.name), &c);
  }
}

TEST(Cohorts, ParsesEveryKey) {
  const auto s = parse_scenario(scenario_with(kOwn), "s.toml");
  ASSERT_EQ(s.cohorts.size(), 1U);
  const auto& c = s.cohorts[0];
  EXPECT_EQ(c.name, "own");
  EXPECT_EQ(c.description, "older adults with AML in CR1 after consolidation chemotherapy");
  EXPECT_EQ(c.disease, model::Disease::kAml);
  EXPECT_EQ(c.remission, "CR1");
  EXPECT_EQ(c.transplant, model::Transplant::kChemotherapy);
  EXPECT_FALSE(c.paediatric);
  EXPECT_EQ(c.age_min, 55.0);
  EXPECT_EQ(c.age_max, 65.0);
  EXPECT_EQ(c.p_no_disease.number, 0.4);
  EXPECT_FALSE(c.p_no_disease.parameter.has_value());
  expect_parameter(c.log10_L0_mean, ParamId::kLog10L0MeanAmlCr1, "log10_L0_mean");
  EXPECT_EQ(c.log10_L0_sd.number, 1.5);
  EXPECT_EQ(c.nrm_1y.number, 0.03);
  expect_parameter(c.post_relapse_median_months, ParamId::kPostRelapseMedianAml, "median");
  EXPECT_EQ(c.salvage_fraction.number, 0.25);
  ASSERT_TRUE(c.salvage_median_months.has_value());
  EXPECT_EQ(c.salvage_median_months->number, 18.0);
  EXPECT_FALSE(c.builtin);
  EXPECT_EQ(s.find_cohort("own"), &c);
  EXPECT_EQ(s.find_cohort("adult-auto-nhl"), find_cohort("adult-auto-nhl"));
  // The population of its patients: the scenario's adults with the cohort's ages.
  const auto ps = cohort_population(s, c);
  EXPECT_EQ(ps.age.min_years, 55.0);
  EXPECT_EQ(ps.age.max_years, 65.0);
  EXPECT_FALSE(ps.paediatric);
}

// Left-out keys take the defaults of the disease and the setting (the rows the clinic used before).
TEST(Cohorts, DefaultsFollowDiseaseAndSetting) {
  const auto s = parse_scenario(scenario_with(R"([cohorts.own]
disease = "hd"
setting = "allogeneic"
population = "paediatric"
)"),
                                "s.toml");
  const auto& c = s.cohorts.at(0);
  EXPECT_TRUE(c.paediatric);
  expect_parameter(c.p_no_disease, ParamId::kPNoDisease, "p_no_disease");
  expect_parameter(c.log10_L0_mean, ParamId::kLog10L0Mean, "log10_L0_mean");
  expect_parameter(c.log10_L0_sd, ParamId::kLog10L0Sd, "log10_L0_sd");
  expect_parameter(c.nrm_1y, ParamId::kNrm1yAllo, "nrm_1y");
  expect_parameter(c.post_relapse_median_months, ParamId::kPostRelapseMedianHd, "median");
  EXPECT_EQ(c.salvage_fraction.number, 0.0);
}

TEST(Cohorts, ResolvedScenarioRoundTripsTheOwnCohorts) {
  const auto s = parse_scenario(scenario_with(kOwn), "s.toml");
  const std::string resolved = to_toml(s);
  EXPECT_NE(resolved.find("[cohorts.\"own\"]"), std::string::npos) << resolved;
  // A value given as a parameter name stays a name.
  EXPECT_NE(resolved.find("log10_L0_mean = \"log10_L0_mean_aml_cr1\""), std::string::npos);
  EXPECT_NE(resolved.find("age_min = 55"), std::string::npos);
  const auto back = parse_scenario(resolved, "resolved");
  EXPECT_EQ(to_toml(back), resolved);
  ASSERT_EQ(back.cohorts.size(), 1U);
  EXPECT_EQ(cohort_to_toml(back.cohorts[0]), cohort_to_toml(s.cohorts[0]));
  // The built-in cohorts' file reads back through the same writer.
  std::string text;
  for (const auto& c : builtin_cohorts()) text += cohort_to_toml(c) + "\n";
  const auto again = parse_cohorts_file(text, "written");
  ASSERT_EQ(again.size(), builtin_cohorts().size());
  for (std::size_t i = 0; i < again.size(); ++i)
    EXPECT_EQ(cohort_to_toml(again[i]), cohort_to_toml(builtin_cohorts()[i]));
}

TEST(Cohorts, SetReachesACohortField) {
  const std::vector<Override> set{{"cohorts.own.nrm_1y", "0.07"},
                                  {"cohorts.own.p_no_disease", "p_no_disease_aml_beyond_cr1"}};
  const auto s = parse_scenario(scenario_with(kOwn), "s.toml", set);
  EXPECT_EQ(s.cohorts.at(0).nrm_1y.number, 0.07);
  expect_parameter(s.cohorts.at(0).p_no_disease, ParamId::kPNoDiseaseAmlBeyondCr1, "--set name");
  EXPECT_NE(error_of(scenario_with(kOwn), std::vector<Override>{{"cohorts.own.nrm_1y", "2"}})
                .find("--set"),
            std::string::npos);
}

// Each refusal names the file and line, the key, the value and what is allowed.
TEST(Cohorts, RefusesBadValuesNamingKeyValueAndAllowed) {
  const auto replace = [](std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  };
  struct Case {
    std::string text;
    std::vector<std::string> needles;
  };
  const std::vector<Case> cases{
      // Line 11: the two scenario lines, then p_no_disease is the 9th line of kOwn.
      {replace(kOwn, "p_no_disease = 0.4", "p_no_disease = 1.4"),
       {"s.toml:11", "cohorts.own.p_no_disease", "1.4", "0 to 1"}},
      {replace(kOwn, "p_no_disease = 0.4", "p_no_disease = \"p_no_disase\""),
       {"cohorts.own.p_no_disease", "unknown parameter 'p_no_disase'", "p_no_disease"}},
      {replace(kOwn, "p_no_disease = 0.4", "p_no_disease = \"V1\""),
       {"cohorts.own.p_no_disease", "parameter 'V1'", "does not fit", "probability"}},
      {replace(kOwn, "post_relapse_median_months = \"post_relapse_median_aml\"",
               "post_relapse_median_months = \"nrm_1y_auto\""),
       {"cohorts.own.post_relapse_median_months", "does not fit", "month"}},
      {replace(kOwn, "disease = \"aml\"\n", ""), {"cohorts.own.disease", "missing", "nhl, hd"}},
      {replace(kOwn, "setting = \"chemotherapy\"", "setting = \"chemo\""),
       {"cohorts.own.setting", "'chemo'", "autologous, allogeneic, chemotherapy"}},
      {replace(kOwn, "population = \"adult\"", "population = \"child\""),
       {"cohorts.own.population", "'child'", "adult, paediatric"}},
      {replace(kOwn, "nrm_1y = 0.03\n", ""),
       {"cohorts.own.nrm_1y", "chemotherapy cohort gives its own"}},
      {replace(kOwn, "nrm_1y = 0.03", "nrm_1y = 0.95"), {"cohorts.own.nrm_1y", "0.95", "0 to 0.9"}},
      {replace(kOwn, "salvage_median_months = 18\n", ""),
       {"cohorts.own.salvage_median_months", "missing"}},
      {replace(kOwn, "salvage_fraction = 0.25", "salvage_fraction = 0"),
       {"cohorts.own.salvage_median_months", "not used"}},
      {replace(kOwn, "age_min = 55", "age_min = 16"), {"cohorts.own", "age_min", "16", "adults"}},
      {replace(kOwn, "age_max = 65", "age_max = 50"), {"cohorts.own.age_max", "below age_min 55"}},
      {replace(replace(kOwn, "population = \"adult\"", "population = \"paediatric\""),
               "age_min = 55\nage_max = 65", "age_min = 1\nage_max = 10"),
       {"cohorts.own", "age_min", "CDC growth tables"}},
      {replace(kOwn, "remission = \"CR1\"", "remision = \"CR1\""),
       {"cohorts.own.remision", "did you mean 'remission'"}},
      {replace(kOwn, "[cohorts.own]", "[cohorts.adult-auto-nhl]"),
       {"cohorts.adult-auto-nhl", "is a built-in cohort"}},
      {replace(kOwn, "age_min = 55", "histology = { aggressive = 0.7, indolent = 0.3 }"),
       {"cohorts.own.histology", "unknown key"}},
  };
  for (const auto& c : cases) {
    const std::string error = error_of(scenario_with(c.text));
    for (const auto& n : c.needles)
      EXPECT_NE(error.find(n), std::string::npos) << n << "\n" << error;
  }
  // An arm naming an unknown cohort lists the scenario's own cohorts too.
  const std::string error = error_of(scenario_with(kOwn, "onw"));
  EXPECT_NE(error.find("did you mean 'own'"), std::string::npos) << error;
  EXPECT_NE(error.find("adult-auto-nhl"), std::string::npos) << error;
}

// ---- Mixture cohorts (docs/model.md "Mixture cohorts")

const std::string kMixture = kOwn + R"(
[cohorts.mixed]
description = "40 % own, 60 % adult-auto-nhl"
mix = { own = 0.4, adult-auto-nhl = 0.6 }
)";

TEST(Cohorts, MixtureParsesAndRoundTrips) {
  const auto s = parse_scenario(scenario_with(kMixture, "mixed"), "s.toml");
  const auto* m = s.find_cohort("mixed");
  ASSERT_NE(m, nullptr);
  EXPECT_TRUE(m->is_mixture());
  EXPECT_EQ(m->description, "40 % own, 60 % adult-auto-nhl");
  // Components in name order (a TOML table's order), weights as given.
  const std::vector<std::pair<std::string, double>> expected{{"adult-auto-nhl", 0.6}, {"own", 0.4}};
  EXPECT_EQ(m->mix, expected);
  EXPECT_FALSE(s.find_cohort("own")->is_mixture());
  const std::string resolved = to_toml(s);
  EXPECT_NE(resolved.find("mix = { \"adult-auto-nhl\" = 0.6, \"own\" = 0.4 }"), std::string::npos)
      << resolved;
  const auto back = parse_scenario(resolved, "resolved");
  EXPECT_EQ(to_toml(back), resolved);
  ASSERT_EQ(back.cohorts.size(), 2U);
  EXPECT_EQ(back.cohorts[1].mix, expected);
  // A component defined after the mixture, and --set on a weight.
  const std::string later = R"([cohorts.mixed]
mix = { own = 0.5, adult-auto-nhl = 0.5 }
)" + kOwn;
  const std::vector<Override> set{{"cohorts.mixed.mix.own", "0.25"},
                                  {"cohorts.mixed.mix.adult-auto-nhl", "0.75"}};
  const auto t = parse_scenario(scenario_with(later, "mixed"), "s.toml", set);
  EXPECT_EQ(t.find_cohort("mixed")->mix.at(1).second, 0.25);
}

// Each refusal names the key (cohorts.NAME.mix or the stray key), the value and what is allowed.
TEST(Cohorts, MixtureRefusesBadTablesNamingKeyValueAndAllowed) {
  const auto mixed = [](const std::string& body) {
    return scenario_with(kOwn + "\n[cohorts.mixed]\n" + body + "\n", "mixed");
  };
  struct Case {
    std::string text;
    std::vector<std::string> needles;
  };
  const std::vector<Case> cases{
      {mixed("mix = { own = 0.4, adult-auto-nhl = 0.6 }\ndisease = \"nhl\""),
       {"cohorts.mixed.disease", "mixture cohort", "description, mix"}},
      {mixed("mix = { own = 0.4, adult-auto-nhl = 0.5 }"),
       {"cohorts.mixed.mix", "sum to 0.9", "summing to 1"}},
      {mixed("mix = { own = 1.0, adult-auto-nhl = 0.0 }"),
       {"cohorts.mixed.mix", "'adult-auto-nhl'", "0", "above 0"}},
      {mixed("mix = { own = 1.5, adult-auto-nhl = -0.5 }"),
       {"cohorts.mixed.mix", "'adult-auto-nhl'", "-0.5", "above 0"}},
      {mixed("mix = { own = nan, adult-auto-nhl = 0.6 }"),
       {"cohorts.mixed.mix", "'own'", "nan", "finite"}},
      {mixed("mix = { own = inf, adult-auto-nhl = 0.6 }"),
       {"cohorts.mixed.mix", "'own'", "inf", "finite"}},
      {mixed("mix = { own = \"half\", adult-auto-nhl = 0.5 }"),
       {"cohorts.mixed.mix", "'own'", "\"half\"", "finite number"}},
      {mixed("mix = {}"), {"cohorts.mixed.mix", "empty", "cohort names and weights"}},
      {mixed("mix = 0.5"), {"cohorts.mixed.mix", "0.5", "cohort names and weights"}},
      {mixed("mix = { own = 0.4, nobody = 0.6 }"),
       {"cohorts.mixed.mix", "unknown component cohort 'nobody'", "not mixtures"}},
      {mixed("mix = { own = 0.4, other = 0.6 }\n[cohorts.other]\nmix = { own = 1 }"),
       {"cohorts.mixed.mix", "'other' is itself a mixture", "not mixtures"}},
  };
  for (const auto& c : cases) {
    const std::string error = error_of(c.text);
    for (const auto& n : c.needles)
      EXPECT_NE(error.find(n), std::string::npos) << n << "\n" << error;
  }
}

// A randomized stage: strata may name "cohort"; arms naming different cohorts are refused (before,
// every registrant silently came from the first arm's cohort).
TEST(Cohorts, RandomizedStageStrataAndOneCohort) {
  const auto stage = [](const std::string& control_cohort, const std::string& strata) {
    return scenario_with(kMixture, "mixed") + R"(
[[arms]]
name = "obs"
cohort = ")" +
           control_cohort +
           R"("
[[stages]]
name = "p3"
type = "randomized"
arms = ["il2", "obs"]
strata = )" +
           strata + "\n";
  };
  const auto s = parse_scenario(stage("mixed", R"(["cohort", "sex"])"), "s.toml");
  EXPECT_EQ(s.stages.at(0).strata, (std::vector<std::string>{"cohort", "sex"}));
  std::string error = error_of(stage("mixed", R"(["histology"])"));
  for (const char* n : {"stages[0].strata[0]", "'histology'", "sex, age, mrd, cohort"})
    EXPECT_NE(error.find(n), std::string::npos) << n << "\n" << error;
  error = error_of(stage("own", R"(["cohort"])"));
  for (const char* n : {"stages[0].arms", "'p3'", "'il2' (cohort 'mixed')", "'obs' (cohort 'own')",
                        "one cohort", "mixture cohort"})
    EXPECT_NE(error.find(n), std::string::npos) << n << "\n" << error;
}

}  // namespace il2sim::scenario
