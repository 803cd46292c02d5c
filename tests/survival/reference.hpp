#pragma once
// Expected values written by tools/reference/survival/make_fixtures.R (R survival 3.5-3, cmprsk
// 2.2-11) into tests/survival/fixtures/expected.csv, and the selection of columns the CLI does.
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "survival/csv.hpp"
#include "survival/data.hpp"

namespace il2sim::survival::testing {

inline const char* kFixtures = "tests/survival/fixtures/";

/// (case, curve, key) -> values in index order; NaN for R's NA.
class Expected {
 public:
  static const Expected& get() {
    static const Expected instance;
    return instance;
  }
  [[nodiscard]] const std::vector<double>& at(const std::string& c, const std::string& curve,
                                              const std::string& key) const {
    const auto it = values_.find({c, curve, key});
    if (it == values_.end()) {
      ADD_FAILURE() << "no expected value for " << c << "/" << curve << "/" << key;
      static const std::vector<double> empty;
      return empty;
    }
    return it->second;
  }
  [[nodiscard]] double scalar(const std::string& c, const std::string& curve,
                              const std::string& key, std::size_t index = 0) const {
    const auto& v = at(c, curve, key);
    return index < v.size() ? v[index] : std::nan("");
  }

 private:
  Expected() {
    const CsvTable t = read_csv(std::string(kFixtures) + "expected.csv");
    const auto c = t.column("case"), g = t.column("curve"), k = t.column("key"),
               v = t.column("value");
    for (const auto& row : t.rows) {
      double x = std::nan("");
      if (row[v] == "Inf" || row[v] == "-Inf") {
        x = (row[v] == "Inf" ? 1 : -1) * std::numeric_limits<double>::infinity();
      } else if (!is_missing(row[v]) && !parse_number(row[v], x)) {
        ADD_FAILURE() << "bad value " << row[v];
      }
      values_[{row[c], row[g], row[k]}].push_back(x);
    }
  }
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<double>> values_;
};

/// |actual - expected| <= 1e-6 * max(1, |expected|), and NA exactly where R has NA.
inline ::testing::AssertionResult agrees(double actual, double expected, double tol = 1e-6) {
  if (std::isnan(expected) || std::isnan(actual)) {
    if (std::isnan(expected) && std::isnan(actual)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "actual " << actual << " vs R " << expected;
  }
  if (actual == expected) return ::testing::AssertionSuccess();  // also equal infinities
  if (std::abs(actual - expected) <= tol * std::max(1.0, std::abs(expected))) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "actual " << actual << " vs R " << expected << " (diff " << actual - expected << ")";
}

template <typename T>
void expect_all(const std::vector<T>& actual, const std::vector<double>& expected,
                const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    EXPECT_TRUE(agrees(static_cast<double>(actual[i]), expected[i])) << what << "[" << i << "]";
  }
}

/// A fixture data set restricted to the rows complete in `columns` ("" = unused).
struct Frame {
  CsvTable table;
  CompleteRows rows;
  explicit Frame(const std::string& file, const std::vector<std::string>& columns)
      : table(read_csv(std::string(kFixtures) + file)) {
    std::vector<std::size_t> used;
    for (const auto& c : columns) {
      if (!c.empty()) used.push_back(table.column(c));
    }
    rows = complete_rows(table, used);
  }
  [[nodiscard]] std::vector<double> times(const std::string& c) const {
    return read_times(table, table.column(c), rows.rows);
  }
  [[nodiscard]] std::vector<int> events(const std::string& c) const {
    return read_events(table, table.column(c), rows.rows);
  }
  [[nodiscard]] Factor factor(const std::string& c, const std::string& single = "all") const {
    if (c.empty()) return single_level(rows.rows.size(), single);
    const auto labels = read_labels(table, table.column(c), rows.rows);
    return make_factor(labels);
  }
};

}  // namespace il2sim::survival::testing
