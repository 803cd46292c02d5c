#pragma once
/// @file patient_tables.hpp
/// The patient-level tables of results.sqlite (patients, events, labs, adverse_events, exposure):
/// schema, inserts and documentation generated from the field tables of patient_fields.hpp, so
/// that every column of a CSV view is a column of its table and vice versa (the SQLite column is
/// the CSV column in lower case).

#include <array>
#include <string>
#include <string_view>

#include "output/patient_fields.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace il2sim::output {

/// The CREATE TABLE statements of the patient-level tables.
[[nodiscard]] std::string patient_tables_schema();

/// The Markdown of the patient-level tables for docs/results-database.md (between the markers
/// `<!-- BEGIN GENERATED patient tables -->` and `<!-- END GENERATED patient tables -->`): the
/// columns of each table, and the parameter codes of `events` and `labs` with label and unit.
[[nodiscard]] std::string patient_table_docs();

/// Reports an SQLite error of the database at `path` (`what`: the failed operation); throws.
using SqlFailure = void (*)(const std::string& path, sqlite3* db, std::string_view what);

/// Inserts the rows of patient records into the patient-level tables (created by
/// patient_tables_schema()).
class PatientTableWriter {
 public:
  PatientTableWriter(sqlite3* db, const std::string& path, SqlFailure fail);
  PatientTableWriter(const PatientTableWriter&) = delete;
  PatientTableWriter& operator=(const PatientTableWriter&) = delete;
  ~PatientTableWriter();

  /// One row in `patients` and the patient's rows in the other tables.
  void add(const PatientRow& p);

 private:
  template <class R>
  void insert(sqlite3_stmt* stmt, core::FieldTable<R> table, const R& row);

  sqlite3* db_;
  const std::string& path_;
  SqlFailure fail_;
  std::array<sqlite3_stmt*, kPatientViewCount> inserts_{};
};

}  // namespace il2sim::output
