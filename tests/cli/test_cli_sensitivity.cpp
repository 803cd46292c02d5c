// `il2sim sensitivity` through the real binary (docs/sensitivity.md): a small Morris and Sobol'
// analysis of the S9438-like phase III writes its four files with the documented columns, the bytes
// do not depend on --threads, and bad input exits 2 naming the option with nothing written.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
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
  const std::string p = testing::temp_path("sensitivity", name);
  fs::remove_all(p);
  return p;
}

// Two parameters, 2 replicates per evaluation and a small trial keep each run to a few seconds.
const std::string kBase =
    " phase3-autosct-nhl --outputs hr_median,power --parameters kN,kE --replicates 2"
    " --set stages.phase3.registered=120";

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(CliSensitivity, MorrisWritesItsFiles) {
  const std::string dir = temp_dir("morris");
  const auto r = run_il2sim("sensitivity" + kBase + " --method morris --samples 2 --out " + dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // r(k+1) evaluations (Morris 1991): 2 trajectories of 3 points.
  EXPECT_NE(r.err.find("6 evaluations"), std::string::npos) << r.err;
  for (const char* f : {"sensitivity.csv", "points.csv", "sensitivity.sqlite", "sensitivity.html"})
    EXPECT_TRUE(fs::exists(dir + "/" + f)) << f;
  const auto csv = lines(read_text(dir + "/sensitivity.csv"));
  ASSERT_FALSE(csv.empty());
  EXPECT_EQ(csv[0], "method,output,parameter,index,estimate,ci_lower,ci_upper");
  EXPECT_EQ(csv.size(), 1U + 2U * 2U * 3U);  // outputs x parameters x (mu, mu_star, sigma)
  EXPECT_EQ(csv[1].rfind("morris,hr_median,kN,mu,", 0), 0U) << csv[1];
  const auto points = lines(read_text(dir + "/points.csv"));
  ASSERT_EQ(points.size(), 1U + 6U);
  EXPECT_EQ(points[0], "point,block,role,kN,kE,hr_median,power");
  EXPECT_EQ(points[1].rfind("0,0,start,", 0), 0U) << points[1];
  EXPECT_EQ(read_text(dir + "/sensitivity.sqlite").rfind("SQLite format 3", 0), 0U);
  const std::string html = read_text(dir + "/sensitivity.html");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("mu*"), std::string::npos);
  fs::remove_all(dir);
}

TEST(CliSensitivity, SobolBytesDoNotDependOnThreads) {
  const std::string one = temp_dir("sobol1"), two = temp_dir("sobol2");
  const std::string args = "sensitivity" + kBase + " --method sobol --samples 2 --json --out ";
  const auto r1 = run_il2sim(args + one + " --threads 1");
  const auto r2 = run_il2sim(args + two + " --threads 2");
  ASSERT_EQ(r1.exit_code, 0) << r1.err;
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  // N(k+2) evaluations (Saltelli 2010): 2 rows of A, B, AB_kN and AB_kE.
  EXPECT_NE(r1.err.find("8 evaluations"), std::string::npos) << r1.err;
  for (const char* f : {"sensitivity.csv", "points.csv", "sensitivity.sqlite", "sensitivity.html"})
    EXPECT_EQ(read_text(one + "/" + f), read_text(two + "/" + f)) << f;
  EXPECT_EQ(r1.out, r2.out);
  const auto j = nlohmann::json::parse(r1.out);
  EXPECT_EQ(j["method"], "sobol");
  EXPECT_EQ(j["evaluations"], 8);
  EXPECT_TRUE(j["outputs"]["hr_median"]["indices"]["kN"].contains("S1"));
  EXPECT_TRUE(j["outputs"]["hr_median"]["indices"]["kE"].contains("ST"));
  EXPECT_TRUE(j["outputs"]["power"]["indices"][""].contains("V"));
  const auto csv = read_text(one + "/sensitivity.csv");
  EXPECT_NE(csv.find("sobol,hr_median,,mean,"), std::string::npos);
  EXPECT_NE(csv.find("sobol,hr_median,kE,ST,"), std::string::npos);
  const auto points = lines(read_text(one + "/points.csv"));
  ASSERT_EQ(points.size(), 1U + 8U);
  EXPECT_EQ(points[3].rfind("2,0,AB:kN,", 0), 0U) << points[3];
  fs::remove_all(one);
  fs::remove_all(two);
}

struct BadCase {
  const char* args;
  const char* message;
};

