// The sweep's tidy table (output/sweep.hpp): the outputs of a stage from its summary.json object,
// the union of outputs over grid points, and the CSV, JSON, SQLite and HTML writers.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "output/sweep.hpp"
#include "trial/summary.hpp"

namespace il2sim::output {
namespace {

const SweepOutput* find(const std::vector<SweepOutput>& outputs, const std::string& name) {
  for (const auto& o : outputs) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

// Numbers become outputs named by their key path; X_mc_se (or, in a map of SEs beside a map of
// values, M_mc_se.K for M.K) fills X's mc_se and is not an output; text, booleans and nulls are
// not outputs.
TEST(SweepOutputs, NumericLeavesWithTheirMcSe) {
  const auto j = nlohmann::json::parse(R"({
    "type": "randomized", "name": "p3", "power": 0.25, "power_mc_se": 0.125,
    "hr_median": null, "target_events": 121, "flag": true,
    "arms": [{"arm": "il2", "relapse_2y": 0.5}, {"arm": "obs", "relapse_2y": 0.75}],
    "pfs_landmark": {"2": 0.5, "2_mc_se": 0.0625}, "orphan_mc_se": 1.0,
    "decisions": {"efficacy": 0.5}, "decisions_mc_se": {"efficacy": 0.25}})");
  const auto out = stage_outputs(j);
  std::vector<std::string> names;
  for (const auto& o : out) names.push_back(o.name);
  // nlohmann::json orders object keys alphabetically; arrays by index.
  const std::vector<std::string> expected = {
      "arms[0].relapse_2y", "arms[1].relapse_2y", "decisions.efficacy", "pfs_landmark.2", "power",
      "target_events"};
  EXPECT_EQ(names, expected);
  EXPECT_EQ(find(out, "power")->value, 0.25);
  EXPECT_EQ(find(out, "power")->mc_se, 0.125);
  EXPECT_EQ(find(out, "pfs_landmark.2")->mc_se, 0.0625);
  // A map of SEs beside a map of values (summary.json's decisions / decisions_mc_se).
  EXPECT_EQ(find(out, "decisions.efficacy")->mc_se, 0.25);
  EXPECT_TRUE(std::isnan(find(out, "arms[1].relapse_2y")->mc_se));
  EXPECT_EQ(find(out, "arms[1].relapse_2y")->value, 0.75);
  EXPECT_EQ(find(out, "target_events")->value, 121.0);
}

// The outputs of a real randomized stage are generated from its field table: every numeric field of
// randomized_summary_fields() is an output unless it is the _mc_se companion of one, whose value
// then is that output's mc_se.
TEST(SweepOutputs, EveryNumericFieldOfTheRandomizedSummary) {
  scenario::StageSpec st;
  st.name = "phase3";
  st.type = scenario::StageType::kRandomized;
  trial::RandomizedSummary s;
  s.replicates_run = 4;
  s.power = 0.5;
  s.hr_median = 0.8;
  s.hr_q05 = 0.6;
  s.hr_q95 = 1.1;
  s.events_median = 100;
  s.target_events = 121;
  s.duration_months_median = 60;
  trial::ArmSummary arm;
  arm.arm = "il2";
  arm.randomized_mean = 40;
  arm.pfs_median_months = 20;
  arm.os_median_months = 50;
  arm.relapse_2y = 0.4;
  s.arms.push_back(arm);
  const auto j = trial::stage_json(st, s);
  const auto out = stage_outputs(j);
  for (const auto& f : trial::randomized_summary_fields()) {
    const std::string name(f.name);
    if (f.type != core::FieldType::kReal && f.type != core::FieldType::kInteger) continue;
    if (name.ends_with("_mc_se")) {
      // The companion of an output that has a value here (a null output is not a row).
      const std::string of = name.substr(0, name.size() - 6);
      EXPECT_EQ(find(out, name), nullptr) << name;
      if (!j.contains(of) || !j[of].is_number()) continue;
      ASSERT_NE(find(out, of), nullptr) << of;
      if (j[name].is_number()) {
        EXPECT_EQ(find(out, of)->mc_se, j[name].get<double>()) << name;
      } else {
        EXPECT_TRUE(std::isnan(find(out, of)->mc_se)) << name;
      }
    } else if (j[name].is_number()) {
      ASSERT_NE(find(out, name), nullptr) << name;
      EXPECT_EQ(find(out, name)->value, j[name].get<double>()) << name;
    }
  }
  for (const auto& f : trial::arm_summary_fields()) {
    const std::string name = "arms[0]." + std::string(f.name);
    if (j["arms"][0][std::string(f.name)].is_number()) {
      EXPECT_NE(find(out, name), nullptr) << name;
    }
  }
}

GridValue value(const std::string& text, nlohmann::json v) {
  return {text, std::move(v)};
}

/// Two points of a grid over one path; the second lacks output "b" and has an extra "c".
SweepTable two_points() {
  SweepTable t;
  t.paths = {"stages.s.registered"};
  t.facts = {"0.1.0", "demo", 7, 2, {"protocol.refusal_probability=0.2"}};
  const double nan = std::nan("");
  t.points.push_back(
      {{value("100", 100)}, "h1", 7, 2, {{"s", {{"a", 0.5, 0.25}, {"b", 1.0, nan}}}}});
  t.points.push_back(
      {{value("200", 200)}, "h2", 7, 2, {{"s", {{"a", 0.75, nan}, {"c", 2.0, nan}}}}});
  align_outputs(t);
  return t;
}

TEST(SweepTable, AlignFillsMissingOutputsInOrder) {
  const auto t = two_points();
  for (const auto& p : t.points) {
    ASSERT_EQ(p.stages.size(), 1U);
    ASSERT_EQ(p.stages[0].outputs.size(), 3U);
    EXPECT_EQ(p.stages[0].outputs[0].name, "a");
    EXPECT_EQ(p.stages[0].outputs[1].name, "b");
    EXPECT_EQ(p.stages[0].outputs[2].name, "c");
  }
  EXPECT_TRUE(std::isnan(t.points[1].stages[0].outputs[1].value));
  EXPECT_TRUE(std::isnan(t.points[0].stages[0].outputs[2].value));
  EXPECT_EQ(t.points[1].stages[0].outputs[2].value, 2.0);
}

// The expected text follows the format documented in sweep.hpp: the grid values as given, numbers
// in shortest round-trip form, a missing value empty.
TEST(SweepTable, Csv) {
  EXPECT_EQ(sweep_csv(two_points()),
            "stages.s.registered,stage,output,value,mc_se\n"
            "100,s,a,0.5,0.25\n"
            "100,s,b,1,\n"
            "100,s,c,,\n"
            "200,s,a,0.75,\n"
            "200,s,b,,\n"
            "200,s,c,2,\n");
}

// The shape of interfaces.md, Version 2 contracts.
TEST(SweepTable, Json) {
  const auto j = sweep_json(two_points());
  const auto expected = nlohmann::json::parse(R"({"points":[
    {"set":{"stages.s.registered":100},"stages":{"s":{
      "a":{"value":0.5,"mc_se":0.25},"b":{"value":1.0,"mc_se":null},"c":{"value":null,"mc_se":null}}}},
    {"set":{"stages.s.registered":200},"stages":{"s":{
      "a":{"value":0.75,"mc_se":null},"b":{"value":null,"mc_se":null},"c":{"value":2.0,"mc_se":null}}}}]})");
  EXPECT_EQ(j, expected);
}

