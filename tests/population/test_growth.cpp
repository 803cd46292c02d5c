#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "population/growth.hpp"

namespace il2sim::population {
namespace {

using model::Sex;

// One row of data/cdc-growth/*.csv: Sex, Agemos, L, M, S, P3, P5, P10, P25, P50, P75, P90, P95,
// P97.
struct CsvRow {
  std::vector<double> fields;
};

std::vector<CsvRow> read_csv(const std::string& name) {
  std::ifstream in(std::string(IL2SIM_SOURCE_DIR) + "/data/cdc-growth/" + name);
  EXPECT_TRUE(in.good()) << name;
  std::vector<CsvRow> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    CsvRow row;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) row.fields.push_back(std::stod(cell));
    EXPECT_EQ(row.fields.size(), 14u) << line;
    rows.push_back(row);
  }
  return rows;
}

struct Chart {
  GrowthChart chart;
  const char* file;
};
const Chart kCharts[] = {{GrowthChart::kStatureForAge, "statage.csv"},
                         {GrowthChart::kWeightForAge, "wtage.csv"}};

// The embedded arrays are the CSV's Sex, Agemos, L, M, S columns, row for row. Both sides convert
// the same decimal text with correct rounding, so equality is exact.
TEST(CdcTables, EmbeddedRowsEqualTheCsv) {
  for (const auto& c : kCharts) {
    const auto csv = read_csv(c.file);
    const auto table = cdc_table(c.chart);
    ASSERT_EQ(table.size(), csv.size()) << c.file;
    for (std::size_t i = 0; i < csv.size(); ++i) {
      const auto& f = csv[i].fields;
      EXPECT_EQ(table[i].sex, f[0] == 1.0 ? Sex::kMale : Sex::kFemale) << c.file << " row " << i;
      EXPECT_EQ(table[i].age_months, f[1]);
      EXPECT_EQ(table[i].L, f[2]);
      EXPECT_EQ(table[i].M, f[3]);
      EXPECT_EQ(table[i].S, f[4]);
    }
  }
}

// cdc_lms relies on each sex's rows being contiguous and sorted by age, from 24 to 240 months
// (data/cdc-growth/README.md: Agemos 24–240).
TEST(CdcTables, EachSexContiguousSortedAndCovering24To240Months) {
  for (const auto& c : kCharts) {
    const auto table = cdc_table(c.chart);
    for (const Sex sex : {Sex::kMale, Sex::kFemale}) {
      std::vector<double> ages;
      std::size_t first = table.size();
      std::size_t last = 0;
      for (std::size_t i = 0; i < table.size(); ++i) {
        if (table[i].sex != sex) continue;
        first = std::min(first, i);
        last = i;
        ages.push_back(table[i].age_months);
      }
      EXPECT_EQ(last - first + 1, ages.size()) << c.file << ": rows of one sex not contiguous";
      EXPECT_TRUE(std::is_sorted(ages.begin(), ages.end())) << c.file;
      EXPECT_EQ(ages.front(), kCdcMinAgeMonths) << c.file;
      EXPECT_EQ(ages.back(), kCdcMaxAgeMonths) << c.file;
    }
  }
}

// data/cdc-growth/README.md: "boys 24 months, Z = 0: 86.45 cm, 12.67 kg" (2 decimals: ±0.005).
TEST(CdcTables, BoysAt24MonthsMedianFromTheReadme) {
  EXPECT_NEAR(lms_value(cdc_lms(GrowthChart::kStatureForAge, Sex::kMale, 24.0), 0.0), 86.45, 0.005);
  EXPECT_NEAR(lms_value(cdc_lms(GrowthChart::kWeightForAge, Sex::kMale, 24.0), 0.0), 12.67, 0.005);
}

