/// report.html of a real run: the hazard ratio, CI and log-rank p it prints for PFS and OS are
/// those of the run's own adtte.csv through the survival layer; the page has the same bytes for any
/// thread count; the progress bar goes to stderr only, and only when
/// asked. And the survival layer on a committed adtte.csv of a real run agrees with R's survival
/// package (tools/reference/report/adtte_check.R wrote tests/output/fixtures/adtte_phase3_r.csv).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "../cli/cli_runner.hpp"
#include "core/progress.hpp"
#include "core/units.hpp"
#include "survival/cox.hpp"
#include "survival/csv.hpp"
#include "survival/data.hpp"
#include "survival/km.hpp"
#include "survival/logrank.hpp"

namespace il2sim {
namespace {

using testing::read_text;
using testing::run_il2sim;

std::string temp_dir(const std::string& tag) {
  return (std::filesystem::temp_directory_path() /
          ("il2sim_report_" + std::to_string(::getpid()) + "_" + tag))
      .string();
}

/// One endpoint of an adtte.csv: time (days), event (CNSR == 0), arm.
struct EndpointData {
  std::vector<double> time;
  std::vector<int> event;
  std::vector<std::string> arm;
};

EndpointData read_endpoint(const survival::CsvTable& t, const std::string& paramcd) {
  const std::size_t c_param = t.column("PARAMCD"), c_aval = t.column("AVAL"),
                    c_cnsr = t.column("CNSR"), c_arm = t.column("ARM");
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    if (t.rows[i][c_param] == paramcd) rows.push_back(i);
  }
  EndpointData d;
  d.time = survival::read_times(t, c_aval, rows);
  // CNSR is 1 for censored, 0 for an event (CDISC): the event indicator is 1 - CNSR.
  for (const double c : survival::read_numbers(t, c_cnsr, rows))
    d.event.push_back(c == 0.0 ? 1 : 0);
  d.arm = survival::read_labels(t, c_arm, rows);
  return d;
}

survival::CoxResult cox_il2(const EndpointData& d) {
  survival::Design x;
  x.x.resize(static_cast<Eigen::Index>(d.arm.size()), 1);
  for (std::size_t i = 0; i < d.arm.size(); ++i)
    x.x(static_cast<Eigen::Index>(i), 0) = d.arm[i] == "il2" ? 1.0 : 0.0;
  x.terms = {"il2"};
  return survival::cox_fit(d.time, d.event, x, survival::single_level(d.time.size(), "all"),
                           survival::CoxOptions{});
}

survival::LogrankResult logrank_by_arm(const EndpointData& d) {
  return survival::logrank(d.time, d.event, survival::make_factor(d.arm),
                           survival::single_level(d.time.size(), "all"), 0.0);
}

/// The "<endpoint>: hazard ratio H (95 % CI L to U), log-rank p = P;" sentence of the report.
struct Printed {
  double hr = 0, lower = 0, upper = 0, p = 0;
  bool p_below = false;  ///< printed as "< 0.0001"
};

Printed printed(const std::string& html, const std::string& endpoint) {
  const std::regex re(
      endpoint +
      R"(: hazard ratio ([0-9.]+) \(95 % CI ([0-9.]+) to ([0-9.]+)\), log-rank p = (&lt; 0\.0001|[0-9.]+);)");
  std::smatch m;
  EXPECT_TRUE(std::regex_search(html, m, re)) << "no hazard-ratio sentence for " << endpoint;
  Printed p;
  if (m.empty()) return p;
  p.hr = std::stod(m[1]);
  p.lower = std::stod(m[2]);
  p.upper = std::stod(m[3]);
  p.p_below = m[4].str().starts_with("&lt;");
  p.p = p.p_below ? 1e-4 : std::stod(m[4]);
  return p;
}

// The report's printed PFS and OS comparisons are those of adtte.csv of the same run (replicate 0,
// full follow-up from randomization) through the survival layer: printed to 3 decimals (HR, CI) and
// 4 decimals (p), so they agree to half a unit in the last printed place.
TEST(ReportRun, PrintedHazardRatiosAndLogrankAreThoseOfAdtte) {
  const std::string dir = temp_dir("phase3");
  ASSERT_EQ(run_il2sim("run phase3-autosct-nhl --replicates 3 --out " + dir).exit_code, 0);
  const std::string html = read_text(dir + "/report.html");
  const auto table = survival::read_csv(dir + "/adtte.csv");
  for (const std::string endpoint : {"PFS", "OS"}) {
    const auto d = read_endpoint(table, endpoint);
    const auto cox = cox_il2(d);
    const auto lr = logrank_by_arm(d);
    const auto p = printed(html, endpoint);
    EXPECT_NEAR(p.hr, cox.terms[0].hr, 0.0005 + 1e-12) << endpoint;
    EXPECT_NEAR(p.lower, cox.terms[0].hr_lower, 0.0005 + 1e-12) << endpoint;
    EXPECT_NEAR(p.upper, cox.terms[0].hr_upper, 0.0005 + 1e-12) << endpoint;
    if (p.p_below) {
      EXPECT_LT(lr.p, 1e-4) << endpoint;
    } else {
      EXPECT_NEAR(p.p, lr.p, 0.00005 + 1e-12) << endpoint;
    }
  }
  // Every figure id of the randomized stage is on the page, with its data beside it.
  for (const char* id : {"s1-consort", "s1-km-PFS", "s1-km-OS", "s1-cif", "s1-nk", "s1-cd8",
                         "s1-il2", "s1-plt", "s1-hr-hist", "s1-attrition"}) {
    EXPECT_NE(html.find(std::string("id=\"") + id + "\""), std::string::npos) << id;
    EXPECT_TRUE(std::filesystem::is_regular_file(dir + "/figures/" + id + ".csv")) << id;
  }
  std::filesystem::remove_all(dir);
}

/// The rows of one kind and series of a figure's data (figures/<id>.csv, docs/report.md).
std::vector<std::vector<std::string>> figure_rows(const survival::CsvTable& t,
                                                  const std::string& series,
                                                  const std::string& kind) {
  std::vector<std::vector<std::string>> out;
  const std::size_t c_series = t.column("series"), c_kind = t.column("kind");
  for (const auto& row : t.rows) {
    if (row[c_series] == series && row[c_kind] == kind) out.push_back(row);
  }
  return out;
}

// The figures' data. The Kaplan–Meier figures' are the survival layer's Kaplan–Meier of adtte.csv,
// arm by arm: the steps (S at each event time, months = days / 30.4375) and the shaded band (the
// log-transform Greenwood CI of survfit's default). And the CONSORT flow's randomized and analysed
// counts per arm are adtte.csv's patients per arm (the example replicate's randomized patients;
// this scenario analyses intention to treat).
TEST(ReportRun, FigureDataAreThoseOfAdtte) {
  const std::string dir = temp_dir("figures");
  ASSERT_EQ(run_il2sim("run phase3-autosct-nhl --replicates 2 --out " + dir).exit_code, 0);
  const auto adtte = survival::read_csv(dir + "/adtte.csv");
  const auto d = read_endpoint(adtte, "PFS");
  const auto km = survival::read_csv(dir + "/figures/s1-km-PFS.csv");
  const auto flow = survival::read_csv(dir + "/figures/s1-consort.csv");
  for (const std::string arm : {"il2", "observation"}) {
    std::vector<double> t;
    std::vector<int> e;
    for (std::size_t i = 0; i < d.time.size(); ++i) {
      if (d.arm[i] == arm) t.push_back(d.time[i]), e.push_back(d.event[i]);
    }
    ASSERT_FALSE(t.empty()) << arm;
    const auto curve = survival::kaplan_meier(t, e, survival::KmOptions{}, arm);
    const auto steps = figure_rows(km, arm, "step");
    const auto band = figure_rows(km, arm + " 95 % CI", "band");
    std::size_t k = 1;  // row 0 is (0, 1)
    ASSERT_FALSE(steps.empty()) << arm;
    EXPECT_EQ(steps[0][2], "0");
    EXPECT_EQ(steps[0][5], "1");
    for (std::size_t i = 0; i < curve.time.size(); ++i) {
      if (curve.n_event[i] == 0) continue;
      ASSERT_LT(k, steps.size()) << arm;
      ASSERT_LT(k, band.size()) << arm;
      EXPECT_DOUBLE_EQ(std::stod(steps[k][2]), curve.time[i] / core::kDaysPerMonth) << arm;
      EXPECT_DOUBLE_EQ(std::stod(steps[k][5]), curve.surv[i]) << arm;
      if (std::isfinite(curve.lower[i])) {
        EXPECT_DOUBLE_EQ(std::stod(band[k][6]), curve.lower[i]) << arm;
        EXPECT_DOUBLE_EQ(std::stod(band[k][7]), curve.upper[i]) << arm;
      }
      ++k;
    }
    const auto patients = static_cast<long>(t.size());
    for (const std::string& box :
         std::vector<std::string>{"Randomized to " + arm, "Analysed (intention to treat)"}) {
      bool found = false;
      for (const auto& row : flow.rows) {
        if (row[0] != box || row[1] != arm || !row[2].empty()) continue;
        found = true;
        EXPECT_EQ(std::stol(row[3]), patients) << box;
      }
      EXPECT_TRUE(found) << box << " of " << arm;
    }
  }
  // The HR histogram is on a log axis: its bins have equal width in log HR (docs/report.md) and
  // hold every replicate's HR (2 replicates, each with a finite Cox HR in this scenario).
  const auto hist = survival::read_csv(dir + "/figures/s1-hr-hist.csv");
  const auto bars = figure_rows(hist, "replicates per bin", "bar");
  ASSERT_GE(bars.size(), 2U);
  double replicates = 0.0;
  const double width = std::log10(std::stod(bars[0][4]) / std::stod(bars[0][3]));
  for (const auto& b : bars) {
    replicates += std::stod(b[5]);
    EXPECT_NEAR(std::log10(std::stod(b[4]) / std::stod(b[3])), width, 1e-9);
  }
  EXPECT_EQ(replicates, 2.0);
  EXPECT_EQ(figure_rows(hist, "HR = 1", "reference").at(0)[2], "1");
  std::filesystem::remove_all(dir);
}

// Same scenario + seed ⇒ the same report bytes for any --threads (interfaces.md: only
// manifest.json may differ; timings and threads are only there).
TEST(ReportRun, SameBytesForAnyThreadCount) {
  const std::string a = temp_dir("t1"), b = temp_dir("t2");
  ASSERT_EQ(run_il2sim("run programme --replicates 2 --threads 1 --out " + a).exit_code, 0);
  ASSERT_EQ(run_il2sim("run programme --replicates 2 --threads 2 --out " + b).exit_code, 0);
  const std::string ra = read_text(a + "/report.html"), rb = read_text(b + "/report.html");
  EXPECT_EQ(ra.find("<section id=\"run-time\">"), std::string::npos);
  EXPECT_EQ(ra, rb);
  // One section per stage, in the scenario's order.
  std::size_t at = 0;
  for (int k = 1; k <= 6; ++k) {
    const auto pos = ra.find("<section id=\"stage" + std::to_string(k) + "\">");
    ASSERT_NE(pos, std::string::npos) << k;
    EXPECT_GT(pos, at) << k;
    at = pos;
  }
  for (const auto& d : {a, b}) std::filesystem::remove_all(d);
}

// Progress: nothing when stderr is not a terminal (the test redirects it to a file); with
// --progress the bar on stderr, ending at the total; stdout stays empty and the outputs do not
// change.
TEST(ReportRun, ProgressOnlyOnStderrAndOnlyWhenAsked) {
  const std::string a = temp_dir("quiet"), b = temp_dir("bar");
  const auto quiet = run_il2sim("run roche-phase1-autobmt --replicates 2 --out " + a);
  const auto bar = run_il2sim("run roche-phase1-autobmt --replicates 2 --progress --out " + b);
  ASSERT_EQ(quiet.exit_code, 0);
  ASSERT_EQ(bar.exit_code, 0);
  EXPECT_EQ(quiet.err, "");
  EXPECT_EQ(quiet.out, "");
  EXPECT_EQ(bar.out, "");
  EXPECT_NE(bar.err.find("] 2/2 replicates, done in "), std::string::npos) << bar.err;
  for (const char* f : {"summary.json", "adtte.csv", "adlb.csv"}) {
    EXPECT_EQ(read_text(a + "/" + f), read_text(b + "/" + f)) << f;
  }
  EXPECT_EQ(read_text(a + "/report.html"), read_text(b + "/report.html"));
  const std::string c = temp_dir("cohort");
  const auto cohort = run_il2sim("cohort --arm il2 --patients 4 --days 200 --progress --out " + c);
  ASSERT_EQ(cohort.exit_code, 0) << cohort.err;
  EXPECT_NE(cohort.err.find("] 4/4 patients, done in "), std::string::npos) << cohort.err;
  for (const auto& d : {a, b, c}) std::filesystem::remove_all(d);
}

// The bar's text: 30 columns, 40 % filled; ETA = elapsed / done × remaining = 8 s / 40 × 60 = 12 s.
TEST(Progress, LineShowsCountsAndEta) {
  EXPECT_EQ(core::progress_line(40, 100, "replicates", 8.0),
            "[============>                 ] 40/100 replicates, ETA 0:12");
  EXPECT_EQ(core::progress_line(0, 10, "patients", 0.0),
            "[>                             ] 0/10 patients, ETA --:--");
  EXPECT_EQ(core::progress_line(10, 10, "patients", 3725.0),
            "[==============================] 10/10 patients, done in 1:02:05");
}

// The survival layer on a committed adtte.csv of a real run (tests/output/fixtures/README.md)
// against R's survival 3.5 on the same file (adtte_phase3_r.csv, written by
// tools/reference/report/adtte_check.R).
TEST(ReportReference, AdtteSurvivalAgreesWithR) {
  const auto table = survival::read_csv("tests/output/fixtures/adtte_phase3.csv");
  const auto ref = survival::read_csv("tests/output/fixtures/adtte_phase3_r.csv");
  std::map<std::string, double> r;  // "endpoint/quantity/arm" -> value
  for (const auto& row : ref.rows) {
    double v = std::nan("");
    if (row[3] != "NA") {
      ASSERT_TRUE(survival::parse_number(row[3], v)) << row[3];
    }
    r[row[0] + "/" + row[1] + "/" + row[2]] = v;
  }
  ASSERT_FALSE(r.empty());
  const auto near = [](double ours, double theirs, const std::string& what) {
    if (std::isnan(theirs)) {
      EXPECT_TRUE(std::isnan(ours)) << what;
    } else {
      EXPECT_NEAR(ours, theirs, 1e-7 * std::max(1.0, std::abs(theirs))) << what;
    }
  };
  for (const std::string e : {"PFS", "OS"}) {
    const auto d = read_endpoint(table, e);
    const auto curves = survival::kaplan_meier(d.time, d.event, survival::make_factor(d.arm),
                                               survival::KmOptions{});
    ASSERT_EQ(curves.size(), 2U);
    for (const auto& c : curves) {
      const std::string k = "/" + c.group;
      near(static_cast<double>(c.n), r.at(e + "/n" + k), e + " n" + k);
      near(static_cast<double>(c.events), r.at(e + "/events" + k), e + " events" + k);
      near(c.median, r.at(e + "/median" + k), e + " median" + k);
      near(c.median_lower, r.at(e + "/median_lower" + k), e + " median_lower" + k);
      near(c.median_upper, r.at(e + "/median_upper" + k), e + " median_upper" + k);
      for (const int y : {1, 2, 4}) {
        const double t = y * 365.25;
        double s = 1.0;
        long at_risk = 0;
        bool found = false;
        for (std::size_t i = 0; i < c.time.size(); ++i) {
          if (c.time[i] <= t) s = c.surv[i];
          if (!found && c.time[i] >= t) at_risk = c.n_risk[i], found = true;
        }
        near(s, r.at(e + "/surv_" + std::to_string(y) + "y" + k), e + " surv" + k);
        near(static_cast<double>(at_risk), r.at(e + "/n_risk_" + std::to_string(y) + "y" + k),
             e + " n_risk" + k);
      }
    }
    const auto lr = logrank_by_arm(d);
    near(lr.chisq, r.at(e + "/logrank_chisq/"), e + " chisq");
    near(lr.p, r.at(e + "/logrank_p/"), e + " logrank p");
    const auto cox = cox_il2(d);
    near(cox.terms[0].coef, r.at(e + "/cox_coef/"), e + " coef");
    near(cox.terms[0].se, r.at(e + "/cox_se/"), e + " se");
    near(cox.terms[0].p, r.at(e + "/cox_p/"), e + " cox p");
    near(cox.terms[0].hr, r.at(e + "/hr/"), e + " hr");
    near(cox.terms[0].hr_lower, r.at(e + "/hr_lower/"), e + " hr_lower");
    near(cox.terms[0].hr_upper, r.at(e + "/hr_upper/"), e + " hr_upper");
  }
}

}  // namespace
}  // namespace il2sim
