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
