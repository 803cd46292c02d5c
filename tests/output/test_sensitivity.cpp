// The writers of output/sensitivity.hpp on a hand-made table: the CSV columns of
// docs/sensitivity.md, a missing value empty (CSV) / NULL (SQLite) / null (JSON), the SQLite
// tables.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <limits>
#include <string>

#include "output/sensitivity.hpp"

namespace il2sim::output {
namespace {

SensitivityTable table() {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  SensitivityTable t;
  t.method = "sobol";
  t.version = "test";
  t.scenario = "s";
  t.seed = 1;
  t.replicates = 2;
  t.samples = 1;
  t.parameters = {{"kN", 1e-5, 4e-5, false, "--range"}};
  t.outputs = {{"power", 1, 0}};
  t.points = {{0, "A", {1e-5}, {0.5}}, {0, "B", {2e-5}, {0.25}}, {0, "AB:kN", {2e-5}, {nan}}};
  t.indices = {{"power", "", "V", 0.01, nan, nan}, {"power", "kN", "S1", 0.5, 0.25, 0.75}};
  return t;
}

TEST(SensitivityOutput, CsvColumnsAndMissingValues) {
  const auto t = table();
  EXPECT_EQ(sensitivity_csv(t),
            "method,output,parameter,index,estimate,ci_lower,ci_upper\n"
            "sobol,power,,V,0.01,,\n"
            "sobol,power,kN,S1,0.5,0.25,0.75\n");
  EXPECT_EQ(sensitivity_points_csv(t),
            "point,block,role,kN,power\n"
            "0,0,A,1e-05,0.5\n"
            "1,0,B,2e-05,0.25\n"
            "2,0,AB:kN,2e-05,\n");
  const auto j = sensitivity_json(t);
  EXPECT_TRUE(j["outputs"]["power"]["indices"][""]["V"]["ci_lower"].is_null());
  EXPECT_EQ(j["outputs"]["power"]["indices"]["kN"]["S1"]["estimate"], 0.5);
  EXPECT_EQ(j["evaluations"], 3);
}

TEST(SensitivityOutput, SqliteTables) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "il2sim_sensitivity_output_test.sqlite").string();
  std::remove(path.c_str());
  write_sensitivity_db(path, table());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const auto count = [db](const char* sql) {
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &s, nullptr), SQLITE_OK) << sql;
    EXPECT_EQ(sqlite3_step(s), SQLITE_ROW);
    const auto n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
  };
  EXPECT_EQ(count("SELECT count(*) FROM sensitivity"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM sensitivity WHERE ci_lower IS NULL"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM points WHERE power IS NULL"), 1);
  EXPECT_EQ(count("SELECT evaluations FROM runs WHERE method = 'sobol'"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM outputs WHERE output = 'power' AND dropped = 0"), 1);
  sqlite3_close(db);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace il2sim::output
