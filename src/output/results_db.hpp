#pragma once
/// @file results_db.hpp
/// results.sqlite: one SQLite database per `il2sim run` with the run facts, the resolved scenario,
/// the parameter table, every replicate's stage outcomes and decisions, the operating
/// characteristics of summary.json, and the patient-level views (ADSL, ADTTE, ADLB, ADAE, EX,
/// ADTTE at data cuts) of the replicates chosen with `--patient-data`. The schema is documented in
/// docs/results-database.md.
///
/// The per-replicate tables are generated from field tables (core/fields.hpp): the trial layer's
/// result tables (trial/result_fields.hpp) give the columns' names, types, units and descriptions
/// and the values; the same list generates the CREATE TABLE statements, the INSERTs and the column
/// lists of docs/results-database.md (`il2sim schema --markdown`).

#include <memory>
#include <string>
#include <vector>

#include "core/fields.hpp"
#include "output/run_data.hpp"

namespace il2sim::output {

/// The results database of a run, built in `<path>.partial` inside one transaction and renamed
/// into place by commit(), so that a killed run never leaves a finished-looking file. The
/// constructor writes every table but the patient-level ones; add_patients() adds the patient
/// records of each replicate whose patient data are written (`--patient-data`), as they arrive.
/// Destroyed without commit(), the partial file is removed.
/// @throws UserError (every member) if the file cannot be created or written (missing directory,
///   disk full).
class ResultsDb {
 public:
  ResultsDb(std::string path, const RunData& data);
  ResultsDb(const ResultsDb&) = delete;
  ResultsDb& operator=(const ResultsDb&) = delete;
  ~ResultsDb();
  /// The rows of `r`'s kept patients (trial::ReplicateResult::patients) in the patient tables.
  void add_patients(const trial::ReplicateResult& r);
  void commit();

 private:
  struct Impl;
  std::string path_, tmp_;
  const scenario::Scenario& scenario_;
  std::unique_ptr<Impl> impl_;
};

/// The results database of `data` with the patient records of `data.first`.
void write_results_db(const std::string& path, const RunData& data);

// ---- Generated schema ------------------------------------------------------------------------

/// One column of a generated table (the metadata of a core::Field).
struct Column {
  std::string name;
  core::FieldType type = core::FieldType::kReal;
  std::string unit;
  std::string description;
};

/// The columns of a field table, in order.
template <class R>
[[nodiscard]] std::vector<Column> columns_of(core::FieldTable<R> table) {
  std::vector<Column> out;
  for (const auto& f : table)
    out.push_back({std::string(f.name), f.type, std::string(f.unit), std::string(f.description)});
  return out;
}

/// A table of results.sqlite whose columns are generated from field tables.
struct TableSchema {
  std::string name;
  std::vector<Column> columns;
  std::string primary_key;  ///< "a, b" or "" for none
};

/// Every generated table, in the order of docs/results-database.md. Adding a table to the database
/// and to its documentation is adding one entry to this list (output/results_db.cpp:
/// generated_tables), built with columns_of(<its field table>).
[[nodiscard]] const std::vector<TableSchema>& generated_tables();

/// `CREATE TABLE name (columns..., PRIMARY KEY (...));`
[[nodiscard]] std::string create_table_sql(const TableSchema& t);

/// The Markdown column list of every generated table, each between the markers
/// `<!-- columns: NAME -->` and `<!-- /columns -->` (the blocks of docs/results-database.md).
[[nodiscard]] std::string schema_markdown();

/// `doc` with every marked block replaced by the generated one.
/// @throws UserError naming `origin` when a generated table has no block in `doc`.
[[nodiscard]] std::string with_generated_columns(const std::string& doc, const std::string& origin);

}  // namespace il2sim::output