// The CSV's percentile columns are the published CDC percentiles, an independent check of the LMS
// evaluation: value(L, M, S, Φ⁻¹(p)) = Pp in every row. The columns carry about 10 significant
// digits; the largest relative difference is 2.4e-9 (weight), so the bound is 1e-8.
TEST(CdcTables, LmsReproducesThePublishedPercentilesInEveryRow) {
  const boost::math::normal_distribution<double> standard;
  const double percent[] = {3, 5, 10, 25, 50, 75, 90, 95, 97};
  for (const auto& c : kCharts) {
    const auto csv = read_csv(c.file);
    for (const auto& row : csv) {
      const auto& f = row.fields;
      const Lms lms = cdc_lms(c.chart, f[0] == 1.0 ? Sex::kMale : Sex::kFemale, f[1]);
      for (int k = 0; k < 9; ++k) {
        const double z = boost::math::quantile(standard, percent[k] / 100.0);
        const double published = f[5 + static_cast<std::size_t>(k)];
        EXPECT_NEAR(lms_value(lms, z) / published, 1.0, 1e-8)
            << c.file << " sex " << f[0] << " age " << f[1] << " P" << percent[k];
      }
    }
  }
}

// Between two tabulated ages, L, M and S are linear in age: halfway they are the rows' average
// (boys 24.5 and 25.5 months, statage.csv rows 2–3).
TEST(CdcTables, InterpolatesLinearlyBetweenRows) {
  const auto table = cdc_table(GrowthChart::kStatureForAge);
  const LmsRow& a = table[1];
  const LmsRow& b = table[2];
  ASSERT_EQ(a.age_months, 24.5);
  ASSERT_EQ(b.age_months, 25.5);
  const Lms mid = cdc_lms(GrowthChart::kStatureForAge, Sex::kMale, 25.0);
  EXPECT_DOUBLE_EQ(mid.L, (a.L + b.L) / 2);
  EXPECT_DOUBLE_EQ(mid.M, (a.M + b.M) / 2);
  EXPECT_DOUBLE_EQ(mid.S, (a.S + b.S) / 2);
  const Lms quarter = cdc_lms(GrowthChart::kStatureForAge, Sex::kMale, 24.75);
  EXPECT_DOUBLE_EQ(quarter.M, a.M + 0.25 * (b.M - a.M));
  const Lms end = cdc_lms(GrowthChart::kWeightForAge, Sex::kFemale, kCdcMaxAgeMonths);
  EXPECT_EQ(end.M, cdc_table(GrowthChart::kWeightForAge).back().M);
}

// The Box-Cox form needs 1 + L·S·z > 0. In every row this holds up to |z| = 3 (the CDC weight
// tables come closest: pole at z = 3.34 for girls at 210.5 months), so lms_value is the plain LMS
// formula there.
TEST(CdcTables, BoxCoxFormIsDefinedUpToThreeSd) {
  for (const auto& c : kCharts) {
    for (const auto& r : cdc_table(c.chart)) {
      EXPECT_GT(1.0 + r.L * r.S * 3.0, 0.0) << c.file << " age " << r.age_months;
      EXPECT_GT(1.0 - r.L * r.S * 3.0, 0.0) << c.file << " age " << r.age_months;
    }
  }
}

// lms_value is continuous, increasing and positive over every z a RandomStream normal can produce
// (Box-Muller with 53-bit uniforms: |z| <= sqrt(-2 ln 2^-53) = 8.57), and lms_z inverts it.
TEST(CdcTables, ExtendedCurveIsContinuousMonotonePositiveAndInvertible) {
  for (const auto& c : kCharts) {
    for (const auto& r : cdc_table(c.chart)) {
      const Lms lms{r.L, r.M, r.S};
      for (const double cut : {-3.0, 3.0}) {
        EXPECT_NEAR(lms_value(lms, cut + 1e-9), lms_value(lms, cut - 1e-9), 1e-6 * r.M);
      }
      double previous = 0.0;
      for (double z = -8.6; z <= 8.6; z += 0.05) {
        const double x = lms_value(lms, z);
        EXPECT_GT(x, previous) << c.file << " age " << r.age_months << " z " << z;
        EXPECT_NEAR(lms_z(lms, x), z, 1e-9) << c.file << " age " << r.age_months << " z " << z;
        previous = x;
      }
    }
  }
}

}  // namespace
}  // namespace il2sim::population
