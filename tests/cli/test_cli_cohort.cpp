// `il2sim cohort` through the real binary (interfaces.md): deterministic bytes for any --threads,
// patients unchanged when more are simulated, common random numbers across arms, and user errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "cli_runner.hpp"

namespace il2sim {
namespace {

namespace fs = std::filesystem;
using testing::read_text;
using testing::run_il2sim;

std::string temp_dir(const std::string& name) {
  const std::string p = testing::temp_path("cohort", name);
  std::filesystem::remove_all(p);
  return p;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  bool quoted = false;
  for (const char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.push_back(cell);
      cell.clear();
    } else {
      cell += c;
    }
  }
  out.push_back(cell);
  return out;
}

/// The rows of a CSV view as column -> value (every row has the cells of the header).
std::vector<std::map<std::string, std::string>> read_view(const std::string& path) {
  const auto rows = lines(read_text(path));
  const auto header = split(rows.at(0));
  std::vector<std::map<std::string, std::string>> out;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto cells = split(rows[i]);
    EXPECT_EQ(cells.size(), header.size()) << rows[i];
    std::map<std::string, std::string> row;
    for (std::size_t k = 0; k < header.size() && k < cells.size(); ++k) row[header[k]] = cells[k];
    out.push_back(row);
  }
  return out;
}

/// ADSL as USUBJID -> column -> value.
std::map<std::string, std::map<std::string, std::string>> read_adsl(const std::string& dir) {
  std::map<std::string, std::map<std::string, std::string>> out;
  for (auto& row : read_view(dir + "/adsl.csv")) out[row.at("USUBJID")] = row;
  return out;
}

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

const std::vector<std::string> kViews{"adsl.csv", "adtte.csv", "adlb.csv",
                                      "adae.csv", "ex.csv",    "adtte_cuts.csv"};

class CohortRuns : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    one_ = temp_dir("t1");
    two_ = temp_dir("t2");
    more_ = temp_dir("n61");
    obs_ = temp_dir("obs");
    const std::string common = " --patients 60 --days 1826 --seed 7 ";
    for (const auto& [dir, args] : std::vector<std::pair<std::string, std::string>>{
             {one_, "--arm il2" + common + "--threads 1"},
             {two_, "--arm il2" + common + "--threads 2"},
             {more_, "--arm il2 --patients 61 --days 1826 --seed 7 --threads 2"},
             {obs_, "--arm observation" + common + "--threads 2"}}) {
      const auto r = run_il2sim("cohort " + args + " --out " + dir);
      ASSERT_EQ(r.exit_code, 0) << args << "\n" << r.err;
    }
  }
  static void TearDownTestSuite() {
    for (const auto* d : {&one_, &two_, &more_, &obs_}) fs::remove_all(*d);
  }
  static inline std::string one_, two_, more_, obs_;
};

// interfaces.md: same scenario + seed ⇒ byte-identical outputs for any --threads (cohort writes no
// manifest, so every file).
TEST_F(CohortRuns, ThreadCountDoesNotChangeAnyByte) {
  const auto names = files_in(one_);
  EXPECT_EQ(names, files_in(two_));
  for (const auto& v : kViews)
    EXPECT_NE(std::find(names.begin(), names.end(), v), names.end()) << v;
  EXPECT_NE(std::find(names.begin(), names.end(), "summary.json"), names.end());
  for (const auto& name : names) {
    EXPECT_EQ(read_text(one_ + "/" + name), read_text(two_ + "/" + name)) << name;
  }
}

