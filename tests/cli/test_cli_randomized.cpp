// The version-2 keys of a randomized stage through the real binary: set with --set on the built-in
// phase III, written into the resolved scenario.toml (which reproduces the run), with the new
// summary.json keys of interfaces.md (Version 2 contracts) and a Monte Carlo SE next to power; an
// ambiguous accrual target exits 2.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

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

namespace il2sim {
namespace {

/// The lines of a CSV view whose REPLICATE (second column of every patient view) is `rep`.
std::vector<std::string> rows_of_replicate(const std::string& csv, const std::string& rep) {
  std::vector<std::string> out;
  std::size_t at = csv.find('\n') + 1;
  while (at < csv.size()) {
    const std::size_t end = csv.find('\n', at);
    const std::string line = csv.substr(at, end - at);
    const std::size_t c1 = line.find(',');
    if (line.substr(c1 + 1, line.find(',', c1 + 1) - c1 - 1) == rep) out.push_back(line);
    at = end + 1;
  }
  return out;
}

std::set<std::string> replicates_in(const std::string& csv) {
  std::set<std::string> reps;
  for (const char* r : {"0", "1", "2"}) {
    if (!rows_of_replicate(csv, r).empty()) reps.insert(r);
  }
  return reps;
}

}  // namespace

// --patient-data: the default writes the first replicate; a list or `all` writes those replicates'
// patients (run again with the same streams: a replicate's rows are the same bytes whichever
// selection wrote them), with the data cut of every look in adtte_cuts.csv and the trial calendar
// in ADSL; the operating characteristics do not depend on it; a replicate the run does not have is
// refused (exit 2) before anything is written.
TEST(CliRandomized, PatientDataOfChosenReplicates) {
  const auto base = temp_dir("patient-data");
  const std::string run =
      "run phase3-autosct-nhl --replicates 3 --set stages.phase3.registered=40"
      " --set stages.phase3.accrual_per_month=10 --out " +
      base;
  auto r = run_il2sim(run + "/first");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_il2sim(run + "/list --patient-data 2,0");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_il2sim(run + "/all --patient-data all --threads 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_text(base + "/first/summary.json"), read_text(base + "/list/summary.json"));
  EXPECT_EQ(read_text(base + "/first/summary.json"), read_text(base + "/all/summary.json"));
  for (const char* view : {"adsl.csv", "adtte.csv", "ex.csv", "adtte_cuts.csv"}) {
    const auto first = read_text(base + "/first/" + view);
    const auto list = read_text(base + "/list/" + view);
    const auto all = read_text(base + "/all/" + view);
    EXPECT_EQ(replicates_in(first), (std::set<std::string>{"0"})) << view;
    EXPECT_EQ(replicates_in(list), (std::set<std::string>{"0", "2"})) << view;
    EXPECT_EQ(replicates_in(all), (std::set<std::string>{"0", "1", "2"})) << view;
    EXPECT_EQ(rows_of_replicate(first, "0"), rows_of_replicate(all, "0")) << view;
    EXPECT_EQ(rows_of_replicate(list, "2"), rows_of_replicate(all, "2")) << view;
  }
  // Every randomized patient of ADSL has a registration and randomization month; a registrant
  // never randomized (RANDFL = N) a registration month only.
  const auto adsl = read_text(base + "/all/adsl.csv");
  const std::string header = adsl.substr(0, adsl.find('\n'));
  EXPECT_NE(header.find(",REGMO,RANDMO,LOSTMO,ANLFL"), std::string::npos) << header;
  const auto cells = [](const std::string& line) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (const char c : line) {
      if (c == '"') quoted = !quoted;
      if (c == ',' && !quoted) {
        out.emplace_back();
      } else {
        out.back() += c;
      }
    }
    return out;
  };
  const auto names = cells(header);
  const auto index = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
  };
  const std::size_t regmo = index("REGMO"), randmo = index("RANDMO"), randfl = index("RANDFL");
  ASSERT_LT(randfl, names.size());
  int randomized = 0, never = 0;
  for (const auto& line : rows_of_replicate(adsl, "0")) {
    const auto row = cells(line);
    ASSERT_EQ(row.size(), names.size()) << line;
    EXPECT_NE(row[regmo], "NA") << line;
    EXPECT_EQ(row[randmo] == "NA", row[randfl] == "N") << line;
    (row[randfl] == "Y" ? randomized : never) += 1;
  }
  EXPECT_GT(randomized, 0);
  EXPECT_GT(never, 0);
  // A replicate the run does not have: exit 2, nothing written.
  r = run_il2sim(run + "/bad --patient-data 3");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--patient-data 3"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(base + "/bad/summary.json"));
}

}  // namespace il2sim
