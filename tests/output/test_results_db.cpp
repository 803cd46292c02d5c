// results.sqlite of real `il2sim run`s (docs/results-database.md): the file opens with the sqlite3
// command-line tool and with the C API, the three example queries of docs/queries/ return the
// numbers summary.json reports, operating_characteristics holds every leaf of summary.json, and the
// patient-level tables have the rows of the CSV views.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../cli/cli_runner.hpp"
#include "model/parameters.hpp"
#include "model/structure.hpp"

namespace il2sim {
namespace {

using nlohmann::json;
using testing::read_text;
using testing::run_il2sim;

constexpr double kTol = 1e-12;  // the brief: equal to summary.json exactly or to 1e-12

std::string temp_dir(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("il2sim_db_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

std::string query_file(const std::string& name) {
  return std::string(IL2SIM_SOURCE_DIR) + "/docs/queries/" + name;
}

/// Rows of `sql` through the C API, as JSON objects (INTEGER, REAL, TEXT, NULL kept as such).
json query(sqlite3* db, const std::string& sql) {
  json rows = json::array();
  const char* tail = sql.c_str();
  while (*tail != '\0') {
    sqlite3_stmt* stmt = nullptr;
    const int prep = sqlite3_prepare_v2(db, tail, -1, &stmt, &tail);
    EXPECT_EQ(prep, SQLITE_OK) << sqlite3_errmsg(db) << "\n" << sql;
    if (prep != SQLITE_OK) break;
    if (stmt == nullptr) continue;  // only whitespace or comments left
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      json row = json::object();
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        const std::string name = sqlite3_column_name(stmt, c);
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER:
            row[name] = sqlite3_column_int64(stmt, c);
            break;
          case SQLITE_FLOAT:
            row[name] = sqlite3_column_double(stmt, c);
            break;
          case SQLITE_TEXT:
            row[name] = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            break;
          default:
            row[name] = nullptr;
            break;
        }
      }
      rows.push_back(row);
    }
    EXPECT_EQ(rc, SQLITE_DONE) << sqlite3_errmsg(db);
    sqlite3_finalize(stmt);
  }
  return rows;
}

/// Rows of a query file through the `sqlite3` command-line tool in JSON mode ([] when it prints
/// nothing).
json query_cli(const std::string& db, const std::string& sql_file) {
  const std::string command = "sqlite3 -readonly -json '" + db + "' < '" + sql_file + "'";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  EXPECT_NE(pipe, nullptr) << command;
  std::string out;
  char buf[4096];
  while (pipe != nullptr && std::fgets(buf, sizeof buf, pipe.get()) != nullptr) out += buf;
  if (out.find_first_not_of(" \n") == std::string::npos) return json::array();
  return json::parse(out);
}

struct Db {
  sqlite3* handle = nullptr;
  explicit Db(const std::string& path) {
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK)
        << path;
  }
  ~Db() { sqlite3_close(handle); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  json operator()(const std::string& sql) const { return query(handle, sql); }
  long count(const std::string& table) const {
    return (*this)("SELECT COUNT(*) AS n FROM " + table)[0]["n"];
  }
};

/// A value from the database equals summary.json's (both null, or both numbers within kTol).
void expect_same(const json& db_value, const json& summary_value, const std::string& what) {
  if (summary_value.is_null()) {
    EXPECT_TRUE(db_value.is_null()) << what << ": " << db_value;
    return;
  }
  ASSERT_TRUE(db_value.is_number()) << what << ": " << db_value;
  EXPECT_NEAR(db_value.get<double>(), summary_value.get<double>(), kTol) << what;
}

/// The same rows through the CLI and the C API (the CLI prints REAL with 15 significant digits).
void expect_cli_matches(const json& cli, const json& api, const std::string& what) {
  ASSERT_EQ(cli.size(), api.size()) << what;
  for (std::size_t i = 0; i < api.size(); ++i) {
    for (const auto& [k, v] : api[i].items()) {
      ASSERT_TRUE(cli[i].contains(k)) << what << " " << k;
      if (v.is_number_float()) {
        EXPECT_NEAR(cli[i][k].get<double>(), v.get<double>(), kTol) << what << " " << k;
      } else {
        EXPECT_EQ(cli[i][k], v) << what << " " << k;
      }
    }
  }
}

const json& summary_stage(const json& summary, const std::string& name) {
  for (const auto& st : summary["stages"]) {
    if (st["name"] == name) return st;
  }
  ADD_FAILURE() << "no stage " << name << " in summary.json";
  static const json none;
  return none;
}

/// Data rows of a CSV view (its lines but the header).
long csv_rows(const std::string& path) {
  const std::string text = read_text(path);
  return static_cast<long>(std::count(text.begin(), text.end(), '\n')) - 1;
}

/// Every leaf of summary.json's stage objects, with the key path operating_characteristics uses.
void leaves(const json& j, const std::string& key, std::map<std::string, json>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) leaves(v, key.empty() ? k : key + "." + k, out);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i)
      leaves(j[i], key + "[" + std::to_string(i) + "]", out);
  } else {
    out[key] = j;
  }
}

