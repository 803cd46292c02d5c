// The ensemble file (calibration/ensemble.hpp, docs/ensemble.md): parsing, each refusal with its
// message, the writer's round trip, the draw of a replicate's set and the --set conflict check.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "calibration/ensemble.hpp"
#include "core/error.hpp"

namespace il2sim::calibration {
namespace {

const char* kTwoSets = R"([ensemble]
method = "manual"
seed = 123
[ensemble.diagnostics]
ess = 2.0

[[sets]]
weight = 1.0
kN = 2.1e-5
r_nhl = 0.013

[[sets]]
r_nhl = 0.02
kN = 3e-5
weight = 3
)";

std::string error_of(const std::string& text) {
  try {
    (void)parse_ensemble(text, "posterior.toml");
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

/// kTwoSets with the first occurrence of `from` replaced by `to`.
std::string with(const std::string& from, const std::string& to) {
  std::string text = kTwoSets;
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  return text;
}

TEST(Ensemble, ParsesSetsInTheFirstSetsOrderWithMetadataKept) {
  const auto e = parse_ensemble(kTwoSets, "posterior.toml");
  EXPECT_EQ(e.method, "manual");
  ASSERT_EQ(e.parameters.size(), 2U);
  EXPECT_EQ(e.parameters[0], model::ParamId::kKN);
  EXPECT_EQ(e.parameters[1], model::ParamId::kRNhl);
  ASSERT_EQ(e.sets.size(), 2U);
  EXPECT_EQ(e.sets[0].weight, 1.0);
  EXPECT_EQ(e.sets[1].weight, 3.0);                                // an integer weight is a number
  EXPECT_EQ(e.sets[1].values, (std::vector<double>{3e-5, 0.02}));  // reordered as sets[0]
  EXPECT_EQ(e.text, kTwoSets);                                     // verbatim, metadata included
  EXPECT_EQ(e.hash.size(), 16U);
  EXPECT_TRUE(e.sets_parameter(model::ParamId::kKN));
  EXPECT_FALSE(e.sets_parameter(model::ParamId::kKE));
}

TEST(Ensemble, WeightDefaultsToOne) {
  const auto e = parse_ensemble(with("weight = 1.0\n", ""), "posterior.toml");
  EXPECT_EQ(e.sets[0].weight, 1.0);
}

TEST(Ensemble, WriterRoundTrips) {
  const auto e = parse_ensemble(kTwoSets, "posterior.toml");
  const auto text = ensemble_to_toml(e, "seed = 123");
  const auto back = parse_ensemble(text, "written.toml");
  EXPECT_EQ(back.method, e.method);
  EXPECT_EQ(back.parameters, e.parameters);
  ASSERT_EQ(back.sets.size(), e.sets.size());
  for (std::size_t k = 0; k < e.sets.size(); ++k) {
    EXPECT_EQ(back.sets[k].weight, e.sets[k].weight);
    EXPECT_EQ(back.sets[k].values, e.sets[k].values);
  }
  EXPECT_NE(text.find("seed = 123\n"), std::string::npos) << text;
}

// Each refusal names the file, its line, the key, the value and what is allowed.
TEST(Ensemble, RefusalsNameFileLineKeyValueAndAllowed) {
  struct Case {
    std::string text, parts[3];
  };
  const Case cases[] = {
      {with("kN = 2.1e-5", "kNN = 2.1e-5"),
       {"posterior.toml:9", "sets[0].kNN", "unknown parameter 'kNN'; did you mean 'kN'?"}},
      {with("weight = 3", "weight = 0"),
       {"posterior.toml:15", "sets[1].weight", "0 is not a weight"}},
      {with("weight = 3", "weight = -1.5"), {"sets[1].weight", "-1.5 is not a weight", "> 0"}},
      {with("weight = 3", "weight = nan"), {"sets[1].weight", "nan is not a weight", "finite"}},
      {with("weight = 3", "weight = inf"), {"sets[1].weight", "inf is not a weight", "finite"}},
      {with("weight = 3", "weight = \"3\""), {"sets[1].weight", "is not a number", "a number"}},
      {with("kN = 3e-5", "kN = 0.5"), {"posterior.toml:14", "sets[1].kN", "0.5 is out of range"}},
      {with("r_nhl = 0.013", "r_nhl = -0.1"), {"sets[0].r_nhl", "-0.1 is out of range", "0 to 1"}},
      {with("r_nhl = 0.02\n", ""), {"posterior.toml:12", "sets[1]", "does not name 'r_nhl'"}},
      {with("r_nhl = 0.02", "r_nhl = 0.02\nkE = 1e-5"),
       {"posterior.toml:7", "sets[0]: does not name 'kE'",
        "every set names the parameters the other sets name"}},
      {with("method = \"manual\"\n", ""), {"ensemble.method", "missing", "a string"}},
      {with("method = \"manual\"", "method = 3"), {"ensemble.method", "is not a method name", ""}},
      {with("[ensemble]", "[ensembel]"), {"ensembel", "did you mean 'ensemble'?", ""}},
      {"[ensemble]\nmethod = \"prior\"\n", {"posterior.toml", "sets", "the ensemble is empty"}},
      {"sets = []\n[ensemble]\nmethod = \"prior\"\n", {"posterior.toml:1", "sets", "empty"}},
      {"[ensemble]\nmethod = \"prior\"\n[[sets]]\nweight = 2\n",
       {"sets[0]", "names no parameter", "at least one parameter"}},
      {"[[sets]]\nkN = 1e-5\n", {"posterior.toml", "ensemble", "missing"}},
      {"[ensemble\n", {"posterior.toml:1", "", ""}},
  };
  for (const auto& c : cases) {
    const auto e = error_of(c.text);
    EXPECT_FALSE(e.empty()) << c.text;
    for (const auto& part : c.parts)
      EXPECT_NE(e.find(part), std::string::npos) << e << "\n" << c.text;
  }
}

TEST(Ensemble, AMissingFileIsAUserErrorNamingIt) {
  try {
    (void)read_ensemble("/nonexistent/posterior.toml");
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/posterior.toml"), std::string::npos);
  }
}

// The draw: shares proportional to the weights (1 : 3, so 0.75 for set 1) within 4 binomial SEs
// (sqrt(0.75 * 0.25 / n)); a pure function of (seed, replicate).
TEST(Ensemble, DrawFollowsTheWeightsAndIsAFunctionOfSeedAndReplicate) {
  const auto e = parse_ensemble(kTwoSets, "posterior.toml");
  constexpr std::uint32_t n = 20000;
  double ones = 0;
  for (std::uint32_t r = 0; r < n; ++r) ones += draw_set(e, 7, r) == 1 ? 1 : 0;
  EXPECT_NEAR(ones / n, 0.75, 4 * std::sqrt(0.75 * 0.25 / n));
  for (std::uint32_t r = 0; r < 50; ++r) EXPECT_EQ(draw_set(e, 7, r), draw_set(e, 7, r));
  const auto one = parse_ensemble("[ensemble]\nmethod = \"x\"\n[[sets]]\nkN = 1e-5\n", "one.toml");
  for (std::uint32_t r = 0; r < 50; ++r) EXPECT_EQ(draw_set(one, 7, r), 0U);
}

TEST(Ensemble, ApplySetWritesOnlyItsParameters) {
  const auto e = parse_ensemble(kTwoSets, "posterior.toml");
  scenario::Scenario s;
  apply_set(e, 1, s);
  const auto& p = s.parameters;
  EXPECT_EQ(p[model::ParamId::kKN], 3e-5);
  EXPECT_EQ(p[model::ParamId::kRNhl], 0.02);
  EXPECT_TRUE(p.is_default(model::ParamId::kKE));
  EXPECT_EQ(s.structure, model::Structure{});  // sets without model keep the scenario's
}

TEST(Ensemble, SetOnAParameterOfTheEnsembleIsRefused) {
  const auto e = parse_ensemble(kTwoSets, "posterior.toml");
  const std::vector<scenario::Override> fine = {{"parameters.kE", "1e-5"},
                                                {"stages.phase3.registered", "40"}};
  EXPECT_NO_THROW(check_overrides(e, "posterior.toml", fine));
  const std::vector<scenario::Override> bad = {{"parameters.kN", "1e-5"}};
  try {
    check_overrides(e, "posterior.toml", bad);
    FAIL() << "no error";
  } catch (const UserError& x) {
    const std::string m = x.what();
    EXPECT_NE(m.find("--set parameters.kN"), std::string::npos) << m;
    EXPECT_NE(m.find("posterior.toml"), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace il2sim::calibration

namespace il2sim::calibration {

// Sets with model = {...} (structural variants): a set omits the parameters its model does not
// read (NaN in memory, not written back), names none it does not read, and either every set gives
// a model or none does; apply_set switches the scenario's [model].
TEST(Ensemble, SetsOfStructuralVariants) {
  const std::string text = R"([ensemble]
method = "model-average"

[[sets]]
model = { kill = "mass_action" }
kN = 2e-5

[[sets]]
weight = 3
model = { kill = "saturating" }
kill_max = 0.05
kN = 3e-5
)";
  const auto e = parse_ensemble(text, "mix.toml");
  ASSERT_EQ(e.parameters.size(), 2U);
  EXPECT_EQ(e.parameters[1], model::ParamId::kKillMax);
  EXPECT_TRUE(std::isnan(e.sets[0].values[1]));
  EXPECT_DOUBLE_EQ(e.sets[1].values[1], 0.05);
  EXPECT_TRUE(e.mixes_structures());
  // The quantiles of kill_max are over the set that gives it.
  EXPECT_DOUBLE_EQ(ensemble_quantile(e, 1, 0.05), 0.05);
  const auto back = parse_ensemble(ensemble_to_toml(e), "back.toml");
  EXPECT_EQ(ensemble_to_toml(back), ensemble_to_toml(e));
  EXPECT_EQ(ensemble_to_toml(e).find("kill_max = nan"), std::string::npos);
  scenario::Scenario s;
  apply_set(e, 1, s);
  EXPECT_EQ(s.structure.kill, model::KillForm::kSaturating);
  EXPECT_DOUBLE_EQ(s.parameters[model::ParamId::kKillMax], 0.05);
  apply_set(e, 0, s);
  EXPECT_EQ(s.structure.kill, model::KillForm::kMassAction);
  EXPECT_DOUBLE_EQ(s.parameters[model::ParamId::kKN], 2e-5);
}

TEST(EnsembleErrors, StructuralVariantRefusals) {
  const std::string head = "[ensemble]\nmethod = \"m\"\n";
  EXPECT_EQ(error_of(head + "[[sets]]\nmodel = { kill = \"mass_action\" }\nkN = 2e-5\nkill_max = "
                            "0.1\n"),
            "posterior.toml:6:12: sets[0].kill_max: the set's model does not read it (only kill = "
            "\"saturating\" does) (allowed: no value for kill_max in a set whose model is not "
            "kill = \"saturating\")");
  EXPECT_EQ(error_of(head + "[[sets]]\nmodel = { kill = \"saturating\" }\nkN = 2e-5\nkill_max = "
                            "0.1\n[[sets]]\nmodel = { kill = \"saturating\" }\nkN = 2e-5\n"),
            "posterior.toml:7:1: sets[1]: does not name 'kill_max' (allowed: every set names the "
            "parameters the other sets name, apart from those its model does not read)");
  EXPECT_EQ(error_of(head + "[[sets]]\nkN = 2e-5\n[[sets]]\nmodel = { kill = \"saturating\" }\n"
                            "kN = 3e-5\n"),
            "posterior.toml:5:1: sets[1].model: given here but not in sets[0] (allowed: model = "
            "{...} in every set or in none)");
  EXPECT_EQ(
      error_of(head + "[[sets]]\nmodel = \"saturating\"\nkN = 2e-5\n"),
      "posterior.toml:4:9: sets[0].model: the string \"saturating\" is not a table (allowed: an "
      "inline "
      "table of [model] switches, e.g. model = { kill = \"saturating\" })");
  EXPECT_EQ(error_of(head + "[[sets]]\nmodel = { kil = \"saturating\" }\nkN = 2e-5\n"),
            "posterior.toml:4:17: sets[0].model.kil: unknown key; did you mean 'kill'? (allowed: "
            "kill, nk)");
}

}  // namespace il2sim::calibration
