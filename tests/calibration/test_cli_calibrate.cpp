// `il2sim calibrate` end to end: the --check JSON of interfaces.md, and user errors (exit 2) for an
// unknown parameter, a malformed targets file (file:line) and an unknown target id; a short fit
// writes calibrated.toml and the fit report.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "../cli/cli_runner.hpp"

namespace il2sim::testing {
namespace {

TEST(CliCalibrate, CheckJsonHasTheInterfaceKeys) {
  const auto r = run_il2sim("calibrate --check --only PK1,IM5_peak,DZ8 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["targets"].size(), 3U);
  for (const auto& t : j["targets"]) {
    for (const auto* key : {"id", "simulated", "lower", "upper", "met"})
      EXPECT_TRUE(t.contains(key)) << key;
  }
  EXPECT_EQ(j["targets"][0]["id"], "PK1");
  EXPECT_TRUE(j["met_fraction"].is_number());
}

TEST(CliCalibrate, UserErrorsExitTwo) {
  auto r = run_il2sim("calibrate --parameters kWW --out /tmp/il2sim-calib-never");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--parameters: kWW: unknown parameter; did you mean 'kW'?"),
            std::string::npos)
      << r.err;
  r = run_il2sim("calibrate --check --only PK9");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no target 'PK9'"), std::string::npos) << r.err;
  const std::string bad = std::string(IL2SIM_BINARY_DIR) + "/tests/bad-targets.toml";
  std::ofstream(bad)
      << "format_version = 1\nseed = 1\n[experiments.e]\nkind = \"cohort\"\ncohort = "
         "\"adult-auto-nhl\"\n"
         "[[targets]]\nid = \"A\"\ndescription = \"d\"\nsource = \"s\"\nexperiment = \"e\"\n"
         "statistic = \"median_of_everything\"\ntarget = 1\nlower = 0\nupper = 2\n";
  r = run_il2sim("calibrate --check --targets " + bad);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad-targets.toml:11"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unknown statistic"), std::string::npos) << r.err;
}

// An unmet target's note is printed under the --check table and carried in the JSON; the range
// [10^6, 2×10^6] IU/mL lies far above any IL-2 concentration of the typical patient (PK1: ~650
// IU/mL peak after a bolus), so the target cannot be met.
TEST(CliCalibrate, UnmetTargetIsExplainedByItsNote) {
  const std::string file = std::string(IL2SIM_BINARY_DIR) + "/tests/unmet-targets.toml";
  std::ofstream(file) << "format_version = 1\nseed = 1\n[experiments.e]\nkind = \"typical\"\n"
                         "scenario = \"chiron-regimen\"\ncohort = \"adult-auto-nhl\"\n"
                         "regimen = \"chiron\"\nstart_day = 46\ndays = 60\n"
                         "[[targets]]\nid = \"A\"\ndescription = \"d\"\nsource = \"s\"\n"
                         "experiment = \"e\"\nstatistic = \"value_at\"\ncolumn = \"C\"\nday = 1\n"
                         "target = 1.5e6\nlower = 1e6\nupper = 2e6\n"
                         "unmet_note = \"no dose reaches it\"\n";
  auto r = run_il2sim("calibrate --check --targets " + file);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Unmet targets, and why:\n\n- **A**: no dose reaches it"), std::string::npos)
      << r.out;
  r = run_il2sim("calibrate --check --json --targets " + file);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["targets"][0]["met"], false);
  EXPECT_EQ(j["targets"][0]["unmet_note"], "no dose reaches it");
}

