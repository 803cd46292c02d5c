#pragma once
/// @file csv.hpp
/// The CSV reader of the survival layer: RFC 4180 text (header row, comma separated, fields
/// optionally in double quotes with "" for a quote, CRLF or LF line ends). It is the input edge for
/// user data files, so every malformed input ends in a UserError naming file, line and column,
/// never a crash.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace il2sim::survival {

/// A parsed CSV file: the header and the data rows, every row with as many cells as the header.
struct CsvTable {
  std::string file;                            ///< path as given (for error messages)
  std::vector<std::string> header;             ///< column names, unquoted
  std::vector<std::vector<std::string>> rows;  ///< cells, unquoted, one vector per data row
  std::vector<long> lines;                     ///< 1-based line where each data row starts

  /// Index of the column named `name`, if present (exact match).
  [[nodiscard]] std::optional<std::size_t> find_column(std::string_view name) const;
  /// Index of the column named `name`; UserError naming the file, the columns it has and the
  /// closest name if it is missing.
  [[nodiscard]] std::size_t column(std::string_view name) const;
};

/// Parses CSV text. @throws UserError on an empty input, an empty or duplicated header name, an
/// unterminated quote, text after a closing quote, or a row with the wrong number of fields.
[[nodiscard]] CsvTable parse_csv(std::string_view text, std::string file);

/// Reads and parses a CSV file. @throws UserError if it cannot be read or does not parse.
[[nodiscard]] CsvTable read_csv(const std::string& path);

/// True for a cell R reads as missing: empty, "NA" (after trimming blanks).
[[nodiscard]] bool is_missing(std::string_view cell);

/// The cell with leading and trailing blanks (space, tab) removed.
[[nodiscard]] std::string_view trim(std::string_view cell);

}  // namespace il2sim::survival
