// Calibration machinery: recovery of known parameters (targets simulated at known values, the fit
// started from perturbed values returns them), common random numbers (same parameters, same
// objective), and the objective's distance.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "calibration/fit.hpp"

namespace il2sim::calibration {
namespace {

// Two typical-patient PK experiments (a bolus and a 6-h infusion, Konrad 1990's designs) early
// after transplant, so that an evaluation takes a fraction of a second.
const char* kPkTargets = R"(format_version = 1
seed = 7
[experiments.bolus]
kind = "typical"
scenario = "chiron-regimen"
cohort = "adult-auto-nhl"
regimen = { product = "chiron", phases = [ { name = "bolus", route = "iv_bolus", dose = 1e6, unit = "U/m2", days = 1 } ] }
start_day = 2
days = 2.3
step = 0.001
[experiments.infusion]
kind = "typical"
scenario = "chiron-regimen"
cohort = "adult-auto-nhl"
regimen = { product = "chiron", phases = [ { name = "civ", route = "civ", dose = 4e6, unit = "U/m2/day", days = 0.25 } ] }
start_day = 2
days = 2.3
step = 0.001
[[targets]]
id = "C0"
description = "peak after the bolus"
source = "recovery test"
experiment = "bolus"
statistic = "max_over"
column = "C"
from = 0
to = 0.042
target = 1
lower = 0
upper = 2
[[targets]]
id = "Css"
description = "end of the 6-h infusion"
source = "recovery test"
experiment = "infusion"
statistic = "value_at"
column = "C"
day = 0.249
target = 1
lower = 0
upper = 2
)";

TEST(Fit, RecoversKnownPkParameters) {
  auto set = parse_targets(kPkTargets, "recovery");
  const model::ParameterSet defaults;
  const double v1 = defaults[model::ParamId::kV1] * 1.1;
  const double cl = defaults[model::ParamId::kCLlin] * 0.9;
  const ParameterPatch truth{{model::ParamId::kV1, v1}, {model::ParamId::kCLlin, cl}};
  const auto simulated = Evaluator(set, {}).evaluate(truth);
  // Ranges of ±0.1 % around the values simulated at the truth.
  for (std::size_t i = 0; i < set.targets.size(); ++i) {
    set.targets[i].target = simulated.targets[i].simulated;
    set.targets[i].lower = 0.999 * simulated.targets[i].simulated;
    set.targets[i].upper = 1.001 * simulated.targets[i].simulated;
  }
  const Evaluator evaluator(set, {});
  model::ParameterSet start;
  start.set(model::ParamId::kV1, v1 * 1.25);
  start.set(model::ParamId::kCLlin, cl * 0.75);
  FitOptions options;
  options.parameters = {model::ParamId::kV1, model::ParamId::kCLlin};
  options.algorithm = "bobyqa";
  options.max_evaluations = 300;
  const auto r = fit(evaluator, start, options);
  EXPECT_GT(r.start_objective, 1.0);
  EXPECT_LT(r.objective, 1e-3) << r.stop_reason;
  // Tolerance 5 % (the issue's recovery criterion).
  EXPECT_NEAR(r.best[0] / v1, 1.0, 0.05);
  EXPECT_NEAR(r.best[1] / cl, 1.0, 0.05);
}

TEST(Fit, SameParametersSameObjective) {
  // Common random numbers: a cohort experiment gives the same value at every evaluation.
  const auto set = builtin_targets();
  EvaluationOptions o;
  o.only = {"TX3"};
  o.patients_scale = 0.05;
  o.threads = 2;
  const Evaluator evaluator(set, o);
  const auto a = evaluator.evaluate({});
  const auto b = evaluator.evaluate({});
  ASSERT_EQ(a.targets.size(), 1U);
  EXPECT_EQ(a.targets[0].simulated, b.targets[0].simulated);
  EXPECT_EQ(a.targets[0].n, b.targets[0].n);
  o.threads = 1;
  EXPECT_EQ(Evaluator(set, o).evaluate({}).targets[0].simulated, a.targets[0].simulated);
}

TEST(Fit, StandardizedDistance) {
  EXPECT_EQ(standardized_distance(1.5, 1.0, 2.0), 0.0);
  EXPECT_DOUBLE_EQ(standardized_distance(2.5, 1.0, 2.0), 1.0);  // 0.5 beyond, half-width 0.5
  EXPECT_DOUBLE_EQ(standardized_distance(0.0, 1.0, 2.0), 2.0);
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_DOUBLE_EQ(standardized_distance(2.0, 4.0, inf), 1.0);  // one-sided: half the bound
  EXPECT_TRUE(std::isinf(standardized_distance(std::nan(""), 1.0, 2.0)));
}

// The objective's distance: to [1.05, 1.95] for the range [1, 2] (kAimInside 0.1 of the half-width
// 0.5 at each end), in half-widths.
TEST(Fit, AimingDistanceAimsInsideTheRange) {
  EXPECT_EQ(aiming_distance(1.5, 1.0, 2.0), 0.0);
  EXPECT_NEAR(aiming_distance(1.0, 1.0, 2.0), 0.1, 1e-12);  // on the bound: 0.05 / 0.5
  EXPECT_NEAR(aiming_distance(2.5, 1.0, 2.0), 1.1, 1e-12);  // 0.55 beyond the inner bound
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_NEAR(aiming_distance(4.0, 4.0, inf), 0.1, 1e-12);  // one-sided: scale 2, margin 0.2
  EXPECT_EQ(aiming_distance(1e9, 4.0, inf), 0.0);
  EXPECT_TRUE(std::isinf(aiming_distance(std::nan(""), 1.0, 2.0)));
}

}  // namespace
}  // namespace il2sim::calibration