/// A finished run: exit 0, results.sqlite present, no `.partial` file left anywhere in the
/// directory.
void run_into(const std::string& args, const std::string& dir) {
  std::filesystem::remove_all(dir);
  const auto r = run_il2sim("run " + args + " --out " + dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(std::filesystem::exists(dir + "/results.sqlite"));
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    EXPECT_NE(f.path().extension(), ".partial") << "left behind: " << f.path();
  }
}

/// Checks shared by every run: the file is a sound SQLite database, run facts, scenario,
/// parameters, operating characteristics and the row counts of the CSV views.
void check_common(const std::string& dir, const std::string& scenario, long replicates) {
  const std::string path = dir + "/results.sqlite";
  // The sqlite3 command-line tool opens it and finds it sound.
  const std::string check =
      "sqlite3 -readonly '" + path + "' 'PRAGMA integrity_check' > '" + dir + "/check.txt'";
  ASSERT_EQ(std::system(check.c_str()), 0);
  EXPECT_EQ(read_text(dir + "/check.txt"), "ok\n");
  std::filesystem::remove(dir + "/check.txt");

  const Db db(path);
  const auto manifest = json::parse(read_text(dir + "/manifest.json"));
  const auto summary = json::parse(read_text(dir + "/summary.json"));
  const auto run = db("SELECT * FROM runs");
  ASSERT_EQ(run.size(), 1U);
  EXPECT_EQ(run[0]["scenario"], scenario);
  EXPECT_EQ(run[0]["replicates"], replicates);                    // --replicates
  EXPECT_EQ(run[0]["seed"], manifest["seed"]);                    // manifest.json
  EXPECT_EQ(run[0]["scenario_hash"], manifest["scenario_hash"]);  // manifest.json
  EXPECT_EQ(run[0]["version"], manifest["version"]);
  // Timings and the execution layout are only in manifest.json (results.sqlite has the same
  // bytes for identical runs; docs/results-database.md).
  for (const char* moved : {"start_time", "end_time", "wall_time_seconds", "threads", "ranks"})
    EXPECT_EQ(run[0].count(moved), 0U) << moved;
  EXPECT_EQ(db("SELECT toml FROM scenario")[0]["toml"], read_text(dir + "/scenario.toml"));

  // parameters: one row per entry of the parameter table (model/parameters.hpp) that the
  // scenario's model reads (these scenarios: the default structure, which does not read kill_max,
  // dNb or EC50Nb).
  const auto table = model::parameter_table();
  const long read = std::count_if(table.begin(), table.end(), [](const model::ParamSpec& p) {
    return model::uses_parameter(model::Structure{}, p.id);
  });
  EXPECT_EQ(read, static_cast<long>(table.size()) - 3);
  ASSERT_EQ(db.count("parameters"), read);
  for (const auto& p : table) {
    const auto row = db("SELECT * FROM parameters WHERE name = '" + std::string(p.name) + "'");
    if (!model::uses_parameter(model::Structure{}, p.id)) {
      EXPECT_TRUE(row.empty()) << p.name;
      continue;
    }
    ASSERT_EQ(row.size(), 1U) << p.name;
    EXPECT_EQ(row[0]["default_value"].get<double>(), p.default_value) << p.name;
    EXPECT_EQ(row[0]["omega"].get<double>(), p.omega) << p.name;
    EXPECT_EQ(row[0]["unit"], std::string(p.unit)) << p.name;
  }

  // replicates: one row per replicate and stage.
  EXPECT_EQ(db.count("replicates"), replicates * static_cast<long>(summary["stages"].size()));

  // operating_characteristics: every leaf of summary.json's stages, with its value.
  std::map<std::string, json> expected;
  long n_leaves = 0;
  for (const auto& st : summary["stages"]) {
    expected.clear();
    leaves(st, "", expected);
    n_leaves += static_cast<long>(expected.size());
    const auto rows =
        db("SELECT statistic, value, value_text FROM operating_characteristics WHERE stage = '" +
           st["name"].get<std::string>() + "'");
    ASSERT_EQ(rows.size(), expected.size()) << st["name"];
    for (const auto& row : rows) {
      const std::string key = row["statistic"];
      ASSERT_TRUE(expected.count(key)) << key;
      const json& v = expected[key];
      if (v.is_string()) {
        EXPECT_EQ(row["value_text"], v) << key;
      } else if (v.is_boolean()) {
        EXPECT_EQ(row["value"].get<double>(), v.get<bool>() ? 1.0 : 0.0) << key;
      } else {
        expect_same(row["value"], v, key);
      }
    }
  }
  EXPECT_EQ(db.count("operating_characteristics"), n_leaves);

  // The patient-level tables hold the rows of the CSV views (first replicate).
  EXPECT_EQ(db.count("patients"), csv_rows(dir + "/adsl.csv"));
  EXPECT_EQ(db.count("events"), csv_rows(dir + "/adtte.csv"));
  EXPECT_EQ(db.count("labs"), csv_rows(dir + "/adlb.csv"));
  EXPECT_EQ(db.count("adverse_events"), csv_rows(dir + "/adae.csv"));
  EXPECT_EQ(db.count("exposure"), csv_rows(dir + "/ex.csv"));
  EXPECT_EQ(db.count("events_at_cuts"), csv_rows(dir + "/adtte_cuts.csv"));
  EXPECT_GT(db.count("patients"), 0);
  // Every CSV column of a view is a column of its table and vice versa, in the same order (the
  // table's name is the CSV column in lower case: output/patient_fields.hpp).
  for (const auto& [csv, sql_table] :
       std::vector<std::pair<std::string, std::string>>{{"adsl.csv", "patients"},
                                                        {"adtte.csv", "events"},
                                                        {"adlb.csv", "labs"},
                                                        {"adae.csv", "adverse_events"},
                                                        {"ex.csv", "exposure"},
                                                        {"adtte_cuts.csv", "events_at_cuts"}}) {
    const std::string text = read_text(dir + "/" + csv);
    std::string header;
    for (const char c : text.substr(0, text.find('\n')))
      header += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string columns;
    for (const auto& col : db("PRAGMA table_info(" + sql_table + ")"))
      columns += (columns.empty() ? "" : ",") + col["name"].get<std::string>();
    EXPECT_EQ(columns, header) << sql_table << " vs " << csv;
  }
  // Event rows per endpoint, as in adtte.csv.
  const std::string adtte = read_text(dir + "/adtte.csv");
  for (const char* paramcd : {"PFS", "OS"}) {
    long csv = 0;
    for (std::size_t at = adtte.find(std::string(",") + paramcd + ","); at != std::string::npos;
         at = adtte.find(std::string(",") + paramcd + ",", at + 1)) {
      ++csv;
    }
    EXPECT_EQ(db("SELECT COUNT(*) AS n FROM events WHERE paramcd = '" + std::string(paramcd) +
                 "'")[0]["n"],
              csv)
        << paramcd;
  }
}

}  // namespace

