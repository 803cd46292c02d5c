// The public C++ API (include/il2sim/il2sim.hpp) against the CLI: the same scenario, options and
// seed give the same tables as the CSV files cell by cell (numbers exactly: the CSV's shortest
// round-trip text read back with strtod equals the API's double; texts; NA where missing) and
// summary.json byte for byte. The expectations are the CLI's own outputs, made in the test.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include "../cli/cli_runner.hpp"
#include "il2sim/il2sim.hpp"
#include "scenario/scenario.hpp"
#include "survival/csv.hpp"

namespace il2sim::testing {
namespace {

namespace fs = std::filesystem;

/// Runs the CLI with `args` into a fresh directory and returns it.
std::string cli_out(const std::string& name, const std::string& args) {
  const std::string dir = temp_path("api", name);
  fs::remove_all(dir);
  const auto r = run_il2sim(args + " --out " + dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return dir;
}

/// The cell the CLI writes for row `i` of column `c` (missing: "NA"; `na` for sweep.csv's "").
void expect_cell(const api::Column& c, std::size_t i, const std::string& cell,
                 const std::string& where, const std::string& na = "NA") {
  if (cell == na) {
    EXPECT_EQ(c.missing.at(i), 1) << where;
    return;
  }
  ASSERT_EQ(c.missing.at(i), 0) << where << ": the CLI wrote " << cell;
  switch (c.type) {
    case api::Column::Type::real:
      EXPECT_EQ(c.reals.at(i), std::strtod(cell.c_str(), nullptr)) << where;
      break;
    case api::Column::Type::integer:
      EXPECT_EQ(c.integers.at(i), std::stoll(cell)) << where;
      break;
    case api::Column::Type::text:
      EXPECT_EQ(c.texts.at(i), cell) << where;
      break;
  }
}

/// Every cell of `t` equals the CSV file's (same header, same rows).
void expect_same_table(const api::Table& t, const std::string& csv, const std::string& na = "NA") {
  const auto file = survival::read_csv(csv);
  ASSERT_EQ(t.columns.size(), file.header.size()) << csv;
  for (std::size_t k = 0; k < t.columns.size(); ++k)
    EXPECT_EQ(t.columns[k].name, file.header[k]) << csv;
  ASSERT_EQ(t.rows(), file.rows.size()) << csv;
  for (std::size_t i = 0; i < file.rows.size(); ++i) {
    for (std::size_t k = 0; k < t.columns.size(); ++k) {
      expect_cell(t.columns[k], i, file.rows[i][k],
                  csv + " row " + std::to_string(i + 1) + " " + file.header[k], na);
    }
  }
}

api::ScenarioInput builtin(const std::string& name) {
  return {api::ScenarioInput::Kind::name_or_file, name};
}

TEST(Api, RunGivesTheCliTablesAndSummaryJson) {
  const std::string dir = cli_out("run", "run phase3-autosct-nhl --replicates 3 --seed 7");
  api::RunOptions o;
  o.seed = 7;
  o.replicates = 3;
  const auto r = api::run(builtin("phase3-autosct-nhl"), o);
  EXPECT_EQ(r.summary_json, read_text(dir + "/summary.json"));
  EXPECT_EQ(r.scenario_toml, read_text(dir + "/scenario.toml"));
  expect_same_table(r.adsl, dir + "/adsl.csv");
  expect_same_table(r.adtte, dir + "/adtte.csv");
  expect_same_table(r.adlb, dir + "/adlb.csv");
  expect_same_table(r.adae, dir + "/adae.csv");
  expect_same_table(r.ex, dir + "/ex.csv");
  expect_same_table(r.adtte_cuts, dir + "/adtte_cuts.csv");
  EXPECT_GT(r.adsl.rows(), 0U);
  // The summary table holds the operating characteristics of summary.json: its power.
  const auto& out = r.summary.columns.at(1);
  ASSERT_EQ(out.name, "output");
  EXPECT_NE(std::find(out.texts.begin(), out.texts.end(), "power"), out.texts.end());
  fs::remove_all(dir);
}

TEST(Api, CohortGivesTheCliTablesAndSummaryJson) {
  const std::string dir =
      cli_out("cohort", "cohort phase3-autosct-nhl --arm il2 --patients 12 --days 400 --seed 7");
  api::CohortOptions o;
  o.arm = "il2";
  o.patients = 12;
  o.days = 400.0;
  o.seed = 7;
  o.threads = 2;  // outputs do not depend on it
  const auto r = api::cohort(builtin("phase3-autosct-nhl"), o);
  EXPECT_EQ(r.summary_json, read_text(dir + "/summary.json"));
  expect_same_table(r.adsl, dir + "/adsl.csv");
  expect_same_table(r.adtte, dir + "/adtte.csv");
  expect_same_table(r.adlb, dir + "/adlb.csv");
  expect_same_table(r.adae, dir + "/adae.csv");
  expect_same_table(r.ex, dir + "/ex.csv");
  fs::remove_all(dir);
}

TEST(Api, SweepGivesTheCliTable) {
  const std::string dir = cli_out(
      "sweep",
      "sweep phase3-autosct-nhl --grid stages.phase3.registered=60,80 --replicates 2 --seed 7");
  api::SweepOptions o;
  o.grid = {{"stages.phase3.registered", {"60", "80"}}};
  o.replicates = 2;
  o.seed = 7;
  const auto t = api::sweep(builtin("phase3-autosct-nhl"), o);
  EXPECT_EQ(t.columns.front().type, api::Column::Type::integer);
  expect_same_table(t, dir + "/sweep.csv", "");
  fs::remove_all(dir);
}

TEST(Api, TrajectoryGivesTheCliRowsToItsPrecision) {
  const std::string file = temp_path("api", "trajectory.csv");
  const auto r = run_il2sim("trajectory --typical --days 30 --step 1 --out " + file);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  api::TrajectoryOptions o;
  o.typical = true;
  o.days = 30.0;
  o.step = 1.0;
  const auto t = api::trajectory(builtin(""), o);
  const auto csv = survival::read_csv(file);
  ASSERT_EQ(t.rows(), csv.rows.size());
  ASSERT_EQ(t.columns.size(), csv.header.size());
  for (std::size_t i = 0; i < csv.rows.size(); ++i) {
    for (std::size_t k = 0; k < csv.header.size(); ++k) {
      EXPECT_EQ(t.columns[k].name, csv.header[k]);
      // The CSV writes day with {:.10g} and the others with {:.8g} (sim/trajectory.cpp).
      const char* format = k == 0 ? "%.10g" : "%.8g";
      char text[64];
      std::snprintf(text, sizeof text, format, t.columns[k].reals[i]);
      EXPECT_EQ(text, csv.rows[i][k]) << csv.header[k] << " row " << i + 1;
    }
  }
  fs::remove(file);
}

TEST(Api, ParamsHasTheCliJsonRows) {
  const auto r = run_il2sim("params --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = nlohmann::json::parse(r.out).at("parameters");
  const auto t = api::params();
  ASSERT_EQ(t.rows(), rows.size());
  ASSERT_FALSE(rows.empty());
  // The JSON's keys (sorted by nlohmann::json) are the table's columns; every cell is the same.
  EXPECT_EQ(rows.front().size(), t.columns.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (const auto& c : t.columns) {
      const auto& v = rows[i].at(c.name);
      EXPECT_EQ(c.missing.at(i), 0) << c.name;
      if (c.type == api::Column::Type::text) {
        EXPECT_EQ(c.texts.at(i), v.get<std::string>()) << c.name << " row " << i + 1;
      } else {
        EXPECT_EQ(c.reals.at(i), v.get<double>()) << c.name << " row " << i + 1;
      }
    }
  }
}

TEST(Api, UnknownSetPathThrowsTheCliMessage) {
  const auto r = run_il2sim(
      "run phase3-autosct-nhl --replicates 1 --set stages.phase3.no_such=1 "
      "--out " +
      temp_path("api", "refused"));
  ASSERT_EQ(r.exit_code, 2);
  const std::string prefix = "il2sim: error: ";
  ASSERT_EQ(r.err.rfind(prefix, 0), 0U) << r.err;
  std::string message = r.err.substr(prefix.size());
  while (!message.empty() && message.back() == '\n') message.pop_back();
  api::RunOptions o;
  o.replicates = 1;
  o.set = {{"stages.phase3.no_such", "1"}};
  try {
    (void)api::run(builtin("phase3-autosct-nhl"), o);
    ADD_FAILURE() << "no error";
  } catch (const api::Error& e) {
    EXPECT_EQ(std::string(e.what()), message);
  }
}

TEST(Api, PatientOutOfRangeThrowsTheCliMessage) {
  const auto r = run_il2sim("trajectory --patient 0 --out " + temp_path("api", "refused.csv"));
  ASSERT_EQ(r.exit_code, 2);
  const std::string prefix = "il2sim: error: ";
  ASSERT_EQ(r.err.rfind(prefix, 0), 0U) << r.err;
  std::string message = r.err.substr(prefix.size());
  while (!message.empty() && message.back() == '\n') message.pop_back();
  api::TrajectoryOptions o;
  o.patient = 0;
  try {
    (void)api::trajectory(builtin(""), o);
    ADD_FAILURE() << "no error";
  } catch (const api::Error& e) {
    EXPECT_EQ(std::string(e.what()), message);
  }
}

TEST(Api, SeedAboveTheTomlRangeIsRefusedAsByTheCli) {
  EXPECT_THROW((void)api::parse_seed("9223372036854775808"), api::Error);
  EXPECT_EQ(api::parse_seed("9223372036854775807"), 9223372036854775807ULL);
  api::RunOptions o;
  o.seed = 9223372036854775808ULL;
  EXPECT_THROW((void)api::run(builtin("phase3-autosct-nhl"), o), api::Error);
}

TEST(Api, JsonScenarioGivesTheSameRunAsItsToml) {
  std::string toml_text;
  for (const auto& b : scenario::builtin_scenarios())
    if (b.name == "phase3-autosct-nhl") toml_text = std::string(b.toml);
  ASSERT_FALSE(toml_text.empty());
  std::ostringstream json;
  json << toml::json_formatter(toml::parse(toml_text));
  api::RunOptions o;
  o.seed = 7;
  o.replicates = 2;
  const auto from_toml = api::run({api::ScenarioInput::Kind::toml, toml_text}, o);
  const auto from_json = api::run({api::ScenarioInput::Kind::json, json.str()}, o);
  EXPECT_EQ(from_json.scenario_toml, from_toml.scenario_toml);
  EXPECT_EQ(from_json.summary_json, from_toml.summary_json);
  EXPECT_EQ(from_toml.summary_json, api::run(builtin("phase3-autosct-nhl"), o).summary_json);
  EXPECT_THROW((void)api::run({api::ScenarioInput::Kind::json, "[1, 2]"}, o), api::Error);
  EXPECT_THROW((void)api::run({api::ScenarioInput::Kind::json, "{\"seed\": null}"}, o), api::Error);
}

}  // namespace
}  // namespace il2sim::testing
