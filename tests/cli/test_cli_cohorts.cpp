// `il2sim scenarios cohorts [SCENARIO] [--json]` (interfaces.md "Version 2 contracts") and
// `il2sim cohort` on a scenario file with its own cohort, through the real binary.
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

using testing::read_text;
using testing::run_il2sim;

/// chiron-regimen with a chemotherapy cohort of older adults and an observation arm of it.
std::string scenario_file() {
  const std::string path = testing::temp_path("cohorts", "own.toml");
  const auto shown = run_il2sim("scenarios show chiron-regimen");
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  std::ofstream(path) << shown.out << R"(
[cohorts.older-chemo]
description = "adults 60-70 with AML in CR1 after consolidation chemotherapy"
disease = "aml"
remission = "CR1"
setting = "chemotherapy"
age_min = 60
age_max = 70
p_no_disease = "p_no_disease_aml_cr1"
nrm_1y = 0.04

[[arms]]
name = "chemo-observation"
cohort = "older-chemo"
)";
  return path;
}

std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) out.push_back(cell);
  return out;
}

}  // namespace

TEST(CliCohorts, JsonListsTheBuiltinCohorts) {
  const auto r = run_il2sim("scenarios cohorts --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_TRUE(doc.at("scenario").is_null());
  const auto& list = doc.at("cohorts");
  ASSERT_EQ(list.size(), 6U);  // data/cohorts.toml
  for (const auto& c : list) {
    for (const char* key : {"name", "description", "disease", "remission", "setting", "population"})
      EXPECT_TRUE(c.at(key).is_string()) << key;
    EXPECT_TRUE(c.at("builtin").get<bool>());
    EXPECT_TRUE(c.at("age_min").is_number());
    EXPECT_TRUE(c.at("age_max").is_number());
    for (const char* key : {"p_no_disease", "log10_L0_mean", "log10_L0_sd", "nrm_1y",
                            "post_relapse_median_months", "salvage_fraction"}) {
      EXPECT_TRUE(c.at(key).at("value").is_number()) << key;
      EXPECT_TRUE(c.at(key).contains("parameter")) << key;
    }
    EXPECT_TRUE(c.at("salvage_median_months").is_null());
  }
  // The AML CR1 cohort names its own residual-disease row, at the table's default (`il2sim
  // params`).
  const auto& cr1 = list.at(4);
  EXPECT_EQ(cr1.at("name"), "adult-auto-aml-cr1");
  EXPECT_EQ(cr1.at("p_no_disease").at("parameter"), "p_no_disease_aml_cr1");
  EXPECT_EQ(cr1.at("p_no_disease").at("value"), 0.54644);
  EXPECT_EQ(list.at(3).at("setting"), "allogeneic");
  EXPECT_EQ(list.at(3).at("population"), "paediatric");
}

TEST(CliCohorts, ListsAScenarioFilesOwnCohortAndRunsIt) {
  const std::string file = scenario_file();
  auto r = run_il2sim("scenarios cohorts " + file + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc.at("scenario"), "chiron-regimen");
  const auto& own = doc.at("cohorts").back();
  EXPECT_EQ(own.at("name"), "older-chemo");
  EXPECT_FALSE(own.at("builtin").get<bool>());
  EXPECT_EQ(own.at("setting"), "chemotherapy");
  EXPECT_EQ(own.at("age_min"), 60.0);
  EXPECT_EQ(own.at("age_max"), 70.0);
  EXPECT_EQ(own.at("nrm_1y").at("value"), 0.04);
  EXPECT_TRUE(own.at("nrm_1y").at("parameter").is_null());
  EXPECT_EQ(own.at("post_relapse_median_months").at("parameter"), "post_relapse_median_aml");
  r = run_il2sim("scenarios cohorts " + file);  // the text table
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("older-chemo"), std::string::npos) << r.out;

  const std::string dir = testing::temp_path("cohorts", "run");
  std::filesystem::remove_all(dir);
  r = run_il2sim("cohort " + file + " --arm chemo-observation --patients 20 --days 100 --out " +
                 dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::stringstream adsl(read_text(dir + "/adsl.csv"));
  std::string line;
  std::getline(adsl, line);
  const auto header = cells(line);
  const auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  int rows = 0;
  while (std::getline(adsl, line)) {
    const auto row = cells(line);
    const double age = std::stod(row.at(column("AGE")));
    EXPECT_GE(age, 60.0);
    EXPECT_LE(age, 70.0);
    EXPECT_EQ(row.at(column("TRANSPLANT")), "chemotherapy");
    EXPECT_EQ(row.at(column("DISEASE")), "AML");
    ++rows;
  }
  EXPECT_EQ(rows, 20);
  // The resolved scenario (what `run` writes beside its outputs) carries the cohort.
  r = run_il2sim("scenarios show " + file + " --resolved");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("[cohorts.\"older-chemo\"]"), std::string::npos);
  EXPECT_NE(r.out.find("p_no_disease = \"p_no_disease_aml_cr1\""), std::string::npos);
  std::filesystem::remove_all(dir);
  std::filesystem::remove(file);
}

TEST(CliCohorts, UnknownScenarioExitsTwo) {
  const auto r = run_il2sim("scenarios cohorts no-such-scenario --json");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no-such-scenario"), std::string::npos) << r.err;
}

}  // namespace il2sim
