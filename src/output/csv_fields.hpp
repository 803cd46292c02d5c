#pragma once
/// @file csv_fields.hpp
/// The text of one CSV field, appended in place (no temporary strings: the ADLB view alone has
/// hundreds of rows per patient, and formatting dominates the cost of writing the views). A
/// number is written in the shortest form that reads back to the same double (std::to_chars
/// without precision), a missing value as "NA" (R's read.csv reads it), text quoted (RFC 4180)
/// when it holds a comma, quote or newline.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace il2sim::output {

/// Appends a number in its shortest round-trip text, "NA" for NaN or infinite.
void put_num(std::string& out, double v);
void put_int(std::string& out, std::int64_t v);
/// True if a CSV field must be quoted (a comma, quote or newline).
[[nodiscard]] bool needs_quotes(std::string_view s);
/// Appends text as a CSV field, quoted when needed.
void put_field(std::string& out, std::string_view s);

/// What a row writer remembers of the last text of one column: the characters it pointed to and
/// whether they needed quotes. Text repeated row after row (the patient's id and arm) is then not
/// scanned again; valid while the rows' records are alive and unchanged, so kept for the rows of
/// one patient only.
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

/// Text whose CSV field was formatted once (a parameter's label and unit, the same row after
/// row): `csv` is `text` quoted when needed.
struct PreparedText {
  std::string_view text;
  std::string_view csv;
};

/// Appends one typed value of a column (the types a field getter of patient_fields.cpp returns):
/// a flag as 0/1, a whole number, a real, text, or a missing optional as "NA".
template <class T>
void put_csv(std::string& out, const T& v, TextMemo& memo) {
  if constexpr (std::is_same_v<T, bool>) {
    out += v ? '1' : '0';
  } else if constexpr (std::is_integral_v<T>) {
    put_int(out, static_cast<std::int64_t>(v));
  } else if constexpr (std::is_floating_point_v<T>) {
    put_num(out, static_cast<double>(v));
  } else if constexpr (std::is_same_v<T, std::string_view>) {
    append_text(out, v, memo);
  } else if constexpr (std::is_same_v<T, PreparedText>) {
    out += v.csv;
  } else {
    static_assert(std::is_same_v<T, std::optional<typename T::value_type>>,
                  "a column's value is a number, a flag, text or an optional of them");
    if (v) {
      put_csv(out, *v, memo);
    } else {
      out += "NA";
    }
  }
}

}  // namespace il2sim::output
