// The CSV views' number and field formatting. The views write numbers as C's printf("%.8g") does
// (8 significant digits, trailing zeros removed, exponent form below 1e-4 and from 1e8): the
// reference here is fmt::format("{:.8g}"), the formatter the views used before they appended text
// in place.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <fmt/format.h>

#include "output/views.hpp"

namespace il2sim::output {
namespace {

TEST(Views, NumberIsPrintfG8) {
  std::vector<double> values = {0.0,
                                -0.0,
                                1.0,
                                -1.0,
                                30.0,
                                365.0,
                                99999999.0,
                                -99999999.0,
                                1e8,
                                123456789.0,
                                12345678.5,
                                99999999.5,
                                0.1,
                                0.5,
                                2.5,
                                1e-4,
                                9.99999995e-5,
                                1e-5,
                                75.077532,
                                1.00000005,
                                9.99999995,
                                1e300,
                                5e-324,
                                std::numeric_limits<double>::max(),
                                std::numeric_limits<double>::min()};
  std::mt19937_64 g(20261130);
  std::uniform_real_distribution<double> exponent(-12.0, 12.0);
  for (int i = 0; i < 20000; ++i) {
    const double v = std::pow(10.0, exponent(g));
    values.push_back(v);
    values.push_back(-std::round(v));
    values.push_back(std::round(v * 1e3) / 1e3);
  }
  for (const double v : values)
    EXPECT_EQ(num(v), fmt::format("{:.8g}", v)) << fmt::format("{:.17g}", v);
}

TEST(Views, MissingNumbersAreNa) {
  // interfaces.md / views.hpp: "NA" for a missing value (what R's read.csv reads as missing).
  EXPECT_EQ(num(std::numeric_limits<double>::quiet_NaN()), "NA");
  EXPECT_EQ(num(std::numeric_limits<double>::infinity()), "NA");
  EXPECT_EQ(opt(std::nullopt), "NA");
  EXPECT_EQ(opt(2.5), "2.5");
}

TEST(Views, FieldsAndSubjectIds) {
  // RFC 4180: a field with a comma, quote or newline is quoted, inner quotes doubled.
  EXPECT_EQ(field("IL2 D4"), "IL2 D4");
  EXPECT_EQ(field("hold: grade 3, capillary leak"), "\"hold: grade 3, capillary leak\"");
  EXPECT_EQ(field("say \"x\""), "\"say \"\"x\"\"\"");
  // USUBJID: study id, '-', the patient number zero-padded to 6 digits (fmt "{}-{:06d}").
  EXPECT_EQ(usubjid("chiron-regimen", 7), "chiron-regimen-000007");
  EXPECT_EQ(usubjid("s", 1234567), "s-1234567");
}

TEST(Views, LabRowsHaveTheColumnsOfTheHeader) {
  clinic::PatientRecord r;
  r.id = 12;
  r.arm = "il2";
  r.labs.push_back({30.0, "NKBLD", 75.077532, 0.0, "TX D30"});
  r.labs.push_back({31.5, "LYSK562", 12.5, 20.0, "IL2 D4"});
  std::string out;
  append_adlb(out, {"study", 3, 0.0, "chiron"}, r);
  // One row per lab value in the columns of adlb_header():
  // USUBJID,REPLICATE,ARM,PARAMCD,AVAL,ADY,VISIT,ETRATIO.
  EXPECT_EQ(out,
            "study-000012,3,il2,NKBLD,75.077532,30,TX D30,NA\n"
            "study-000012,3,il2,LYSK562,12.5,31.5,IL2 D4,20\n");
}

}  // namespace
}  // namespace il2sim::output
