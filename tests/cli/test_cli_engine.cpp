#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace il2sim {
namespace {

using testing::read_text;
using testing::run_il2sim;

std::string temp_path(const std::string& name) {
  return testing::temp_path("test", name);
}

}  // namespace

// interfaces.md: `trajectory --typical` writes `day` then at least C, A1, A2, Ce, W, a, N, E, P, S,
// L, NK_blood, CD8_blood; the Chiron regimen runs on [46, 50) and [54, 64) at 9e6 and 1.6e6
// IU/m²/day × 1.8 m².
TEST(CliTrajectory, TypicalWritesEveryContractColumn) {
  const std::string out = temp_path("t.csv");
  const auto r = run_il2sim("trajectory --typical --days 730 --out " + out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string csv = read_text(out);
  const std::string header = csv.substr(0, csv.find('\n'));
  EXPECT_EQ(header.rfind("day,", 0), 0U);
  for (const char* column :
       {"C", "A1", "A2", "Ce", "W", "a", "N", "E", "P", "S", "L", "NK_blood", "CD8_blood"}) {
    EXPECT_NE(("," + header + ",").find("," + std::string(column) + ","), std::string::npos)
        << column;
  }
  EXPECT_NE(csv.find("\n48,16200000,"), std::string::npos);  // induction rate on day 48
  EXPECT_NE(csv.find("\n52,0,"), std::string::npos);         // rest
  EXPECT_NE(csv.find("\n60,2880000,"), std::string::npos);   // maintenance rate on day 60
  EXPECT_NE(csv.find("\n730,"), std::string::npos);          // horizon included
  std::filesystem::remove(out);
}

TEST(CliTrajectory, BadInputExitsTwoWithOneMessage) {
  const std::string out = temp_path("bad.csv");
  auto r = run_il2sim("trajectory --days -5 --out " + out);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "il2sim: error: --days -5: must be a number of days in (0, 36500]\n");
  r = run_il2sim("trajectory --arm nope --out " + out);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(
      r.err,
      "il2sim: error: --arm: scenario 'programme' has no arm 'nope' (allowed: il2, observation)\n");
  r = run_il2sim("trajectory --out /nonexistent-dir/x.csv");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent-dir/x.csv: cannot write the output file"), std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(CliParams, JsonListsEveryParameterWithProvenance) {
  const auto r = run_il2sim("params --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_GT(doc["parameters"].size(), 80U);
  for (const auto& p : doc["parameters"]) {
    for (const char* key : {"name", "unit", "default", "omega", "lower", "upper", "source"}) {
      EXPECT_TRUE(p.contains(key)) << key;
    }
  }
}

// docs/parameters.md is generated from the same table (`il2sim params --markdown`); it must not
// drift.
TEST(CliParams, DocsAreTheGeneratedTable) {
  const auto r = run_il2sim("params --markdown");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string doc = read_text(std::string(IL2SIM_SOURCE_DIR) + "/docs/parameters.md");
  EXPECT_NE(doc.find(r.out), std::string::npos)
      << "docs/parameters.md is stale: regenerate with `build/il2sim params --markdown` (see the "
         "file's header)";
}

TEST(CliScenarios, ListAndShowRoundTrip) {
  auto r = run_il2sim("scenarios --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_FALSE(doc["scenarios"].empty());
  const std::string name = doc["scenarios"][0]["name"];
  r = run_il2sim("scenarios show " + name);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string file = temp_path(name + ".toml");
  { std::ofstream(file) << r.out; }
  const std::string out = temp_path("rt.csv");
  r = run_il2sim("trajectory " + file + " --days 10 --out " + out);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = run_il2sim("scenarios show nonexistent");
  EXPECT_EQ(r.exit_code, 2);
  std::filesystem::remove(file);
  std::filesystem::remove(out);
}

}  // namespace il2sim