TEST(CliCalibrate, ShortFitWritesTheParameterSetAndReport) {
  const std::string out = std::string(IL2SIM_BINARY_DIR) + "/tests/calibrate-fit";
  std::filesystem::remove_all(out);
  const auto r = run_il2sim("calibrate --only PK1 --parameters V1 --max-evals 5 --out " + out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto toml = read_text(out + "/calibrated.toml");
  EXPECT_NE(toml.find("[parameters]\nV1 = "), std::string::npos) << toml;
  EXPECT_NE(toml.find("# optimizer: NLopt neldermead"), std::string::npos) << toml;
  const auto report = nlohmann::json::parse(read_text(out + "/fit-report.json"));
  EXPECT_EQ(report["fit"]["targets"][0]["id"], "PK1");
  EXPECT_NE(read_text(out + "/fit-report.md").find("| PK1 |"), std::string::npos);
}

// Without --parameters, `calibrate --out DIR` runs the shipped plan (calibration/plan.toml): each
// fit in DIR/fits/NN-name, then the calibrated set and the report over every target. --max-evals
// caps each fit and --patients-scale 0.1 shrinks every experiment so that the test stays short (it
// checks what the plan run writes, not the values of the fit).
TEST(CliCalibrate, PlanRunWritesEachFitAndTheWholeSet) {
  const std::string out = std::string(IL2SIM_BINARY_DIR) + "/tests/calibrate-plan";
  std::filesystem::remove_all(out);
  auto r = run_il2sim("calibrate --max-evals 2 --patients-scale 0.1 --threads 1 --out " + out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto toml = read_text(out + "/calibrated.toml");
  EXPECT_NE(toml.find("with the plan calibration/plan.toml"), std::string::npos) << toml;
  EXPECT_NE(toml.find("[parameters]\n"), std::string::npos) << toml;
  EXPECT_TRUE(std::filesystem::exists(out + "/fits/01-immune/fit-report.json"));
  const auto report = nlohmann::json::parse(read_text(out + "/fit-report.json"));
  EXPECT_EQ(report["fit"]["targets"].size(), report["priors"]["targets"].size());
  EXPECT_GE(report["fit"]["counted"].get<int>(), 50);  // every counted row of the table
  EXPECT_NE(read_text(out + "/fit-report.md").find("## At the priors"), std::string::npos);

  r = run_il2sim("calibrate --plan x.toml --parameters pE --out " + out + "-2");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--plan"), std::string::npos) << r.err;
  r = run_il2sim("calibrate --plan /nonexistent/plan.toml --out " + out + "-2");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/plan.toml"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out + "-2"));
}

// A plan's [model] is the structure of the plan, --posterior and --profile alike: another
// structure from --set is refused, and so is a prior the structure would not read; exit 2, nothing
// written.
TEST(CliCalibrate, PlanStructureIsHonouredOrRefused) {
  const std::string v2 = std::string(IL2SIM_SOURCE_DIR) + "/calibration/plan-v2.toml";
  const std::string out = std::string(IL2SIM_BINARY_DIR) + "/tests/calibrate-plan-model";
  std::filesystem::remove_all(out);
  for (const std::string& command :
       {"calibrate --plan " + v2 + " --set model.kill=saturating --out " + out,
        "calibrate --plan " + v2 + " --set model.kill=saturating --posterior abc-smc --out " + out,
        "calibrate --plan " + v2 + " --set model.kill=saturating --profile kN --out " + out}) {
    const auto r = run_il2sim(command);
    EXPECT_EQ(r.exit_code, 2) << command << "\n" << r.err;
    EXPECT_NE(r.err.find("plan-v2.toml: model: the plan's [model] (kill = \"mass_action\", nk = "
                         "\"il2_dependent\") differs from the scenario's (kill = \"saturating\", "
                         "nk = \"single_pool\")"),
              std::string::npos)
        << r.err;
  }
  const std::string plan = out + "-v1.toml";
  std::filesystem::create_directories(std::filesystem::path(plan).parent_path());
  std::ofstream(plan) << "format_version = 1\n[priors]\ndNb = 0.2\n[[fits]]\nname = \"f\"\n"
                         "targets = [\"PK1\"]\nparameters = [\"V1\"]\n";
  const auto r = run_il2sim("calibrate --plan " + plan + " --out " + out);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("dNb"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nk = \"il2_dependent\""), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace il2sim::testing
