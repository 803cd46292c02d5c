// `il2sim run SCENARIO --ensemble FILE` through the real binary (docs/ensemble.md; interfaces.md,
// Version 2 contracts): one set reproduces the plain run, --threads 1/2 give the same bytes, each
// replicate is the run of its drawn set (common random numbers), assurance lies between the
// single-set powers, and the refusals exit 2 with nothing written. Small trials (a phase III of 60
// registered patients, few replicates) keep the suite fast under ASan.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "sqlite_column.hpp"

namespace il2sim {
namespace {

using testing::read_text;
using testing::run_il2sim;

const std::string kRun = "run phase3-autosct-nhl --set stages.phase3.registered=60";
const std::string kKeys[] = {"assurance", "assurance_mc_se", "variance_split", "variance_log_hr"};

std::string temp_dir(const std::string& name) {
  const std::string p = testing::temp_path("ensemble", name);
  std::filesystem::remove_all(p);
  return p;
}

/// An ensemble file of `sets` (each "weight = w\nkN = x" lines), written into `dir`.
std::string write_ensemble(const std::string& dir, const std::string& name,
                           const std::vector<std::string>& sets) {
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/" + name;
  std::ofstream out(path, std::ios::binary);
  out << "[ensemble]\nmethod = \"manual\"\nnote = \"test\"\n";
  for (const auto& s : sets) out << "\n[[sets]]\n" << s << "\n";
  return path;
}

nlohmann::json stage0(const std::string& out) {
  return nlohmann::json::parse(read_text(out + "/summary.json"))["stages"][0];
}

const auto& column = testing::sqlite_column;

const std::string kHrSql = "SELECT hr FROM replicates WHERE stage_index = 0 ORDER BY replicate";
const std::string kSetSql = "SELECT set_index FROM ensemble_sets ORDER BY replicate";

}  // namespace

// An ensemble of one set is the plain run with that set's values: every field of the stage's
// summary object is the same (HRs, power, ...), and assurance is the power.
TEST(CliEnsemble, OneSetReproducesThePlainRun) {
  const auto base = temp_dir("one");
  const auto file = write_ensemble(base, "one.toml", {"kN = 2e-5"});
  auto r = run_il2sim(kRun + " --replicates 6 --set parameters.kN=2e-5 --out " + base + "/plain");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_il2sim(kRun + " --replicates 6 --ensemble " + file + " --out " + base + "/ens");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto plain = stage0(base + "/plain");
  auto ens = stage0(base + "/ens");
  for (const auto& k : kKeys) {
    EXPECT_TRUE(ens.contains(k)) << k;
    EXPECT_FALSE(plain.contains(k)) << k;  // without --ensemble, summary.json as before
  }
  // Identical sets are no parameter uncertainty: the same stage object as the one-set ensemble,
  // variance split included (its parameters share is that of trial sampling alone: 0 in
  // expectation; the estimator's known-answer tests are Summary.EnsembleSplit* in test_summary).
  const auto same = write_ensemble(base, "same.toml", {"kN = 2e-5", "kN = 2e-5", "kN = 2e-5"});
  r = run_il2sim(kRun + " --replicates 6 --ensemble " + same + " --out " + base + "/same");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(stage0(base + "/same"), ens);
  EXPECT_EQ(ens["assurance"], plain["power"]);
  EXPECT_EQ(ens["assurance_mc_se"], plain["power_mc_se"]);
  for (const auto& k : kKeys) ens.erase(k);
  EXPECT_EQ(ens, plain);
  // The copy of the ensemble, its hash in the manifest and the set of each replicate.
  EXPECT_EQ(read_text(base + "/ens/ensemble.toml"), read_text(file));
  const auto manifest = nlohmann::json::parse(read_text(base + "/ens/manifest.json"));
  EXPECT_EQ(manifest["ensemble"]["file"], file);
  EXPECT_EQ(manifest["ensemble"]["sets"], 1);
  EXPECT_EQ(column(base + "/ens/results.sqlite", kSetSql), std::vector<double>(6, 0.0));
  EXPECT_NE(read_text(base + "/ens/report.html").find("predictive run over the ensemble"),
            std::string::npos);
  std::filesystem::remove_all(base);
}

// Three sets: --threads 1 and 2 give the same bytes, and the output directory reruns the run.
TEST(CliEnsemble, ThreadsAndRerunFromTheOutputDirectoryGiveTheSameBytes) {
  const auto base = temp_dir("threads");
  const auto file = write_ensemble(
      base, "three.toml", {"kN = 1e-5", "weight = 2\nkN = 2e-5", "weight = 0.5\nkN = 4e-5"});
  const std::string run = kRun + " --replicates 6 --ensemble " + file;
  auto r = run_il2sim(run + " --threads 1 --out " + base + "/t1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_il2sim(run + " --threads 2 --out " + base + "/t2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"summary.json", "report.html", "adtte.csv", "ensemble.toml"})
    EXPECT_EQ(read_text(base + "/t1/" + f), read_text(base + "/t2/" + f)) << f;
  r = run_il2sim("run " + base + "/t1/scenario.toml --ensemble " + base +
                 "/t1/ensemble.toml --out " + base + "/again");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_text(base + "/t1/summary.json"), read_text(base + "/again/summary.json"));
  std::filesystem::remove_all(base);
}

