// `il2sim sweep` through the real binary (interfaces.md, Version 2 contracts): the grid gives the
// numbers of the corresponding single runs with --set, the same bytes for any --threads, the
// --json shape of the contract, and every refused grid exits 2 naming --grid with nothing written.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace il2sim {
namespace {

namespace fs = std::filesystem;
using testing::read_text;
using testing::run_il2sim;

std::string temp_dir(const std::string& name) {
  const std::string p = testing::temp_path("sweep", name);
  fs::remove_all(p);
  return p;
}

// The stage of scenarios/phase3-autosct-nhl.toml is named "phase3" (registered = 394, refusal
// 0.1429 there): 200/394 and 0.05/0.3 are changes in both directions.
const std::string kPaths[2] = {"stages.phase3.registered", "protocol.refusal_probability"};
const std::string kValues[2][2] = {{"200", "394"}, {"0.05", "0.3"}};
const std::string kGrid = " phase3-autosct-nhl --replicates 3 --grid " + kPaths[0] + "=200,394" +
                          " --grid " + kPaths[1] + "=0.05,0.3";

/// The leaf of `j` at a dotted path with [index] array steps (the naming of sweep.hpp).
const nlohmann::json* leaf(const nlohmann::json& j, const std::string& path) {
  const nlohmann::json* node = &j;
  std::size_t i = 0;
  while (i < path.size()) {
    const std::size_t end = path.find_first_of(".[", i);
    const std::string key = path.substr(i, end == std::string::npos ? end : end - i);
    if (!key.empty()) {
      if (!node->is_object() || !node->contains(key)) return nullptr;
      node = &(*node)[key];
    }
    if (end == std::string::npos) break;
    if (path[end] == '[') {
      const std::size_t close = path.find(']', end);
      const auto k = static_cast<std::size_t>(std::stoul(path.substr(end + 1, close - end - 1)));
      if (!node->is_array() || k >= node->size()) return nullptr;
      node = &(*node)[k];
      i = close + 1;
      if (i < path.size() && path[i] == '.') ++i;
    } else {
      i = end + 1;
    }
  }
  return node;
}

/// The names of the numeric leaves of `j` that are not `_mc_se` companions, in the naming of
/// sweep.hpp (dotted keys, [index] for array elements).
void numeric_leaves(const nlohmann::json& j, const std::string& path,
                    std::vector<std::string>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) numeric_leaves(v, path.empty() ? k : path + "." + k, out);
  } else if (j.is_array()) {
    for (std::size_t k = 0; k < j.size(); ++k)
      numeric_leaves(j[k], path + "[" + std::to_string(k) + "]", out);
  } else if (j.is_number() && path.find("_mc_se") == std::string::npos) {
    // (An SE: X_mc_se, or M_mc_se.K in a map of SEs beside the map M of values.)
    out.push_back(path);
  }
}

/// Every numeric operating characteristic of the first stage of `summary_path` is an output of
/// `outputs` with the same value; every output is that stage's value there (or missing in both).
void expect_same_numbers(const nlohmann::json& outputs, const std::string& summary_path) {
  const auto summary = nlohmann::json::parse(read_text(summary_path));
  const auto& stage = summary["stages"][0];
  std::vector<std::string> numeric;
  numeric_leaves(stage, "", numeric);
  ASSERT_FALSE(numeric.empty());
  for (const auto& name : numeric) EXPECT_TRUE(outputs.contains(name)) << name;
  for (const auto& [name, o] : outputs.items()) {
    // An output absent from this point's summary.json (e.g. a not-started cause no patient had
    // at this point) is missing in the sweep.
    const auto* v = leaf(stage, name);
    if (v == nullptr || v->is_null()) {
      EXPECT_TRUE(o["value"].is_null()) << name;
    } else {
      EXPECT_EQ(o["value"].get<double>(), v->get<double>()) << name;
    }
  }
}

// The requirement of issue 13: each grid point's numbers are those of `il2sim run` with the same
// --set values, seed and replicates (summary.json), every numeric operating characteristic of
// the stage is a row, and the points come in grid order (first --grid slowest).
TEST(CliSweep, GivesTheNumbersOfTheSingleRuns) {
  const auto dir = temp_dir("same");
  const auto r = run_il2sim("sweep" + kGrid + " --json --out " + dir + "/sweep");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto sweep = nlohmann::json::parse(r.out);
  ASSERT_EQ(sweep["points"].size(), 4U);
  for (int i = 0; i < 2; ++i) {
    for (int k = 0; k < 2; ++k) {
      const auto& point = sweep["points"][static_cast<std::size_t>(2 * i + k)];
      EXPECT_EQ(point["set"][kPaths[0]], nlohmann::json::parse(kValues[0][i]));
      EXPECT_EQ(point["set"][kPaths[1]], nlohmann::json::parse(kValues[1][k]));
      const std::string out = dir + "/run" + std::to_string(2 * i + k);
      const auto run =
          run_il2sim("run phase3-autosct-nhl --replicates 3 --set " + kPaths[0] + "=" +
                     kValues[0][i] + " --set " + kPaths[1] + "=" + kValues[1][k] + " --out " + out);
      ASSERT_EQ(run.exit_code, 0) << run.err;
      expect_same_numbers(point["stages"]["phase3"], out + "/summary.json");
    }
  }
  // The grid values change the outputs: the registered count is the stage's registered_per_trial.
  EXPECT_EQ(sweep["points"][0]["stages"]["phase3"]["registered_per_trial"]["value"], 200.0);
  EXPECT_EQ(sweep["points"][3]["stages"]["phase3"]["registered_per_trial"]["value"], 394.0);
  fs::remove_all(dir);
}