// interfaces.md: the views hold the columns of the contract; issue 12: ADTTE and ADLB carry PARAM
// and AVALU (ADTTE: every endpoint in days); a cohort has no stage (STAGE, STAGE_INDEX missing).
TEST_F(CohortRuns, ViewsHaveTheContractColumnsAndUnits) {
  const auto adtte = read_view(one_ + "/adtte.csv");
  ASSERT_FALSE(adtte.empty());
  for (const auto& row : adtte) {
    EXPECT_EQ(row.at("AVALU"), "DAYS") << row.at("PARAMCD");
    EXPECT_FALSE(row.at("PARAM").empty()) << row.at("PARAMCD");
    EXPECT_EQ(row.at("STAGE"), "NA");
  }
  const auto adlb = read_view(one_ + "/adlb.csv");
  ASSERT_FALSE(adlb.empty());
  for (const auto& row : adlb) {
    if (row.at("PARAMCD") == "NKBLD") {
      EXPECT_EQ(row.at("AVALU"), "cells/uL");  // model::Observation::NK_blood
      EXPECT_EQ(row.at("PARAM"), "NK cells in blood");
    }
  }
  for (const auto& [id, row] : read_adsl(one_)) {
    EXPECT_EQ(row.at("STUDYID"), "programme") << id;  // scenario::kDefaultScenario
    EXPECT_EQ(row.at("STAGE_INDEX"), "NA") << id;
    EXPECT_TRUE(row.at("NUMFAIL") == "0" || row.at("NUMFAIL") == "1") << id;
  }
}

// model.md §5: adding a patient never changes another patient's draws: with 61 patients, every view
// holds the 60-patient file's rows unchanged, followed by rows of patient 61 only.
TEST_F(CohortRuns, AddingAPatientLeavesTheOthersUnchanged) {
  for (const auto& v : kViews) {
    const std::string small = read_text(one_ + "/" + v);
    const std::string large = read_text(more_ + "/" + v);
    ASSERT_EQ(large.compare(0, small.size(), small), 0) << v << ": patients 1..60 differ";
    for (const auto& line : lines(large.substr(small.size()))) {
      EXPECT_NE(line.find("-000061,"), std::string::npos) << v << ": " << line;
    }
  }
  EXPECT_EQ(read_adsl(more_).size(), 61U);
}

// model.md §5: the same virtual patient has the same covariates and disease in every arm; the
// eligibility day (platelet recovery, before any IL-2) is the same too.
TEST_F(CohortRuns, ArmsShareCovariatesAndDisease) {
  const auto il2 = read_adsl(one_);
  const auto obs = read_adsl(obs_);
  ASSERT_EQ(il2.size(), 60U);
  ASSERT_EQ(obs.size(), 60U);
  for (const auto& [id, row] : il2) {
    ASSERT_TRUE(obs.count(id)) << id;
    const auto& other = obs.at(id);
    EXPECT_EQ(row.at("ARM"), "il2");
    EXPECT_EQ(other.at("ARM"), "observation");
    for (const char* column :
         {"AGE", "SEX", "HEIGHT", "WEIGHT", "BSA", "DISEASE", "L0", "ELIGDY"}) {
      EXPECT_EQ(row.at(column), other.at(column)) << id << " " << column;
    }
  }
}

