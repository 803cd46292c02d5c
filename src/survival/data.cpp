#include "survival/data.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "core/error.hpp"

namespace il2sim::survival {

bool parse_number(std::string_view text, double& value) {
  text = trim(text);
  if (text.empty()) return false;
  if (text.front() == '+') text.remove_prefix(1);
  const char* first = text.data();
  const char* last = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(first, last, value);
  return ec == std::errc() && ptr == last && std::isfinite(value);
}

Factor make_factor(std::span<const std::string> labels) {
  Factor f;
  std::vector<std::string> levels(labels.begin(), labels.end());
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  std::vector<double> numbers(levels.size());
  bool numeric = true;
  for (std::size_t i = 0; i < levels.size() && numeric; ++i)
    numeric = parse_number(levels[i], numbers[i]);
  if (numeric) {
    std::vector<std::size_t> order(levels.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return numbers[a] < numbers[b]; });
    std::vector<std::string> sorted;
    sorted.reserve(levels.size());
    for (auto i : order) sorted.push_back(levels[i]);
    levels = std::move(sorted);
  }
  std::map<std::string, int, std::less<>> index;
  for (std::size_t i = 0; i < levels.size(); ++i) index.emplace(levels[i], static_cast<int>(i));
  f.codes.reserve(labels.size());
  for (const auto& l : labels) f.codes.push_back(index.find(l)->second);
  f.levels = std::move(levels);
  return f;
}

Factor single_level(std::size_t n, std::string label) {
  Factor f;
  f.levels.push_back(std::move(label));
  f.codes.assign(n, 0);
  return f;
}

CompleteRows complete_rows(const CsvTable& table, std::span<const std::size_t> columns) {
  CompleteRows out;
  out.rows.reserve(table.rows.size());
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const bool complete = std::none_of(columns.begin(), columns.end(),
                                       [&](std::size_t c) { return is_missing(table.rows[r][c]); });
    if (complete) {
      out.rows.push_back(r);
    } else {
      ++out.n_dropped;
    }
  }
  return out;
}

namespace {

InputLocation where(const CsvTable& table, std::size_t row, std::size_t column) {
  return InputLocation{table.file, table.lines[row], static_cast<long>(column) + 1,
                       table.header[column]};
}

}  // namespace

std::vector<double> read_times(const CsvTable& table, std::size_t column,
                               std::span<const std::size_t> rows) {
  std::vector<double> out;
  out.reserve(rows.size());
  for (auto r : rows) {
    const std::string& cell = table.rows[r][column];
    double v = 0;
    if (!parse_number(cell, v)) {
      throw UserError(where(table, r, column), fmt::format("time '{}' is not a number", cell),
                      "a finite number >= 0, or NA/empty for a missing value");
    }
    if (v < 0) {
      throw UserError(where(table, r, column), fmt::format("time {} is negative", cell),
                      "a finite number >= 0");
    }
    out.push_back(v);
  }
  return out;
}

std::vector<int> read_events(const CsvTable& table, std::size_t column,
                             std::span<const std::size_t> rows) {
  constexpr const char* kAllowed =
      "0/1 (1 = event), TRUE/FALSE, or 1/2 as in R's Surv (2 = event); NA/empty for missing";
  std::vector<int> out;
  out.reserve(rows.size());
  bool coded_12 = false;
  for (auto r : rows) {
    const std::string_view cell = trim(table.rows[r][column]);
    std::string lower(cell);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    int code = -1;
    double v = 0;
    if (lower == "true" || lower == "t") {
      code = 1;
    } else if (lower == "false" || lower == "f") {
      code = 0;
    } else if (parse_number(cell, v) && (v == 0.0 || v == 1.0 || v == 2.0)) {
      code = static_cast<int>(v);
    } else {
      throw UserError(where(table, r, column), fmt::format("event code '{}' is not allowed", cell),
                      kAllowed);
    }
    if (code == 2) coded_12 = true;
    out.push_back(code);
  }
  if (coded_12) {
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (out[i] == 0) {
        throw UserError(where(table, rows[i], column),
                        fmt::format("event code '{}' in a column that also holds 2 (coded 1/2)",
                                    trim(table.rows[rows[i]][column])),
                        kAllowed);
      }
      out[i] -= 1;
    }
  }
  return out;
}