// docs/results-database.md shows the example queries with the text of docs/queries/*.sql.
TEST(ResultsDb, DocumentationShowsTheTestedQueries) {
  const std::string doc = read_text(std::string(IL2SIM_SOURCE_DIR) + "/docs/results-database.md");
  for (const char* f :
       {"phase3_power_hr.sql", "mtd_selection.sql", "phase2_decisions.sql", "selection_bias.sql"}) {
    const std::string sql = read_text(query_file(f));
    ASSERT_FALSE(sql.empty()) << f;
    EXPECT_NE(doc.find(sql), std::string::npos)
        << f << " is not quoted verbatim in docs/results-database.md";
  }
}

// A randomized phase III: power and median HR from `replicates` equal summary.json's.
TEST(ResultsDb, Phase3QueriesReturnTheSummaryNumbers) {
  const std::string dir = temp_dir("phase3");
  run_into("phase3-autosct-nhl --replicates 3", dir);
  check_common(dir, "phase3-autosct-nhl", 3);
  const std::string path = dir + "/results.sqlite";
  const Db db(path);
  const auto summary = json::parse(read_text(dir + "/summary.json"));

  const auto rows = db(read_text(query_file("phase3_power_hr.sql")));
  ASSERT_EQ(rows.size(), 1U);  // the scenario has one randomized stage
  const auto& st = summary_stage(summary, rows[0]["stage"].get<std::string>());
  EXPECT_EQ(rows[0]["replicates_run"].get<double>(), st["replicates_run"].get<double>());
  expect_same(rows[0]["power"], st["power"], "power");
  expect_same(rows[0]["hr_median"], st["hr_median"], "hr_median");
  expect_cli_matches(query_cli(path, query_file("phase3_power_hr.sql")), rows,
                     "phase3_power_hr.sql");

  // Group-sequential looks: one row per analysis performed, the last one carrying the decision.
  for (const auto& r :
       db("SELECT replicate, stage_index, decision, stop_look, events FROM replicates")) {
    const std::string where = " WHERE replicate = " + r["replicate"].dump() +
                              " AND stage_index = " + r["stage_index"].dump() +
                              " AND kind = 'look' ORDER BY seq";
    const auto looks = db("SELECT step, events, decision FROM stage_decisions" + where);
    ASSERT_EQ(static_cast<long>(looks.size()), r["stop_look"].get<long>());
    EXPECT_EQ(looks.back()["decision"], r["decision"]);
    EXPECT_EQ(looks.back()["events"], r["events"]);
  }
  // Per-arm randomized counts: their mean over replicates equals summary.json's
  // arms[].randomized_mean.
  for (std::size_t a = 0; a < st["arms"].size(); ++a) {
    const auto arm =
        db("SELECT COUNT(*) AS n, SUM(randomized) AS randomized FROM replicate_arms WHERE "
           "arm_index = " +
           std::to_string(a));
    EXPECT_NEAR(arm[0]["randomized"].get<double>() / arm[0]["n"].get<double>(),
                st["arms"][a]["randomized_mean"].get<double>(), kTol);
  }
  std::filesystem::remove_all(dir);
}

