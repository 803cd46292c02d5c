#pragma once
/// @file results_db.hpp
/// results.sqlite: one SQLite database per `il2sim run` with the run facts, the resolved scenario,
/// the parameter table, every replicate's stage outcomes and decisions, the operating
/// characteristics of summary.json, and the patient-level views (ADSL, ADTTE, ADLB, ADAE, EX) of
/// the first replicate. The schema is documented in docs/results-database.md.

#include <string>

#include "output/run_data.hpp"

namespace il2sim::output {

/// Writes the results database of `data` to `path`: built in `<path>.partial` inside one
/// transaction and renamed into place when complete, so that a killed run never leaves a
/// finished-looking file.
/// @throws UserError if the file cannot be created or written (missing directory, disk full).
void write_results_db(const std::string& path, const RunData& data);

}  // namespace il2sim::output
