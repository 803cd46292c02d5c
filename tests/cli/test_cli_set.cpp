// `--set PATH=VALUE` on run, cohort and trajectory through the real binary (interfaces.md, Version
// 2 contracts): the override changes the result, is written into the resolved scenario.toml (which
// reproduces the run without --set), and every refused override exits 2 naming --set.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include "cli_runner.hpp"

namespace il2sim {
namespace {

namespace fs = std::filesystem;
using testing::read_text;
using testing::run_il2sim;

std::string temp_dir(const std::string& name) {
  const std::string p = testing::temp_path("set", name);
  std::filesystem::remove_all(p);
  return p;
}

// The stage of scenarios/roche-phase1-autobmt.toml is named "roche-phase1"; its first level's dose
// is 0.3e6 there, so 0.1e6 is a change.
TEST(CliSet, RunOverrideChangesOutputAndIsInTheResolvedScenario) {
  const auto base = temp_dir("run");
  auto r = run_il2sim("run roche-phase1-autobmt --replicates 1 --out " + base + "/plain");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_il2sim(
      "run roche-phase1-autobmt --replicates 1 --set stages.roche-phase1.levels.0.dose="
      "0.1e6 --out " +
      base + "/set");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_text(base + "/plain/summary.json"), read_text(base + "/set/summary.json"));
  // to_toml writes a dose as an integer: 0.1e6 = 100000.
  EXPECT_NE(read_text(base + "/set/scenario.toml").find("levels = [{ dose = 100000 }"),
            std::string::npos);
  r = run_il2sim("run " + base + "/set/scenario.toml --out " + base + "/again");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_text(base + "/set/summary.json"), read_text(base + "/again/summary.json"));
  fs::remove_all(base);
}

// Resuming with a different --set changes the resolved scenario, hence its hash: refused by the
// journal's check (message of trial/journal.cpp). The run is killed once a replicate is journalled,
// as in test_cli_journal.cpp.
TEST(CliSet, ResumeWithADifferentSetIsRefused) {
  const auto dir = temp_dir("resume");
  const std::string run = std::string(IL2SIM_BINARY_DIR) +
                          "/il2sim run phase3-autosct-nhl --replicates 40 --threads 2 --out " + dir;
  const std::string script = run + " 2>/dev/null & pid=$!; for i in $(seq 6000); do ls " + dir +
                             "/.journal/replicate-*.json >/dev/null 2>&1 && break; sleep 0.01; "
                             "done; kill -KILL $pid; wait $pid; true";
  ASSERT_EQ(std::system(("bash -c '" + script + "'").c_str()), 0);
  ASSERT_TRUE(fs::exists(dir + "/.journal/scenario-hash"));
  const auto r = run_il2sim(
      "run phase3-autosct-nhl --replicates 40 --threads 2 --resume "
      "--set protocol.refusal_probability=0.5 --out " +
      dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("the interrupted run used a different scenario"), std::string::npos)
      << r.err;
  fs::remove_all(dir);
}

TEST(CliSet, CohortRefusalProbabilityOneTreatsNobody) {
  const auto base = temp_dir("cohort");
  const auto r = run_il2sim(
      "cohort roche-phase1-autobmt --arm il2 --patients 10 --days 200 "
      "--set protocol.refusal_probability=1 --out " +
      base);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream in(read_text(base + "/adsl.csv"));
  std::string line;
  std::getline(in, line);
  std::size_t treated_column = 0;
  {
    std::istringstream header(line);
    std::string cell;
    for (std::size_t i = 0; std::getline(header, cell, ','); ++i) {
      if (cell == "TREATED") treated_column = i;
    }
  }
  ASSERT_GT(treated_column, 0U);
  int rows = 0;
  while (std::getline(in, line)) {
    std::istringstream cells(line);
    std::string cell;
    for (std::size_t i = 0; i <= treated_column; ++i) std::getline(cells, cell, ',');
    EXPECT_EQ(cell, "0") << line;  // every patient refuses (probability 1): none treated
    ++rows;
  }
  EXPECT_EQ(rows, 10);  // --patients 10
  fs::remove_all(base);
}

// scenarios/programme.toml: regimen chiron, arm il2 its first arm (the default of trajectory).
TEST(CliSet, TrajectoryTypicalDoseOverride) {
  const auto base = temp_dir("trajectory");
  fs::create_directories(base);
  auto r = run_il2sim("trajectory --typical --days 80 --out " + base + "/plain.csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_il2sim("trajectory --typical --days 80 --set regimens.chiron.phases.0.dose=1e5 --out " +
                 base + "/set.csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_text(base + "/plain.csv"), read_text(base + "/set.csv"));
  fs::remove_all(base);
}

void expect_refused(const std::string& set, const std::string& expected) {
  const auto base = temp_dir("refused");
  const auto r =
      run_il2sim("run roche-phase1-autobmt --replicates 1 --set " + set + " --out " + base);
  EXPECT_EQ(r.exit_code, 2) << set;
  EXPECT_NE(r.err.find("--set"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(base + "/summary.json"));
  fs::remove_all(base);
}

// The expected texts are the messages of the scenario parser and of apply_overrides.
TEST(CliSet, RefusedOverridesExit2NamingSet) {
  expect_refused("protocol.refusal_probabilty=1", "did you mean 'refusal_probability'?");
  expect_refused("stages.nosuch.max_patients=1", "names roche-phase1");
  expect_refused("regimens.roche.phases.7.dose=1", "indices 0 to 2");  // 3 phases in the file
  expect_refused("protocol.refusal_probability=2", "out of range");    // a probability
  expect_refused("protocol.refusal_probability", "expected PATH=VALUE");
  expect_refused("regimens.roche.phases.0.route=oral", "allowed: civ, iv_bolus, sc");
}

}  // namespace
}  // namespace il2sim
