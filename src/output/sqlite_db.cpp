#include "output/sqlite_db.hpp"

#include <sqlite3.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <utility>

#include <fmt/format.h>

#include "core/error.hpp"

namespace il2sim::output {

SqliteDb::SqliteDb(std::string path, std::string what)
    : path_(std::move(path)), what_(std::move(what)) {
  if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    fail("open");
  }
}

SqliteDb::~SqliteDb() {
  sqlite3_finalize(stmt_);
  sqlite3_close(db_);
}

void SqliteDb::fail(std::string_view what) const {
  throw UserError({path_, std::nullopt, std::nullopt, ""},
                  fmt::format("cannot write the {}: {} ({})", what_, what,
                              db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory"),
                  "a path in an existing, writable directory with free space");
}

void SqliteDb::exec(const std::string& sql) {
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail("statement");
}

void SqliteDb::prepare(const std::string& sql) {
  sqlite3_finalize(stmt_);
  stmt_ = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt_, nullptr);
  IL2SIM_ASSERT(rc == SQLITE_OK, "the INSERT statements of il2sim's databases are valid SQL");
}

void SqliteDb::bind(int i, const nlohmann::json& v) {
  if (v.is_number_integer()) {
    sqlite3_bind_int64(stmt_, i, v.get<std::int64_t>());
  } else if (v.is_number()) {
    bind(i, v.get<double>());
  } else if (v.is_boolean()) {
    sqlite3_bind_int(stmt_, i, v.get<bool>() ? 1 : 0);
  } else if (v.is_string()) {
    bind(i, v.get_ref<const std::string&>());
  } else if (v.is_structured()) {
    bind(i, v.dump());  // an array or table value, as JSON text
  } else {
    sqlite3_bind_null(stmt_, i);
  }
}

void SqliteDb::bind(int i, double v) {
  if (std::isfinite(v)) {
    sqlite3_bind_double(stmt_, i, v);
  } else {
    sqlite3_bind_null(stmt_, i);
  }
}

void SqliteDb::bind(int i, const std::string& v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

void SqliteDb::step() {
  if (sqlite3_step(stmt_) != SQLITE_DONE) fail("insert");
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void SqliteDb::insert(const std::vector<nlohmann::json>& row) {
  for (std::size_t k = 0; k < row.size(); ++k) bind(static_cast<int>(k) + 1, row[k]);
  step();
}

std::string sql_identifier(std::string_view name) {
  std::string out = "\"";
  for (const char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string insert_sql(std::string_view table, std::size_t columns) {
  std::string sql = fmt::format("INSERT INTO {} VALUES (", table);
  for (std::size_t k = 0; k < columns; ++k) sql += k == 0 ? "?" : ", ?";
  return sql + ")";
}

void write_sqlite_atomically(const std::string& path, const std::string& what,
                             const std::function<void(SqliteDb&)>& fill) {
  const std::string tmp = path + ".partial";
  std::remove(tmp.c_str());  // a leftover of a killed run
  try {
    SqliteDb db(tmp, what);
    db.exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;");
    db.exec("BEGIN");
    fill(db);
    db.exec("COMMIT");
  } catch (...) {
    std::remove(tmp.c_str());
    throw;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw UserError({path, std::nullopt, std::nullopt, ""},
                    fmt::format("cannot rename the finished {} into place", what));
  }
}

}  // namespace il2sim::output
