// The calibration plan (calibration/plan.toml): parsing and its errors, and its agreement with the
// parameter table — every default that calibration moved names a fit of the plan, and every
// parameter a fit moves records the calibration and the plan's prior in its provenance.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "calibration/plan.hpp"
#include "calibration/targets.hpp"
#include "core/error.hpp"

namespace il2sim::calibration {
namespace {

const char* kMinimal = R"(format_version = 1
[priors]
pE = 0.12
[[fits]]
name = "immune"
targets = ["IM4"]
parameters = ["pE", "pN"]
optimizer = "bobyqa"
max_evals = 7
)";

std::string error_of(const std::string& text) {
  try {
    (void)parse_plan(text, "plan.toml");
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

TEST(Plan, MinimalFileParses) {
  const auto plan = parse_plan(kMinimal, "plan.toml");
  ASSERT_EQ(plan.priors.size(), 1U);
  EXPECT_EQ(plan.priors[0].first, model::ParamId::kPE);
  EXPECT_EQ(plan.priors[0].second, 0.12);
  ASSERT_EQ(plan.fits.size(), 1U);
  EXPECT_EQ(plan.fits[0].name, "immune");
  EXPECT_EQ(plan.fits[0].parameters.size(), 2U);
  EXPECT_EQ(plan.fits[0].optimizer, "bobyqa");
  EXPECT_EQ(plan.fits[0].max_evaluations, 7);
  EXPECT_EQ(plan.fits[0].line, 4);
  EXPECT_TRUE(plan.fits[0].start.empty());
  const auto with_start = parse_plan(std::string(kMinimal) + "start = { pN = 0.3 }\n", "plan.toml");
  ASSERT_EQ(with_start.fits[0].start.size(), 1U);
  EXPECT_EQ(with_start.fits[0].start[0].second, 0.3);
}

TEST(Plan, ErrorsNameFileLineAndKey) {
  std::string text = kMinimal;
  text.replace(text.find("\"pN\""), 4, "\"pNN\"");
  auto e = error_of(text);
  EXPECT_NE(e.find("plan.toml:7"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown parameter 'pNN'; did you mean 'pN'?"), std::string::npos) << e;

  text = kMinimal;
  text.replace(text.find("pE = 0.12"), 9, "pE = 50");  // the table's range of pE ends far below
  e = error_of(text);
  EXPECT_NE(e.find("priors.pE"), std::string::npos) << e;
  EXPECT_NE(e.find("out of range"), std::string::npos) << e;

  text = kMinimal;
  text.replace(text.find("\"bobyqa\""), 8, "\"newton\"");
  e = error_of(text);
  EXPECT_NE(e.find("fits[0].optimizer"), std::string::npos) << e;

  text = kMinimal;
  text.replace(text.find("max_evals"), 9, "max_evalz");
  e = error_of(text);
  EXPECT_NE(e.find("max_evalz"), std::string::npos) << e;
  EXPECT_NE(e.find("max_evals"), std::string::npos) << e;

  text = kMinimal;
  text += "start = { kN = 1e-5 }\n";  // kN is not fitted by this fit
  e = error_of(text);
  EXPECT_NE(e.find("fits[0].start.kN"), std::string::npos) << e;

  EXPECT_NE(error_of("format_version = 2\n[[fits]]\n").find("unsupported version"),
            std::string::npos);
  EXPECT_NE(error_of("format_version = 1\n").find("missing [[fits]]"), std::string::npos);
}

TEST(Plan, ShippedPlanNamesShippedTargets) {
  const auto plan = builtin_plan();
  const auto targets = builtin_targets();
  for (const auto& f : plan.fits) {
    for (const auto& id : f.targets) {
      EXPECT_TRUE(std::any_of(targets.targets.begin(), targets.targets.end(),
                              [&](const Target& t) { return t.id == id; }))
          << "fit " << f.name << " names target " << id;
    }
  }
}

// The parameter table and the plan tell the same story: a default moved by calibration says which
// fit moved it last ("fit NAME (calibration/fits/...): was PRIOR"), that fit fits it, and the
// plan's prior is the value it was.
TEST(Plan, ParameterTableProvenanceMatchesThePlan) {
  const auto plan = builtin_plan();
  for (const auto& p : model::parameter_table()) {
    // The last fit that fits the parameter sets its value.
    const auto fit = std::find_if(plan.fits.rbegin(), plan.fits.rend(), [&](const PlannedFit& f) {
      return std::find(f.parameters.begin(), f.parameters.end(), p.id) != f.parameters.end();
    });
    if (p.calibration.empty()) {
      EXPECT_EQ(fit, plan.fits.rend()) << p.name << " is fitted by the plan but its row has no "
                                       << "calibration provenance";
      continue;
    }
    ASSERT_NE(fit, plan.fits.rend()) << p.name << " says it was calibrated but no fit moves it";
    const std::string calibration(p.calibration);
    EXPECT_EQ(calibration.rfind("fit " + fit->name + " ", 0), 0U) << p.name << ": " << calibration;
    const auto prior = std::find_if(plan.priors.begin(), plan.priors.end(),
                                    [&](const auto& e) { return e.first == p.id; });
    ASSERT_NE(prior, plan.priors.end()) << p.name << " has no prior in the plan";
    const auto was = calibration.find("was ");
    ASSERT_NE(was, std::string::npos) << calibration;
    EXPECT_DOUBLE_EQ(std::stod(calibration.substr(was + 4)), prior->second) << p.name;
  }
}

}  // namespace
}  // namespace il2sim::calibration

namespace il2sim::calibration {
namespace {

// A plan's [model] is the structure its fits simulate under (model v2's plan); a switch or form
// that does not exist is refused with file:line and key, like the scenario's [model].
TEST(Plan, ModelSectionIsTheStructure) {
  const auto plan =
      parse_plan(std::string(kMinimal) + "[model]\nnk = \"il2_dependent\"\n", "plan.toml");
  ASSERT_TRUE(plan.structure.has_value());
  EXPECT_EQ(plan.structure->nk, model::NkForm::kIl2Dependent);
  EXPECT_EQ(plan.structure->kill, model::KillForm::kMassAction);
  EXPECT_FALSE(parse_plan(kMinimal, "plan.toml").structure.has_value());
  auto e = error_of(std::string(kMinimal) + "[model]\nnk = \"two_pool\"\n");
  EXPECT_NE(e.find("plan.toml:11"), std::string::npos) << e;
  EXPECT_NE(e.find("model.nk"), std::string::npos) << e;
  EXPECT_NE(e.find("single_pool, il2_dependent"), std::string::npos) << e;
  e = error_of(std::string(kMinimal) + "[model]\nnkk = \"il2_dependent\"\n");
  EXPECT_NE(e.find("did you mean 'nk'"), std::string::npos) << e;
}

// calibration/plan-v2.toml repeats the shipped plan's fits around model v2's own; the copies must
// not drift from calibration/plan.toml, and its priors extend the shipped plan's.
TEST(Plan, V2PlanKeepsTheShippedFitsAndPriors) {
  const auto v1 = builtin_plan();
  const auto v2 = load_plan_file(std::string(IL2SIM_SOURCE_DIR) + "/calibration/plan-v2.toml");
  ASSERT_TRUE(v2.structure.has_value());
  EXPECT_EQ(v2.structure->nk, model::NkForm::kIl2Dependent);
  for (const auto& f : v1.fits) {
    const auto it = std::find_if(v2.fits.begin(), v2.fits.end(),
                                 [&](const PlannedFit& g) { return g.name == f.name; });
    ASSERT_NE(it, v2.fits.end()) << f.name;
    EXPECT_EQ(it->targets, f.targets) << f.name;
    EXPECT_EQ(it->parameters, f.parameters) << f.name;
    EXPECT_EQ(it->start, f.start) << f.name;
    EXPECT_EQ(it->optimizer, f.optimizer) << f.name;
    EXPECT_EQ(it->max_evaluations, f.max_evaluations) << f.name;
  }
  for (const auto& p : v1.priors) {
    EXPECT_NE(std::find(v2.priors.begin(), v2.priors.end(), p), v2.priors.end())
        << model::spec(p.first).name;
  }
}

}  // namespace
}  // namespace il2sim::calibration
