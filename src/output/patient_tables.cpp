#include "output/patient_tables.hpp"

#include <sqlite3.h>

#include <cmath>

#include "core/error.hpp"

namespace il2sim::output {
namespace {

template <class View>
std::string create_table() {
  std::string sql = "CREATE TABLE ";
  sql += View::kTable;
  sql += " (";
  bool first = true;
  for (const auto& f : View::fields()) {
    sql += first ? "\n  " : ",\n  ";
    first = false;
    sql += sql_column(f.name);
    sql += ' ';
    sql += core::sql_type(f.type);
  }
  if (!View::kPrimaryKey.empty()) {
    sql += ",\n  PRIMARY KEY (";
    sql += View::kPrimaryKey;
    sql += ')';
  }
  return sql + ");\n";
}

template <class View>
std::string insert_sql() {
  std::string sql = "INSERT INTO ";
  sql += View::kTable;
  sql += " (";
  std::string values;
  for (const auto& f : View::fields()) {
    if (!values.empty()) {
      sql += ", ";
      values += ", ";
    }
    sql += sql_column(f.name);
    values += '?';
  }
  return sql + ") VALUES (" + values + ")";
}

/// "| `name` | TYPE | unit | description |" rows of one table.
template <class View>
std::string table_doc() {
  std::string md = "### ";
  md += View::kTable;
  md += " — the replicates of `--patient-data` (default: each stage's first): ";
  md += View::kRows;
  md += " (`";
  md += View::kCsv;
  md += "`)\n\n| column | type | unit | meaning |\n|---|---|---|---|\n";
  for (const auto& f : View::fields()) {
    md += "| `" + sql_column(f.name) + "` | ";
    md += core::sql_type(f.type);
    md += " | ";
    md += f.unit;
    md += " | ";
    md += f.description;
    md += " |\n";
  }
  return md;
}

std::string parameter_codes_doc() {
  std::string md =
      "### Parameter codes — `events.paramcd` and `labs.paramcd`\n\n"
      "`param` and `avalu` of a row are those of its `paramcd` (`avalu` NULL for a 0/1 "
      "result).\n\n| paramcd | param | avalu |\n|---|---|---|\n";
  for (const auto& p : clinic::parameter_codes()) {
    md += "| `";
    md += p.paramcd;
    md += "` | ";
    md += p.param;
    md += " | ";
    md += p.unit;
    md += " |\n";
  }
  return md;
}

}  // namespace

std::string patient_tables_schema() {
  std::string sql;
  for_each_patient_view([&](auto view) { sql += create_table<decltype(view)>(); });
  return sql;
}

std::string patient_table_docs() {
  std::string md =
      "Generated from the field tables of `src/output/patient_fields.cpp` (`il2sim` writes the "
      "CSV views and these tables from the same tables): each table has the columns of its CSV "
      "view, in the same order, the CSV column being the name in upper case.\n";
  for_each_patient_view([&](auto view) { md += "\n" + table_doc<decltype(view)>(); });
  return md + "\n" + parameter_codes_doc();
}

PatientTableWriter::PatientTableWriter(sqlite3* db, const std::string& path, SqlFailure fail)
    : db_(db), path_(path), fail_(fail) {
  std::size_t k = 0;
  for_each_patient_view([&](auto view) {
    const std::string sql = insert_sql<decltype(view)>();
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &inserts_[k++], nullptr) != SQLITE_OK)
      fail_(path_, db_, "prepare");
  });
}

PatientTableWriter::~PatientTableWriter() {
  for (auto* stmt : inserts_) sqlite3_finalize(stmt);
}

template <class R>
void PatientTableWriter::insert(sqlite3_stmt* stmt, core::FieldTable<R> table, const R& row) {
  int i = 0;
  for (const auto& f : table) {
    ++i;
    const core::FieldValue v = f.get(row);
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
      sqlite3_bind_int64(stmt, i, *n);
    } else if (const auto* d = std::get_if<double>(&v); d != nullptr && std::isfinite(*d)) {
      sqlite3_bind_double(stmt, i, *d);
    } else if (std::holds_alternative<std::string_view>(v) ||
               std::holds_alternative<std::string>(v)) {
      const auto s = core::text_of(v);
      sqlite3_bind_text(stmt, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    } else {
      IL2SIM_ASSERT(core::is_null(v) || std::holds_alternative<double>(v),
                    "patient-level fields are numbers, text or missing");
      sqlite3_bind_null(stmt, i);  // missing (NaN) and unbounded (±inf) are NULL
    }
  }
  if (sqlite3_step(stmt) != SQLITE_DONE) fail_(path_, db_, "insert");
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
}

void PatientTableWriter::add(const PatientRow& p) {
  std::size_t k = 0;
  for_each_patient_view([&](auto view) {
    using View = decltype(view);
    sqlite3_stmt* stmt = inserts_[k++];
    const auto table = View::fields();
    View::rows(p, [&](const typename View::Row& row) { insert(stmt, table, row); });
  });
}

}  // namespace il2sim::output