// A grid over `replicates` gives its points different replicate counts: each point is the run
// with that count, and the run facts give no single count (NULL in the runs table).
TEST(CliSweep, GridOverReplicates) {
  const auto dir = temp_dir("replicates");
  const auto r =
      run_il2sim("sweep phase3-autosct-nhl --grid replicates=1,3 --json --out " + dir + "/sweep");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto sweep = nlohmann::json::parse(r.out);
  ASSERT_EQ(sweep["points"].size(), 2U);
  for (int k = 0; k < 2; ++k) {
    const std::string reps = k == 0 ? "1" : "3";
    const std::string out = dir + "/run" + reps;
    const auto run = run_il2sim("run phase3-autosct-nhl --replicates " + reps + " --out " + out);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const auto& point = sweep["points"][static_cast<std::size_t>(k)];
    EXPECT_EQ(point["set"]["replicates"], std::stoi(reps));
    expect_same_numbers(point["stages"]["phase3"], out + "/summary.json");
  }
  const auto facts = run_il2sim("sweep phase3-autosct-nhl --grid replicates=1,2 --out " + dir +
                                "/facts && sqlite3 " + dir +
                                "/facts/sweep.sqlite 'SELECT seed, quote(replicates) FROM runs'");
  EXPECT_EQ(facts.out, "9438|NULL\n");  // 9438: the seed of scenarios/phase3-autosct-nhl.toml
  fs::remove_all(dir);
}

TEST(CliSweep, SameBytesForAnyThreadCount) {
  const auto dir = temp_dir("threads");
  auto one = run_il2sim("sweep" + kGrid + " --threads 1 --json --out " + dir + "/t1");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  auto two = run_il2sim("sweep" + kGrid + " --threads 2 --json --out " + dir + "/t2");
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_EQ(one.out, two.out);
  for (const char* file : {"sweep.csv", "sweep.sqlite", "sweep.html"}) {
    const std::string a = read_text(dir + "/t1/" + file);
    EXPECT_FALSE(a.empty()) << file;
    EXPECT_EQ(a, read_text(dir + "/t2/" + file)) << file;
  }
  fs::remove_all(dir);
}

// interfaces.md:
// {"points":[{"set":{PATH:value,...},"stages":{NAME:{OUTPUT:{"value":x,"mc_se":x}}}}]} and the CSV
// columns PATH..., stage, output, value, mc_se with one row per point and output.
TEST(CliSweep, JsonShapeAndCsvColumns) {
  const auto dir = temp_dir("shape");
  const auto r = run_il2sim("sweep" + kGrid + " --json --out " + dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 1U);
  std::size_t rows = 0;
  for (const auto& point : j.at("points")) {
    ASSERT_EQ(point.size(), 2U);
    ASSERT_EQ(point.at("set").size(), 2U);
    EXPECT_TRUE(point["set"].at(kPaths[0]).is_number_integer());
    EXPECT_TRUE(point["set"].at(kPaths[1]).is_number_float());
    ASSERT_EQ(point.at("stages").size(), 1U);
    for (const auto& [name, o] : point["stages"].at("phase3").items()) {
      EXPECT_FALSE(name.ends_with("_mc_se")) << name;
      ASSERT_EQ(o.size(), 2U) << name;
      EXPECT_TRUE(o.at("value").is_number() || o["value"].is_null()) << name;
      EXPECT_TRUE(o.at("mc_se").is_number() || o["mc_se"].is_null()) << name;
      ++rows;
    }
  }
  const std::string csv = read_text(dir + "/sweep.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            kPaths[0] + "," + kPaths[1] + ",stage,output,value,mc_se");
  EXPECT_EQ(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')), rows + 1);
  EXPECT_NE(csv.find("\n200,0.05,phase3,power,"), std::string::npos);
  fs::remove_all(dir);
}

TEST(CliSweep, NonEmptyDirectoryNeedsForce) {
  const auto dir = temp_dir("force");
  fs::create_directories(dir);
  { std::ofstream(dir + "/keep.txt") << "x"; }
  const std::string args =
      "sweep phase3-autosct-nhl --replicates 1 --grid " + kPaths[0] + "=200 --out " + dir;
  auto r = run_il2sim(args);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(fs::exists(dir + "/sweep.csv"));
  r = run_il2sim(args + " --force");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir + "/sweep.csv"));
  EXPECT_TRUE(fs::exists(dir + "/keep.txt"));
  fs::remove_all(dir);
}