// Dose escalation then a single-arm phase II: MTD selection frequencies and the phase II decisions
// from `replicates` equal summary.json's p_select and p_reject_h0 / p_early_stop /
// response_rate_mean.
TEST(ResultsDb, EscalationAndPhase2QueriesReturnTheSummaryNumbers) {
  const std::string dir = temp_dir("chiron");
  run_into("chiron-phase12-autobmt --replicates 3", dir);
  check_common(dir, "chiron-phase12-autobmt", 3);
  const std::string path = dir + "/results.sqlite";
  const Db db(path);
  const auto summary = json::parse(read_text(dir + "/summary.json"));

  const auto select = db(read_text(query_file("mtd_selection.sql")));
  ASSERT_FALSE(select.empty());
  std::map<std::string, std::map<long, double>> seen;  // stage → level (0: none) → p_select
  for (const auto& row : select) {
    const auto& st = summary_stage(summary, row["stage"].get<std::string>());
    if (row["mtd_level"].is_null()) {
      expect_same(row["p_select"], st["p_select_none"], "p_select_none");
      seen[row["stage"].get<std::string>()][0] = row["p_select"];
    } else {
      const long level = row["mtd_level"];
      expect_same(row["p_select"], st["p_select"][static_cast<std::size_t>(level - 1)], "p_select");
      expect_same(row["mtd_dose"], st["levels"][static_cast<std::size_t>(level - 1)]["dose"],
                  "dose");
      seen[row["stage"].get<std::string>()][level] = row["p_select"];
    }
  }
  // Levels the query does not list were never selected: summary.json says 0 for them.
  for (const auto& st : summary["stages"]) {
    if (st["type"] != "dose_escalation") continue;
    for (std::size_t l = 0; l < st["p_select"].size(); ++l) {
      if (seen[st["name"].get<std::string>()].count(static_cast<long>(l + 1)) == 0) {
        EXPECT_EQ(st["p_select"][l].get<double>(), 0.0);
      }
    }
    if (seen[st["name"].get<std::string>()].count(0) == 0) {
      EXPECT_EQ(st["p_select_none"].get<double>(), 0.0);
    }
  }
  expect_cli_matches(query_cli(path, query_file("mtd_selection.sql")), select, "mtd_selection.sql");

  const auto phase2 = db(read_text(query_file("phase2_decisions.sql")));
  for (const auto& st : summary["stages"]) {
    if (st["type"] != "single_arm") continue;
    json row;
    for (const auto& r : phase2) {
      if (r["stage"] == st["name"]) row = r;
    }
    if (st["replicates_run"].get<double>() ==
        0.0) {  // no MTD in any replicate: nothing to aggregate
      EXPECT_TRUE(row.is_null());
      continue;
    }
    ASSERT_FALSE(row.is_null()) << st["name"];
    EXPECT_EQ(row["replicates_run"].get<double>(), st["replicates_run"].get<double>());
    expect_same(row["p_reject_h0"], st["p_reject_h0"], "p_reject_h0");
    expect_same(row["p_early_stop"], st["p_early_stop"], "p_early_stop");
    expect_same(row["response_rate_mean"], st["response_rate_mean"], "response_rate_mean");
  }
  expect_cli_matches(query_cli(path, query_file("phase2_decisions.sql")), phase2,
                     "phase2_decisions.sql");

  // Cohort decisions add up to the stage's treated patients and DLTs of each replicate.
  const auto sums =
      db("SELECT r.replicate, r.treated, r.dlts, SUM(d.treated) AS cohort_treated, SUM(d.dlts) AS "
         "cohort_dlts "
         "FROM replicates r JOIN stage_decisions d USING (replicate, stage_index) "
         "WHERE r.stage_type = 'dose_escalation' AND d.kind = 'cohort' GROUP BY r.replicate, "
         "r.stage_index");
  ASSERT_FALSE(sums.empty());
  for (const auto& s : sums) {
    EXPECT_EQ(s["cohort_treated"], s["treated"]);
    EXPECT_EQ(s["cohort_dlts"], s["dlts"]);
  }
  // No stage has selection_bias = true: no selection_bias table and no summary key (the outputs of
  // such runs are those written before the analysis existed).
  EXPECT_TRUE(db("SELECT name FROM sqlite_master WHERE name = 'selection_bias'").empty());
  for (const auto& st : summary["stages"])
    EXPECT_FALSE(st.contains("selection_bias")) << st["name"];
  std::filesystem::remove_all(dir);
}

