#pragma once
/// @file sqlite_column.hpp
/// The first column of a query's rows on a results database, as doubles (tests of
/// results.sqlite written by the binary).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

namespace il2sim::testing {

inline std::vector<double> sqlite_column(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::vector<double> out;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
  while (sqlite3_step(st) == SQLITE_ROW) out.push_back(sqlite3_column_double(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

}  // namespace il2sim::testing