std::vector<int> read_censor_flags(const CsvTable& table, std::size_t column,
                                   std::span<const std::size_t> rows) {
  std::vector<int> out;
  out.reserve(rows.size());
  for (auto r : rows) {
    const std::string_view cell = trim(table.rows[r][column]);
    double v = 0;
    if (!parse_number(cell, v) || v < 0 || v != std::floor(v)) {
      throw UserError(where(table, r, column),
                      fmt::format("censoring flag '{}' is not allowed", cell),
                      "0 (event) or a positive whole number (censored), as ADaM's CNSR; NA/empty "
                      "for missing");
    }
    out.push_back(v == 0.0 ? 1 : 0);
  }
  return out;
}

RowFilter parse_row_filter(std::string_view text, std::string_view option) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    throw UserError(InputLocation{{}, std::nullopt, std::nullopt, std::string(option)},
                    fmt::format("{} '{}': not COL=VALUE", option, text),
                    "a column name, '=', and the value its rows must hold, e.g. PARAMCD=PFS");
  }
  return {std::string(trim(text.substr(0, eq))), std::string(trim(text.substr(eq + 1)))};
}

namespace {

bool cell_matches(std::string_view cell, const RowFilter& f) {
  double a = 0, b = 0;
  if (parse_number(cell, a) && parse_number(f.value, b)) return a == b;
  return trim(cell) == f.value;
}

/// The distinct values of a column, sorted, as a short list for a message.
std::string values_of(const CsvTable& table, std::size_t column) {
  std::vector<std::string> values;
  for (const auto& row : table.rows) values.emplace_back(trim(row[column]));
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  constexpr std::size_t kShown = 20;
  std::string out;
  for (std::size_t i = 0; i < std::min(values.size(), kShown); ++i)
    out += (i > 0 ? ", " : "") + (values[i].empty() ? std::string("(empty)") : values[i]);
  if (values.size() > kShown) out += fmt::format(", … ({} values)", values.size());
  return out;
}

}  // namespace

void keep_rows_where(CsvTable& table, std::span<const RowFilter> filters) {
  if (filters.empty()) return;
  std::vector<std::size_t> columns;
  for (const auto& f : filters) {
    const std::size_t c = table.column(f.column);
    const bool present = std::any_of(table.rows.begin(), table.rows.end(),
                                     [&](const auto& row) { return cell_matches(row[c], f); });
    if (!present) {
      throw UserError(
          InputLocation{table.file, std::nullopt, std::nullopt, "--where"},
          fmt::format("--where {}={}: no row has {} = '{}'", f.column, f.value, f.column, f.value),
          fmt::format("a value of {}: {}", f.column, values_of(table, c)));
    }
    columns.push_back(c);
  }
  std::size_t kept = 0;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    bool all = true;
    for (std::size_t k = 0; k < filters.size() && all; ++k)
      all = cell_matches(table.rows[r][columns[k]], filters[k]);
    if (!all) continue;
    if (kept != r) {
      table.rows[kept] = std::move(table.rows[r]);
      table.lines[kept] = table.lines[r];
    }
    ++kept;
  }
  if (kept == 0) {
    std::string conditions;
    for (const auto& f : filters) conditions += fmt::format(" --where {}={}", f.column, f.value);
    throw UserError(InputLocation{table.file, std::nullopt, std::nullopt, "--where"},
                    fmt::format("no row meets every condition:{}", conditions),
                    "conditions that some row meets together (they are combined with AND)");
  }
  table.rows.resize(kept);
  table.lines.resize(kept);
}

bool column_is_numeric(const CsvTable& table, std::size_t column,
                       std::span<const std::size_t> rows) {
  double v = 0;
  return std::all_of(rows.begin(), rows.end(),
                     [&](std::size_t r) { return parse_number(table.rows[r][column], v); });
}

std::vector<double> read_numbers(const CsvTable& table, std::size_t column,
                                 std::span<const std::size_t> rows) {
  std::vector<double> out;
  out.reserve(rows.size());
  for (auto r : rows) {
    double v = 0;
    if (!parse_number(table.rows[r][column], v)) {
      throw UserError(where(table, r, column),
                      fmt::format("'{}' is not a number", table.rows[r][column]),
                      "a finite number, or NA/empty for a missing value");
    }
    out.push_back(v);
  }
  return out;
}

std::vector<std::string> read_labels(const CsvTable& table, std::size_t column,
                                     std::span<const std::size_t> rows) {
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (auto r : rows) out.emplace_back(trim(table.rows[r][column]));
  return out;
}

}  // namespace il2sim::survival