// The programme runs the selection-bias analysis in its single-arm stages: the selection_bias table
// has four rows (with/without effect × transplant/landmark) per replicate in which a stage ran, the
// example query returns summary.json's selection_bias means, and report.html has the section with
// its table and Kaplan–Meier figures.
TEST(ResultsDb, SelectionBiasTableQueryAndReportSection) {
  const std::string dir = temp_dir("programme");
  run_into("programme --replicates 2", dir);
  check_common(dir, "programme", 2);
  const std::string path = dir + "/results.sqlite";
  const Db db(path);
  const auto summary = json::parse(read_text(dir + "/summary.json"));
  const auto html = read_text(dir + "/report.html");
  long expected_rows = 0, stages_run = 0;
  for (std::size_t i = 0; i < summary["stages"].size(); ++i) {
    const auto& st = summary["stages"][i];
    if (st["type"] != "single_arm") continue;
    ASSERT_TRUE(st.contains("selection_bias")) << st["name"];  // scenarios/programme.toml
    const double run = st["replicates_run"].get<double>();
    EXPECT_EQ(st["selection_bias"]["replicates"].get<double>(), run);
    expected_rows += 4 * static_cast<long>(run);
    if (run > 0) {
      ++stages_run;
      EXPECT_NE(html.find(st["name"].get<std::string>() +
                          ": how much of the single-arm result is selection"),
                std::string::npos);
      for (const char* origin : {"transplant", "landmark"}) {
        const std::string id = "id=\"s" + std::to_string(i + 1) + "-selection-" + origin + "\"";
        EXPECT_NE(html.find(id), std::string::npos) << id;
      }
    }
  }
  EXPECT_EQ(db.count("selection_bias"), expected_rows);
  ASSERT_GT(expected_rows, 0);
  const auto rows = db(read_text(query_file("selection_bias.sql")));
  ASSERT_EQ(static_cast<long>(rows.size()),
            4 * stages_run);  // one row per stage, effect and origin
  for (const auto& row : rows) {
    const auto& st = summary_stage(summary, row["stage"].get<std::string>());
    const auto& e = st["selection_bias"][row["effect"].get<std::string>() + "_effect"];
    const std::string origin = row["origin"].get<std::string>();
    expect_same(row["difference"], e["difference_from_" + origin]["mean"], "difference");
    expect_same(row["rfs_treated"], e["rfs_from_" + origin]["mean"], "rfs_treated");
    expect_same(row["rfs_control"], st["selection_bias"]["control"]["rfs_from_" + origin]["mean"],
                "rfs_control");
  }
  // The row without the effect from transplant is the apparent benefit of summary.json.
  for (const auto& row : rows) {
    if (row["effect"] == "without" && row["origin"] == "transplant") {
      const auto& st = summary_stage(summary, row["stage"].get<std::string>());
      expect_same(row["difference"],
                  st["selection_bias"]["apparent_benefit_from_selection"]["mean"], "benefit");
    }
  }
  expect_cli_matches(query_cli(path, query_file("selection_bias.sql")), rows, "selection_bias.sql");
  std::filesystem::remove_all(dir);
}

}  // namespace il2sim

