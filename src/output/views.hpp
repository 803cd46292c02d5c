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

/// Appends one CSV value: a number in its shortest round-trip form, text quoted when needed, "NA"
/// for a missing value.
void append_value(std::string& out, const core::FieldValue& v);

/// What a row writer remembers of the last text of one column: the characters it pointed to and
/// whether they needed quotes. Text repeated row after row (the patient's id and arm, a
/// parameter's label and unit) is then not scanned again; valid while the rows' records are alive
/// and unchanged, so kept for the rows of one patient only.
struct TextMemo {
  const char* data = nullptr;
  std::size_t size = 0;
  bool quoted = false;
};
/// The most columns a view may have (one TextMemo each).
inline constexpr std::size_t kMaxViewColumns = 64;
using RowMemo = std::array<TextMemo, kMaxViewColumns>;

/// Appends one text value as a CSV field, using and updating the column's memo.
void append_text(std::string& out, std::string_view s, TextMemo& memo);

/// Appends one row of `table` ("a,b,c\n").
template <class R>
void append_row(std::string& out, core::FieldTable<R> table, const R& row, RowMemo& memo) {
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (i > 0) out += ',';
    const core::FieldValue v = table[i].get(row);
    if (const auto* s = std::get_if<std::string_view>(&v)) {
      append_text(out, *s, memo[i]);
    } else {
      append_value(out, v);
    }
  }
  out += '\n';
}

/// Appends the rows of one patient to the text of one view.
template <class View>
void append_view(std::string& out, const PatientRow& p) {
  const auto table = View::fields();
  IL2SIM_ASSERT(table.size() <= kMaxViewColumns, "a view has at most kMaxViewColumns columns");
  RowMemo memo{};
  View::rows(p, [&](const typename View::Row& row) { append_row(out, table, row, memo); });
}

/// Text of each of the five views, in the order of for_each_patient_view().
using PatientViews = std::array<std::string, kPatientViewCount>;
/// Appends the rows of one patient record to each view's text.
void append_views(PatientViews& out, const RowContext& c, const clinic::PatientRecord& r);
/// The header lines of the five views.
[[nodiscard]] PatientViews view_headers();
/// The CSV file names of the five views.
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