// Each refusal exits 2 with one message naming --grid (or --set for the --set value itself) and
// writes nothing: the output directory is not even created.
TEST(CliSweep, RefusedGridsWriteNothing) {
  const auto dir = temp_dir("refused");
  const std::string base = "sweep phase3-autosct-nhl --replicates 1 --out " + dir + " ";
  const std::vector<std::pair<std::string, std::string>> cases = {
      // An unknown key: the did-you-mean of --set (scenario/toml_input.cpp).
      {"--grid stages.phase3.registred=200,300", "did you mean 'registered'"},
      {"--grid stages.phase3.registered=", "empty list of values"},
      {"--grid stages.phase3.registered=200,,300", "an empty value"},
      {"--grid stages.phase3.registered=200 --grid stages.phase3.registered=300", "two --grid"},
      {"--grid protocol.refusal_probability=0.2 --set protocol.refusal_probability=0.1",
       "also given with --set"},
      {"--grid seed=1,2 --seed 3", "also given with --seed"},
      // The scenario's own type and range checks, at the point that fails.
      {"--grid stages.phase3.registered=200,many", "expected an integer"},
      {"--grid protocol.refusal_probability=0.1,1.5", "out of range"},
      {"--grid stages.phase3.registered", "no '='"},
  };
  for (const auto& [args, message] : cases) {
    const auto r = run_il2sim(base + args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_NE(r.err.find("--grid"), std::string::npos) << args << ": " << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << ": " << r.err;
    EXPECT_FALSE(fs::exists(dir)) << args;
  }
  // 40 × 30 = 1200 points > the guard of 1000 (cmd_sweep.cpp).
  std::string many = "--grid stages.phase3.registered=";
  for (int v = 1; v <= 40; ++v) many += (v > 1 ? "," : "") + std::to_string(100 + v);
  many += " --grid protocol.refusal_probability=";
  for (int v = 0; v < 30; ++v) many += (v > 0 ? "," : "") + std::to_string(v / 100.0);
  const auto r = run_il2sim(base + many);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("more than 1000 points"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir));
  // A bad --set value is the --set's error, not the grid's.
  const auto s =
      run_il2sim(base + "--grid stages.phase3.registered=200 --set protocol.refusal_probability=7");
  EXPECT_EQ(s.exit_code, 2);
  EXPECT_EQ(s.err.find("--grid"), std::string::npos) << s.err;
  EXPECT_NE(s.err.find("--set"), std::string::npos) << s.err;
  EXPECT_FALSE(fs::exists(dir));
}

// A scenario that only the grid's values make valid is checked point by point: switching a stage
// from a `randomized` target to `registered` counts (--set randomized=0 alone has neither) sweeps
// the registered counts; a point that stays invalid reports the --set's own error.
TEST(CliSweep, GridValuesCanCompleteTheSetOverrides) {
  const auto dir = temp_dir("completes");
  const std::string base =
      "sweep scenarios/examples/all-auto-small.toml --replicates 1 "
      "--set stages.phase3.randomized=0 ";
  auto r = run_il2sim(base + "--grid stages.phase3.registered=20,30 --out " + dir + "/ok");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto csv = read_text(dir + "/ok/sweep.csv");
  EXPECT_NE(csv.find("\n20,phase3,"), std::string::npos) << csv.substr(0, 300);
  EXPECT_NE(csv.find("\n30,phase3,"), std::string::npos);
  r = run_il2sim(base + "--grid protocol.refusal_probability=0.1,0.2 --out " + dir + "/bad");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no randomized target"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir + "/bad"));
}

// As `run` (cli/interrupt.hpp): SIGINT or SIGTERM stops the sweep with 128 + the signal, one
// message, and no output file. 4 points x 400 replicates take minutes, so the signal lands first.
TEST(CliSweep, InterruptedSweepWritesNothing) {
  for (const auto& [signal, code] : {std::pair{SIGTERM, 143}, std::pair{SIGINT, 130}}) {
    const auto dir = temp_dir("signal");
    const std::string err = dir + ".err";
    const std::string command = std::string(IL2SIM_BINARY_DIR) +
                                "/il2sim sweep phase3-autosct-nhl --replicates 400 --grid " +
                                kPaths[0] + "=200,394 --grid " + kPaths[1] +
                                "=0.05,0.3 --threads 2 --out " + dir + " 2>" + err;
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::execl("/bin/sh", "sh", "-c", ("exec " + command).c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    // The directory is created once every point is validated, just before the runs start.
    while (!fs::exists(dir)) ::usleep(10000);
    ::usleep(200000);
    ::kill(pid, signal);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), code);
    EXPECT_TRUE(fs::is_empty(dir)) << "no partial or finished file left";
    EXPECT_NE(read_text(err).find("interrupted after"), std::string::npos) << read_text(err);
    fs::remove_all(dir);
    fs::remove(err);
  }
}

}  // namespace
}  // namespace il2sim
