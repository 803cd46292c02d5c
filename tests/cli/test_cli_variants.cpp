// Structural variants (model/structure.hpp; docs/model.md "Structural variants", docs/posterior.md
// "Structural variants") through the real binary: a mixed ensemble's replicates are each the plain
// run of its set under its own [model] (common random numbers), `ensemble mix` weights its
// components by their evidence (closed form), equally or as given, and every setting a variant
// cannot honour exits 2 with nothing written.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "calibration/ensemble.hpp"
#include "cli_runner.hpp"
#include "sqlite_column.hpp"

namespace il2sim {
namespace {

using testing::read_text;
using testing::run_il2sim;

const std::string kRun =
    "run phase3-autosct-nhl --set stages.phase3.registered=120 --replicates 8 --threads 2";

std::string temp_dir(const std::string& name) {
  const std::string p = testing::temp_path("variants", name);
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p;
}

std::string write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

/// An abc-smc posterior as calibrate --posterior writes it (the metadata `ensemble mix` compares),
/// with the given log evidence, model and sets.
std::string posterior(const std::string& path, double log_evidence, const std::string& model,
                      const std::vector<std::string>& sets) {
  std::string text = fmt::format(
      "[ensemble]\nmethod = \"abc-smc\"\ntargets_hash = \"abc\"\ntargets_seed = 1\ntargets = "
      "[\"DZ1_median\"]\npatients_scale = 1\nlikelihood = \"range error model\"\n"
      "[ensemble.diagnostics]\nlog_evidence = {}\n",
      log_evidence);
  for (const auto& s : sets)
    text += "\n[[sets]]\nmodel = { kill = \"" + model + "\" }\n" + s + "\n";
  return write(path, text);
}

const auto& column = testing::sqlite_column;

}  // namespace

// A mixture of the mass-action and the saturating kill (kill_max 0.02 /day, below the typical
// patient's kill capacity under IL-2, so the variants differ): replicate r of the mixed run is
// replicate r of the plain run of its set (--set model.kill=... and the set's values), and the
// set's model is in results.sqlite.
TEST(CliVariants, EachReplicateIsThePlainRunOfItsVariant) {
  const auto base = temp_dir("crn");
  const auto mixed = write(base + "/mixed.toml",
                           "[ensemble]\nmethod = \"manual\"\n\n[[sets]]\nmodel = { kill = "
                           "\"mass_action\" }\nkN = 3e-5\n\n[[sets]]\nmodel = { kill = "
                           "\"saturating\" }\nkN = 3e-5\nkill_max = 0.02\n");
  auto r = run_il2sim(kRun + " --ensemble " + mixed + " --out " + base + "/mixed");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_il2sim(kRun + " --set parameters.kN=3e-5 --out " + base + "/mass");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_il2sim(kRun +
                 " --set parameters.kN=3e-5 --set model.kill=saturating --set "
                 "parameters.kill_max=0.02 --out " +
                 base + "/sat");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string hr = "SELECT hr FROM replicates WHERE stage_index = 0 ORDER BY replicate";
  const auto sets = column(base + "/mixed/results.sqlite",
                           "SELECT set_index FROM ensemble_sets ORDER BY replicate");
  const auto h = column(base + "/mixed/results.sqlite", hr);
  const auto h_mass = column(base + "/mass/results.sqlite", hr);
  const auto h_sat = column(base + "/sat/results.sqlite", hr);
  ASSERT_EQ(sets.size(), 8U);
  for (std::size_t k = 0; k < 8; ++k) EXPECT_EQ(h[k], sets[k] == 0 ? h_mass[k] : h_sat[k]) << k;
  EXPECT_GT(std::count(sets.begin(), sets.end(), 1.0), 0);  // both drawn (seed-fixed)
  EXPECT_GT(std::count(sets.begin(), sets.end(), 0.0), 0);
  EXPECT_NE(h_mass, h_sat);  // the variants differ at this kill_max
  // Each set's model in results.sqlite; the unread kill_max of set 0 has no row.
  EXPECT_EQ(column(base + "/mixed/results.sqlite",
                   "SELECT set_index FROM ensemble_models WHERE form = 'saturating'"),
            std::vector<double>{1.0});
  EXPECT_EQ(column(base + "/mixed/results.sqlite",
                   "SELECT set_index FROM ensemble_values WHERE parameter = 'kill_max'"),
            std::vector<double>{1.0});
  // The resolved scenario of the saturating run writes its [model] and reruns to the same bytes.
  EXPECT_NE(read_text(base + "/sat/scenario.toml").find("[model]\nkill = \"saturating\""),
            std::string::npos);
  r = run_il2sim("run " + base + "/sat/scenario.toml --out " + base + "/again");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_text(base + "/sat/summary.json"), read_text(base + "/again/summary.json"));
  std::filesystem::remove_all(base);
}

