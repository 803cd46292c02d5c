#pragma once
/// @file sqlite_db.hpp
/// The SQLite connection of the `sweep` and `sensitivity` databases: one prepared statement at a
/// time, JSON values bound by their type, every failure a UserError naming the file, and the file
/// written whole or not at all. (results.sqlite, written replicate by replicate with generated
/// tables, has its own in results_db.cpp.)

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

struct sqlite3;
struct sqlite3_stmt;

namespace il2sim::output {

class SqliteDb {
 public:
  /// Opens (creates) `path`; `what` names the database in messages ("sweep database").
  /// @throws UserError when the file cannot be opened.
  SqliteDb(std::string path, std::string what);
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  ~SqliteDb();

  void exec(const std::string& sql);
  /// Prepares `sql` (an INSERT), finalizing the statement prepared before.
  void prepare(const std::string& sql);
  /// Binds ?i: an integer, a number (NULL when not finite), a boolean as 0/1, a string, an array
  /// or object as its JSON text, null as NULL.
  void bind(int i, const nlohmann::json& v);
  void bind(int i, double v);
  void bind(int i, const std::string& v);
  /// Runs the prepared statement with its bindings, then clears them.
  void step();
  /// Binds `row` to ?1..?n and steps.
  void insert(const std::vector<nlohmann::json>& row);

 private:
  [[noreturn]] void fail(std::string_view what) const;

  std::string path_;
  std::string what_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

/// `name` as a quoted SQL identifier (a grid path holds dots, a parameter name may hold anything).
[[nodiscard]] std::string sql_identifier(std::string_view name);

/// "INSERT INTO table VALUES (?, ?, ...)" with `columns` placeholders.
[[nodiscard]] std::string insert_sql(std::string_view table, std::size_t columns);

/// Writes the database `path` whole or not at all: `fill` writes it, in one transaction, through a
/// connection to `path`.partial, which is renamed over `path` when `fill` returns (a leftover
/// .partial of a killed run is removed first; nothing is left when `fill` throws).
void write_sqlite_atomically(const std::string& path, const std::string& what,
                             const std::function<void(SqliteDb&)>& fill);

}  // namespace il2sim::output