std::string query(sqlite3* db, const std::string& sql) {
  std::string out;
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
      const auto* text = sqlite3_column_text(stmt, c);
      out += (c > 0 ? "|" : "") +
             std::string(text != nullptr ? reinterpret_cast<const char*>(text) : "NULL");
    }
    out += "\n";
  }
  sqlite3_finalize(stmt);
  return out;
}

TEST(SweepTable, Sqlite) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("il2sim_sweep_" + std::to_string(::getpid()) + ".sqlite"))
                               .string();
  write_sweep_db(path, two_points());
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  // The same rows as the CSV, with NULL for a missing value; the grid value is an INTEGER.
  EXPECT_EQ(query(db,
                  "SELECT \"stages.s.registered\", typeof(\"stages.s.registered\"), stage, output, "
                  "value, mc_se FROM sweep WHERE output = 'a' OR output = 'c'"),
            "100|integer|s|a|0.5|0.25\n100|integer|s|c|NULL|NULL\n"
            "200|integer|s|a|0.75|NULL\n200|integer|s|c|2.0|NULL\n");
  EXPECT_EQ(query(db, "SELECT * FROM points"), "0|100|h1|7|2\n1|200|h2|7|2\n");
  EXPECT_EQ(query(db, "SELECT * FROM runs"),
            "il2sim|0.1.0|demo|7|2|2|[\"stages.s.registered\"]|"
            "[\"protocol.refusal_probability=0.2\"]\n");
  sqlite3_close(db);
  std::filesystem::remove(path);
}

// Self-contained (no scripts, no network), one figure per output with a value somewhere, error
// bars only where there is an mc_se.
TEST(SweepTable, Html) {
  const auto html = sweep_html(two_points());
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  std::size_t figures = 0;
  for (auto at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1))
    ++figures;
  EXPECT_EQ(figures, 3U);  // outputs a, b and c each have a value at one point at least
  EXPECT_NE(html.find("stages.s.registered"), std::string::npos);
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Error bars of ± 2 mc_se: in two_points only output "a" at the first point has an mc_se, so
// removing it removes exactly one polyline (report/svg_plot.cpp draws every Line as one <path>
// with stroke-linejoin="round"; the bars of one line are one Line broken by NaN).
TEST(SweepTable, HtmlErrorBarsOnlyWhereThereIsAnMcSe) {
  auto without = two_points();
  without.points[0].stages[0].outputs[0].mc_se = std::nan("");
  const std::string line = "stroke-linejoin=\"round\"";
  EXPECT_EQ(count(sweep_html(two_points()), line), count(sweep_html(without), line) + 1);
}

}  // namespace
}  // namespace il2sim::output