// Evidence weights: components with log evidence -1 and -3 have probabilities
// 1 / (1 + e^-2) = 0.8807970779778823 and e^-2 / (1 + e^-2) = 0.11920292202211769 (closed form);
// a set's weight is its component's probability times its share of the component's weights.
TEST(CliVariants, MixWeightsComponentsByEvidenceEquallyOrAsGiven) {
  const auto base = temp_dir("mix");
  const auto a = posterior(base + "/a.toml", -1.0, "mass_action", {"kN = 2e-5", "kN = 3e-5"});
  const auto b = posterior(base + "/b.toml", -3.0, "saturating",
                           {"kN = 2e-5\nkill_max = 0.1", "weight = 3\nkN = 4e-5\nkill_max = 0.2"});
  auto r = run_il2sim("ensemble mix " + a + " " + b + " --out " + base + "/mix.toml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("probability 0.8808"), std::string::npos) << r.out;
  auto e = calibration::read_ensemble(base + "/mix.toml");
  EXPECT_EQ(e.method, "model-average");
  ASSERT_EQ(e.sets.size(), 4U);
  const double pa = 1.0 / (1.0 + std::exp(-2.0)), pb = 1.0 - pa;
  EXPECT_NEAR(e.sets[0].weight, pa / 2, 1e-15);
  EXPECT_NEAR(e.sets[1].weight, pa / 2, 1e-15);
  EXPECT_NEAR(e.sets[2].weight, pb / 4, 1e-15);
  EXPECT_NEAR(e.sets[3].weight, pb * 3 / 4, 1e-15);
  EXPECT_EQ(e.sets[3].structure->kill, model::KillForm::kSaturating);
  EXPECT_TRUE(std::isnan(e.sets[0].values[1]));  // kill_max: not read by mass action
  r = run_il2sim("ensemble mix " + a + " " + b + " --weights equal --out " + base + "/eq.toml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  e = calibration::read_ensemble(base + "/eq.toml");
  EXPECT_NEAR(e.sets[0].weight, 0.25, 1e-15);
  EXPECT_NEAR(e.sets[3].weight, 0.375, 1e-15);
  r = run_il2sim("ensemble mix " + a + " " + b + " --weights 1,3 --out " + base + "/given.toml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  e = calibration::read_ensemble(base + "/given.toml");
  EXPECT_NEAR(e.sets[0].weight, 0.125, 1e-15);
  EXPECT_NEAR(e.sets[3].weight, 0.5625, 1e-15);
  // The mixture runs: both models are drawn.
  r = run_il2sim(
      "run phase3-autosct-nhl --set stages.phase3.registered=40 --replicates 4 "
      "--ensemble " +
      base + "/given.toml --out " + base + "/run");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::filesystem::remove_all(base);
}

// What a variant cannot honour exits 2, with one message naming the key, and writes nothing.
TEST(CliVariants, RefusalsExit2WithNothingWritten) {
  const auto base = temp_dir("bad");
  const auto a = posterior(base + "/a.toml", -1.0, "mass_action", {"kN = 2e-5"});
  const auto b = posterior(base + "/b.toml", -3.0, "saturating", {"kN = 2e-5\nkill_max = 0.1"});
  const auto other =
      write(base + "/other.toml",
            std::string(read_text(b)).replace(read_text(b).find("\"abc\""), 5, "\"xyz\""));
  const auto plain =
      write(base + "/plain.toml",
            "[ensemble]\nmethod = \"manual\"\n[[sets]]\nkN = 2e-5\nkill_max = 0.1\n");
  const auto only_b = posterior(base + "/c.toml", -2.0, "saturating", {"kill_max = 0.1"});
  const std::string out = base + "/out";
  struct Case {
    std::string args, part;
  };
  const Case cases[] = {
      {kRun + " --set parameters.kill_max=0.1 --out " + out,
       "parameters.kill_max: the model of this scenario does not read it"},
      {kRun + " --ensemble " + plain + " --out " + out,
       "the ensemble's sets give kill_max but name no model"},
      {"calibrate --posterior prior --parameters kN,kill_max --only DZ1_median --out " + out,
       "kill_max: the calibration's model does not read it"},
      {"calibrate --check --only DZ1_median --set parameters.kill_max=0.1", "does not read it"},
      {"sensitivity phase3-autosct-nhl --method morris --outputs hr_median --parameters kill_max "
       "--out " +
           out,
       "kill_max: the model of scenario 'phase3-autosct-nhl' does not read it"},
      {"ensemble mix " + a + " " + plain + " --weights equal --out " + out,
       "sets[0].model: missing"},
      {"ensemble mix " + a + " " + other + " --out " + out, "its evidence is not comparable"},
      {"ensemble mix " + a + " " + b + " --weights 1 --out " + out, "1 weights for 2 ensembles"},
      {"ensemble mix " + a + " " + b + " --weights 1,x --out " + out, "'x' is not a weight"},
      {"ensemble mix " + a + " " + only_b + " --weights equal --out " + out,
       "kN: not sampled, though its model reads it"},
  };
  for (const auto& c : cases) {
    const auto r = run_il2sim(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.part), std::string::npos) << c.args << "\n" << r.err;
    EXPECT_FALSE(std::filesystem::exists(out)) << c.args;
  }
  std::filesystem::remove_all(base);
}

}  // namespace il2sim
