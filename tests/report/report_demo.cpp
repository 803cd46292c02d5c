/// @file report_demo.cpp
/// Builds a sample report.html with every figure and table type of the report module from synthetic
/// data, for the browser test (tests/report/browser_check.sh) and for looking at the layout.
/// The data are drawn here from stated distributions with the project's random streams (seed 20240)
/// and summarised with textbook estimators (Kaplan–Meier, Aalen–Johansen, type-7 quantiles); they
/// are not model output, and the page says so.
///
/// Usage: il2sim_report_demo <out.html>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <numeric>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/random.hpp"
#include "core/version.hpp"
#include "report/html.hpp"
#include "report/svg_plot.hpp"

namespace {

using namespace il2sim;
using namespace il2sim::report;

constexpr std::uint64_t kSeed = 20240;
constexpr double kFollowUp = 730.0;  // days

struct Obs {
  double time;
  int cause;  // 0 = censored, 1.. = event type
};

/// Kaplan–Meier estimate (any cause counts as the event) as a Step series, with censoring marks and
/// the numbers at risk at `times`.
Step kaplan_meier(std::vector<Obs> obs, std::vector<long>& at_risk,
                  const std::vector<double>& times) {
  std::sort(obs.begin(), obs.end(), [](const Obs& a, const Obs& b) { return a.time < b.time; });
  Step s;
  s.x = {0.0};
  s.y = {1.0};
  double surv = 1.0;
  std::size_t i = 0;
  const std::size_t n = obs.size();
  while (i < n) {
    std::size_t j = i;
    long d = 0;
    while (j < n && obs[j].time == obs[i].time) {
      if (obs[j].cause != 0)
        ++d;
      else
        s.censor_x.push_back(obs[j].time);
      ++j;
    }
    if (d > 0) {
      surv *= 1.0 - static_cast<double>(d) / static_cast<double>(n - i);
      s.x.push_back(obs[i].time);
      s.y.push_back(surv);
    }
    i = j;
  }
  s.x_end = obs.back().time;
  at_risk.clear();
  for (const double t : times) {
    at_risk.push_back(static_cast<long>(
        std::count_if(obs.begin(), obs.end(), [t](const Obs& o) { return o.time >= t; })));
  }
  return s;
}

/// Aalen–Johansen cumulative incidence of `cause` with the other causes competing.
Step cumulative_incidence(std::vector<Obs> obs, int cause) {
  std::sort(obs.begin(), obs.end(), [](const Obs& a, const Obs& b) { return a.time < b.time; });
  Step s;
  s.x = {0.0};
  s.y = {0.0};
  double surv = 1.0, cif = 0.0;
  std::size_t i = 0;
  const std::size_t n = obs.size();
  while (i < n) {
    std::size_t j = i;
    long d_all = 0, d_k = 0;
    for (; j < n && obs[j].time == obs[i].time; ++j) {
      d_all += obs[j].cause != 0 ? 1 : 0;
      d_k += obs[j].cause == cause ? 1 : 0;
    }
    const auto at_risk = static_cast<double>(n - i);
    if (d_k > 0) {
      cif += surv * static_cast<double>(d_k) / at_risk;
      s.x.push_back(obs[i].time);
      s.y.push_back(cif);
    }
    surv *= 1.0 - static_cast<double>(d_all) / at_risk;
    i = j;
  }
  s.x_end = obs.back().time;
  return s;
}

/// Type-7 sample quantile (R's default): linear interpolation between order statistics.
double quantile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const double h = (static_cast<double>(v.size()) - 1.0) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

struct Arm {
  std::string name;
  double hr;  // hazard ratio of progression/death vs. observation (true value of the generator)
  std::size_t colour;
};

/// Exponential PFS/OS times with uniform censoring in [365, 1095] days capped at the 730-day
/// follow-up; for PFS the event is split into relapse (cause 1, 70 %) and NRM (cause 2).
std::vector<Obs> draw_times(const Arm& arm, int arm_index, double median, std::uint32_t purpose_key,
                            bool split_causes) {
  std::vector<Obs> obs;
  const double rate = std::log(2.0) / median * arm.hr;
  for (std::uint32_t p = 0; p < 80; ++p) {
    RandomStream rs(kSeed, purpose_key, static_cast<std::uint32_t>(arm_index) * 1000 + p,
                    Purpose::kTest);
    const double t_event = rs.exponential() / rate;
    const double t_cens = std::min(kFollowUp, 365.0 + 730.0 * rs.uniform());
    const int cause = split_causes ? (rs.uniform() < 0.7 ? 1 : 2) : 1;
    obs.push_back(t_event <= t_cens ? Obs{std::round(t_event), cause} : Obs{std::round(t_cens), 0});
  }
  return obs;
}

/// Per-patient synthetic counts at `days`: baseline lognormal(log base, 0.35); in the IL-2 arm an
/// expansion of `rise`-fold approached with a 14-day time constant during the 84-day regimen and
/// decaying with a 30-day time constant after; multiplicative visit noise lognormal(0, 0.15).
std::vector<std::vector<double>> draw_counts(int arm_index, bool il2, double base, double rise,
                                             const std::vector<double>& days, std::uint32_t key) {
  std::vector<std::vector<double>> by_day(days.size());
  for (std::uint32_t p = 0; p < 80; ++p) {
    RandomStream rs(kSeed, key, static_cast<std::uint32_t>(arm_index) * 1000 + p, Purpose::kTest);
    const double b = base * std::exp(0.35 * rs.normal());
    for (std::size_t k = 0; k < days.size(); ++k) {
      const double t = days[k];
      double f = 1.0;
      if (il2) {
        const double peak = rise * (1.0 - std::exp(-std::min(t, 84.0) / 14.0));
        f = 1.0 + (t <= 84.0 ? peak : peak * std::exp(-(t - 84.0) / 30.0));
      }
      by_day[k].push_back(b * f * std::exp(0.15 * rs.normal()));
    }
  }
  return by_day;
}

Figure band_figure(const std::string& id, const std::string& title, const std::string& ylabel,
                   bool log_y, const std::vector<Arm>& arms, double base, double rise,
                   std::uint32_t key) {
  std::vector<double> days;
  for (int d = 0; d <= 180; d += 7) days.push_back(d);
  Figure f;
  f.id = id;
  f.title = title;
  f.x.label = "Days since start of IL-2";
  f.x.min = 0.0;
  f.x.max = 180.0;
  f.y.label = ylabel;
  f.y.log10 = log_y;
  for (std::size_t a = 0; a < arms.size(); ++a) {
    const auto counts = draw_counts(static_cast<int>(a), arms[a].hr < 1.0, base, rise, days, key);
    Band band;
    Line median;
    band.x = median.x = days;
    for (const auto& v : counts) {
      band.lower.push_back(quantile(v, 0.05));
      band.upper.push_back(quantile(v, 0.95));
      median.y.push_back(quantile(v, 0.5));
    }
    band.colour = median.colour = arms[a].colour;
    band.label = arms[a].name + " 5–95 %";
    median.label = arms[a].name + " median";
    f.add(band).add(median);
  }
  return f;
}

/// One 3+3 trial (no de-escalation): cohorts of 3 at the current level; 0/3 DLT → escalate;
/// 1/3 → 3 more, 1/6 → escalate, else stop; >= 2 DLT → stop. The MTD is the level below the one
/// that stopped the trial (−1 = none), or the top level if it was passed.
struct EscalationTrial {
  std::vector<int> level;  // per patient
  std::vector<bool> dlt;   // per patient
  int mtd = -1;
};

EscalationTrial three_plus_three(const std::vector<double>& p_dlt, std::uint32_t replicate) {
  EscalationTrial t;
  RandomStream rs(kSeed, replicate, 0, Purpose::kTest);
  const int top = static_cast<int>(p_dlt.size()) - 1;
  int lv = 0;
  for (;;) {
    int dlts = 0;
    for (int i = 0; i < 3; ++i) {
      const bool d = rs.bernoulli(p_dlt[static_cast<std::size_t>(lv)]);
      t.level.push_back(lv);
      t.dlt.push_back(d);
      dlts += d ? 1 : 0;
    }
    if (dlts == 1) {
      for (int i = 0; i < 3; ++i) {
        const bool d = rs.bernoulli(p_dlt[static_cast<std::size_t>(lv)]);
        t.level.push_back(lv);
        t.dlt.push_back(d);
        dlts += d ? 1 : 0;
      }
    }
    if (dlts >= 2) {
      t.mtd = lv - 1;
      return t;
    }
    if (lv == top) {
      t.mtd = top;
      return t;
    }
    ++lv;
  }
}

int run(const std::string& out_path) {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<Arm> arms = {{"IL-2", 0.7, 0}, {"Observation", 1.0, 1}};
  Page page("il2sim report — synthetic demonstration");

  page.begin_section("overview", "Overview");
  page.paragraph(
      "Every number on this page is synthetic: drawn from simple stated distributions to "
      "exercise the report's figures and tables, not produced by the il2sim model.");
  std::vector<std::pair<std::string, std::string>> run_rows = {
      {"Scenario", "synthetic-demo (tests/report/report_demo.cpp)"},
      {"Seed", std::to_string(kSeed)},
      {"Version", std::string(kVersion)},
      {"Patients per arm", "80"}};

  // ---- Survival: KM of PFS and OS with censoring marks and numbers at risk.
  page.end_section();
  page.begin_section("survival", "Survival by arm");
  const Ticks risk_times = nice_ticks(0.0, kFollowUp, 8);
  std::vector<Obs> pfs_obs[2];
  for (const auto& [id, name, median, key] :
       {std::tuple{"km-pfs", "Progression-free survival", 300.0, 1U},
        std::tuple{"km-os", "Overall survival", 500.0, 2U}}) {
    Figure f;
    f.id = id;
    f.title = fmt::format("{} by arm (Kaplan–Meier)", name);
    f.x.label = "Days since randomization";
    f.x.min = 0.0;
    f.x.max = kFollowUp;
    f.y.label = name;
    f.y.min = 0.0;
    f.y.max = 1.0;
    RiskTable rt;
    rt.times = risk_times.values;
    for (std::size_t a = 0; a < arms.size(); ++a) {
      auto obs = draw_times(arms[a], static_cast<int>(a), median, key, key == 1U);
      if (key == 1U) pfs_obs[a] = obs;
      std::vector<long> at_risk;
      Step s = kaplan_meier(obs, at_risk, rt.times);
      s.label = arms[a].name;
      s.colour = arms[a].colour;
      f.add(s);
      rt.rows.push_back({arms[a].name, arms[a].colour, at_risk});
    }
    f.risk_table = rt;
    f.add(Annotation{kFollowUp - 20.0, 0.93, "Generator hazard ratio 0.70 (synthetic)", "end"});
    page.figure(f, fmt::format("{}: Kaplan–Meier estimates; + marks censored patients. Times are "
                               "exponential (median {:.0f} days in Observation) with uniform "
                               "censoring.",
                               name, median));
  }

  // ---- Cumulative incidence of relapse, NRM competing.
  {
    Figure f;
    f.id = "cif";
    f.title = "Cumulative incidence of relapse and non-relapse mortality";
    f.x.label = "Days since randomization";
    f.x.min = 0.0;
    f.x.max = kFollowUp;
    f.y.label = "Cumulative incidence";
    f.y.min = 0.0;
    f.y.max = 1.0;
    for (std::size_t a = 0; a < arms.size(); ++a) {
      Step rel = cumulative_incidence(pfs_obs[a], 1);
      rel.label = arms[a].name + ": relapse";
      rel.colour = arms[a].colour;
      Step nrm = cumulative_incidence(pfs_obs[a], 2);
      nrm.label = arms[a].name + ": NRM";
      nrm.colour = arms[a].colour;
      nrm.dashed = true;
      f.add(rel).add(nrm);
    }
    page.figure(f, "Aalen–Johansen estimates; relapse and non-relapse mortality compete.");
  }
  page.end_section();

  // ---- Blood counts and PK.
  page.begin_section("blood", "Blood counts and IL-2 exposure");
  page.figure(
      band_figure("nk", "Blood NK cells by arm", "NK cells per µL", true, arms, 150.0, 6.0, 3U),
      "Median and 5–95 % band across patients (log scale).");
  page.figure(band_figure("cd8", "Blood CD8 T cells by arm", "CD8 T cells per µL", false, arms,
                          300.0, 0.8, 4U),
              "Median and 5–95 % band across patients.");
  page.figure(band_figure("plt", "Platelets by arm", "Platelets ×10⁹/L", false,
                          {{"IL-2", 0.7, 0}, {"Observation", 1.0, 1}}, 120.0, -0.4, 5U),
              "Median and 5–95 % band across patients; IL-2 lowers the counts in this generator.");
  {
    // One-compartment continuous infusion, days 0–5 of each 14-day cycle: C = Css (1 - e^{-kt})
    // during, C_end e^{-k(t - 5)} after, k = 8 / day.
    Figure f;
    f.id = "il2conc";
    f.title = "IL-2 concentration during induction";
    f.x.label = "Days since start of IL-2";
    f.y.label = "IL-2 (IU/mL)";
    Line c;
    const double css = 60.0, k = 8.0;
    for (int i = 0; i <= 28 * 8; ++i) {
      const double t = i / 8.0;
      const double tc = std::fmod(t, 14.0);
      const double end = css * (1.0 - std::exp(-k * 5.0));
      c.x.push_back(t);
      c.y.push_back(tc <= 5.0 ? css * (1.0 - std::exp(-k * tc)) : end * std::exp(-k * (tc - 5.0)));
    }
    c.label = "Typical patient";
    f.add(c);
    f.add(RefLine{css, false, "steady state 60 IU/mL", 6});
    page.figure(f, "Concentration of a typical patient; dashed: the steady-state level.");
  }
  page.end_section();

  // ---- Toxicity and completion.
  page.begin_section("toxicity", "Toxicity and completion");
  {
    const std::vector<std::pair<std::string, std::vector<double>>> tox = {
        {"Fever", {0.3, 0.3, 0.1, 0.0}},
        {"Hypotension", {0.15, 0.1, 0.05, 0.01}},
        {"Capillary leak", {0.1, 0.05, 0.03, 0.0}},
        {"Thrombocytopenia", {0.2, 0.15, 0.1, 0.03}}};
    Table t;
    t.caption = "Worst CTC grade per patient, by arm";
    t.groups = {{"", 1}, {"IL-2 (n = 80)", 4}, {"Observation (n = 80)", 4}};
    t.header = {"Toxicity", "G1", "G2", "G3", "G4", "G1", "G2", "G3", "G4"};
    for (std::size_t r = 0; r < tox.size(); ++r) {
      std::vector<std::string> row = {tox[r].first};
      for (std::size_t a = 0; a < arms.size(); ++a) {
        std::vector<long> n(4, 0);
        for (std::uint32_t p = 0; p < 80; ++p) {
          RandomStream rs(kSeed, 10U + static_cast<std::uint32_t>(r),
                          static_cast<std::uint32_t>(a) * 1000 + p, Purpose::kTest);
          // Observation has a fifth of the IL-2 grade probabilities.
          const double scale = a == 0 ? 1.0 : 0.2;
          double u = rs.uniform(), acc = 0.0;
          for (std::size_t g = 0; g < 4; ++g) {
            acc += scale * tox[r].second[g];
            if (u < acc) {
              ++n[g];
              break;
            }
          }
        }
        for (const long c : n) row.push_back(std::to_string(c));
      }
      t.rows.push_back(row);
    }
    t.note = "Number of patients by worst grade; synthetic grade probabilities.";
    page.table(t);

    Table c;
    c.caption = "Completion of induction and maintenance";
    c.header = {"Arm", "Started", "Completed induction", "Completed maintenance"};
    for (std::size_t a = 0; a < arms.size(); ++a) {
      long ind = 0, maint = 0;
      for (std::uint32_t p = 0; p < 80; ++p) {
        RandomStream rs(kSeed, 20U, static_cast<std::uint32_t>(a) * 1000 + p, Purpose::kTest);
        const bool i = rs.bernoulli(a == 0 ? 0.85 : 1.0);
        ind += i ? 1 : 0;
        maint += (i && rs.bernoulli(a == 0 ? 0.7 : 1.0)) ? 1 : 0;
      }
      c.rows.push_back(
          {arms[a].name, "80",
           fmt::format("{} ({:.0f} %)", ind, 100.0 * static_cast<double>(ind) / 80.0),
           fmt::format("{} ({:.0f} %)", maint, 100.0 * static_cast<double>(maint) / 80.0)});
    }
    page.table(c);
  }
  page.end_section();

  // ---- Dose escalation (phase I).
  page.begin_section("phase1", "Dose escalation (phase I)");
  const std::vector<double> p_dlt = {0.05, 0.10, 0.20, 0.35, 0.50};
  const std::vector<std::string> levels = {"0.3 MIU/m²", "1 MIU/m²", "2 MIU/m²", "3 MIU/m²",
                                           "6 MIU/m²"};
  {
    const EscalationTrial t = three_plus_three(p_dlt, 100U);
    Figure f;
    f.id = "escalation";
    f.title = "Dose-escalation path of one 3+3 trial";
    f.x.label = "Patient";
    f.x.min = 0.0;
    f.x.max = static_cast<double>(t.level.size()) + 1.0;
    f.y.label = "Dose level";
    f.y.categories = levels;
    Step path;
    Points ok, dlt;
    for (std::size_t i = 0; i < t.level.size(); ++i) {
      const double x = static_cast<double>(i + 1);
      const double y = t.level[i];
      path.x.push_back(x);
      path.y.push_back(y);
      (t.dlt[i] ? dlt : ok).x.push_back(x);
      (t.dlt[i] ? dlt : ok).y.push_back(y);
    }
    path.colour = 6;
    path.width = 1.0;
    ok.label = "no DLT";
    ok.filled = false;
    ok.colour = 0;
    dlt.label = "DLT";
    dlt.colour = 1;
    dlt.marker = Marker::kTriangle;
    f.add(path).add(ok).add(dlt);
    if (t.mtd >= 0) f.add(RefLine{static_cast<double>(t.mtd), false, "selected MTD", 2});
    page.figure(f,
                "Dose by patient; filled triangles mark DLTs. True DLT probabilities 0.05, 0.10, "
                "0.20, 0.35, 0.50.");
  }
  {
    const int reps = 2000;
    std::vector<double> sel(levels.size() + 1, 0.0);
    for (int r = 0; r < reps; ++r) {
      sel[static_cast<std::size_t>(
          three_plus_three(p_dlt, 1000U + static_cast<std::uint32_t>(r)).mtd + 1)] += 1.0 / reps;
    }
    Figure f;
    f.id = "mtd";
    f.title = "MTD selection probabilities (3+3, 2000 simulated trials)";
    f.x.label = "Selected dose";
    f.x.categories = {"none"};
    f.x.categories.insert(f.x.categories.end(), levels.begin(), levels.end());
    f.y.label = "Probability of selection";
    f.y.min = 0.0;
    Bars b;
    for (std::size_t i = 0; i < sel.size(); ++i) {
      b.x.push_back(static_cast<double>(i));
      b.height.push_back(sel[i]);
    }
    b.label = "3+3";
    f.add(b);
    page.figure(f, "Proportion of simulated trials selecting each dose.");
  }
  page.end_section();

  // ---- Replicated trials.
  page.begin_section("replicates", "Replicated trials");
  {
    // log HR estimates ~ N(log 0.7, 4/d) with d = 120 events (Schoenfeld's variance); power is the
    // proportion with z = log HR / sqrt(4/d) < -1.96.
    const int reps = 1000;
    const double d = 120.0, se = std::sqrt(4.0 / d);
    std::vector<double> hr;
    int sig = 0;
    for (int r = 0; r < reps; ++r) {
      RandomStream rs(kSeed, 30U, static_cast<std::uint32_t>(r), Purpose::kTest);
      const double lhr = std::log(0.7) + se * rs.normal();
      hr.push_back(std::exp(lhr));
      sig += lhr / se < -1.96 ? 1 : 0;
    }
    Figure f;
    f.id = "hr-hist";
    f.title = "Distribution of the estimated hazard ratio";
    f.x.label = "Hazard ratio (IL-2 vs. Observation)";
    f.y.label = "Replicates";
    Bars h;
    const double w = 0.05;
    for (int bin = 0; bin < 22; ++bin) {  // bins [0.30, 0.35), ..., [1.35, 1.40)
      const double lo = 0.3 + w * bin;
      h.x.push_back(lo + w / 2);
      h.height.push_back(static_cast<double>(
          std::count_if(hr.begin(), hr.end(), [&](double v) { return v >= lo && v < lo + w; })));
    }
    h.width = w;
    h.label = "Replicates per bin";
    f.add(h);
    f.add(RefLine{1.0, true, "HR = 1", 6});
    f.add(RefLine{0.7, true, "true 0.70", 1});
    page.figure(f, "Histogram of the hazard-ratio estimates over 1000 synthetic replicates.");
    run_rows.emplace_back(
        "Power (synthetic, two-sided 5 %)",
        fmt::format("{:.3f} ({} of {} replicates)", static_cast<double>(sig) / reps, sig, reps));
  }
  {
    const std::vector<std::pair<std::string, double>> causes = {
        {"Relapse", 0.12}, {"NRM", 0.06}, {"GVHD", 0.08}, {"Refusal", 0.04}, {"Low counts", 0.03}};
    Figure f;
    f.id = "attrition";
    f.title = "Attrition before randomization by cause (mean per trial of 200 transplanted)";
    f.x.label = "Cause";
    f.y.label = "Patients";
    f.y.min = 0.0;
    Bars b;
    for (std::size_t c = 0; c < causes.size(); ++c) {
      f.x.categories.push_back(causes[c].first);
      double total = 0.0;
      for (std::uint32_t r = 0; r < 200; ++r) {
        for (std::uint32_t p = 0; p < 200; ++p) {
          RandomStream rs(kSeed, 40U + r, static_cast<std::uint32_t>(c) * 1000 + p, Purpose::kTest);
          total += rs.bernoulli(causes[c].second) ? 1.0 : 0.0;
        }
      }
      b.x.push_back(static_cast<double>(c));
      b.height.push_back(total / 200.0);
    }
    b.colour = 2;
    b.label = "Mean over 200 replicates";
    f.add(b);
    page.figure(f, "Patients lost between transplant and randomization, by cause.");
  }
  {
    // A CONSORT-style flow with made-up counts that add up (200 registered, 96 not randomized,
    // 104 randomized 52/52), long reasons to exercise the wrapping.
    report::FlowChart c;
    c.id = "consort";
    c.title = "Flow of patients (CONSORT), synthetic counts";
    c.top = {"Registered at transplant", 200, 199.4, {}};
    c.side = report::FlowBox{"Not randomized",
                             96,
                             95.1,
                             {{"relapse before the would-be start of IL-2", 40, 39.5},
                              {"non-relapse mortality", 20, 21.0},
                              {"GVHD", 22, 20.2},
                              {"refusal", 14, 14.4}}};
    c.middle = {"Randomized", 104, 104.3, {}};
    c.column_names = {"IL-2", "Observation"};
    c.columns = {
        {{"Randomized to IL-2", 52, 52.2, {}},
         {"Started IL-2", 40, 41.0, {{"never started: platelets below the criterion", 12, 11.2}}},
         {"Analysed (intention to treat)", 52, 52.2, {}}},
        {{"Randomized to Observation", 52, 52.1, {}},
         {"Would have started IL-2 (no IL-2 on this arm)",
          44,
          42.9,
          {{"would not have started: refusal", 8, 9.2}}},
         {"Analysed (intention to treat)", 52, 52.1, {}}}};
    page.flow(c,
              "Synthetic counts: registration, exclusions by reason, randomization, start of "
              "treatment and analysis.");
  }
  page.end_section();

  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run_rows.emplace_back("Run time", fmt::format("{:.2f} s", secs));
  page.begin_section("about", "About this run");
  page.key_values("Run", run_rows);
  page.end_section();
  core::write_file_atomically(out_path, page.render());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: il2sim_report_demo <out.html>\n");
    return static_cast<int>(ExitCode::kUserError);
  }
  try {
    return run(argv[1]);
  } catch (const UserError& e) {
    std::fprintf(stderr, "il2sim_report_demo: %s\n", e.what());
    return static_cast<int>(ExitCode::kUserError);
  }
}