// model.md §3 in the views: ADSL RELDY is the first assessment (every 90 days to day 730, then
// every 180) at or after RELTRDY, unless ADTTE says the relapse was symptomatic (then recorded
// before it).
TEST_F(CohortRuns, ObservedRelapseFollowsTheAssessmentSchedule) {
  std::map<std::string, std::string> relapse_description;
  for (const auto& row : read_view(one_ + "/adtte.csv")) {
    if (row.at("PARAMCD") == "RELAPSE" && row.at("CNSR") == "0")
      relapse_description[row.at("USUBJID")] = row.at("EVNTDESC");
  }
  const auto next_assessment = [](double t) {
    for (double d = 90.0; d <= 730.0; d += 90.0) {
      if (d >= t) return d;
    }
    double d = 730.0;
    while (d < t) d += 180.0;
    return d;
  };
  int relapses = 0;
  for (const auto& [id, row] : read_adsl(one_)) {
    if (row.at("RELDY") == "NA") continue;
    ++relapses;
    ASSERT_NE(row.at("RELTRDY"), "NA") << id;
    const double truth = std::stod(row.at("RELTRDY"));
    const double observed = std::stod(row.at("RELDY"));
    const std::string& how = relapse_description[id];
    if (how == "relapse at assessment" && row.at("NOTTRTRS") == "relapse" &&
        observed < next_assessment(truth)) {
      // Found at the restaging before the would-be start: eligibility day + delay (0-14 days).
      ASSERT_NE(row.at("ELIGDY"), "NA") << id;
      EXPECT_GE(observed, std::stod(row.at("ELIGDY"))) << id;
      EXPECT_LE(observed, std::stod(row.at("ELIGDY")) + 14.0) << id;
    } else if (how == "relapse at assessment") {
      EXPECT_EQ(observed, next_assessment(truth)) << id;
    } else {
      EXPECT_EQ(how, "symptomatic relapse") << id;
      EXPECT_GE(observed, truth) << id;
      EXPECT_LT(observed, next_assessment(truth)) << id;
    }
  }
  EXPECT_GT(relapses, 3);
}

TEST(CliCohort, RefusesANonEmptyOutputDirectoryWithoutForce) {
  const std::string dir = temp_dir("nonempty");
  fs::create_directories(dir);
  { std::ofstream(dir + "/keep.txt") << "x"; }
  auto r = run_il2sim("cohort --arm observation --patients 2 --days 60 --out " + dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "il2sim: error: " + dir +
                       ": --out: directory is not empty (allowed: a new or empty directory, or "
                       "--force to overwrite)\n");
  EXPECT_EQ(files_in(dir), std::vector<std::string>{"keep.txt"});
  r = run_il2sim("cohort --arm observation --patients 2 --days 60 --force --out " + dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir + "/adsl.csv"));
  EXPECT_EQ(lines(read_text(dir + "/adsl.csv")).size(), 3U);
  fs::remove_all(dir);
}

// interfaces.md: a user error prints one clear message to stderr and exits 2; nothing is written.
TEST(CliCohort, BadNumbersExitTwoWithOneMessage) {
  const std::string dir = temp_dir("bad");
  const std::vector<std::pair<std::string, std::string>> cases{
      {"--patients 0", "--patients 0: must be a whole number from 1 to 10000000"},
      {"--patients -3", "--patients -3: must be a whole number from 1 to 10000000"},
      {"--days 0", "--days 0: must be a number of days in (0, 36500]"},
      {"--days -5", "--days -5: must be a number of days in (0, 36500]"},
      {"--days 40000", "--days 40000: must be a number of days in (0, 36500]"},
      {"--threads 0", "--threads 0: must be 1 to 1024"},
      {"--threads 5000", "--threads 5000: must be 1 to 1024"},
  };
  // The command with `args`, and --patients 5 unless `args` sets it.
  const auto command = [&](const std::string& args) {
    return "cohort --arm il2 --out " + dir + " " + args +
           (args.rfind("--patients", 0) == 0 ? "" : " --patients 5");
  };
  for (const auto& [args, message] : cases) {
    const auto r = run_il2sim(command(args));
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_EQ(r.err, "il2sim: error: " + message + "\n") << args;
    EXPECT_TRUE(r.out.empty()) << args;
    EXPECT_FALSE(fs::exists(dir)) << args;
  }
  // Values that are not whole numbers: CLI11's conversion error, as one il2sim error line.
  for (const auto& [args, option] :
       std::vector<std::pair<std::string, std::string>>{{"--patients abc", "--patients = abc"},
                                                        {"--patients 2.5", "--patients = 2.5"},
                                                        {"--days x", "--days = x"},
                                                        {"--threads two", "--threads = two"},
                                                        {"--threads -1", "--threads = -1"}}) {
    const auto r = run_il2sim(command(args));
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_EQ(r.err, "il2sim: error: Could not convert: " + option + "\n") << args;
    EXPECT_FALSE(fs::exists(dir)) << args;
  }
}

