#pragma once
/// @file views.hpp
/// The CSV views of interfaces.md (ADaM-like): ADSL, ADTTE, ADLB, ADAE, EX, generated from the
/// field tables of patient_fields.hpp: the header is the table's column names, a row its values.
/// Numbers are written in the shortest form that reads back to the same double (std::to_chars),
/// the same on every platform and thread count; a missing value is "NA" (R's read.csv reads it).

#include <array>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "output/patient_fields.hpp"

namespace il2sim::output {

/// The header line of a view ("A,B,C\n").
template <class View>
[[nodiscard]] std::string view_header() {
  return core::csv_header(View::fields()) + '\n';
}

/// Appends one row ("a,b,c\n") through the typed writers of a view's columns.
template <class R>
void append_row(std::string& out, CsvWriters<R> writers, const R& row, RowMemo& memo) {
  for (std::size_t i = 0; i < writers.size(); ++i) {
    if (i > 0) out += ',';
    writers[i](out, row, memo[i]);
  }
  out += '\n';
}

/// Appends the rows of one patient to the text of one view.
template <class View>
void append_view(std::string& out, const PatientRow& p) {
  const auto writers = View::csv_writers();
  IL2SIM_ASSERT(writers.size() <= kMaxViewColumns, "a view has at most kMaxViewColumns columns");
  RowMemo memo{};
  View::rows(p, [&](const typename View::Row& row) { append_row(out, writers, row, memo); });
}

/// Text of each patient-level view, in the order of for_each_patient_view().
using PatientViews = std::array<std::string, kPatientViewCount>;
/// Appends the rows of one patient record to each view's text.
void append_views(PatientViews& out, const RowContext& c, const clinic::PatientRecord& r);
/// The header lines of the patient-level views.
[[nodiscard]] PatientViews view_headers();
/// The CSV file names of the patient-level views.
[[nodiscard]] std::array<std::string_view, kPatientViewCount> view_files();

[[nodiscard]] std::string adsl_header();
[[nodiscard]] std::string adtte_header();
[[nodiscard]] std::string adlb_header();
[[nodiscard]] std::string adae_header();
[[nodiscard]] std::string ex_header();

void append_adsl(std::string& out, const RowContext& c, const clinic::PatientRecord& r);
void append_adtte(std::string& out, const RowContext& c, const clinic::PatientRecord& r);
void append_adlb(std::string& out, const RowContext& c, const clinic::PatientRecord& r);
void append_adae(std::string& out, const RowContext& c, const clinic::PatientRecord& r);
void append_ex(std::string& out, const RowContext& c, const clinic::PatientRecord& r);

/// A number as CSV text: the shortest text that reads back to the same double, "NA" for a missing
/// (NaN or infinite) value.
[[nodiscard]] std::string num(double v);
[[nodiscard]] std::string opt(const std::optional<double>& v);
/// A CSV field, quoted when it holds a comma, quote or newline.
[[nodiscard]] std::string field(std::string_view s);

}  // namespace il2sim::output
