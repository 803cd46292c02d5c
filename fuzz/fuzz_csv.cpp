// libFuzzer target: arbitrary bytes as the data file of `il2sim survival`. The CSV reader and the
// column conversions are the input edge for user data, so every input must end in typed columns or
// in il2sim::UserError; any other exception, a sanitizer report, a leak or a hang is a bug.
//
// Every column is tried in every role the CLI gives a column (time, event, factor, numeric
// covariate), over the complete rows of that column, as cmd_survival.cpp does. When a time and an
// event column convert, the Kaplan–Meier estimator runs on them, grouped by a third column if any,
// to check that what the converters accept is what the estimator can take.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "survival/csv.hpp"
#include "survival/data.hpp"
#include "survival/km.hpp"

namespace sv = il2sim::survival;

namespace {

/// At most this many columns are tried in each role, so one input stays cheap to run.
constexpr std::size_t kMaxColumns = 8;

template <typename F>
void expect_user_error_or_success(F&& f) {
  try {
    f();
  } catch (const il2sim::UserError&) {
    // refused with a message: the expected outcome for bad input
  }
}

void exercise_column(const sv::CsvTable& table, std::size_t column) {
  const std::array<std::size_t, 1> used{column};
  const sv::CompleteRows complete = sv::complete_rows(table, used);
  const auto& rows = complete.rows;
  expect_user_error_or_success([&] { (void)sv::read_times(table, column, rows); });
  expect_user_error_or_success([&] { (void)sv::read_events(table, column, rows); });
  expect_user_error_or_success([&] { (void)sv::read_numbers(table, column, rows); });
  (void)sv::column_is_numeric(table, column, rows);
  const auto labels = sv::read_labels(table, column, rows);
  const sv::Factor factor = sv::make_factor(labels);
  if (factor.codes.size() != labels.size()) std::abort();
  for (const int code : factor.codes) {
    if (code < 0 || static_cast<std::size_t>(code) >= factor.levels.size()) std::abort();
  }
}

void exercise_km(const sv::CsvTable& table) {
  const std::size_t n_columns = table.header.size();
  if (n_columns < 2) return;
  std::vector<std::size_t> used{0, 1};
  if (n_columns >= 3) used.push_back(2);
  const sv::CompleteRows complete = sv::complete_rows(table, used);
  if (complete.rows.empty()) return;
  expect_user_error_or_success([&] {
    const auto time = sv::read_times(table, 0, complete.rows);
    const auto event = sv::read_events(table, 1, complete.rows);
    const sv::Factor group = n_columns >= 3
                                 ? sv::make_factor(sv::read_labels(table, 2, complete.rows))
                                 : sv::single_level(complete.rows.size(), "all");
    sv::KmOptions options;
    (void)sv::kaplan_meier(time, event, group, options);
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  sv::CsvTable table;
  try {
    table = sv::parse_csv(text, "fuzz.csv");
  } catch (const il2sim::UserError&) {
    return 0;
  }
  // The reader promises a rectangular table with at least one data row.
  if (table.rows.empty() || table.rows.size() != table.lines.size()) std::abort();
  for (const auto& row : table.rows) {
    if (row.size() != table.header.size()) std::abort();
  }
  for (std::size_t c = 0; c < table.header.size() && c < kMaxColumns; ++c)
    exercise_column(table, c);
  expect_user_error_or_success([&] { (void)table.column(table.header.front() + "x"); });
  exercise_km(table);
  return 0;
}