TEST(CliCohort, UnknownArmExitsTwoNamingTheAllowedArms) {
  const std::string dir = temp_dir("arm");
  const auto r = run_il2sim("cohort --arm placebo --patients 5 --out " + dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "il2sim: error: --arm: scenario 'programme' has no arm 'placebo' (allowed: il2, "
            "observation)\n");
  EXPECT_FALSE(fs::exists(dir));
}

}  // namespace
}  // namespace il2sim

namespace il2sim {
namespace {

// issue 12: a subcutaneous maintenance phase is given in `cohort` (before, the clinic rebuilt phase
// rates from CIV records only: TREATED = 1 but no maintenance rows in EX and IL-2 0 at the visits).
TEST(CohortDosePath, ScMaintenanceIsGivenAndLogged) {
  const auto shown = run_il2sim("scenarios show chiron-regimen");
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const std::string civ =
      "{ name = \"maintenance\", role = \"maintenance\", route = \"civ\", dose = 1.6e6, unit = "
      "\"U/m2/day\", days = 10, setting = \"outpatient\" }";
  const std::string sc =
      "{ name = \"maintenance\", role = \"maintenance\", route = \"sc\", dose = 1e6, unit = "
      "\"U/m2\", days = 10, interval_hours = 24, setting = \"outpatient\" }";
  std::string text = shown.out;
  const auto at = text.find(civ);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, civ.size(), sc);
  const std::string dir = temp_dir("sc");
  fs::create_directories(dir);
  const std::string file = dir + "/sc.toml";
  std::ofstream(file) << text;
  const auto r =
      run_il2sim("cohort " + file + " --arm il2 --patients 8 --days 200 --out " + dir + "/out");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto adsl = read_adsl(dir + "/out");
  std::map<std::string, int> sc_rows;
  const auto ex = lines(read_text(dir + "/out/ex.csv"));
  const auto header = split(ex.at(0));
  const auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  for (std::size_t i = 1; i < ex.size(); ++i) {
    const auto cells = split(ex[i]);
    if (cells.at(column("EXPHASE")) != "maintenance") continue;
    ++sc_rows[cells.at(column("USUBJID"))];
    // Each injection is one administration of the SC route: an amount in IU, no rate.
    EXPECT_EQ(cells.at(column("EXROUTE")), "sc") << ex[i];
    EXPECT_EQ(cells.at(column("EXROLE")), "maintenance") << ex[i];
    EXPECT_EQ(cells.at(column("EXAMTU")), "IU") << ex[i];
    EXPECT_GT(std::stod(cells.at(column("EXAMT"))), 0.0) << ex[i];
    EXPECT_EQ(cells.at(column("EXSTDY")), cells.at(column("EXENDY"))) << ex[i];
  }
  std::map<std::string, double> il2_day9;  // IL-2 one day after the first SC injection
  const auto lb = lines(read_text(dir + "/out/adlb.csv"));
  for (std::size_t i = 1; i < lb.size(); ++i) {
    const auto cells = split(lb[i]);
    if (cells.at(3) == "IL2CONC" && cells.at(6) == "IL2 D9")
      il2_day9[cells.at(0)] = std::stod(cells.at(4));
  }
  int checked = 0;
  for (const auto& [id, row] : adsl) {
    if (row.at("TREATED") != "1" || !row.at("STOPRS").empty() || row.at("HOLDS") != "0") continue;
    ++checked;
    EXPECT_EQ(sc_rows[id], 10) << id;  // 10 days, one injection every 24 h
    EXPECT_EQ(std::stod(row.at("MNTINT")), 1.0) << id;
    EXPECT_GT(il2_day9[id], 0.0) << id;
  }
  EXPECT_GT(checked, 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace il2sim
