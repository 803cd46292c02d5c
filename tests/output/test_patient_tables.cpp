// The patient-level tables of results.sqlite generated from the field tables: a database written by
// PatientTableWriter has, per table, exactly the columns of its CSV view (lower case) and the same
// values; docs/results-database.md holds the generated column lists.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "clinic/patient.hpp"
#include "output/patient_tables.hpp"
#include "output/views.hpp"
#include "scenario/scenario.hpp"

namespace il2sim::output {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

[[noreturn]] void fail(const std::string& path, sqlite3* db, std::string_view what) {
  throw std::runtime_error(path + ": " + std::string(what) + ": " + sqlite3_errmsg(db));
}

/// Column names of `table` (PRAGMA table_info), in order.
std::vector<std::string> columns(sqlite3* db, std::string_view table) {
  std::vector<std::string> out;
  sqlite3_stmt* stmt = nullptr;
  const std::string sql = "PRAGMA table_info(" + std::string(table) + ")";
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK);
  while (sqlite3_step(stmt) == SQLITE_ROW)
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1)));
  sqlite3_finalize(stmt);
  return out;
}

/// The header line of a CSV text split at commas, in lower case.
std::vector<std::string> csv_columns(const std::string& header) {
  std::vector<std::string> out;
  std::istringstream in(header.substr(0, header.find('\n')));
  for (std::string cell; std::getline(in, cell, ',');) out.push_back(sql_column(cell));
  return out;
}

/// Every row of `sql` as text cells (NULL as "NULL"; REAL as the CSV writes it).
std::vector<std::vector<std::string>> rows(sqlite3* db, const std::string& sql) {
  std::vector<std::vector<std::string>> out;
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
      switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_INTEGER:
          row.push_back(std::to_string(sqlite3_column_int64(stmt, c)));
          break;
        case SQLITE_FLOAT:
          row.push_back(num(sqlite3_column_double(stmt, c)));
          break;
        case SQLITE_TEXT:
          row.push_back(field(reinterpret_cast<const char*>(sqlite3_column_text(stmt, c))));
          break;
        default:
          row.emplace_back("NA");
          break;
      }
    }
    out.push_back(row);
  }
  sqlite3_finalize(stmt);
  return out;
}

std::string join(const std::vector<std::string>& cells) {
  std::string s;
  for (const auto& c : cells) s += (s.empty() ? "" : ",") + c;
  return s;
}

class PatientTables : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto s = scenario::load_scenario("chiron-regimen");
    const auto* arm = s.find_arm("il2");
    const auto* cohort = scenario::find_cohort(arm->cohort);
    for (std::uint32_t id = 1; id <= 6; ++id) {
      records_.push_back(
          clinic::simulate_patient(s, *arm, clinic::make_patient(s, *cohort, 0, id), 500));
    }
    path_ = (std::filesystem::temp_directory_path() /
             ("il2sim_patient_tables_" + std::to_string(::getpid()) + ".sqlite"))
                .string();
    std::filesystem::remove(path_);
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db_), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db_, patient_tables_schema().c_str(), nullptr, nullptr, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(db_);
    csv_ = view_headers();
    PatientTableWriter writer(db_, path_, &fail);
    for (const auto& r : records_) {
      const std::string id = usubjid(context_.studyid, r.id);
      writer.add(PatientRow{context_, r, id});
      append_views(csv_, context_, r);
    }
  }
  static void TearDownTestSuite() {
    sqlite3_close(db_);
    std::filesystem::remove(path_);
  }
  /// A randomized stage's calendar (made-up months) with two data cuts, so that every view,
  /// events_at_cuts included, has rows.
  static inline const clinic::TrialCalendar calendar_{
      1.0, 1.5, std::numeric_limits<double>::infinity(), true, {12.0, 30.0}};
  static RowContext randomized_context() {
    RowContext c{"stage-a", 2, 10.0, "chiron", "stage-a", 1};
    c.calendar = &calendar_;
    return c;
  }
  static inline const RowContext context_ = randomized_context();
  static inline std::vector<clinic::PatientRecord> records_;
  static inline std::string path_;
  static inline sqlite3* db_ = nullptr;
  static inline PatientViews csv_;
};

// Issue 12: every CSV column of each view is a column of the matching SQLite table and vice versa,
// in the same order, on a database written by the code.
TEST_F(PatientTables, EveryCsvColumnIsATableColumnAndViceVersa) {
  std::size_t k = 0;
  for_each_patient_view([&](auto view) {
    using View = decltype(view);
    EXPECT_EQ(columns(db_, View::kTable), csv_columns(csv_[k])) << View::kTable;
    EXPECT_FALSE(columns(db_, View::kTable).empty()) << View::kTable;
    ++k;
  });
  // The existing column names of the tables (before the field tables) are all still there.
  const auto patients = columns(db_, "patients");
  for (const char* name :
       {"stage_index", "stage", "replicate", "usubjid", "patient_id", "arm", "product",
        "origin_day", "age", "l0", "dltrs", "relsympt", "numfail", "failure", "fuenddy"}) {
    EXPECT_NE(std::find(patients.begin(), patients.end(), name), patients.end()) << name;
  }
  const auto events = columns(db_, "events");
  for (const char* name : {"stage_index", "stage", "paramcd", "aval", "avalu", "cnsr", "evntdesc"})
    EXPECT_NE(std::find(events.begin(), events.end(), name), events.end()) << name;
  // The exposure table: its columns before issue 12 and the dose path's route, role and amount.
  const auto exposure = columns(db_, "exposure");
  for (const char* name : {"extrt", "exphase", "exstdy", "exendy", "exrate", "exdose", "exdosu",
                           "dosefrac", "exendrs", "exroute", "exrole", "examt", "examtu"})
    EXPECT_NE(std::find(exposure.begin(), exposure.end(), name), exposure.end()) << name;
}

// The tables hold the CSV rows value for value: each row of the table, written as the CSV writes
// numbers and text, is the CSV line (so a REAL read back equals the CSV number exactly).
TEST_F(PatientTables, TableRowsAreTheCsvRows) {
  std::size_t k = 0;
  for_each_patient_view([&](auto view) {
    using View = decltype(view);
    std::istringstream in(csv_[k++]);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    const auto table = rows(db_, "SELECT * FROM " + std::string(View::kTable) + " ORDER BY rowid");
    ASSERT_EQ(table.size() + 1, lines.size()) << View::kTable;
    ASSERT_GT(table.size(), 0U) << View::kTable;
    for (std::size_t i = 0; i < table.size(); ++i)
      EXPECT_EQ(join(table[i]), lines[i + 1]) << View::kTable << " row " << i;
  });
}

// docs/results-database.md holds patient_table_docs() between its markers. After a change of a
// field table, regenerate every generated part of the file with
//   build/il2sim schema --update docs/results-database.md
// and review the diff.
TEST(PatientTableDocs, CommittedSectionIsTheGeneratedOne) {
  const std::string path = std::string(IL2SIM_SOURCE_DIR) + "/docs/results-database.md";
  std::string doc = read_text(path);
  const std::string begin = "<!-- BEGIN GENERATED patient tables -->\n";
  const std::string end = "<!-- END GENERATED patient tables -->";
  const auto a = doc.find(begin);
  const auto b = doc.find(end);
  ASSERT_NE(a, std::string::npos);
  ASSERT_NE(b, std::string::npos);
  ASSERT_LT(a, b);
  const std::string generated = "\n" + patient_table_docs() + "\n";
  EXPECT_EQ(doc.substr(a + begin.size(), b - a - begin.size()), generated);
}

}  // namespace
}  // namespace il2sim::output