// --ranges-from: kN varies over the ensemble's 5–95 % interval. Five equally weighted sets with kN
// 1, 2, 3, 4, 5 (×1e-5): R's quantile(type = 7) gives 1.2e-5 and 4.8e-5; kE, not in the ensemble,
// keeps its default range (the scenario's value ×/÷ 2). Without --parameters, the ensemble's
// parameter alone is studied; an ensemble whose interval is one value is refused.
TEST(CliSensitivity, RangesFromAnEnsembleAreItsNinetyPercentIntervals) {
  const std::string file = testing::temp_path("sensitivity", "ensemble.toml");
  std::string text = "[ensemble]\nmethod = \"manual\"\n";
  for (int k = 1; k <= 5; ++k) text += "[[sets]]\nkN = " + std::to_string(k) + "e-5\n";
  std::ofstream(file) << text;
  const std::string dir = temp_dir("ranges-from");
  auto r = run_il2sim("sensitivity" + kBase + " --method morris --samples 2 --ranges-from " + file +
                      " --json --out " + dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto points = lines(read_text(dir + "/points.csv"));
  ASSERT_EQ(points.size(), 1U + 6U);
  for (std::size_t i = 1; i < points.size(); ++i) {
    std::istringstream row(points[i]);
    std::vector<std::string> cells;
    for (std::string c; std::getline(row, c, ',');) cells.push_back(c);
    const double kn = std::stod(cells.at(3));
    EXPECT_GE(kn, 1.2e-5 * (1 - 1e-12)) << points[i];
    EXPECT_LE(kn, 4.8e-5 * (1 + 1e-12)) << points[i];
  }
  EXPECT_NE(read_text(dir + "/sensitivity.html").find("5–95 % interval of the ensemble"),
            std::string::npos);
  const std::string only = temp_dir("ranges-from-only");
  r = run_il2sim(
      "sensitivity phase3-autosct-nhl --outputs hr_median --replicates 2 --set "
      "stages.phase3.registered=120 --method morris --samples 2 --ranges-from " +
      file + " --out " + only);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(lines(read_text(only + "/points.csv"))[0], "point,block,role,kN,hr_median");
  std::ofstream(file) << "[ensemble]\nmethod = \"manual\"\n[[sets]]\nkN = 2e-5\n";
  const std::string bad = temp_dir("ranges-from-bad");
  r = run_il2sim("sensitivity" + kBase + " --method morris --samples 2 --ranges-from " + file +
                 " --out " + bad);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("5–95 % interval of kN is a single value"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(bad + "/sensitivity.csv"));
  fs::remove_all(dir);
  fs::remove_all(only);
  fs::remove_all(bad);
}

TEST(CliSensitivity, BadInputExits2NamingTheOptionAndWritesNothing) {
  const BadCase cases[] = {
      {" --method morris --parameters kNN",
       "--parameters: kNN: unknown parameter; did you mean 'kN'?"},
      {" --method morris --parameters kN --range kN=2e-5:1e-5", "LO >= HI"},
      {" --method morris --parameters kN --range kN=-1:1e-5",
       "outside the parameter table's bounds"},
      {" --method morris --parameters kN --range kE=1e-5:2e-5", "the parameter is not studied"},
      {" --method morris --parameters kN --levels 3", "--levels: 3: not an even number"},
      {" --method fast --parameters kN",
       "--method: fast: unknown method (allowed: morris or sobol)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.args);
    const std::string dir = temp_dir("bad");
    const auto r = run_il2sim(std::string("sensitivity phase3-autosct-nhl --outputs hr_median") +
                              c.args + " --out " + dir);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir + "/sensitivity.csv"));
    fs::remove_all(dir);
  }
}

TEST(CliSensitivity, UnknownOutputExits2ListingTheOutputs) {
  const std::string dir = temp_dir("output");
  const auto r = run_il2sim(
      "sensitivity phase3-autosct-nhl --outputs hr_medain --method morris --samples 2 "
      "--parameters kN --replicates 1 --set stages.phase3.registered=60 --out " +
      dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--outputs: hr_medain: unknown output"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("hr_median"), std::string::npos) << r.err;  // among the allowed
  EXPECT_FALSE(fs::exists(dir + "/sensitivity.csv"));
  fs::remove_all(dir);
  // A name whose first key exists (arms) is checked after the run, against the outputs then known.
  const auto late = run_il2sim(
      "sensitivity phase3-autosct-nhl --outputs arms[0].nope --method morris --samples 2 "
      "--parameters kN --replicates 1 --set stages.phase3.registered=60 --out " +
      dir);
  EXPECT_EQ(late.exit_code, 2) << late.err;
  EXPECT_NE(late.err.find("--outputs: arms[0].nope: unknown output"), std::string::npos)
      << late.err;
  EXPECT_NE(late.err.find("arms[0].pfs_median_months"), std::string::npos) << late.err;
  EXPECT_FALSE(fs::exists(dir + "/sensitivity.csv"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace il2sim