// Two sets, the second with a much larger IL-2 effect (NK activation Amax x 10, EC50a / 10, kN x
// 10): each replicate of the ensemble run is replicate r of the run of its drawn set (common random
// numbers: the same patients, the same draws), so assurance is the mean over replicates of the
// single-set runs' rejections and lies between their powers.
TEST(CliEnsemble, EachReplicateIsTheRunOfItsSetAndAssuranceLiesBetweenThePowers) {
  const auto base = temp_dir("two");
  const std::string lo = "Amax = 3\nEC50a = 60\nkN = 1.55094e-5";  // the shipped defaults
  const std::string hi = "Amax = 30\nEC50a = 6\nkN = 1.55094e-4";
  const auto both = write_ensemble(base, "two.toml", {lo, hi});
  const std::string run =
      "run phase3-autosct-nhl --set stages.phase3.registered=120 --replicates 8 --threads 2";
  std::vector<std::string> outs = {base + "/lo", base + "/hi", base + "/both"};
  std::vector<std::string> files = {write_ensemble(base, "lo.toml", {lo}),
                                    write_ensemble(base, "hi.toml", {hi}), both};
  for (std::size_t i = 0; i < 3; ++i) {
    const auto r = run_il2sim(run + " --ensemble " + files[i] + " --out " + outs[i]);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const auto sets = column(outs[2] + "/results.sqlite", kSetSql);
  const auto hr = column(outs[2] + "/results.sqlite", kHrSql);
  const auto hr_lo = column(outs[0] + "/results.sqlite", kHrSql);
  const auto hr_hi = column(outs[1] + "/results.sqlite", kHrSql);
  ASSERT_EQ(sets.size(), 8U);
  ASSERT_EQ(hr.size(), 8U);
  for (std::size_t r = 0; r < 8; ++r) EXPECT_EQ(hr[r], sets[r] == 0 ? hr_lo[r] : hr_hi[r]) << r;
  EXPECT_GT(std::count(sets.begin(), sets.end(), 1.0), 0);  // both sets drawn (seed-fixed)
  EXPECT_GT(std::count(sets.begin(), sets.end(), 0.0), 0);
  const double p_lo = stage0(outs[0])["power"], p_hi = stage0(outs[1])["power"];
  const double a = stage0(outs[2])["assurance"];
  EXPECT_GT(p_hi, p_lo);  // the larger effect (0.25 vs 0 at this seed, 120 registered)
  EXPECT_LT(stage0(outs[1])["hr_median"].get<double>(), stage0(outs[0])["hr_median"].get<double>());
  EXPECT_GE(a, std::min(p_lo, p_hi));
  EXPECT_LE(a, std::max(p_lo, p_hi));
  std::filesystem::remove_all(base);
}

// Bad input exits 2 with one message naming the file and key, before any output is written.
TEST(CliEnsemble, RefusalsExit2WithNothingWritten) {
  const auto base = temp_dir("bad");
  struct Case {
    std::string options, part;
  };
  const auto good = write_ensemble(base, "good.toml", {"kN = 2e-5"});
  const Case cases[] = {
      {"--ensemble " + write_ensemble(base, "w.toml", {"weight = 0\nkN = 2e-5"}),
       "sets[0].weight: 0 is not a weight"},
      {"--ensemble " + write_ensemble(base, "p.toml", {"kNx = 2e-5"}), "did you mean 'kN'?"},
      {"--ensemble " + write_ensemble(base, "b.toml", {"kN = 1"}), "1 is out of range"},
      {"--ensemble " + write_ensemble(base, "e.toml", {}), "the ensemble is empty"},
      {"--ensemble " + base + "/missing.toml", "missing.toml"},
      {"--ensemble " + good + " --set parameters.kN=3e-5", "--set parameters.kN"},
  };
  for (const auto& c : cases) {
    const auto r = run_il2sim(kRun + " --replicates 2 " + c.options + " --out " + base + "/out");
    EXPECT_EQ(r.exit_code, 2) << c.options << "\n" << r.err;
    EXPECT_NE(r.err.find(c.part), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(base + "/out")) << c.options;
  }
  std::filesystem::remove_all(base);
}

// --resume with another ensemble file than the interrupted run's is refused; with the same file
// the run resumes.
TEST(CliEnsemble, ResumeWithAnotherEnsembleExits2) {
  const auto base = temp_dir("resume");
  const auto a = write_ensemble(base, "a.toml", {"kN = 2e-5"});
  const auto b = write_ensemble(base, "b.toml", {"kN = 3e-5"});
  const std::string dir = base + "/out";
  const std::string run = kRun + " --replicates 16 --threads 2 ";
  const std::string bin = std::string(IL2SIM_BINARY_DIR) + "/il2sim ";
  const std::string script = bin + run + "--ensemble " + a + " --out " + dir +
                             " 2>/dev/null & pid=$!; for i in $(seq 6000); do ls " + dir +
                             "/.journal/replicate-*.json >/dev/null 2>&1 && break; sleep 0.01; "
                             "done; kill -KILL $pid; wait $pid; true";
  ASSERT_EQ(std::system(("bash -c '" + script + "'").c_str()), 0);
  ASSERT_TRUE(std::filesystem::exists(dir + "/.journal"));
  auto r = run_il2sim(run + "--ensemble " + b + " --out " + dir + " --resume");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("ensemble file"), std::string::npos) << r.err;
  r = run_il2sim(run + "--out " + dir + " --resume");  // without the ensemble: refused too
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = run_il2sim(run + "--ensemble " + a + " --out " + dir + " --resume");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(stage0(dir).contains("assurance"));
  std::filesystem::remove_all(base);
}

}  // namespace il2sim