namespace il2sim {

// `il2sim schema` (docs/results-database.md, "Tables"): --check refuses a doc whose generated
// column block differs from the field tables or is missing, and --update restores the committed
// text (which the CTest test results_db_doc_in_sync keeps equal to the generated one).
TEST(ResultsDb, SchemaGeneratorChecksAndUpdatesTheDoc) {
  const std::string doc = read_text(std::string(IL2SIM_SOURCE_DIR) + "/docs/results-database.md");
  const std::string copy = temp_dir("doc") + ".md";
  const std::string begin = "<!-- columns: replicates ";
  const auto b = doc.find(begin);
  ASSERT_NE(b, std::string::npos);
  const auto row = doc.find("| `stage_type` |", b);
  ASSERT_NE(row, std::string::npos);
  {  // a stale description
    std::string stale = doc;
    stale.insert(row + 2, "x");
    std::ofstream(copy, std::ios::binary) << stale;
  }
  auto r = run_il2sim("schema --check " + copy);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("schema --update"), std::string::npos) << r.err;
  r = run_il2sim("schema --update " + copy);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_text(copy), doc);
  EXPECT_EQ(run_il2sim("schema --check " + copy).exit_code, 0);
  {  // a generated table without its block
    std::string missing = doc;
    missing.erase(b, begin.size());
    std::ofstream(copy, std::ios::binary) << missing;
  }
  r = run_il2sim("schema --check " + copy);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no generated column block for table replicates"), std::string::npos)
      << r.err;
  std::filesystem::remove(copy);
}

}  // namespace il2sim
