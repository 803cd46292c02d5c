#include "output/report.hpp"
#include "core/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "clinic/endpoints.hpp"
#include "core/output_file.hpp"
#include "core/text.hpp"
#include "core/units.hpp"
#include "output/views.hpp"
#include "report/html.hpp"
#include "report/svg_plot.hpp"
#include "survival/cox.hpp"
#include "survival/cuminc.hpp"
#include "survival/data.hpp"
#include "survival/km.hpp"
#include "survival/logrank.hpp"

namespace il2sim::output {
namespace {

using report::Figure;
using report::Page;
using report::Table;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using core::kDaysPerMonth;

// ---- Number formats: one rule per kind of number, NaN as an em dash.
// --------------------------------

std::string fixed(double v, int decimals) {
  return std::isfinite(v) ? report::fixed(v, decimals) : std::string("—");
}
std::string percent(double fraction) {
  return std::isfinite(fraction) ? report::fixed(100.0 * fraction, 1) + " %" : std::string("—");
}
std::string count_of(long k, long n) {
  return n > 0 ? fmt::format("{} ({})", k, percent(static_cast<double>(k) / static_cast<double>(n)))
               : std::to_string(k);
}
/// p-values: four decimals, or "< 0.0001".
std::string p_value(double p) {
  if (!std::isfinite(p)) return "—";
  return p < 1e-4 ? std::string("< 0.0001") : report::fixed(p, 4);
}
/// A dose in product units/m²/day, in millions.
std::string dose_text(double dose) {
  return fmt::format("{}×10⁶/m²/d", report::fixed(dose / 1e6, 2));
}
std::string level_text(const scenario::DoseLevel& l, std::size_t index) {
  std::string s = fmt::format("L{}: {}", index + 1, dose_text(l.dose));
  if (l.days) s += fmt::format(" × {} d", report::fixed(*l.days, 0));
  return s;
}

/// The operating characteristics of stage i (computed once, the objects summary.json is written
/// from).
template <class T>
const T& stats_of(const RunData& d, std::size_t i) {
  return std::get<T>(d.stats.at(i));
}

/// A figure id from a stage index and a suffix ("s2-km-pfs").
std::string fig_id(std::size_t stage, std::string_view what) {
  return fmt::format("s{}-{}", stage + 1, what);
}

// ---- Survival data of one stage's patients
// --------------------------------------------------------------

/// One patient's endpoints from its stage's origin (the rows of adtte.csv).
struct Outcome {
  std::string arm;
  double pfs = 0, os = 0, relapse = 0, nrm = 0;
  int pfs_e = 0, os_e = 0, relapse_e = 0, nrm_e = 0;
};

/// The computed endpoints (clinic::survival_endpoints, the same values adtte.csv writes), not a
/// text round trip: the CSV views write times that read back exactly, so file and page agree.
Outcome outcome(const trial::StagePatient& p) {
  const auto s = clinic::survival_endpoints(p.record, p.origin);
  Outcome o;
  o.arm = p.record.arm;
  o.pfs = s.pfs.time, o.pfs_e = s.pfs.event;
  o.os = s.os.time, o.os_e = s.os.event;
  o.relapse = s.relapse.time, o.relapse_e = s.relapse.event;
  o.nrm = s.nrm.time, o.nrm_e = s.nrm.event;
  return o;
}

/// A Kaplan–Meier curve as a step series in months: a step at every event time, "+" at every
/// censoring time, running to the last follow-up.
report::Step km_step(const survival::KmCurve& c) {
  report::Step s;
  s.x = {0.0};
  s.y = {1.0};
  for (std::size_t i = 0; i < c.time.size(); ++i) {
    if (c.n_event[i] > 0) {
      s.x.push_back(c.time[i] / kDaysPerMonth);
      s.y.push_back(c.surv[i]);
    }
    if (c.n_censor[i] > 0) s.censor_x.push_back(c.time[i] / kDaysPerMonth);
  }
  if (!c.time.empty()) s.x_end = c.time.back() / kDaysPerMonth;
  return s;
}

/// Numbers at risk at `t` days: n_risk at the first curve time >= t (0 beyond the last).
long at_risk(const survival::KmCurve& c, double t) {
  for (std::size_t i = 0; i < c.time.size(); ++i) {
    if (c.time[i] >= t) return c.n_risk[i];
  }
  return 0;
}

/// Two-arm comparison of one endpoint: Cox HR (experimental vs control, Efron) with its 95 % CI and
/// the two-sided log-rank p.
struct Comparison {
  bool valid = false;
  double hr = kNaN, lower = kNaN, upper = kNaN, p = kNaN;
  long events = 0;
};

Comparison compare(const std::vector<double>& time, const std::vector<int>& event,
                   const std::vector<std::string>& arm, const std::string& experimental) {
  Comparison c;
  const auto groups = survival::make_factor(arm);
  c.events = std::count(event.begin(), event.end(), 1);
  if (groups.levels.size() != 2 || c.events == 0) return c;
  const auto one = survival::single_level(time.size(), "all");
  c.p = survival::logrank(time, event, groups, one, 0.0).p;
  survival::Design x;
  x.x.resize(static_cast<Eigen::Index>(arm.size()), 1);
  for (std::size_t i = 0; i < arm.size(); ++i)
    x.x(static_cast<Eigen::Index>(i), 0) = arm[i] == experimental ? 1.0 : 0.0;
  x.terms = {"arm" + experimental};
  const auto fit = survival::cox_fit(time, event, x, one, survival::CoxOptions{});
  c.hr = fit.terms[0].hr;
  c.lower = fit.terms[0].hr_lower;
  c.upper = fit.terms[0].hr_upper;
  c.valid = true;
  return c;
}

std::string comparison_text(const std::string& endpoint, const Comparison& c,
                            const std::string& experimental, const std::string& control) {
  if (!c.valid) return fmt::format("{}: no comparison (one arm or no event).", endpoint);
  return fmt::format(
      "{}: hazard ratio {} (95 % CI {} to {}), log-rank p = {}; Cox model, {} vs {}.", endpoint,
      fixed(c.hr, 3), fixed(c.lower, 3), fixed(c.upper, 3), p_value(c.p), experimental, control);
}

/// A KM figure by arm with numbers at risk; x in months from `origin_text`.
Figure km_figure(const std::string& id, const std::string& title, const std::string& origin_text,
                 const std::vector<std::string>& arms, const std::vector<double>& time,
                 const std::vector<int>& event, const std::vector<std::string>& arm_of,
                 std::vector<survival::KmCurve>& curves) {
  Figure f;
  f.id = id;
  f.title = title;
  const double t_max =
      time.empty() ? 1.0 : std::max(1.0, *std::max_element(time.begin(), time.end()));
  const auto ticks = report::nice_cover(0.0, t_max / kDaysPerMonth, 8);
  f.x.label = "Months since " + origin_text;
  f.x.min = 0.0;
  f.x.max = ticks.values.back();
  f.y.label = "Probability";
  f.y.min = 0.0;
  f.y.max = 1.0;
  report::RiskTable rt;
  rt.times = ticks.values;
  curves.clear();
  for (std::size_t a = 0; a < arms.size(); ++a) {
    std::vector<double> t;
    std::vector<int> e;
    for (std::size_t i = 0; i < time.size(); ++i) {
      if (arm_of[i] == arms[a]) t.push_back(time[i]), e.push_back(event[i]);
    }
    if (t.empty()) continue;
    curves.push_back(survival::kaplan_meier(t, e, survival::KmOptions{}, arms[a]));
    auto s = km_step(curves.back());
    s.label = arms[a];
    s.colour = a;
    f.add(s);
    report::RiskTable::Row row{arms[a], a, {}};
    for (const double m : rt.times) row.counts.push_back(at_risk(curves.back(), m * kDaysPerMonth));
    rt.rows.push_back(row);
  }
  f.risk_table = rt;
  return f;
}

Table km_table(const std::string& caption, const std::vector<survival::KmCurve>& curves) {
  Table t;
  t.caption = caption;
  t.header = {"Arm", "Patients", "Events", "Median (months)", "95 % CI of the median"};
  for (const auto& c : curves) {
    t.rows.push_back({c.group, std::to_string(c.n), std::to_string(c.events),
                      fixed(c.median / kDaysPerMonth, 1),
                      fmt::format("{} to {}", fixed(c.median_lower / kDaysPerMonth, 1),
                                  fixed(c.median_upper / kDaysPerMonth, 1))});
  }
  t.note = "Kaplan–Meier (log-transformed CI, as R's survfit); — = not reached.";
  return t;
}

// ---- Labs across patients
// --------------------------------------------------------------------------------

/// Median and 5–95 % band of one lab by arm at the visits scheduled from IL-2 start (or the
/// would-be start), x = days from the patient's `origin` (or from IL-2 start when `from_start`).
struct LabSpec {
  std::string paramcd, title, ylabel;
  bool log10 = false;
  bool treated_only = false;
};

bool add_lab_figure(Page& page, const std::string& id, const LabSpec& spec,
                    const std::vector<std::string>& arms,
                    std::span<const trial::StagePatient> patients, const std::string& origin_text) {
  Figure f;
  f.id = id;
  f.title = spec.title;
  f.x.label = "Days since " + origin_text;
  f.y.label = spec.ylabel;
  f.y.log10 = spec.log10;
  if (!spec.log10) f.y.min = 0.0;
  bool any = false;
  double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo;
  for (std::size_t a = 0; a < arms.size(); ++a) {
    std::map<long, std::vector<double>> by_day;  // key: day × 100 from the origin
    long patients_in_arm = 0;
    for (const auto& p : patients) {
      if (p.record.arm != arms[a]) continue;
      if (spec.treated_only && !(p.record.treated && p.record.start_day)) continue;
      ++patients_in_arm;
      const double origin = spec.treated_only ? *p.record.start_day : p.origin;
      for (const auto& l : p.record.labs) {
        if (l.paramcd != spec.paramcd || l.visit.starts_with("TX ")) continue;
        if (spec.log10 && !(l.value > 0)) continue;
        by_day[std::lround((l.day - origin) * 100.0)].push_back(l.value);
      }
    }
    // A visit is shown when at least a fifth of the arm (and 3 patients) has a value there.
    const auto needed = static_cast<std::size_t>(std::max(3L, (patients_in_arm + 4) / 5));
    report::Band band;
    report::Line median;
    for (const auto& [key, values] : by_day) {
      if (values.size() < needed) continue;
      const double x = static_cast<double>(key) / 100.0;
      band.x.push_back(x);
      median.x.push_back(x);
      band.lower.push_back(core::quantile(values, 0.05));
      band.upper.push_back(core::quantile(values, 0.95));
      median.y.push_back(core::quantile(values, 0.5));
    }
    if (median.x.size() < 2) continue;
    any = true;
    x_lo = std::min(x_lo, median.x.front());
    x_hi = std::max(x_hi, median.x.back());
    band.colour = median.colour = a;
    band.label = arms[a] + " 5–95 %";
    median.label = arms[a] + " median";
    f.add(band).add(median);
  }
  if (!any) return false;
  // The axis spans the visits exactly (ticks inside it), so that the baseline visit does not widen
  // it to the next tick below zero.
  f.x.min = x_lo;
  f.x.max = x_hi;
  f.x.nice = false;
  page.figure(
      f, fmt::format("{}: median (line) and 5th–95th percentiles (band) across the {}patients of "
                     "the example replicate at the visits scheduled from {}{}.",
                     spec.title, spec.treated_only ? "treated " : "", origin_text,
                     spec.log10 ? "; log scale" : ""));
  return true;
}

// ---- Toxicity and completion
// -------------------------------------------------------------------------------

void toxicity_table(Page& page, const std::vector<std::string>& arms,
                    std::span<const trial::StagePatient> patients) {
  Table t;
  t.caption = "Toxicity by worst CTC grade and arm (treated patients)";
  t.groups.push_back({"", 1});
  t.header = {"Toxicity"};
  std::vector<std::string> shown;
  std::vector<long> n;
  for (const auto& arm : arms) {
    const long k = std::count_if(
        patients.begin(), patients.end(),
        [&](const trial::StagePatient& p) { return p.record.arm == arm && p.record.treated; });
    if (k == 0) continue;
    shown.push_back(arm);
    n.push_back(k);
    t.groups.push_back({fmt::format("{} (n = {})", arm, k), 4});
    for (int g = 1; g <= 4; ++g) t.header.push_back(fmt::format("G{}", g));
  }
  if (shown.empty()) {
    page.paragraph("No patient received IL-2: no treatment-emergent toxicity to tabulate.");
    return;
  }
  for (std::size_t k = 0; k <= clinic::kToxTermCount; ++k) {
    const bool any = k == clinic::kToxTermCount;
    std::vector<std::string> row = {
        any ? std::string("Any of the above")
            : std::string(clinic::to_string(static_cast<clinic::ToxTerm>(k)))};
    for (std::size_t a = 0; a < shown.size(); ++a) {
      std::array<long, 5> by_grade{};
      for (const auto& p : patients) {
        if (p.record.arm != shown[a] || !p.record.treated) continue;
        const int worst =
            any ? *std::max_element(p.record.max_grade.begin(), p.record.max_grade.end())
                : p.record.max_grade[k];
        ++by_grade[static_cast<std::size_t>(std::clamp(worst, 0, 4))];
      }
      for (std::size_t g = 1; g <= 4; ++g) row.push_back(count_of(by_grade[g], n[a]));
    }
    t.rows.push_back(row);
  }
  std::vector<std::string> untreated;
  for (const auto& arm : arms) {
    if (std::find(shown.begin(), shown.end(), arm) == shown.end()) untreated.push_back(arm);
  }
  t.note =
      "Patients (% of treated) by their worst treatment-emergent grade of each term, the example "
      "replicate.";
  if (!untreated.empty())
    t.note += fmt::format(" Arms without IL-2 ({}) have no treated patients.",
                          fmt::join(untreated, ", "));
  page.table(t);
}

void completion_table(Page& page, const std::vector<std::string>& arms,
                      std::span<const trial::StagePatient> patients) {
  Table t;
  t.caption = "Start and completion of IL-2 by arm";
  t.header = {"Arm", "Patients", "Started IL-2", "Completed induction", "Completed maintenance",
              "DLT"};
  for (const auto& arm : arms) {
    long n = 0, treated = 0, ind = 0, mnt = 0, dlt = 0;
    for (const auto& p : patients) {
      if (p.record.arm != arm) continue;
      ++n;
      if (!p.record.treated) continue;
      ++treated;
      ind += p.record.completed_induction;
      mnt += p.record.completed_maintenance;
      dlt += p.record.dlt;
    }
    t.rows.push_back({arm, std::to_string(n), count_of(treated, n), count_of(ind, treated),
                      count_of(mnt, treated), count_of(dlt, treated)});
  }
  t.note =
      "Completion and DLT as % of the patients who started IL-2; the example replicate. A phase "
      "counts as "
      "completed "
      "when its full planned dose was delivered without a hold.";
  page.table(t);
}

// ---- Dose escalation
// -------------------------------------------------------------------------------------------

void mtd_figure(Page& page, const RunData& d, std::size_t i,
                const std::vector<std::string>& levels);
void levels_table(Page& page, const RunData& d, std::size_t i);

void escalation_section(Page& page, const RunData& d, std::size_t i) {
  const auto& st = d.scenario.stages[i];
  std::vector<std::string> levels;
  for (std::size_t l = 0; l < st.levels.size(); ++l) levels.push_back(level_text(st.levels[l], l));
  const auto* e = std::get_if<trial::EscalationResult>(&d.first.stages[i]);
  if (e != nullptr && !e->patients.empty()) {
    Figure f;
    f.id = fig_id(i, "path");
    f.title = fmt::format("{}: dose-escalation path (example replicate)", st.name);
    f.x.label = "Patient (order of treatment)";
    f.x.min = 0.0;
    f.x.max = static_cast<double>(e->patients.size()) + 1.0;
    f.x.grid = false;
    f.y.label = "Dose level";
    f.y.categories = levels;
    report::Step path;
    report::Points ok, dlt;
    for (std::size_t k = 0; k < e->patients.size(); ++k) {
      const double x = static_cast<double>(k + 1);
      const auto y = static_cast<double>(e->patients[k].level);
      path.x.push_back(x);
      path.y.push_back(y);
      auto& pts = e->patients[k].dlt ? dlt : ok;
      pts.x.push_back(x);
      pts.y.push_back(y);
    }
    path.x_end = static_cast<double>(e->patients.size());
    path.colour = 6;
    path.width = 1.0;
    ok.label = "no DLT";
    ok.filled = false;
    ok.colour = 0;
    dlt.label = "DLT";
    dlt.colour = 1;
    dlt.marker = report::Marker::kTriangle;
    f.add(path).add(ok).add(dlt);
    if (e->mtd) f.add(report::RefLine{static_cast<double>(*e->mtd), false, "selected MTD", 2});
    const long dlts =
        std::count_if(e->patients.begin(), e->patients.end(), [](const auto& p) { return p.dlt; });
    page.figure(
        f, fmt::format(
               "Dose level of each evaluable patient of the example replicate in order of "
               "treatment; red "
               "triangles mark dose-limiting toxicities ({} of {} patients). Selected MTD: {}. "
               "{} registered patient(s) were not evaluable and were replaced.",
               dlts, e->patients.size(),
               e->mtd ? levels[static_cast<std::size_t>(*e->mtd)] : "none", e->not_evaluable));
  } else {
    page.paragraph("The example replicate treated no evaluable patient in this stage.");
  }
  mtd_figure(page, d, i, levels);
  levels_table(page, d, i);
}

void mtd_figure(Page& page, const RunData& d, std::size_t i,
                const std::vector<std::string>& levels) {
  const auto& st = d.scenario.stages[i];
  const auto& js = stats_of<trial::EscalationSummary>(d, i);
  {
    Figure f;
    f.id = fig_id(i, "mtd");
    f.title =
        fmt::format("{}: MTD selection over {} replicate(s)", st.name, d.summary.replicates());
    f.x.label = "Selected dose level";
    f.x.categories = {"none"};
    f.x.categories.insert(f.x.categories.end(), levels.begin(), levels.end());
    f.x.grid = false;
    f.y.label = "Probability of selection";
    f.y.min = 0.0;
    f.y.max = 1.0;
    report::Bars b;
    b.x.push_back(0.0);
    b.height.push_back(js.p_select_none);
    for (std::size_t l = 0; l < st.levels.size(); ++l) {
      b.x.push_back(static_cast<double>(l + 1));
      b.height.push_back(js.levels.at(l).p_select);
    }
    b.label = "proportion of replicates";
    f.add(b);
    page.figure(
        f,
        "Proportion of replicates selecting each dose level as the MTD (summary.json p_select).");
  }
}

void levels_table(Page& page, const RunData& d, std::size_t i) {
  const auto& st = d.scenario.stages[i];
  const auto& js = stats_of<trial::EscalationSummary>(d, i);
  Table t;
  t.caption = fmt::format("{}: dose levels over replicates", st.name);
  t.header = {"Level", "Dose", "Days", "P(selected as MTD)", "Mean patients", "Observed DLT rate"};
  for (std::size_t l = 0; l < st.levels.size(); ++l) {
    const auto& jl = js.levels.at(l);
    t.rows.push_back({std::to_string(l + 1), dose_text(st.levels[l].dose),
                      st.levels[l].days ? fixed(*st.levels[l].days, 0) : std::string("regimen"),
                      fixed(jl.p_select, 3), fixed(jl.mean_patients, 2),
                      percent(jl.observed_dlt_rate)});
  }
  t.note = fmt::format("Method {}; mean evaluable patients per trial {}; mean not evaluable {}.",
                       js.method, fixed(js.mean_patients, 2), fixed(js.mean_not_evaluable, 2));
  page.table(t);
}

// ---- Single arm
// ----------------------------------------------------------------------------------------------

/// "mean (lo to hi)" of a spread over replicates (2.5–97.5 %).
std::string spread_text(const trial::Spread& s, int decimals) {
  return fmt::format("{} ({} to {})", fixed(s.mean, decimals), fixed(s.q025, decimals),
                     fixed(s.q975, decimals));
}

void selection_bias_table(Page& page, const scenario::StageSpec& st,
                          const trial::SelectionBiasSummary& sb);
void selection_bias_km(Page& page, const scenario::StageSpec& st, std::size_t i,
                       const trial::SingleArmResult& a);

/// The selection-bias analysis of a single-arm stage (summary.json selection_bias; the example
/// replicate's Kaplan–Meier data in SingleArmResult::samples).
void selection_bias_part(Page& page, const scenario::StageSpec& st, std::size_t i,
                         const trial::SingleArmResult& a, const trial::SelectionBiasSummary& sb) {
  const std::string days = fixed(st.comparison_days, 0);
  page.heading(fmt::format("{}: how much of the single-arm result is selection", st.name));
  const auto& without = sb.without_effect;
  const auto& with = sb.with_effect;
  const auto& benefit = sb.apparent_benefit;
  const double b = benefit.mean;
  const double w = with.difference_from_transplant.mean;
  const std::string share =
      std::isfinite(b) && std::isfinite(w) && w > 0.0 && b > 0.0
          ? fmt::format(" That is {} of the difference seen with IL-2's effect ({}).",
                        percent(b / w), fixed(w, 3))
          : std::string();
  page.paragraph(fmt::format(
      "The treated patients of this stage were run twice with the same virtual patients and "
      "random streams: as simulated, and with IL-2's effect on tumour kill removed (from IL-2 "
      "start the kill uses the NK and CD8 cells the patient would have without IL-2, no "
      "activation, no LAK cells), while the IL-2 concentrations, immune counts, toxicity and the "
      "clinic are unchanged. Only patients alive, relapse-free and eligible at IL-2 start enter a "
      "single-arm trial, while a historical control measured from transplant includes everybody "
      "registered. Without any effect on the tumour, relapse-free survival at {} days from "
      "transplant, treated minus historical control, is {} on average over {} replicates "
      "(2.5–97.5 %: {} to {}): the apparent benefit that selection alone creates (positive: the "
      "trial looks better than the control although IL-2 does nothing to the tumour).{} Measured "
      "from the landmark (the control restricted to patients alive and relapse-free at the "
      "would-be start), the difference without the effect is {}. With the effect, the differences "
      "are {} from transplant and {} from the landmark.",
      days, fixed(b, 3), fixed(static_cast<double>(sb.replicates), 0), fixed(benefit.q025, 3),
      fixed(benefit.q975, 3), share, spread_text(without.difference_from_landmark, 3),
      spread_text(with.difference_from_transplant, 3),
      spread_text(with.difference_from_landmark, 3)));
  selection_bias_table(page, st, sb);
  selection_bias_km(page, st, i, a);
}

void selection_bias_table(Page& page, const scenario::StageSpec& st,
                          const trial::SelectionBiasSummary& sb) {
  const std::string days = fixed(st.comparison_days, 0);
  Table t;
  t.caption = fmt::format(
      "{}: relapse-free survival at {} days, with and without IL-2's effect on tumour kill, "
      "mean (2.5–97.5 % over replicates)",
      st.name, days);
  t.header = {
      "IL-2 effect on kill",  "Origin",       "Treated", "Historical control", "Treated − control",
      "P(log-rank p < 0.05)", "Response rate"};
  for (const auto& [label, e] :
       {std::pair{"with", &sb.with_effect}, std::pair{"without", &sb.without_effect}}) {
    t.rows.push_back({label, "transplant", spread_text(e->rfs_from_transplant, 3),
                      spread_text(sb.control_from_transplant, 3),
                      spread_text(e->difference_from_transplant, 3),
                      fixed(e->p_below_005_from_transplant, 3), percent(e->response_rate_mean)});
    t.rows.push_back({label, "landmark (IL-2 start)", spread_text(e->rfs_from_landmark, 3),
                      spread_text(sb.control_from_landmark, 3),
                      spread_text(e->difference_from_landmark, 3),
                      fixed(e->p_below_005_from_landmark, 3), percent(e->response_rate_mean)});
  }
  t.note =
      "summary.json selection_bias; per replicate in results.sqlite table selection_bias. The "
      "treated "
      "without the effect are the same patients as with it; the control is the same in both rows.";
  page.table(t);
}

void selection_bias_km(Page& page, const scenario::StageSpec& st, std::size_t i,
                       const trial::SingleArmResult& a) {
  const std::string days = fixed(st.comparison_days, 0);
  for (const char* origin : {"transplant", "landmark"}) {
    std::vector<double> time;
    std::vector<int> event;
    std::vector<std::string> group;
    std::vector<std::string> groups;
    for (const auto& smp : a.samples) {
      if (smp.origin != origin) continue;
      groups.push_back(smp.group);
      time.insert(time.end(), smp.time.begin(), smp.time.end());
      event.insert(event.end(), smp.event.begin(), smp.event.end());
      group.insert(group.end(), smp.time.size(), smp.group);
    }
    if (time.empty()) continue;
    std::vector<survival::KmCurve> curves;
    const bool tx = std::string_view(origin) == "transplant";
    auto f =
        km_figure(fig_id(i, std::string("selection-") + origin),
                  fmt::format("{}: relapse-free survival from {} (example replicate)", st.name,
                              tx ? "transplant" : "the landmark"),
                  tx ? "transplant" : "IL-2 start (landmark)", groups, time, event, group, curves);
    f.add(
        report::RefLine{st.comparison_days / kDaysPerMonth, true, fmt::format("{} days", days), 4});
    page.figure(
        f, fmt::format(
               "Kaplan–Meier relapse-free survival (relapse or death) of the example replicate "
               "from {}: the treated as simulated, the same patients without IL-2's effect on "
               "tumour kill, and the historical control{}; + marks censoring.",
               tx ? "transplant" : "IL-2 start",
               tx ? " (all registered)" : " (alive and relapse-free at the would-be start)"));
  }
}

void historical_table(Page& page, const scenario::StageSpec& st, const trial::SingleArmResult& a,
                      const trial::HistoricalComparison& hc);

void single_arm_section(Page& page, const RunData& d, std::size_t i) {
  const auto& st = d.scenario.stages[i];
  const auto& js = stats_of<trial::SingleArmSummary>(d, i);
  const bool skipped =
      std::find(d.first.skipped.begin(), d.first.skipped.end(), st.name) != d.first.skipped.end();
  const auto& a = std::get<trial::SingleArmResult>(d.first.stages[i]);
  std::vector<std::pair<std::string, std::string>> rows;
  rows.emplace_back(
      "Design", st.simon ? fmt::format("Simon optimal two-stage, p0 = {}, p1 = {}", fixed(st.p0, 2),
                                       fixed(st.p1, 2))
                         : fmt::format("fixed n, exact binomial test of p0 = {}", fixed(st.p0, 2)));
  rows.emplace_back("Response", fmt::format("alive and relapse-free {} days after IL-2 start",
                                            fixed(st.response_days, 0)));
  rows.emplace_back("Replicates in which the stage ran", fixed(js.replicates_run, 0));
  rows.emplace_back("P(reject H0) over replicates", fixed(js.p_reject_h0, 3));
  rows.emplace_back("P(early stop) over replicates", fixed(js.p_early_stop, 3));
  rows.emplace_back("Mean response rate over replicates", percent(js.response_rate_mean));
  if (!skipped) {
    rows.emplace_back("Example replicate: dose", dose_text(a.dose));
    rows.emplace_back("Example replicate: treated / planned",
                      fmt::format("{} / {}", a.treated, a.planned_n));
    rows.emplace_back("Example replicate: responses", count_of(a.responses, a.treated));
    rows.emplace_back("Example replicate: decision", a.stopped_early ? "stopped after stage 1"
                                                     : a.reject_h0   ? "reject H0 (promising)"
                                                                     : "do not reject H0");
  }
  page.key_values(fmt::format("{}: design and responses", st.name), rows);
  if (skipped) {
    page.paragraph("In no replicate was this stage run: no dose was carried forward from " +
                   st.dose_from + ".");
    return;
  }
  const auto& patients = d.first.patients[i];
  std::vector<double> time;
  std::vector<int> event;
  std::vector<std::string> arm;
  for (const auto& p : patients) {
    const auto o = outcome(p);  // origin = IL-2 start
    time.push_back(o.pfs);
    event.push_back(o.pfs_e);
    arm.push_back(o.arm);
  }
  if (time.empty()) return;
  std::vector<survival::KmCurve> curves;
  const std::vector<std::string> arms = {patients.front().record.arm};
  auto f = km_figure(
      fig_id(i, "rfs"),
      fmt::format("{}: relapse-free survival of the treated (example replicate)", st.name),
      "IL-2 start", arms, time, event, arm, curves);
  const auto& hc = js.historical;
  const double control = hc.rfs_control_from_landmark;
  const double treated = hc.rfs_il2_from_landmark;
  const double at_months = st.comparison_days / kDaysPerMonth;
  if (std::isfinite(control)) {
    f.add(report::RefLine{control, false, fmt::format("historical control {}", fixed(control, 2)),
                          6});
  }
  f.add(report::RefLine{at_months, true, fmt::format("{} days", fixed(st.comparison_days, 0)), 4});
  page.figure(
      f,
      fmt::format(
          "Kaplan–Meier relapse-free survival (relapse or death) of the treated patients of "
          "the example replicate from IL-2 start; + marks censoring. Dashed horizontal line: the "
          "historical "
          "control (alive and relapse-free at the would-be start, no IL-2) at {} days, mean over "
          "replicates (summary.json). Example replicate at {} days: treated {}, control {}; "
          "log-rank p "
          "(landmark) {}. Mean over replicates: treated {}.",
          fixed(st.comparison_days, 0), fixed(st.comparison_days, 0), fixed(a.rfs_from_landmark, 3),
          fixed(a.control_from_landmark, 3), p_value(a.logrank_p_landmark), fixed(treated, 3)));
  historical_table(page, st, a, hc);
  if (js.selection_bias) selection_bias_part(page, st, i, a, *js.selection_bias);
}

void historical_table(Page& page, const scenario::StageSpec& st, const trial::SingleArmResult& a,
                      const trial::HistoricalComparison& hc) {
  Table t;
  t.caption = fmt::format("{}: relapse-free survival at {} days, treated vs historical control",
                          st.name, fixed(st.comparison_days, 0));
  t.header = {"Origin",
              "IL-2 (example replicate)",
              "Control (example replicate)",
              "Log-rank p (example replicate)",
              "IL-2 (mean)",
              "Control (mean)",
              "P(log-rank p < 0.05)"};
  t.rows.push_back({"Transplant", fixed(a.rfs_from_transplant, 3),
                    fixed(a.control_from_transplant, 3), p_value(a.logrank_p_transplant),
                    fixed(hc.rfs_il2_from_transplant, 3), fixed(hc.rfs_control_from_transplant, 3),
                    fixed(hc.p_below_005_from_transplant, 3)});
  t.rows.push_back({"Landmark (IL-2 start)", fixed(a.rfs_from_landmark, 3),
                    fixed(a.control_from_landmark, 3), p_value(a.logrank_p_landmark),
                    fixed(hc.rfs_il2_from_landmark, 3), fixed(hc.rfs_control_from_landmark, 3),
                    fixed(hc.p_below_005_from_landmark, 3)});
  t.note = "Means over the replicates in which the stage ran (summary.json historical_comparison).";
  page.table(t);
}

// ---- Randomized
// ----------------------------------------------------------------------------------------------

void cuminc_figure(Page& page, std::size_t i, const std::vector<std::string>& arms,
                   const std::vector<Outcome>& out) {
  std::vector<double> time;
  std::vector<int> status;
  std::vector<std::string> arm;
  for (const auto& o : out) {
    time.push_back(o.relapse_e ? o.relapse : o.nrm);
    status.push_back(o.relapse_e ? 0 : (o.nrm_e ? 1 : -1));
    arm.push_back(o.arm);
  }
  const auto groups = survival::make_factor(arm);
  const auto one = survival::single_level(time.size(), "all");
  const auto ci =
      survival::cuminc(time, status, {"relapse", "non-relapse mortality"}, groups, one, 0.0);
  Figure f;
  f.id = fig_id(i, "cif");
  f.title = "Cumulative incidence of relapse and non-relapse mortality";
  const double t_max =
      time.empty() ? 1.0 : std::max(1.0, *std::max_element(time.begin(), time.end()));
  f.x.label = "Months since randomization";
  f.x.min = 0.0;
  f.x.max = report::nice_cover(0.0, t_max / kDaysPerMonth, 8).values.back();
  f.y.label = "Cumulative incidence";
  f.y.min = 0.0;
  f.y.max = 1.0;
  for (std::size_t a = 0; a < arms.size(); ++a) {
    for (const auto& c : ci.curves) {
      if (c.group != arms[a]) continue;
      report::Step s;
      for (std::size_t k = 0; k < c.time.size(); ++k) {
        const double x = c.time[k] / kDaysPerMonth;
        if (!s.x.empty() && s.x.back() == x) {
          s.y.back() = c.estimate[k];  // the value after the jump
        } else {
          s.x.push_back(x);
          s.y.push_back(c.estimate[k]);
        }
      }
      if (s.x.empty()) continue;
      s.x_end = s.x.back();
      s.label = fmt::format("{}: {}", arms[a], c.cause == "relapse" ? "relapse" : "NRM");
      s.colour = a;
      s.dashed = c.cause != "relapse";
      f.add(s);
    }
  }
  std::string gray;
  for (const auto& g : ci.tests) {
    gray += fmt::format(" Gray's test for {}: p = {}.", g.cause,
                        g.p ? p_value(*g.p) : std::string("—"));
  }
  page.figure(
      f,
      "Aalen–Johansen cumulative incidence by arm (cmprsk::cuminc): relapse (solid) with "
      "non-relapse "
      "mortality (dashed) as the competing event, from randomization, the example replicate." +
          gray);
}

/// A value with its Monte Carlo SE: "0.812 (MC SE 0.012)"; the SE is left out when there is none
/// (a single replicate).
std::string with_se(double value, double se, int digits) {
  if (!std::isfinite(se)) return fixed(value, digits);
  return fmt::format("{} (MC SE {})", fixed(value, digits), fixed(se, digits));
}

/// A spread "median (q05 to q95)" with the Monte Carlo SE of each.
std::string hr_spread(double median, double median_se, double q05, double q05_se, double q95,
                      double q95_se) {
  return fmt::format("{}; 5th {}; 95th {}", with_se(median, median_se, 3), with_se(q05, q05_se, 3),
                     with_se(q95, q95_se, 3));
}

/// "cause share; ..." of the randomized patients of an arm who did not start IL-2.
std::string by_cause(const trial::ArmSummary& a) {
  std::vector<std::string> parts;
  for (const auto& [cause, share] : a.not_started_by_cause) {
    const auto se = a.not_started_by_cause_mc_se.find(cause);
    parts.push_back(fmt::format(
        "{} {}", cause,
        with_se(share, se == a.not_started_by_cause_mc_se.end() ? trial::kNoValue : se->second,
                3)));
  }
  return parts.empty() ? std::string("—") : fmt::format("{}", fmt::join(parts, "; "));
}

/// Per arm: randomized, not started after randomization, medians, and the landmark PFS/OS, each
/// with its Monte Carlo SE.
void arms_table(Page& page, const scenario::StageSpec& st, const trial::RandomizedSummary& js) {
  Table t;
  t.caption = fmt::format("{}: outcomes per arm at the stopping analysis", st.name);
  t.header = {"Arm",
              "Randomized per trial",
              "Not started (fraction)",
              "Not started by cause",
              "PFS median (months)",
              "OS median (months)"};
  for (const double y : st.landmark_years) {
    t.header.push_back(fmt::format("PFS at {} y", core::format_double(y)));
    t.header.push_back(fmt::format("OS at {} y", core::format_double(y)));
  }
  const auto at = [](const std::map<std::string, double>& m, const std::string& k) {
    const auto it = m.find(k);
    return it == m.end() ? trial::kNoValue : it->second;
  };
  for (const auto& a : js.arms) {
    std::vector<std::string> row{a.arm,
                                 with_se(a.randomized_mean, a.randomized_mean_mc_se, 1),
                                 with_se(a.not_started_fraction, a.not_started_fraction_mc_se, 3),
                                 by_cause(a),
                                 with_se(a.pfs_median_months, a.pfs_median_months_mc_se, 1),
                                 with_se(a.os_median_months, a.os_median_months_mc_se, 1)};
    for (const double y : st.landmark_years) {
      const auto k = core::format_double(y);
      row.push_back(with_se(at(a.pfs_landmark, k), at(a.pfs_landmark_mc_se, k), 3));
      row.push_back(with_se(at(a.os_landmark, k), at(a.os_landmark_mc_se, k), 3));
    }
    t.rows.push_back(std::move(row));
  }
  t.note =
      "Medians: median over replicates of each replicate's Kaplan–Meier median; landmarks: mean "
      "over replicates of the Kaplan–Meier estimate (— beyond the follow-up). Not started: "
      "randomized patients who did not start IL-2 (an arm without IL-2: who would not have "
      "started it). Population: " +
      std::string(st.population == scenario::AnalysisPopulation::kItt ? "intention to treat"
                                                                      : "treated") +
      ". MC SE: Monte Carlo standard error over replicates.";
  page.table(t);
}

void characteristics_table(Page& page, const RunData& d, std::size_t i) {
  const auto& st = d.scenario.stages[i];
  const auto& js = stats_of<trial::RandomizedSummary>(d, i);
  page.heading(fmt::format("Over the {} replicate(s) in which the stage ran",
                           static_cast<long>(js.replicates_run)));
  std::vector<std::pair<std::string, std::string>> rows;
  rows.emplace_back("Power (P reject H0)", with_se(js.power, js.power_mc_se, 3));
  rows.emplace_back("Hazard ratio of PFS, median; 5th and 95th percentiles",
                    hr_spread(js.hr_median, js.hr_median_mc_se, js.hr_q05, js.hr_q05_mc_se,
                              js.hr_q95, js.hr_q95_mc_se));
  rows.emplace_back("Hazard ratio of OS, median; 5th and 95th percentiles",
                    hr_spread(js.os_hr_median, js.os_hr_median_mc_se, js.os_hr_q05,
                              js.os_hr_q05_mc_se, js.os_hr_q95, js.os_hr_q95_mc_se));
  rows.emplace_back(
      "PFS events at the stopping analysis, median",
      fmt::format("{} (target {})", with_se(js.events_median, js.events_median_mc_se, 1),
                  js.target_events));
  rows.emplace_back("Duration (months, first registration to stopping analysis), median",
                    with_se(js.duration_months_median, js.duration_months_median_mc_se, 1));
  rows.emplace_back("Registered per trial",
                    with_se(js.registered_per_trial, js.registered_per_trial_mc_se, 1));
  rows.emplace_back("Randomized per trial",
                    with_se(js.randomized_mean, js.randomized_mean_mc_se, 1));
  rows.emplace_back("Not randomized (fraction of registered)",
                    with_se(js.not_randomized_fraction, js.not_randomized_fraction_mc_se, 3));
  if (!js.decisions.empty()) {
    std::vector<std::string> dec;
    for (const auto& [k, v] : js.decisions) {
      const auto se = js.decisions_mc_se.find(k);
      dec.push_back(fmt::format(
          "{} {}", k,
          with_se(v, se == js.decisions_mc_se.end() ? trial::kNoValue : se->second, 3)));
    }
    rows.emplace_back("Decisions (proportion of replicates)",
                      fmt::format("{}", fmt::join(dec, "; ")));
  }
  page.key_values(fmt::format("{}: operating characteristics (summary.json)", st.name), rows);
  arms_table(page, st, js);
}

/// Counts of `v` in the bins of a nice cover of [lo, hi] (about 16 bins; the last bin closed).
report::Bars histogram_bars(const std::vector<double>& v, double lo, double hi) {
  const auto bins = report::nice_cover(lo, hi, 16);
  report::Bars h;
  h.width = bins.step;
  for (std::size_t b = 0; b + 1 < bins.values.size(); ++b) {
    const double a0 = bins.values[b], a1 = bins.values[b + 1];
    const bool last = b + 2 == bins.values.size();
    h.x.push_back((a0 + a1) / 2);
    h.height.push_back(static_cast<double>(std::count_if(
        v.begin(), v.end(), [&](double x) { return x >= a0 && (x < a1 || (last && x <= a1)); })));
  }
  return h;
}

void hr_histogram(Page& page, const scenario::StageSpec& st, std::size_t i,
                  const std::vector<double>& hr) {
  if (hr.empty()) return;
  {
    Figure f;
    f.id = fig_id(i, "hr-hist");
    f.title = "Distribution of the estimated hazard ratio of PFS over replicates";
    f.x.label = fmt::format("Hazard ratio ({} vs {}), Cox at the stopping analysis", st.arms[0],
                            st.arms[1]);
    f.y.label = "Replicates";
    f.y.min = 0.0;
    double lo = *std::min_element(hr.begin(), hr.end()),
           hi = *std::max_element(hr.begin(), hr.end());
    // The range shows HR = 1 and the design HR with a margin, so that their lines are not on the
    // frame.
    lo = std::min({lo, 1.0, st.design_hr});
    hi = std::max({hi, 1.0, st.design_hr});
    const double pad = std::max(0.05, 0.1 * (hi - lo));
    lo = std::max(0.0, lo - pad);
    hi += pad;
    auto h = histogram_bars(hr, lo, hi);
    h.label = "replicates per bin";
    f.add(h);
    f.add(report::RefLine{1.0, true, "HR = 1", 6});
    f.add(report::RefLine{st.design_hr, true, fmt::format("design HR {}", fixed(st.design_hr, 2)),
                          1});
    page.figure(
        f,
        fmt::format(
            "Histogram of the Cox hazard-ratio estimates of the {} replicate(s); bins of width {}.",
            hr.size(), fixed(h.width, 3)));
  }
}

/// A run over a parameter ensemble (docs/ensemble.md): assurance, the variance split and the
/// predictive distribution of log HR over the replicates (each with its drawn parameter set).
void ensemble_part(Page& page, const RunData& d, std::size_t i, const std::vector<double>& hr) {
  const auto& js = stats_of<trial::RandomizedSummary>(d, i);
  if (!js.ensemble || d.ensemble == nullptr) return;
  const auto& e = *js.ensemble;
  const auto& st = d.scenario.stages[i];
  page.key_values(
      fmt::format("{}: predictive run over the ensemble", st.name),
      {{"Ensemble",
        fmt::format("{} ({} sets of {} parameters, method {})", d.ensemble_file,
                    d.ensemble->sets.size(), d.ensemble->parameters.size(), d.ensemble->method)},
       {"Assurance (P(reject H0) over the ensemble)", with_se(e.assurance, e.assurance_mc_se, 3)},
       {"Var(log HR), total over replicates", fixed(e.variance_total, 4)},
       {e.method == "within_sets" ? "Sampling part: variance within sets (replicates sharing a set)"
                                  : "Sampling part: mean squared Cox SE",
        fixed(e.variance_sampling, 4)},
       {"Variance split: parameters / sampling",
        fmt::format("{} / {}", fixed(e.parameters, 3), fixed(e.sampling, 3))},
       {"Replicates with a Cox HR", fmt::format("{}", e.replicates_with_hr)}});
  std::vector<double> log_hr;
  for (const double h : hr) {
    if (std::isfinite(std::log(h))) log_hr.push_back(std::log(h));
  }
  if (log_hr.empty()) return;
  Figure f;
  f.id = fig_id(i, "log-hr-hist");
  f.title = "Predictive distribution of log HR of PFS over the ensemble";
  f.x.label = "log hazard ratio (Cox at the stopping analysis)";
  f.y.label = "Replicates";
  f.y.min = 0.0;
  const double design = std::log(st.design_hr);
  double lo = std::min({*std::min_element(log_hr.begin(), log_hr.end()), 0.0, design});
  double hi = std::max({*std::max_element(log_hr.begin(), log_hr.end()), 0.0, design});
  const double pad = std::max(0.05, 0.1 * (hi - lo));
  auto h = histogram_bars(log_hr, lo - pad, hi + pad);
  h.label = "replicates per bin";
  f.add(h);
  f.add(report::RefLine{0.0, true, "HR = 1", 6});
  f.add(report::RefLine{design, true, fmt::format("design HR {}", fixed(st.design_hr, 2)), 1});
  page.figure(f, fmt::format("log HR of the {} replicate(s), each with the parameter set drawn "
                             "for it; bins of width {}.",
                             log_hr.size(), fixed(h.width, 3)));
}

/// Attrition before randomization by cause, mean per trial over the `run` replicates that ran the
/// stage (their typed results).
void attrition_part(Page& page, std::size_t i, const std::map<std::string, double>& attrition,
                    double registered, long run) {
  if (!attrition.empty() && run > 0) {
    Figure f;
    f.id = fig_id(i, "attrition");
    f.title = "Attrition before randomization by cause";
    f.x.label = "Cause";
    f.x.grid = false;
    f.y.label = "Patients per trial (mean)";
    f.y.min = 0.0;
    report::Bars b;
    Table t;
    t.caption = "Attrition before randomization by cause";
    t.header = {"Cause", "Mean per trial", "% of registered"};
    for (const auto& [cause, total] : attrition) {
      b.x.push_back(static_cast<double>(f.x.categories.size()));
      f.x.categories.push_back(cause);
      b.height.push_back(total / static_cast<double>(run));
      t.rows.push_back(
          {cause, fixed(total / static_cast<double>(run), 1), percent(total / registered)});
    }
    b.colour = 2;
    b.label = "mean over replicates";
    f.add(b);
    page.figure(
        f, fmt::format(
               "Registered patients (mean {} per trial) not randomized, by cause, mean over {} "
               "replicate(s).",
               fixed(registered / static_cast<double>(run), 1), run));
    page.table(t);
  }
}

void replicates_part(Page& page, const RunData& d, std::size_t i) {
  std::vector<double> hr;
  std::map<std::string, double> attrition;
  double registered = 0;
  long run = 0;
  for (const auto& rep : d.summary.results()) {
    const auto* r = std::get_if<trial::RandomizedResult>(&rep[i]);
    if (r == nullptr) continue;
    ++run;
    hr.push_back(r->hr);
    registered += r->registered;
    for (const auto& [cause, k] : r->attrition) attrition[cause] += k;
  }
  characteristics_table(page, d, i);
  hr_histogram(page, d.scenario.stages[i], i, hr);
  ensemble_part(page, d, i, hr);
  attrition_part(page, i, attrition, registered, run);
}

/// The group-sequential analyses of the example replicate.
void looks_table(Page& page, const trial::RandomizedResult& r) {
  Table looks;
  looks.caption = "Group-sequential analyses of the example replicate (PFS, censored at each look)";
  looks.header = {"Look", "Information",    "Month",         "Events",
                  "z",    "Efficacy bound", "Futility bound"};
  for (std::size_t k = 0; k < r.looks.size(); ++k) {
    const auto& l = r.looks[k];
    looks.rows.push_back({std::to_string(k + 1), fixed(l.info, 3), fixed(l.calendar_months, 1),
                          std::to_string(l.events), fixed(l.z, 3), fixed(l.efficacy_bound, 3),
                          l.futility_bound ? fixed(*l.futility_bound, 3) : std::string("—")});
  }
  looks.note = fmt::format(
      "Decision: {} at look {}; at that analysis HR {} (95 % CI {} to {}), log-rank p {}, "
      "{} events, {} months after the first registration.",
      r.decision, r.stop_look, fixed(r.hr, 3), fixed(r.hr_lower, 3), fixed(r.hr_upper, 3),
      p_value(r.logrank_p), r.events, fixed(r.duration_months, 1));
  page.table(looks);
}

void randomized_section(Page& page, const RunData& d, std::size_t i) {
  const auto& st = d.scenario.stages[i];
  const auto* r = std::get_if<trial::RandomizedResult>(&d.first.stages[i]);
  // The randomized patients: the registrants never randomized come after them (StagePatient).
  const auto& kept = d.first.patients[i];
  const auto randomized = static_cast<std::size_t>(std::count_if(
      kept.begin(), kept.end(), [](const auto& p) { return !p.not_randomized.has_value(); }));
  const std::span<const trial::StagePatient> patients(kept.data(), randomized);
  if (r == nullptr || patients.empty()) {
    page.paragraph("In no replicate was this stage run" +
                   (st.dose_from.empty()
                        ? std::string(".")
                        : ": no dose was carried forward from " + st.dose_from + "."));
  } else {
    const auto& arms = st.arms;
    std::vector<Outcome> out;
    for (const auto& p : patients) out.push_back(outcome(p));
    std::vector<double> pfs, os;
    std::vector<int> pfs_e, os_e;
    std::vector<std::string> arm;
    for (const auto& o : out) {
      pfs.push_back(o.pfs), pfs_e.push_back(o.pfs_e), os.push_back(o.os), os_e.push_back(o.os_e);
      arm.push_back(o.arm);
    }
    page.paragraph(fmt::format(
        "Example replicate: {} registered, {} randomized ({}); patients are followed for the full "
        "simulated horizon, "
        "from randomization (the data of adtte.csv). The trial's own analysis (censored at the "
        "stopping look) is in "
        "the table of analyses below.",
        r->registered, patients.size(),
        fmt::join(std::vector<std::string>{fmt::format("{} {}", arms[0], r->randomized.at(0)),
                                           fmt::format("{} {}", arms[1], r->randomized.at(1))},
                  ", ")));
    for (const auto& [code, name, time, event] :
         {std::tuple{"PFS", "Progression-free survival", &pfs, &pfs_e},
          std::tuple{"OS", "Overall survival", &os, &os_e}}) {
      std::vector<survival::KmCurve> curves;
      auto f = km_figure(fig_id(i, std::string("km-") + code),
                         fmt::format("{} by arm (Kaplan–Meier)", name), "randomization", arms,
                         *time, *event, arm, curves);
      const auto c = compare(*time, *event, arm, arms[0]);
      const std::string text = comparison_text(code, c, arms[0], arms[1]);
      if (c.valid) {
        f.add(report::Annotation{*f.x.max * 0.98, 0.95,
                                 fmt::format("HR {} (95 % CI {}–{}), log-rank p {}", fixed(c.hr, 2),
                                             fixed(c.lower, 2), fixed(c.upper, 2), p_value(c.p)),
                                 "end"});
      }
      page.figure(f, fmt::format("{}: Kaplan–Meier estimates by arm, the example replicate; + "
                                 "marks censoring; numbers at risk "
                                 "below. {}",
                                 name, text));
      page.table(km_table(fmt::format("{} by arm", name), curves));
    }
    cuminc_figure(page, i, arms, out);
    const std::string from = "randomization (IL-2 start)";
    add_lab_figure(page, fig_id(i, "nk"),
                   {"NKBLD", "Blood NK cells by arm", "NK cells per µL", true, false}, arms,
                   patients, from);
    add_lab_figure(page, fig_id(i, "cd8"),
                   {"CD8BLD", "Blood CD8 T cells by arm", "CD8 T cells per µL", true, false}, arms,
                   patients, from);
    add_lab_figure(
        page, fig_id(i, "il2"),
        {"IL2CONC", "IL-2 concentration during the regimen", "IL-2 (IU/mL)", false, true}, arms,
        patients, "IL-2 start");
    add_lab_figure(page, fig_id(i, "plt"),
                   {"PLAT", "Platelets by arm", "Platelets (10⁹/L)", false, false}, arms, patients,
                   from);
    toxicity_table(page, arms, patients);
    completion_table(page, arms, patients);
    looks_table(page, *r);
  }
  replicates_part(page, d, i);
}

std::string_view type_text(scenario::StageType t) {
  switch (t) {
    case scenario::StageType::kDoseEscalation:
      return "dose escalation";
    case scenario::StageType::kSingleArm:
      return "single-arm phase II";
    case scenario::StageType::kRandomized:
      return "randomized phase III";
  }
  return "";
}

}  // namespace

std::string render_report(const RunData& d) {
  Page page(fmt::format("il2sim report — {}", d.scenario.name));
  page.begin_section("run", "Run");
  if (!d.scenario.description.empty()) page.paragraph(d.scenario.description);
  std::vector<std::pair<std::string, std::string>> rows = {
      {"Scenario", d.scenario.name},
      {"Seed", std::to_string(d.scenario.seed)},
      {"Replicates", std::to_string(d.summary.replicates())},
      {"Version", d.facts.version},
      {"Scenario hash (FNV-1a of scenario.toml)", d.facts.scenario_hash}};
  std::vector<std::string> stages;
  for (const auto& st : d.scenario.stages)
    stages.push_back(fmt::format("{} ({})", st.name, type_text(st.type)));
  rows.emplace_back("Stages", fmt::format("{}", fmt::join(stages, "; ")));
  if (d.ensemble != nullptr) {
    rows.emplace_back(
        "Parameter ensemble",
        fmt::format("{} (method {}, {} sets; FNV-1a {}; copied to ensemble.toml)", d.ensemble_file,
                    d.ensemble->method, d.ensemble->sets.size(), d.ensemble->hash));
  }
  page.key_values("Scenario and seed", rows);
  page.paragraph(
      "Everything on this page depends only on the scenario and the seed; the start, end and wall "
      "time of the run and its threads and ranks are in manifest.json.");
  page.end_section();
  for (std::size_t i = 0; i < d.scenario.stages.size(); ++i) {
    const auto& st = d.scenario.stages[i];
    page.begin_section(fmt::format("stage{}", i + 1),
                       fmt::format("Stage {}: {} ({})", i + 1, st.name, type_text(st.type)));
    page.paragraph(
        fmt::format("Patient-level figures and tables of this stage show its example replicate: "
                    "replicate {}, the "
                    "first in which the stage ran (its rows in the CSV views carry that "
                    "REPLICATE). Figures across "
                    "replicates use all {}.",
                    d.first.replicate_of(i), d.summary.replicates()));
    switch (st.type) {
      case scenario::StageType::kDoseEscalation:
        escalation_section(page, d, i);
        break;
      case scenario::StageType::kSingleArm:
        single_arm_section(page, d, i);
        break;
      case scenario::StageType::kRandomized:
        randomized_section(page, d, i);
        break;
    }
    page.end_section();
  }
  return page.render();
}

void write_report(const std::string& path, const RunData& data) {
  core::write_file_atomically(path, render_report(data));
}

}  // namespace il2sim::output
