// The version-2 keys of a randomized stage through the real binary: set with --set on the built-in
// phase III, written into the resolved scenario.toml (which reproduces the run), with the new
// summary.json keys of interfaces.md (Version 2 contracts) and a Monte Carlo SE next to power; an
// ambiguous accrual target exits 2.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace il2sim {
namespace {

using testing::read_text;
using testing::run_il2sim;

std::string temp_dir(const std::string& name) {
  const std::string p = testing::temp_path("randomized", name);
  std::filesystem::remove_all(p);
  return p;
}

}  // namespace

TEST(CliRandomized, V2KeysRunRoundTripAndReportTheNewOutputs) {
  const auto base = temp_dir("v2");
  const std::string sets =
      " --set stages.phase3.randomize_at=transplant --set stages.phase3.never_start_probability=0.3"
      " --set stages.phase3.registered=0 --set stages.phase3.randomized=100"
      " --set stages.phase3.analysis=calendar --set 'stages.phase3.analysis_months=[30, 48]'"
      " --set 'stages.phase3.looks=[0.6, 1]' --set 'stages.phase3.landmark_years=[1, 3]'";
  auto r = run_il2sim("run phase3-autosct-nhl --replicates 3 --out " + base + "/set" + sets);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto summary = nlohmann::json::parse(read_text(base + "/set/summary.json"));
  const auto& st = summary["stages"][0];
  for (const char* key : {"power", "power_mc_se", "os_hr_median", "os_hr_q05", "os_hr_q95",
                          "randomized_mean", "hr_median_mc_se"}) {
    EXPECT_TRUE(st.contains(key)) << key;
  }
  // Every registrant is randomized at transplant: 100 registered, 100 randomized, none lost before.
  EXPECT_DOUBLE_EQ(st["randomized_mean"].get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(st["registered_per_trial"].get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(st["not_randomized_fraction"].get<double>(), 0.0);
  for (const auto& arm : st["arms"]) {
    EXPECT_TRUE(arm["pfs_landmark"].contains("1"));
    EXPECT_TRUE(arm["os_landmark"].contains("3"));
    EXPECT_GT(arm["not_started_fraction"].get<double>(), 0.0);  // attrition after randomization
  }
  // The resolved scenario holds the keys and reproduces the run without --set.
  const auto resolved = read_text(base + "/set/scenario.toml");
  EXPECT_NE(resolved.find("randomize_at = \"transplant\""), std::string::npos);
  EXPECT_NE(resolved.find("analysis_months = [30, 48]"), std::string::npos);
  r = run_il2sim("run " + base + "/set/scenario.toml --replicates 3 --out " + base + "/again");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_text(base + "/set/summary.json"), read_text(base + "/again/summary.json"));
}

TEST(CliRandomized, AmbiguousAccrualTargetExits2) {
  const auto base = temp_dir("ambiguous");
  const auto r = run_il2sim(
      "run phase3-autosct-nhl --replicates 1 --set stages.phase3.randomized=50"
      " --out " +
      base);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("ambiguous accrual target"), std::string::npos) << r.err;
}

}  // namespace il2sim
