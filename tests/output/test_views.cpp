// The CSV views: numbers in their shortest round-trip form, fields, subject ids, and rows generated
// from the field tables (header = the table's names; PARAM/AVALU from the table of parameter
// codes).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "clinic/patient.hpp"
#include "output/views.hpp"
#include "scenario/scenario.hpp"

namespace il2sim::output {
namespace {

/// The number of significant digits of a decimal text ("-1.250e+03" -> 3).
int significant_digits(std::string_view s) {
  const auto e = s.find_first_of("eE");
  const std::string_view mantissa = s.substr(0, e);
  std::string digits;
  for (const char c : mantissa) {
    if (c >= '0' && c <= '9') digits += c;
  }
  const auto first = digits.find_first_not_of('0');
  if (first == std::string::npos) return 1;
  digits = digits.substr(first);
  // Trailing zeros of a whole number written without exponent are not significant.
  if (mantissa.find('.') == std::string_view::npos) {
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  }
  return static_cast<int>(digits.size());
}

double parse(const std::string& s) {
  double v = 0.0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  EXPECT_EQ(r.ec, std::errc()) << s;
  EXPECT_EQ(r.ptr, s.data() + s.size()) << s;
  return v;
}

// The brief of issue 12: every number in the CSV reads back to the same double, in the shortest
// such text (so the views and the computed results agree exactly).
TEST(Views, NumbersReadBackExactlyInTheShortestText) {
  std::vector<double> values = {0.0,
                                1.0,
                                -1.0,
                                30.0,
                                365.0,
                                99999999.0,
                                1e8,
                                0.1,
                                0.5,
                                2.5,
                                1e-4,
                                1e-5,
                                75.077532,
                                1.00000005,
                                1e300,
                                5e-324,
                                1e15,
                                1e16,
                                1e22,
                                123456789.0,
                                2.0 / 3.0,
                                std::numeric_limits<double>::max(),
                                std::numeric_limits<double>::min()};
  std::mt19937_64 g(20261205);
  std::uniform_real_distribution<double> exponent(-12.0, 12.0);
  for (int i = 0; i < 20000; ++i) {
    const double v = std::pow(10.0, exponent(g));
    values.push_back(v);
    values.push_back(-std::round(v));
    values.push_back(std::round(v * 1e3) / 1e3);
  }
  for (const double v : values) {
    const std::string text = num(v);
    const double back = parse(text);
    EXPECT_EQ(std::memcmp(&back, &v, sizeof v), 0) << text << " " << fmt::format("{:.17g}", v);
    // Shortest: one significant digit fewer (printf %.{p}g rounding) no longer reads back.
    const int p = significant_digits(text);
    if (p > 1) {
      const std::string shorter = fmt::format("{:.{}g}", v, p - 1);
      double w = 0.0;
      const auto r = std::from_chars(shorter.data(), shorter.data() + shorter.size(), w);
      EXPECT_TRUE(r.ec != std::errc() || w != v) << text << " vs " << shorter;  // (overflow: max)
    }
  }
  EXPECT_EQ(num(-0.0), "-0");  // the sign of zero reads back too
}

TEST(Views, MissingNumbersAreNa) {
  // interfaces.md / views.hpp: "NA" for a missing value (what R's read.csv reads as missing).
  EXPECT_EQ(num(std::numeric_limits<double>::quiet_NaN()), "NA");
  EXPECT_EQ(num(std::numeric_limits<double>::infinity()), "NA");
  EXPECT_EQ(opt(std::nullopt), "NA");
  EXPECT_EQ(opt(2.5), "2.5");
}

TEST(Views, QuotesWhereverTheCharacterIs) {
  // RFC 4180 as above, for a comma, quote or newline at every position of texts of 1 to 24 bytes
  // (the test runs 8 bytes at a time); neighbouring bytes ('+', '-', '!', '#', '\t', '\r', a
  // byte of UTF-8) never need quotes.
  for (std::size_t n = 1; n <= 24; ++n) {
    for (std::size_t at = 0; at < n; ++at) {
      for (const char c : {',', '"', '\n'}) {
        std::string s(n, 'a');
        s[at] = c;
        EXPECT_EQ(field(s).front(), '"') << n << " " << at << " " << int(c);
      }
      for (const char c : {'+', '-', '!', '#', '\t', '\r', '\xe2', '\x00'}) {
        std::string s(n, 'a');
        s[at] = c;
        EXPECT_EQ(field(s), s) << n << " " << at << " " << int(c);
      }
    }
  }
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
  r.treated = true;
  r.start_day = 31.0;
  r.labs.push_back({30.0, "NKBLD", 75.5, 0.0, "BASELINE"});
  r.labs.push_back({31.5, "LYSK562", 12.5, 20.0, "IL2 D4"});
  r.labs.push_back({31.5, "MRD", 1.0, 0.0, "IL2 D4"});
  r.labs.push_back({35.0, "NKBLD", 80.25, 0.0, "IL2 D4"});
  std::string out;
  append_adlb(out, {"study", 3, 0.0, "chiron", "study", 1}, r);
  EXPECT_EQ(adlb_header(),
            "USUBJID,REPLICATE,ARM,PARAMCD,AVAL,ADY,VISIT,ETRATIO,PARAM,AVALU,STAGE_INDEX,STAGE,"
            "STUDYID,TRT01P,TRT01A,TXDY,BASE,CHG,ABLFL\n");
  // One row per lab value in the columns of adlb_header(); PARAM and AVALU of clinic's table of
  // parameter codes (MRD, a 0/1 result: unit 1). ADY from TRTSDY = 31 (day 1; no day 0): 30 ->
  // -1, 31.5 -> 1.5, 35 -> 5. NKBLD's baseline is its BASELINE visit (ABLFL Y, BASE 75.5 on both
  // rows, CHG 80.25 - 75.5 = 4.75 after it); LYSK562 at E:T 20 and MRD have no baseline visit.
  EXPECT_EQ(out,
            "study-000012,3,il2,NKBLD,75.5,-1,BASELINE,NA,NK cells in blood,cells/uL,1,study,"
            "study,il2,il2,30,75.5,NA,Y\n"
            "study-000012,3,il2,LYSK562,12.5,1.5,IL2 D4,20,Specific lysis of K562 targets by "
            "blood lymphocytes,%,1,study,study,il2,il2,31.5,NA,NA,NA\n"
            "study-000012,3,il2,MRD,1,1.5,IL2 D4,NA,Minimal residual disease detected (1 = "
            "positive),1,1,study,study,il2,il2,31.5,NA,NA,NA\n"
            "study-000012,3,il2,NKBLD,80.25,5,IL2 D4,NA,NK cells in blood,cells/uL,1,study,"
            "study,il2,il2,35,75.5,4.75,NA\n");
}

TEST(Views, ExposureRowsCarryRouteRoleAndAmount) {
  // One infusion and one SC injection as clinic/exposure.cpp records them (issue 12: one dose path
  // for every route): an infusion has no amount (NA), an administration its amount and unit.
  clinic::PatientRecord r;
  r.id = 5;
  r.arm = "il2";
  clinic::ExposureSegment civ;
  civ.start = 10.0;
  civ.end = 15.0;
  civ.rate_iu_per_day = 9e6;
  civ.dose_iu = 4.5e7;
  civ.phase = "induction";
  civ.end_reason = "completed";
  civ.route = "civ";
  civ.role = "induction";
  clinic::ExposureSegment sc = civ;
  sc.start = sc.end = 20.25;
  sc.rate_iu_per_day = 0.0;
  sc.dose_iu = 1.6e6;
  sc.phase = "maintenance";
  sc.end_reason = "given";
  sc.route = "sc";
  sc.role = "maintenance";
  sc.amount = 2e6;
  sc.amount_unit = "IU";
  sc.cycle = 2;  // the second repetition of a `repeat` cycle (EXCYCLE); civ: outside any cycle
  r.exposure = {civ, sc};
  r.treated = true;
  std::string out;
  append_ex(out, {"study", 0, 0.0, "chiron"}, r);
  // Numbers in std::to_chars' shortest form (exponent form where it is shorter: 9e+06; fixed
  // on a tie: 1600000).
  EXPECT_EQ(
      ex_header(),
      "USUBJID,REPLICATE,ARM,EXTRT,EXPHASE,EXSTDY,EXENDY,EXRATE,EXDOSE,EXDOSU,DOSEFRAC,"
      "EXENDRS,EXROUTE,EXROLE,EXAMT,EXAMTU,STAGE_INDEX,STAGE,EXCYCLE,STUDYID,TRT01P,TRT01A\n");
  EXPECT_EQ(out,
            "study-000005,0,il2,chiron,induction,10,15,9e+06,4.5e+07,IU,1,completed,civ,"
            "induction,NA,NA,NA,NA,NA,study,il2,il2\n"
            "study-000005,0,il2,chiron,maintenance,20.25,20.25,0,1600000,IU,1,given,sc,"
            "maintenance,2e+06,IU,NA,NA,2,study,il2,il2\n");
}

TEST(Views, HeadersKeepTheColumnOrderOfTheContract) {
  // interfaces.md: extend, never rename; a column keeps its position. Each view starts with the
  // columns of the hand-written views before issue 12 (src/output/views.cpp at 72788e7), new
  // columns come after them.
  const std::array<std::pair<std::string, std::string>, 5> before{{
      {adsl_header(),
       "STUDYID,REPLICATE,USUBJID,ARM,AGE,SEX,HEIGHT,WEIGHT,BSA,DISEASE,TRANSPLANT,L0,ELIGDY,"
       "LANDMDY,TRTSDY,TREATED,NOTTRTRS,COMPLIND,COMPLMNT,INDINT,MNTINT,INPTDAYS,OUTPTDAYS,HOLDS,"
       "STOPRS,STOPDY,TRTEDY,DLT,DLTDY,RELTRDY,RELDY,CUREDY,DTHDY,DTHCAUS,AGVHDDY,CGVHDDY,FUENDDY,"
       "NUMFAIL,"},
      {adtte_header(), "USUBJID,REPLICATE,ARM,PARAMCD,AVAL,AVALU,CNSR,EVNTDESC,"},
      {adlb_header(), "USUBJID,REPLICATE,ARM,PARAMCD,AVAL,ADY,VISIT,ETRATIO,"},
      {adae_header(), "USUBJID,REPLICATE,ARM,AETERM,AETOXGR,ASTDY,AENDY,ONGOING,GR4DUR,"},
      {ex_header(),
       "USUBJID,REPLICATE,ARM,EXTRT,EXPHASE,EXSTDY,EXENDY,EXRATE,EXDOSE,EXDOSU,DOSEFRAC,EXENDRS,"},
  }};
  for (const auto& [header, start] : before) EXPECT_EQ(header.rfind(start, 0), 0U) << header;
}

/// The lines of `text` split into cells (no quoted commas in these tests' rows but PARAM's).
std::vector<std::vector<std::string>> table_of(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    for (const char c : line) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        cells.push_back(cell);
        cell.clear();
      } else {
        cell += c;
      }
    }
    cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

/// Records of a few simulated patients of the built-in chiron-regimen (treated, with labs).
std::vector<clinic::PatientRecord> simulated_records() {
  const auto s = scenario::load_scenario("chiron-regimen");
  const auto* arm = s.find_arm("il2");
  const auto* cohort = scenario::find_cohort(arm->cohort);
  std::vector<clinic::PatientRecord> out;
  for (std::uint32_t id = 1; id <= 4; ++id)
    out.push_back(clinic::simulate_patient(s, *arm, clinic::make_patient(s, *cohort, 0, id), 400));
  return out;
}

// Every PARAMCD the clinic records has a label and unit in the one table, and every ADTTE/ADLB row
// carries exactly those (issue 12: AVALU and PARAM added in one place).
TEST(Views, ParamAndAvaluAreThoseOfEachParamcd) {
  const RowContext c{"chiron-regimen", 0, 0.0, "chiron", "", std::nullopt};
  std::string adtte = adtte_header(), adlb = adlb_header();
  std::set<std::string> seen;
  for (const auto& r : simulated_records()) {
    append_adtte(adtte, c, r);
    append_adlb(adlb, c, r);
  }
  for (const auto* text : {&adtte, &adlb}) {
    const auto rows = table_of(*text);
    const auto& header = rows.at(0);
    const auto col = [&](const char* name) {
      return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) -
                                      header.begin());
    };
    ASSERT_GT(rows.size(), 1U);
    for (std::size_t i = 1; i < rows.size(); ++i) {
      ASSERT_EQ(rows[i].size(), header.size());
      const std::string& code = rows[i][col("PARAMCD")];
      const auto* p = clinic::find_parameter_code(code);
      ASSERT_NE(p, nullptr) << code;
      seen.insert(code);
      EXPECT_EQ(rows[i][col("PARAM")], p->param) << code;
      EXPECT_EQ(rows[i][col("AVALU")], p->unit.empty() ? "NA" : std::string(p->unit)) << code;
    }
  }
  // Units written out for the codes of the brief and of model::Observation.
  EXPECT_EQ(clinic::find_parameter_code("PFS")->unit, "DAYS");
  EXPECT_EQ(clinic::find_parameter_code("PFS")->param, "Progression-free survival");
  EXPECT_EQ(clinic::find_parameter_code("NKBLD")->unit, "cells/uL");
  EXPECT_EQ(clinic::find_parameter_code("NKBLD")->param, "NK cells in blood");
  EXPECT_EQ(clinic::find_parameter_code("PLAT")->unit, "10^9/L");
  EXPECT_EQ(clinic::find_parameter_code("IL2CONC")->unit, "IU/mL");
  EXPECT_EQ(clinic::find_parameter_code("SIL2RA")->unit, "pg/mL");
  EXPECT_EQ(clinic::find_parameter_code("XYZ"), nullptr);
  // The table lists each code once, and the patients above recorded every code of it but DLT's
  // (all four are treated with DLT rows unless none was treated) — see the set.
  std::set<std::string_view> codes;
  for (const auto& p : clinic::parameter_codes()) EXPECT_TRUE(codes.insert(p.paramcd).second);
  for (const auto& code : seen) EXPECT_TRUE(codes.count(code)) << code;
  for (const char* code :
       {"PFS", "OS", "RELAPSE", "NRM", "NKBLD", "CD8BLD", "PLAT", "SIL2RA", "LYSK562", "LYSDAUDI",
        "LU20K562", "LU20DAUD", "WTGAIN", "IL2CONC", "MRD"})
    EXPECT_TRUE(seen.count(code)) << code << " not recorded by the simulated patients";
}

