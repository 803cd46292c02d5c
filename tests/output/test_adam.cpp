/// ADaM conformance of the CSV views of a real run (docs/adam.md): every registrant of a
/// randomized stage once in ADSL, with population flags that agree with the other columns and a
/// reason when never randomized (the CONSORT counts of summary.json); rows in the other views for
/// the randomized only; ADTTE's origin named; ADLB's units, baseline flag, BASE, CHG and study day;
/// and `il2sim survival km --where ... --censor CNSR` on adtte.csv equal to the same fit on a
/// filtered copy with an event column.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../cli/cli_runner.hpp"
#include "survival/csv.hpp"

namespace il2sim {
namespace {

using testing::read_text;
using testing::run_il2sim;

/// A CSV view read by the survival layer's reader, with its cells by column name.
struct View {
  survival::CsvTable table;
  explicit View(const std::string& path) : table(survival::read_csv(path)) {}
  [[nodiscard]] std::size_t size() const { return table.rows.size(); }
  [[nodiscard]] const std::string& at(std::size_t row, const std::string& column) const {
    return table.rows[row][table.column(column)];
  }
  [[nodiscard]] double num(std::size_t row, const std::string& column) const {
    return std::stod(at(row, column));
  }
};

// The phase III with 120 registrants (so that the run takes seconds) and a never-start
// probability on the IL-2 arm (so that TRT01A differs from TRT01P for some patients).
class AdamRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(testing::temp_path("adam", "phase3"));
    std::filesystem::remove_all(*dir_);
    const auto r = run_il2sim(
        "run phase3-autosct-nhl --replicates 1 --set stages.phase3.registered=120 "
        "--set stages.phase3.never_start_probability=0.3 --out " +
        *dir_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  static View view(const std::string& file) { return View(*dir_ + "/" + file); }
  static std::string* dir_;
};
std::string* AdamRun::dir_ = nullptr;

// Every registrant once: the stage numbers its registrants 1..registered in order of registration
// (0-based stage k: (k + 1)·10^6 + 1, …; trial/stages.cpp, stage_patient_base), and summary.json's
// registered_per_trial is the count of the one replicate. The never-randomized registrants by
// NOTRNDRS are the attrition table's counts (attrition_before_randomization: fraction of the
// registered).
TEST_F(AdamRun, EveryRegistrantAppearsOnceWithTheReasonOfTheAttrition) {
  const auto summary = nlohmann::json::parse(read_text(*dir_ + "/summary.json"));
  const auto& stage = summary["stages"][0];
  const auto registered = stage["registered_per_trial"].get<double>();
  const auto adsl = view("adsl.csv");
  ASSERT_EQ(static_cast<double>(adsl.size()), registered);
  std::set<long> ids;
  std::set<std::string> usubjids;
  std::map<std::string, int> not_randomized;
  int randomized = 0;
  for (std::size_t i = 0; i < adsl.size(); ++i) {
    ids.insert(std::stol(adsl.at(i, "PATIENT_ID")));
    usubjids.insert(adsl.at(i, "USUBJID"));
    EXPECT_EQ(adsl.at(i, "STUDYID"), "phase3");
    if (adsl.at(i, "RANDFL") == "Y") {
      ++randomized;
    } else {
      ++not_randomized[adsl.at(i, "NOTRNDRS")];
    }
  }
  EXPECT_EQ(static_cast<double>(usubjids.size()), registered);
  ASSERT_EQ(static_cast<double>(ids.size()), registered);
  EXPECT_EQ(*ids.begin(), 1'000'001);
  EXPECT_EQ(*ids.rbegin(), 1'000'000 + static_cast<long>(registered));
  EXPECT_EQ(randomized, stage["randomized_mean"].get<double>());
  ASSERT_FALSE(not_randomized.empty());
  int listed = 0;
  for (const auto& [cause, fraction] : stage["attrition_before_randomization"].items()) {
    const int expected = static_cast<int>(std::lround(fraction.get<double>() * registered));
    EXPECT_EQ(not_randomized[cause], expected) << cause;
    listed += expected;
  }
  EXPECT_EQ(listed + randomized, static_cast<int>(registered));
}

// RANDFL, ITTFL and SAFFL against ARM, NOTRNDRS, TREATED and the other views; TRT01P = ARM;
// TRT01A = ARM except on the IL-2 arm without IL-2 given (then the observation arm).
TEST_F(AdamRun, PopulationFlagsAndTreatmentsAgreeWithTheOtherColumns) {
  const auto adsl = view("adsl.csv");
  int switched = 0;
  for (std::size_t i = 0; i < adsl.size(); ++i) {
    const std::string id = adsl.at(i, "USUBJID");
    const bool randomized = adsl.at(i, "RANDFL") == "Y";
    EXPECT_TRUE(randomized || adsl.at(i, "RANDFL") == "N") << id;
    EXPECT_EQ(adsl.at(i, "ITTFL"), adsl.at(i, "RANDFL")) << id;
    EXPECT_EQ(adsl.at(i, "SAFFL"), adsl.at(i, "TREATED") == "1" ? "Y" : "N") << id;
    EXPECT_EQ(adsl.at(i, "TRT01P"), adsl.at(i, "ARM")) << id;
    if (!randomized) {
      EXPECT_EQ(adsl.at(i, "ARM"), "NA") << id;
      EXPECT_EQ(adsl.at(i, "TRT01A"), "NA") << id;
      EXPECT_EQ(adsl.at(i, "SAFFL"), "N") << id;
      EXPECT_FALSE(adsl.at(i, "NOTRNDRS").empty()) << id;
      EXPECT_EQ(adsl.at(i, "NOTTRTRS"), adsl.at(i, "NOTRNDRS")) << id;
      EXPECT_EQ(adsl.at(i, "RANDMO"), "NA") << id;
      EXPECT_EQ(adsl.at(i, "ANLFL"), "0") << id;
      continue;
    }
    EXPECT_EQ(adsl.at(i, "NOTRNDRS"), "") << id;
    const bool il2 = adsl.at(i, "ARM") == "il2";
    EXPECT_TRUE(il2 || adsl.at(i, "ARM") == "observation") << id;
    if (il2 && adsl.at(i, "TREATED") == "0") {
      EXPECT_EQ(adsl.at(i, "TRT01A"), "observation") << id;
      ++switched;
    } else {
      EXPECT_EQ(adsl.at(i, "TRT01A"), adsl.at(i, "ARM")) << id;
    }
    if (!il2) {
      EXPECT_EQ(adsl.at(i, "SAFFL"), "N") << id;
    }
  }
  // P(never start) = 0.3 on the IL-2 arm of about 30 randomized: none at all has probability
  // 0.7^30 ≈ 2e-5.
  EXPECT_GT(switched, 0);
}

// The other views hold the randomized only; every randomized patient has his ADTTE rows.
TEST_F(AdamRun, OnlyTheRandomizedHaveRowsInTheOtherViews) {
  const auto adsl = view("adsl.csv");
  std::set<std::string> randomized;
  for (std::size_t i = 0; i < adsl.size(); ++i) {
    if (adsl.at(i, "RANDFL") == "Y") randomized.insert(adsl.at(i, "USUBJID"));
  }
  for (const char* file : {"adtte.csv", "adlb.csv", "adae.csv", "ex.csv", "adtte_cuts.csv"}) {
    const auto v = view(file);
    std::set<std::string> seen;
    for (std::size_t i = 0; i < v.size(); ++i) {
      EXPECT_EQ(randomized.count(v.at(i, "USUBJID")), 1U) << file << " " << v.at(i, "USUBJID");
      EXPECT_EQ(v.at(i, "STUDYID"), "phase3") << file;
      seen.insert(v.at(i, "USUBJID"));
    }
    if (std::string(file) == "adtte.csv") {
      EXPECT_EQ(seen, randomized);
    }
  }
}

// ADTTE: PFS, OS, RELAPSE, NRM count from randomization (STARTDY = ADSL ORIGIN_DAY), DLT from
// IL-2 start (STARTDY = TRTSDY); AVALU on every row; TRT01P and TRT01A as in ADSL.
TEST_F(AdamRun, AdtteNamesItsTimeOrigin) {
  const auto adsl = view("adsl.csv");
  std::map<std::string, std::size_t> row_of;
  for (std::size_t i = 0; i < adsl.size(); ++i) row_of[adsl.at(i, "USUBJID")] = i;
  const auto adtte = view("adtte.csv");
  ASSERT_GT(adtte.size(), 0U);
  for (std::size_t i = 0; i < adtte.size(); ++i) {
    const std::size_t p = row_of.at(adtte.at(i, "USUBJID"));
    const bool dlt = adtte.at(i, "PARAMCD") == "DLT";
    EXPECT_EQ(adtte.at(i, "ORIGIN"), dlt ? "IL-2 start" : "randomization");
    EXPECT_EQ(adtte.at(i, "STARTDY"), adsl.at(p, dlt ? "TRTSDY" : "ORIGIN_DAY"));
    EXPECT_EQ(adtte.at(i, "AVALU"), "DAYS");
    EXPECT_EQ(adtte.at(i, "TRT01P"), adsl.at(p, "TRT01P"));
    EXPECT_EQ(adtte.at(i, "TRT01A"), adsl.at(p, "TRT01A"));
  }
}

// ADLB: a unit on every row; ABLFL = Y on exactly one record per patient and parameter
// (PARAMCD, and ETRATIO of a lysis assay) with a BASELINE visit, the last of that visit; BASE =
// its AVAL on every record of the parameter; CHG = AVAL - BASE after it, missing at and before
// it; ADY = TXDY - TRTSDY (+1 from IL-2 start on: ADaM has no day 0), missing without IL-2.
TEST_F(AdamRun, AdlbHasUnitsBaselineChangeAndStudyDays) {
  const auto adsl = view("adsl.csv");
  std::map<std::string, std::string> start;
  for (std::size_t i = 0; i < adsl.size(); ++i) start[adsl.at(i, "USUBJID")] = adsl.at(i, "TRTSDY");
  const auto adlb = view("adlb.csv");
  ASSERT_GT(adlb.size(), 0U);
  using Key = std::tuple<std::string, std::string, std::string>;
  std::map<Key, std::vector<std::size_t>> rows;
  for (std::size_t i = 0; i < adlb.size(); ++i) {
    EXPECT_NE(adlb.at(i, "AVALU"), "NA") << i;
    EXPECT_FALSE(adlb.at(i, "AVALU").empty()) << i;
    rows[{adlb.at(i, "USUBJID"), adlb.at(i, "PARAMCD"), adlb.at(i, "ETRATIO")}].push_back(i);
    const std::string& s = start.at(adlb.at(i, "USUBJID"));
    if (s == "NA") {
      EXPECT_EQ(adlb.at(i, "ADY"), "NA") << i;
    } else {
      const double d = adlb.num(i, "TXDY") - std::stod(s);
      EXPECT_EQ(adlb.num(i, "ADY"), d >= 0 ? d + 1 : d) << i;
    }
  }
  int with_baseline = 0;
  for (const auto& [key, list] : rows) {
    std::vector<std::size_t> flagged, at_visit;
    for (const auto i : list) {
      if (adlb.at(i, "ABLFL") == "Y") flagged.push_back(i);
      if (adlb.at(i, "VISIT") == "BASELINE") at_visit.push_back(i);
    }
    if (at_visit.empty()) {
      EXPECT_TRUE(flagged.empty());
      for (const auto i : list) EXPECT_EQ(adlb.at(i, "BASE"), "NA") << i;
      continue;
    }
    ++with_baseline;
    ASSERT_EQ(flagged.size(), 1U) << std::get<0>(key) << " " << std::get<1>(key);
    const std::size_t b = flagged[0];
    EXPECT_EQ(b, at_visit.back());
    const double base = adlb.num(b, "AVAL");
    for (const auto i : list) {
      EXPECT_EQ(adlb.num(i, "BASE"), base) << i;
      if (adlb.num(i, "TXDY") > adlb.num(b, "TXDY")) {
        EXPECT_EQ(adlb.num(i, "CHG"), adlb.num(i, "AVAL") - adlb.num(i, "BASE")) << i;
      } else {
        EXPECT_EQ(adlb.at(i, "CHG"), "NA") << i;
      }
    }
  }
  EXPECT_GT(with_baseline, 0);
}

// `survival km --where PARAMCD=PFS --censor CNSR --group TRT01P` on adtte.csv is the fit of the
// same data written as a filtered copy with an event column (EVENT = 1 - CNSR): the same JSON.
TEST_F(AdamRun, KmReadsItsOwnAdtteDirectly) {
  const auto adtte = view("adtte.csv");
  const std::string copy = *dir_ + "/pfs_events.csv";
  {
    std::ofstream out(copy);
    out << "AVAL,EVENT,TRT01P\n";
    for (std::size_t i = 0; i < adtte.size(); ++i) {
      if (adtte.at(i, "PARAMCD") != "PFS") continue;
      out << adtte.at(i, "AVAL") << ',' << (adtte.at(i, "CNSR") == "0" ? 1 : 0) << ','
          << adtte.at(i, "TRT01P") << '\n';
    }
  }
  const auto direct = run_il2sim("survival km --data " + *dir_ +
                                 "/adtte.csv --time AVAL --censor CNSR --where PARAMCD=PFS "
                                 "--group TRT01P --json");
  const auto filtered =
      run_il2sim("survival km --data " + copy + " --time AVAL --event EVENT --group TRT01P --json");
  ASSERT_EQ(direct.exit_code, 0) << direct.err;
  ASSERT_EQ(filtered.exit_code, 0) << filtered.err;
  EXPECT_EQ(direct.out, filtered.out);
  const auto j = nlohmann::json::parse(direct.out);
  EXPECT_EQ(j["curves"].size(), 2U);
  // Two conditions (AND): the randomization origin of PFS gives the same rows.
  const auto both = run_il2sim("survival km --data " + *dir_ +
                               "/adtte.csv --time AVAL --censor CNSR --where PARAMCD=PFS "
                               "--where ORIGIN=randomization --group TRT01P --json");
  EXPECT_EQ(both.out, direct.out);
}

// A cohort: no randomization (RANDFL missing), everyone in the ITT population, ADTTE from
// transplant.
TEST(AdamCohort, NoRandomizationAndTimesFromTransplant) {
  const std::string dir = testing::temp_path("adam", "cohort");
  std::filesystem::remove_all(dir);
  const auto r = run_il2sim("cohort --arm il2 --patients 3 --days 200 --out " + dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const View adsl(dir + "/adsl.csv");
  ASSERT_EQ(adsl.size(), 3U);
  for (std::size_t i = 0; i < adsl.size(); ++i) {
    EXPECT_EQ(adsl.at(i, "RANDFL"), "NA");
    EXPECT_EQ(adsl.at(i, "ITTFL"), "Y");
    EXPECT_EQ(adsl.at(i, "TRT01P"), "il2");
  }
  const View adtte(dir + "/adtte.csv");
  for (std::size_t i = 0; i < adtte.size(); ++i) {
    if (adtte.at(i, "PARAMCD") == "DLT") continue;
    EXPECT_EQ(adtte.at(i, "ORIGIN"), "transplant");
    EXPECT_EQ(adtte.at(i, "STARTDY"), "0");
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace il2sim
