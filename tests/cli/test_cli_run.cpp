#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "cli_runner.hpp"

namespace il2sim {
namespace {

using testing::read_text;
using testing::run_il2sim;

std::string temp_dir(const std::string& name) {
  return testing::temp_path("run", name);
}

// Every output but manifest.json (interfaces.md: the only file that may differ between identical
// runs; it alone records timings, threads and ranks).
const char* kOutputs[] = {"summary.json", "scenario.toml", "adsl.csv", "adtte.csv",
                          "adlb.csv",     "adae.csv",      "ex.csv",   "adtte_cuts.csv",
                          "report.html",  "results.sqlite"};

/// The report's figure data of a run, figures/<id>.csv (docs/report.md), as paths relative to it.
std::vector<std::string> figure_files(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir + "/figures"))
    names.push_back("figures/" + e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

// interfaces.md: every built-in scenario runs, writes the output directory, and the summary has the
// keys of the contract for its stages.
TEST(CliRun, EveryBuiltinScenarioRuns) {
  const auto list = nlohmann::json::parse(run_il2sim("scenarios --json").out);
  for (const auto& entry : list["scenarios"]) {
    const std::string name = entry["name"];
    const std::string dir = temp_dir(name);
    const auto r = run_il2sim("run " + name + " --replicates 2 --threads 2 --out " + dir);
    if (name == "chiron-regimen") {  // no trial stages: a cohort scenario
      EXPECT_EQ(r.exit_code, 2) << r.err;
      continue;
    }
    ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
    for (const char* f : kOutputs)
      EXPECT_TRUE(std::filesystem::exists(dir + "/" + f)) << name << " " << f;
    EXPECT_FALSE(figure_files(dir).empty()) << name;
    const auto manifest = nlohmann::json::parse(read_text(dir + "/manifest.json"));
    for (const char* k : {"version", "scenario", "scenario_hash", "seed", "threads", "ranks",
                          "start_time", "end_time", "wall_time_seconds"}) {
      EXPECT_TRUE(manifest.contains(k)) << k;
    }
    const auto summary = nlohmann::json::parse(read_text(dir + "/summary.json"));
    for (const auto& stage : summary["stages"]) {
      if (stage["type"] == "randomized") {
        for (const char* k : {"power", "hr_median", "hr_q05", "hr_q95", "events_median"}) {
          EXPECT_TRUE(stage.contains(k)) << name << " " << k;
        }
        for (const auto& arm : stage["arms"]) {
          for (const char* k : {"pfs_median_months", "os_median_months", "relapse_2y"})
            EXPECT_TRUE(arm.contains(k)) << k;
        }
      } else if (stage["type"] == "dose_escalation") {
        EXPECT_TRUE(stage.contains("p_select"));
        EXPECT_TRUE(stage.contains("mtd"));
      }
    }
    std::filesystem::remove_all(dir);
  }
}

// Same scenario + seed ⇒ byte-identical outputs (all but manifest.json) for any --threads; and
// scenario.toml, run again, reproduces the run.
TEST(CliRun, SameBytesForAnyThreadCountAndFromTheResolvedScenario) {
  const std::string a = temp_dir("t1"), b = temp_dir("t2"), c = temp_dir("again");
  ASSERT_EQ(run_il2sim("run phase3-autosct-nhl --replicates 3 --threads 1 --out " + a).exit_code,
            0);
  ASSERT_EQ(run_il2sim("run phase3-autosct-nhl --replicates 3 --threads 2 --out " + b).exit_code,
            0);
  ASSERT_EQ(run_il2sim("run " + a + "/scenario.toml --threads 2 --out " + c).exit_code, 0);
  for (const char* f : kOutputs) {
    EXPECT_EQ(read_text(a + "/" + f), read_text(b + "/" + f)) << f;
    EXPECT_EQ(read_text(a + "/" + f), read_text(c + "/" + f)) << f;
  }
  ASSERT_EQ(figure_files(a), figure_files(b));
  ASSERT_EQ(figure_files(a), figure_files(c));
  for (const auto& f : figure_files(a)) {
    EXPECT_EQ(read_text(a + "/" + f), read_text(b + "/" + f)) << f;
    EXPECT_EQ(read_text(a + "/" + f), read_text(c + "/" + f)) << f;
  }
  for (const auto& d : {a, b, c}) std::filesystem::remove_all(d);
}

// docs/report.md: with --force into the directory of an earlier run, figures/ holds this run's
// figures only (the escalation scenario's s1-path.csv does not survive a phase III run, whose
// stage 1 is randomized).
TEST(CliRun, ForceLeavesOnlyThisRunsFigureData) {
  const std::string dir = temp_dir("force");
  ASSERT_EQ(run_il2sim("run roche-phase1-autobmt --replicates 1 --out " + dir).exit_code, 0);
  ASSERT_TRUE(std::filesystem::exists(dir + "/figures/s1-path.csv"));
  ASSERT_EQ(run_il2sim("run phase3-autosct-nhl --replicates 1 --force --out " + dir).exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(dir + "/figures/s1-path.csv"));
  const auto html = read_text(dir + "/report.html");
  for (const auto& f : figure_files(dir))
    EXPECT_NE(html.find("Data: " + f + "."), std::string::npos) << f;
  std::filesystem::remove_all(dir);
}

TEST(CliRun, RefusesNonEmptyOutputAndAbsurdInput) {
  const std::string dir = temp_dir("busy");
  std::filesystem::create_directories(dir);
  { std::ofstream(dir + "/keep.txt") << "x"; }
  auto r = run_il2sim("run roche-phase1-autobmt --out " + dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("directory is not empty"), std::string::npos) << r.err;
  r = run_il2sim("run roche-phase1-autobmt --replicates 1000000000000 --out " + dir);
  EXPECT_EQ(r.exit_code, 2);
  r = run_il2sim("run roche-phase1-autobmt --replicates 0 --out " + dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "il2sim: error: --replicates 0: must be a whole number from 1 to 1000000\n");
  std::filesystem::remove_all(dir);
}

}  // namespace il2sim

namespace il2sim {

// interfaces.md: --resume continues a run interrupted by SIGINT, SIGTERM or kill -9 without redoing
// finished replicates and ends with the same bytes as an uninterrupted run; SIGINT exits 130 with
// the resume hint. The run is signalled as soon as its first replicate is journalled (polling the
// journal, not a fixed sleep: on a fast machine a fixed delay let the whole run finish first).
namespace {

/// Runs `scenario` whole, then interrupted by each signal as soon as its first replicate is
/// journalled and resumed; every output must have the bytes of the whole run.
void expect_resume_gives_the_same_bytes(const std::string& scenario, int replicates,
                                        const std::vector<std::string>& signals) {
  const std::string bin = std::string(IL2SIM_BINARY_DIR) + "/il2sim";
  const std::string whole = temp_dir(scenario + "-whole");
  const std::string args =
      " run " + scenario + " --replicates " + std::to_string(replicates) + " --out ";
  ASSERT_EQ(run_il2sim(args + whole + " --threads 2").exit_code, 0);
  for (const auto& signal : signals) {
    const std::string dir = temp_dir(scenario + "-" + signal);
    const std::string err = dir + ".err";
    const std::string script =
        bin + args + dir + " --threads 2 2>" + err + " & pid=$!; for i in $(seq 6000); do ls " +
        dir + "/.journal/replicate-*.json >/dev/null 2>&1 && break; sleep 0.01; done; kill -" +
        signal + " $pid; wait $pid; echo $? > " + dir + ".code";
    ASSERT_EQ(std::system(("bash -c '" + script + "'").c_str()), 0);
    const int code = std::stoi(read_text(dir + ".code"));
    ASSERT_NE(code, 0) << signal << ": the run finished before the signal; " << read_text(err);
    if (signal == "INT") {
      EXPECT_EQ(code, 130);
      EXPECT_NE(read_text(err).find("--resume"), std::string::npos) << read_text(err);
    }
    // Resumed with another thread count: neither may change a byte.
    const auto r = run_il2sim(args + dir + " --resume --threads 1");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* f : kOutputs) {
      EXPECT_EQ(read_text(whole + "/" + f), read_text(dir + "/" + f))
          << scenario << " " << signal << " " << f;
    }
    ASSERT_EQ(figure_files(whole), figure_files(dir)) << scenario << " " << signal;
    for (const auto& f : figure_files(whole)) {
      EXPECT_EQ(read_text(whole + "/" + f), read_text(dir + "/" + f))
          << scenario << " " << signal << " " << f;
    }
    EXPECT_FALSE(std::filesystem::exists(dir + "/.journal"));
    std::filesystem::remove_all(dir);
    std::filesystem::remove(dir + ".err");
    std::filesystem::remove(dir + ".code");
  }
  std::filesystem::remove_all(whole);
}

}  // namespace

TEST(CliRun, ResumeAfterKillAndInterruptGivesTheSameBytes) {
  expect_resume_gives_the_same_bytes("phase3-autosct-nhl", 6, {"KILL", "INT"});
}

// Issue 12: the programme's single-arm stages run the selection-bias analysis, whose "without
// effect" results were not journalled, so a resumed run's summary.json differed.
TEST(CliRun, ResumedProgrammeKeepsTheSelectionBiasResults) {
  expect_resume_gives_the_same_bytes("programme", 4, {"KILL"});
}

}  // namespace il2sim
