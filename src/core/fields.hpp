#pragma once
/// @file fields.hpp
/// Field tables: the one home of a record's columns. A table lists, once, every field of a record
/// or result (name, type, unit, label, description and how to read it from — and, where the record
/// is read back, write it into — the C++ object). Every view of the record is generated from its
/// table: the CSV header and rows, the SQLite schema and inserts, the journal entry and MPI message
/// (JSON keys), summary.json and the column lists in the docs. Adding a column is adding one row
/// to one table.
///
/// Getters are plain function pointers (no allocation, no type erasure): the views of a cohort run
/// write hundreds of rows per patient.

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace il2sim::core {

/// The type of a field's values, as a database or a data-frame reader sees them.
enum class FieldType {
  kInteger,  ///< whole number (counts, ids, 0/1 flags)
  kReal,     ///< double; NaN/infinite/missing is null
  kText,
  kRealList  ///< a list of doubles (a JSON array; SQLite: JSON text)
};

/// SQLite column type of a field type ("INTEGER", "REAL", "TEXT").
[[nodiscard]] std::string_view sql_type(FieldType type);
/// Name of a field type in the docs ("integer", "real", "text", "list of real").
[[nodiscard]] std::string_view type_name(FieldType type);

/// One value of one field. Null (std::monostate) is a missing value (NA in CSV, NULL in SQLite,
/// null in JSON). Text is a view when the record owns the characters, an owning string when
/// computed.
using FieldValue = std::variant<std::monostate, std::int64_t, double, std::string_view, std::string,
                                std::vector<double>>;

[[nodiscard]] inline bool is_null(const FieldValue& v) {
  return std::holds_alternative<std::monostate>(v);
}
/// The text of a text value (either alternative); empty for others.
[[nodiscard]] std::string_view text_of(const FieldValue& v);
/// The number of an integer or real value; NaN for null or text.
[[nodiscard]] double number_of(const FieldValue& v);

/// One field of a record type R.
template <class R>
struct Field {
  std::string_view name;  ///< column / key name, as in the CSV header and the SQLite column
  FieldType type = FieldType::kReal;
  std::string_view unit;         ///< unit of the values ("" when none)
  std::string_view description;  ///< one line for the docs
  FieldValue (*get)(const R&) = nullptr;
  /// Writes a value read back (journal, MPI) into the record; null for fields that are not read
  /// back (derived or write-only).
  void (*set)(R&, const FieldValue&) = nullptr;
};

template <class R>
using FieldTable = std::span<const Field<R>>;

// ---- Conversions between C++ members and field values ---------------------------------------

template <class T>
[[nodiscard]] FieldValue to_value(const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    return static_cast<std::int64_t>(v ? 1 : 0);
  } else if constexpr (std::is_integral_v<T>) {
    return static_cast<std::int64_t>(v);
  } else if constexpr (std::is_floating_point_v<T>) {
    return static_cast<double>(v);
  } else if constexpr (std::is_same_v<T, std::string>) {
    return std::string_view(v);
  } else if constexpr (std::is_same_v<T, std::optional<double>>) {
    return v ? FieldValue(*v) : FieldValue(std::monostate{});
  } else if constexpr (std::is_same_v<T, std::optional<int>>) {
    return v ? FieldValue(static_cast<std::int64_t>(*v)) : FieldValue(std::monostate{});
  } else if constexpr (std::is_same_v<T, std::vector<double>>) {
    return v;
  } else {
    static_assert(sizeof(T) == 0, "no field value for this member type");
  }
}

/// The whole number a field value holds, as T; throws std::invalid_argument when it holds none
/// that T can represent (a null, a fraction, NaN or a value out of range: converting those would
/// be undefined behaviour, and a reader must refuse them rather than invent a count).
template <class T>
[[nodiscard]] T whole_number_of(const FieldValue& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    if (std::in_range<T>(*i)) return static_cast<T>(*i);
  } else {
    const double d = number_of(v);
    if (std::isfinite(d) && d == std::trunc(d) &&
        d >= static_cast<double>(std::numeric_limits<T>::min()) &&
        d <= static_cast<double>(std::numeric_limits<T>::max()))
      return static_cast<T>(d);
  }
  throw std::invalid_argument("not a whole number in range for this field");
}

template <class T>
void from_value(const FieldValue& v, T& out) {
  if constexpr (std::is_same_v<T, bool>) {
    out = number_of(v) != 0.0;
  } else if constexpr (std::is_integral_v<T>) {
    out = whole_number_of<T>(v);
  } else if constexpr (std::is_floating_point_v<T>) {
    out = static_cast<T>(number_of(v));
  } else if constexpr (std::is_same_v<T, std::string>) {
    out = std::string(text_of(v));
  } else if constexpr (std::is_same_v<T, std::optional<double>>) {
    out = is_null(v) ? std::nullopt : std::optional<double>(number_of(v));
  } else if constexpr (std::is_same_v<T, std::optional<int>>) {
    out = is_null(v) ? std::nullopt : std::optional<int>(whole_number_of<int>(v));
  } else if constexpr (std::is_same_v<T, std::vector<double>>) {
    if (const auto* l = std::get_if<std::vector<double>>(&v)) {
      out = *l;
    } else {
      out.clear();
    }
  } else {
    static_assert(sizeof(T) == 0, "no field value for this member type");
  }
}

namespace detail {
template <class M>
struct member_traits;
template <class C, class T>
struct member_traits<T C::*> {
  using record = C;
  using type = T;
};
}  // namespace detail

/// Getter of a data member: `core::getter<&Record::x>`.
template <auto M>
FieldValue getter(const typename detail::member_traits<decltype(M)>::record& r) {
  return to_value(r.*M);
}
/// Setter of a data member: `core::setter<&Record::x>`.
template <auto M>
void setter(typename detail::member_traits<decltype(M)>::record& r, const FieldValue& v) {
  from_value(v, r.*M);
}

/// A field that reads and writes a data member (read back by the journal and MPI).
template <auto M>
constexpr Field<typename detail::member_traits<decltype(M)>::record> member(
    std::string_view name, FieldType type, std::string_view unit, std::string_view description) {
  return {name, type, unit, description, &getter<M>, &setter<M>};
}

// ---- Generated text --------------------------------------------------------------------------

/// "A,B,C" (no newline).
template <class R>
[[nodiscard]] std::string csv_header(FieldTable<R> table) {
  std::string out;
  for (const auto& f : table) {
    if (!out.empty()) out += ',';
    out += f.name;
  }
  return out;
}

/// "A INTEGER, B REAL, C TEXT" for CREATE TABLE.
template <class R>
[[nodiscard]] std::string sql_columns(FieldTable<R> table) {
  std::string out;
  for (const auto& f : table) {
    if (!out.empty()) out += ", ";
    out += f.name;
    out += ' ';
    out += sql_type(f.type);
  }
  return out;
}

/// One Markdown table (| column | type | unit | description |) of the fields, for the docs.
template <class R>
[[nodiscard]] std::string markdown_columns(FieldTable<R> table) {
  std::string out = "| column | type | unit | description |\n|---|---|---|---|\n";
  for (const auto& f : table) {
    out += "| `";
    out += f.name;
    out += "` | ";
    out += type_name(f.type);
    out += " | ";
    out += f.unit;
    out += " | ";
    out += f.description;
    out += " |\n";
  }
  return out;
}

}  // namespace il2sim::core