// Every row of every view has the cells of its header, and a number read back is the record's
// double exactly (the views need no refit from rounded text).
TEST(Views, RowsMatchTheirHeaderAndNumbersAreExact) {
  const RowContext c{"chiron-regimen", 0, 0.0, "chiron", "", std::nullopt};
  const auto records = simulated_records();
  auto views = view_headers();
  for (const auto& r : records) append_views(views, c, r);
  for (std::size_t k = 0; k < views.size(); ++k) {
    const auto rows = table_of(views[k]);
    // ADTTE at data cuts has rows only in randomized stages (tests/output/test_patient_data.cpp).
    if (view_files()[k] == AdtteCutView::kCsv) {
      EXPECT_EQ(rows.size(), 1U);
      continue;
    }
    ASSERT_GT(rows.size(), 1U) << view_files()[k];
    for (const auto& row : rows) EXPECT_EQ(row.size(), rows[0].size()) << view_files()[k];
  }
  const auto adlb = table_of(views[2]);  // for_each_patient_view: ADSL, ADTTE, ADLB, ADAE, EX
  const auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(adlb[0].begin(), adlb[0].end(), name) -
                                    adlb[0].begin());
  };
  const std::size_t aval = column("AVAL"), txdy = column("TXDY");
  ASSERT_LT(txdy, adlb[0].size());
  std::size_t i = 1;
  for (const auto& r : records) {
    for (const auto& l : r.labs) {
      ASSERT_LT(i, adlb.size());
      EXPECT_EQ(parse(adlb[i][aval]), l.value);
      EXPECT_EQ(parse(adlb[i][txdy]), l.day);
      ++i;
    }
  }
  EXPECT_EQ(i, adlb.size());
  const auto adsl = table_of(views[0]);
  EXPECT_EQ(parse(adsl[1][4]), records[0].covariates.age_years);  // AGE
}

}  // namespace
}  // namespace il2sim::output
