#pragma once
/// @file data.hpp
/// From a CSV table to the typed columns the estimators take: times, event indicators, factors and
/// numeric covariates. Input is checked here, once (style.md §5); the estimators trust it.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "survival/csv.hpp"

namespace il2sim::survival {

/// A categorical variable: levels in R's order (numerically sorted when every level reads as a
/// number, otherwise sorted by bytes) and the 0-based level of each observation.
struct Factor {
  std::vector<std::string> levels;
  std::vector<int> codes;
};

/// Builds a factor from labels (R's `factor(x)` with default levels; see Factor for the order).
[[nodiscard]] Factor make_factor(std::span<const std::string> labels);

/// A factor of `n` observations that all belong to one level named `label`.
[[nodiscard]] Factor single_level(std::size_t n, std::string label);

/// Rows of a table that have a value (not empty, not NA) in every column of `columns`.
struct CompleteRows {
  std::vector<std::size_t> rows;  ///< indices into CsvTable::rows, in file order
  std::size_t n_dropped = 0;      ///< rows left out for a missing value
};
[[nodiscard]] CompleteRows complete_rows(const CsvTable& table,
                                         std::span<const std::size_t> columns);

/// Follow-up times (finite, >= 0) of the given rows. @throws UserError naming file, line, column
/// and value for a non-numeric or negative time.
[[nodiscard]] std::vector<double> read_times(const CsvTable& table, std::size_t column,
                                             std::span<const std::size_t> rows);

/// Event indicators (1 = event) of the given rows. Accepted codings, as R's `Surv`: 0/1,
/// TRUE/FALSE (any case, also T/F), or 1/2 with 2 = event (chosen when any value is 2).
/// @throws UserError for any other value, or a 0 in a column coded 1/2.
[[nodiscard]] std::vector<int> read_events(const CsvTable& table, std::size_t column,
                                           std::span<const std::size_t> rows);

/// Event indicators (1 = event) from an ADaM censoring flag such as ADTTE's CNSR: 0 = event, a
/// positive whole number = censored (ADaM lets the number code the reason). @throws UserError
/// naming file, line, column and value for any other value.
[[nodiscard]] std::vector<int> read_censor_flags(const CsvTable& table, std::size_t column,
                                                 std::span<const std::size_t> rows);

/// One condition on the rows: the cell of `column` equals `value` (numerically when both read as
/// numbers, so 1 matches 1.0; otherwise as text, blanks around the cell trimmed).
struct RowFilter {
  std::string column;
  std::string value;
};

/// Parses `COL=VALUE` (split at the first '='). @throws UserError naming `option` when there is no
/// '=' or the column name is empty.
[[nodiscard]] RowFilter parse_row_filter(std::string_view text, std::string_view option);

/// Keeps the rows of `table` that meet every filter (AND), in file order (`lines` in step).
/// @throws UserError for an unknown column (with the closest name), a value that no row of its
/// column holds (with the values it holds), or when no row meets them all.
void keep_rows_where(CsvTable& table, std::span<const RowFilter> filters);

/// True when every given cell of the column reads as a finite number.
[[nodiscard]] bool column_is_numeric(const CsvTable& table, std::size_t column,
                                     std::span<const std::size_t> rows);

/// Numeric values of the given rows. @throws UserError for a cell that is not a finite number.
[[nodiscard]] std::vector<double> read_numbers(const CsvTable& table, std::size_t column,
                                               std::span<const std::size_t> rows);

/// The trimmed text of the given rows of one column.
[[nodiscard]] std::vector<std::string> read_labels(const CsvTable& table, std::size_t column,
                                                   std::span<const std::size_t> rows);

/// Parses a finite number from the whole of `text` (blanks around it allowed).
[[nodiscard]] bool parse_number(std::string_view text, double& value);

}  // namespace il2sim::survival
