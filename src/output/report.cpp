#include "output/report.hpp"
#include "core/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "clinic/endpoints.hpp"
#include "core/error.hpp"
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
/// A value with its Monte Carlo SE: "0.812 (MC SE 0.012)"; the SE is left out when there is none
/// (a single replicate).
std::string with_se(double value, double se, int digits) {
  if (!std::isfinite(se)) return fixed(value, digits);
  return fmt::format("{} (MC SE {})", fixed(value, digits), fixed(se, digits));
}
/// A fraction as a percentage with its Monte Carlo SE: "12.3 % (MC SE 1.1 %)".
std::string percent_se(double fraction, double se) {
  if (!std::isfinite(se) || !std::isfinite(fraction)) return percent(fraction);
  return fmt::format("{} (MC SE {})", percent(fraction), percent(se));
}
/// p-values: four decimals, or "< 0.0001".
std::string p_value(double p) {
  if (!std::isfinite(p)) return "—";
  return p < 1e-4 ? std::string("< 0.0001") : report::fixed(p, 4);
}
/// The unit of a phase's dose: the product's unit (Chiron aldesleukin: IU; the others: their own
/// units, as the scenario gives them) per m², per kg or flat, per day.
std::string dose_unit(const dosing::Regimen& regimen, const dosing::Phase& phase) {
  std::string product;
  switch (regimen.product.kind) {
    case dosing::Product::kChiron:
      product = "IU";
      break;
    case dosing::Product::kCetus:
      product = "Cetus units";
      break;
    case dosing::Product::kRoche:
      product = "Roche units";
      break;
    case dosing::Product::kCustom:
      product = regimen.product.name + " units";
      break;
  }
  switch (phase.unit) {
    case dosing::DoseUnit::kPerM2PerDay:
      return product + "/m²/d";
    case dosing::DoseUnit::kPerDay:
      return product + "/d";
    case dosing::DoseUnit::kPerKgPerDay:
      return product + "/kg/d";
  }
  return product;
}

/// The dose unit of a stage's escalated (or carried-forward) phase of its regimen.
std::string stage_dose_unit(const scenario::Scenario& s, const scenario::StageSpec& st) {
  const auto r = s.regimens.find(st.regimen);
  IL2SIM_ASSERT(r != s.regimens.end(), "a stage's regimen is one of the scenario's");
  const auto& phases = r->second.phases;
  const auto ph = std::find_if(phases.begin(), phases.end(), [&](const dosing::Phase& p) {
    return p.name == st.escalated_phase;
  });
  IL2SIM_ASSERT(ph != phases.end(), "a stage's escalated phase is one of its regimen's");
  return dose_unit(r->second, *ph);
}

/// A dose in millions of its unit ("4.50×10⁶ IU/m²/d").
std::string dose_text(double dose, const std::string& unit) {
  return fmt::format("{}×10⁶ {}", report::fixed(dose / 1e6, 2), unit);
}
std::string level_text(const scenario::DoseLevel& l, std::size_t index, const std::string& unit) {
  std::string s = fmt::format("L{}: {}", index + 1, dose_text(l.dose, unit));
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

/// The Greenwood 95 % confidence band of a curve (log transform, R's survfit default: the
/// curve's lower/upper) as a step band in months, changing at the event times like the curve.
report::Band km_band(const survival::KmCurve& c) {
  report::Band b;
  b.step = true;
  b.opacity = 0.15;
  b.x = {0.0};
  b.lower = {1.0};
  b.upper = {1.0};
  for (std::size_t i = 0; i < c.time.size(); ++i) {
    if (c.n_event[i] == 0) continue;
    b.x.push_back(c.time[i] / kDaysPerMonth);
    b.lower.push_back(c.lower[i]);
    b.upper.push_back(c.upper[i]);
  }
  if (!c.time.empty()) b.x_end = c.time.back() / kDaysPerMonth;
  return b;
}

/// The tick step of a time axis in months: 6 up to 3 years, 12 up to 10 years, then multiples of
/// 12 keeping at most 11 ticks.
double month_step(double t_max_months) {
  if (t_max_months <= 36.0) return 6.0;
  if (t_max_months <= 120.0) return 12.0;
  return 12.0 * std::ceil(t_max_months / 120.0);
}

/// An x axis in months from 0 to the first tick at or beyond `t_max_days`.
void month_axis(report::Axis& axis, double t_max_days, const std::string& origin_text) {
  const double months = std::max(1.0, t_max_days / kDaysPerMonth);
  const double step = month_step(months);
  axis.label = "Months since " + origin_text;
  axis.step = step;
  axis.min = 0.0;
  axis.max = step * std::ceil(months / step - 1e-9);
}

/// What the shaded band around a Kaplan–Meier curve is (figure captions).
constexpr std::string_view kBandText =
    "pointwise 95 % confidence interval (Greenwood variance, log transform: R's survfit default)";

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

/// A KM figure by arm with its 95 % confidence bands and numbers at risk; x in months from
/// `origin_text` (ticks every 6 or 12 months), y the endpoint's name.
Figure km_figure(const std::string& id, const std::string& title, const std::string& endpoint,
                 const std::string& origin_text, const std::vector<std::string>& arms,
                 const std::vector<double>& time, const std::vector<int>& event,
                 const std::vector<std::string>& arm_of, std::vector<survival::KmCurve>& curves) {
  Figure f;
  f.id = id;
  f.title = title;
  const double t_max = time.empty() ? 1.0 : *std::max_element(time.begin(), time.end());
  month_axis(f.x, t_max, origin_text);
  f.y.label = endpoint;
  f.y.min = 0.0;
  f.y.max = 1.0;
  report::RiskTable rt;
  for (double m = 0.0; m <= *f.x.max + 1e-9; m += *f.x.step) rt.times.push_back(m);
  curves.clear();
  for (std::size_t a = 0; a < arms.size(); ++a) {
    std::vector<double> t;
    std::vector<int> e;
    for (std::size_t i = 0; i < time.size(); ++i) {
      if (arm_of[i] == arms[a]) t.push_back(time[i]), e.push_back(event[i]);
    }
    if (t.empty()) continue;
    curves.push_back(survival::kaplan_meier(t, e, survival::KmOptions{}, arms[a]));
    auto band = km_band(curves.back());
    band.colour = a;
    band.label = arms[a] + " 95 % CI";
    f.add(band);
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

/// The x axis of a figure over visits at days [lo, hi] from the origin, spanning them exactly:
/// over more than 6 months in months with ticks every 6 or 12 (the figure's x values are
/// converted), otherwise in days with ticks every 7, 14 or 28 days.
void visit_axis(Figure& f, double lo, double hi, const std::string& origin_text) {
  f.x.nice = false;
  if (hi - lo > 6.0 * kDaysPerMonth) {
    for (auto& series : f.series) {
      std::visit(
          [](auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, report::Line> || std::is_same_v<T, report::Band>) {
              for (auto& x : v.x) x /= kDaysPerMonth;
            }
          },
          series);
    }
    f.x.label = "Months since " + origin_text;
    f.x.step = month_step((hi - lo) / kDaysPerMonth);
    f.x.min = lo / kDaysPerMonth;
    f.x.max = hi / kDaysPerMonth;
    return;
  }
  f.x.label = "Days since " + origin_text;
  f.x.step = hi - lo <= 56.0 ? 7.0 : hi - lo <= 112.0 ? 14.0 : 28.0;
  f.x.min = lo;
  f.x.max = hi;
}

bool add_lab_figure(Page& page, const std::string& id, const LabSpec& spec,
                    const std::vector<std::string>& arms,
                    std::span<const trial::StagePatient> patients, const std::string& origin_text) {
  Figure f;
  f.id = id;
  f.title = spec.title;
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
  visit_axis(f, x_lo, x_hi, origin_text);
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
  const std::string unit = stage_dose_unit(d.scenario, st);
  for (std::size_t l = 0; l < st.levels.size(); ++l)
    levels.push_back(level_text(st.levels[l], l, unit));
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
  const std::string unit = stage_dose_unit(d.scenario, st);
  Table t;
  t.caption = fmt::format("{}: dose levels over replicates", st.name);
  t.header = {"Level", "Dose", "Days", "P(selected as MTD)", "Mean patients", "Observed DLT rate"};
  for (std::size_t l = 0; l < st.levels.size(); ++l) {
    const auto& jl = js.levels.at(l);
    t.rows.push_back({std::to_string(l + 1), dose_text(st.levels[l].dose, unit),
                      st.levels[l].days ? fixed(*st.levels[l].days, 0) : std::string("regimen"),
                      with_se(jl.p_select, jl.p_select_mc_se, 3),
                      with_se(jl.mean_patients, jl.mean_patients_mc_se, 2),
                      percent_se(jl.observed_dlt_rate, jl.observed_dlt_rate_mc_se)});
  }
  t.note = fmt::format(
      "Method {}; P(no MTD selected) {}; mean evaluable patients per trial {}; mean not evaluable "
      "{}. MC SE: Monte Carlo standard error over replicates (summary.json *_mc_se). The most "
      "often selected level (summary.json mtd) is a mode and has no MC SE.",
      js.method, with_se(js.p_select_none, js.p_select_none_mc_se, 3),
      with_se(js.mean_patients, js.mean_patients_mc_se, 2),
      with_se(js.mean_not_evaluable, js.mean_not_evaluable_mc_se, 2));
  page.table(t);
}

// ---- Single arm
// ----------------------------------------------------------------------------------------------

/// "mean (MC SE se) [lo to hi]" of a spread over replicates (2.5–97.5 %).
std::string spread_text(const trial::Spread& s, int decimals) {
  return fmt::format("{} [{} to {}]", with_se(s.mean, s.mean_mc_se, decimals),
                     fixed(s.q025, decimals), fixed(s.q975, decimals));
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
      days, with_se(b, benefit.mean_mc_se, 3), fixed(static_cast<double>(sb.replicates), 0),
      fixed(benefit.q025, 3), fixed(benefit.q975, 3), share,
      spread_text(without.difference_from_landmark, 3),
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
      "mean (MC SE) [2.5–97.5 % over replicates]",
      st.name, days);
  t.header = {
      "IL-2 effect on kill",  "Origin",       "Treated", "Historical control", "Treated − control",
      "P(log-rank p < 0.05)", "Response rate"};
  for (const auto& [label, e] :
       {std::pair{"with", &sb.with_effect}, std::pair{"without", &sb.without_effect}}) {
    t.rows.push_back(
        {label, "transplant", spread_text(e->rfs_from_transplant, 3),
         spread_text(sb.control_from_transplant, 3), spread_text(e->difference_from_transplant, 3),
         with_se(e->p_below_005_from_transplant, e->p_below_005_from_transplant_mc_se, 3),
         percent_se(e->response_rate_mean, e->response_rate_mean_mc_se)});
    t.rows.push_back({label, "landmark (IL-2 start)", spread_text(e->rfs_from_landmark, 3),
                      spread_text(sb.control_from_landmark, 3),
                      spread_text(e->difference_from_landmark, 3),
                      with_se(e->p_below_005_from_landmark, e->p_below_005_from_landmark_mc_se, 3),
                      percent_se(e->response_rate_mean, e->response_rate_mean_mc_se)});
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
    auto f = km_figure(fig_id(i, std::string("selection-") + origin),
                       fmt::format("{}: relapse-free survival from {} (example replicate)", st.name,
                                   tx ? "transplant" : "the landmark"),
                       "Relapse-free survival", tx ? "transplant" : "IL-2 start (landmark)", groups,
                       time, event, group, curves);
    f.add(
        report::RefLine{st.comparison_days / kDaysPerMonth, true, fmt::format("{} days", days), 4});
    page.figure(
        f, fmt::format(
               "Kaplan–Meier relapse-free survival (relapse or death) of the example replicate "
               "from {}: the treated as simulated, the same patients without IL-2's effect on "
               "tumour kill, and the historical control{}; + marks censoring; shaded: {}.",
               tx ? "transplant" : "IL-2 start",
               tx ? " (all registered)" : " (alive and relapse-free at the would-be start)",
               kBandText));
  }
}

void historical_table(Page& page, const scenario::StageSpec& st, const trial::SingleArmResult& a,
                      const trial::HistoricalComparison& hc);

/// The design and the responses of single-arm stage i: over replicates with their MC SE, and the
/// example replicate's unless the stage was `skipped` there.
void single_arm_design(Page& page, const RunData& d, std::size_t i, bool skipped) {
  const auto& st = d.scenario.stages[i];
  const auto& js = stats_of<trial::SingleArmSummary>(d, i);
  const auto& a = std::get<trial::SingleArmResult>(d.first.stages[i]);
  std::vector<std::pair<std::string, std::string>> rows;
  rows.emplace_back(
      "Design", st.simon ? fmt::format("Simon optimal two-stage, p0 = {}, p1 = {}", fixed(st.p0, 2),
                                       fixed(st.p1, 2))
                         : fmt::format("fixed n, exact binomial test of p0 = {}", fixed(st.p0, 2)));
  rows.emplace_back("Response", fmt::format("alive and relapse-free {} days after IL-2 start",
                                            fixed(st.response_days, 0)));
  rows.emplace_back("Replicates in which the stage ran", fixed(js.replicates_run, 0));
  rows.emplace_back("P(reject H0) over replicates",
                    with_se(js.p_reject_h0, js.p_reject_h0_mc_se, 3));
  rows.emplace_back("P(early stop) over replicates",
                    with_se(js.p_early_stop, js.p_early_stop_mc_se, 3));
  rows.emplace_back("Mean response rate over replicates",
                    percent_se(js.response_rate_mean, js.response_rate_mean_mc_se));
  rows.emplace_back("Mean treated per trial", with_se(js.mean_treated, js.mean_treated_mc_se, 1));
  const std::string unit = stage_dose_unit(d.scenario, st);
  if (std::isfinite(js.dose_median)) {
    rows.emplace_back(
        "Median dose over replicates",
        fmt::format("{} (MC SE {})", dose_text(js.dose_median, unit),
                    std::isfinite(js.dose_median_mc_se) ? dose_text(js.dose_median_mc_se, unit)
                                                        : std::string("—")));
  }
  if (!skipped) {
    rows.emplace_back("Example replicate: dose", dose_text(a.dose, unit));
    rows.emplace_back("Example replicate: treated / planned",
                      fmt::format("{} / {}", a.treated, a.planned_n));
    rows.emplace_back("Example replicate: responses", count_of(a.responses, a.treated));
    rows.emplace_back("Example replicate: decision", a.stopped_early ? "stopped after stage 1"
                                                     : a.reject_h0   ? "reject H0 (promising)"
                                                                     : "do not reject H0");
  }
  page.key_values(fmt::format("{}: design and responses", st.name), rows);
}

void single_arm_section(Page& page, const RunData& d, std::size_t i) {
  const auto& st = d.scenario.stages[i];
  const auto& js = stats_of<trial::SingleArmSummary>(d, i);
  const bool skipped =
      std::find(d.first.skipped.begin(), d.first.skipped.end(), st.name) != d.first.skipped.end();
  const auto& a = std::get<trial::SingleArmResult>(d.first.stages[i]);
  single_arm_design(page, d, i, skipped);
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
      "Relapse-free survival", "IL-2 start", arms, time, event, arm, curves);
  const auto& hc = js.historical;
  const double control = hc.rfs_control_from_landmark;
  const double treated = hc.rfs_il2_from_landmark;
  const double at_months = st.comparison_days / kDaysPerMonth;
  if (std::isfinite(control)) {
    f.add(report::RefLine{control, false, fmt::format("historical control {}", fixed(control, 2)),
                          6});  // its MC SE is in the table below
  }
  f.add(report::RefLine{at_months, true, fmt::format("{} days", fixed(st.comparison_days, 0)), 4});
  page.figure(
      f,
      fmt::format(
          "Kaplan–Meier relapse-free survival (relapse or death) of the treated patients of "
          "the example replicate from IL-2 start; + marks censoring; shaded: {}. Dashed "
          "horizontal line: the "
          "historical "
          "control (alive and relapse-free at the would-be start, no IL-2) at {} days, mean over "
          "replicates (summary.json). Example replicate at {} days: treated {}, control {}; "
          "log-rank p "
          "(landmark) {}. Mean over replicates: treated {}.",
          kBandText, fixed(st.comparison_days, 0), fixed(st.comparison_days, 0),
          fixed(a.rfs_from_landmark, 3), fixed(a.control_from_landmark, 3),
          p_value(a.logrank_p_landmark), with_se(treated, hc.rfs_il2_from_landmark_mc_se, 3)));
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
  t.rows.push_back(
      {"Transplant", fixed(a.rfs_from_transplant, 3), fixed(a.control_from_transplant, 3),
       p_value(a.logrank_p_transplant),
       with_se(hc.rfs_il2_from_transplant, hc.rfs_il2_from_transplant_mc_se, 3),
       with_se(hc.rfs_control_from_transplant, hc.rfs_control_from_transplant_mc_se, 3),
       with_se(hc.p_below_005_from_transplant, hc.p_below_005_from_transplant_mc_se, 3)});
  t.rows.push_back({"Landmark (IL-2 start)", fixed(a.rfs_from_landmark, 3),
                    fixed(a.control_from_landmark, 3), p_value(a.logrank_p_landmark),
                    with_se(hc.rfs_il2_from_landmark, hc.rfs_il2_from_landmark_mc_se, 3),
                    with_se(hc.rfs_control_from_landmark, hc.rfs_control_from_landmark_mc_se, 3),
                    with_se(hc.p_below_005_from_landmark, hc.p_below_005_from_landmark_mc_se, 3)});
  t.note =
      "Means over the replicates in which the stage ran (summary.json historical_comparison), "
      "with their Monte Carlo SE.";
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
  const double t_max = time.empty() ? 1.0 : *std::max_element(time.begin(), time.end());
  month_axis(f.x, t_max, "randomization");
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
              "OS median (months)",
              "Relapse by 2 y"};
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
                                 with_se(a.os_median_months, a.os_median_months_mc_se, 1),
                                 with_se(a.relapse_2y, a.relapse_2y_mc_se, 3)};
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

/// Tick values for a log axis of hazard ratios over [lo, hi]: the finest of four sets of
/// mantissas per decade whose neighbouring ticks are at least ~45 px apart on a ~680 px axis (so
/// that their labels never touch), at most 10 ticks.
std::vector<double> hr_ticks(double lo, double hi) {
  static const std::vector<std::vector<double>> kMantissas = {
      {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9}, {1, 1.5, 2, 3, 5, 7.5}, {1, 2, 5}, {1}};
  const double decades = std::log10(hi / lo);
  std::vector<double> ticks;
  for (const auto& mantissas : kMantissas) {
    ticks.clear();
    for (int k = static_cast<int>(std::floor(std::log10(lo))) - 1;
         k <= static_cast<int>(std::ceil(std::log10(hi))); ++k) {
      for (const double m : mantissas) {
        // m·10^k through its decimal text so that 0.12 is the double nearest 0.12.
        const double v = std::stod(fmt::format("{}e{}", m, k));
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) ticks.push_back(v);
      }
    }
    double closest = std::numeric_limits<double>::infinity();
    for (std::size_t j = 1; j < ticks.size(); ++j)
      closest = std::min(closest, std::log10(ticks[j] / ticks[j - 1]));
    if (ticks.size() <= 10 && closest * 680.0 / decades >= 45.0) break;
  }
  return ticks;
}

/// A histogram of hazard ratios on a log axis: about 16 bins equal in log HR (a nice cover of
/// log10 of the range, which shows HR = 1 and the design HR with a margin), reference lines at
/// HR = 1 and at the design HR. `bin_log10` receives the bins' width in log10 units.
Figure hr_histogram_figure(const std::string& id, const std::string& title,
                           const std::string& x_label, const std::vector<double>& hr,
                           double design_hr, double& bin_log10) {
  std::vector<double> logs;
  for (const double h : hr) {
    if (std::isfinite(h) && h > 0.0) logs.push_back(std::log10(h));
  }
  double lo = std::min({*std::min_element(logs.begin(), logs.end()), 0.0, std::log10(design_hr)});
  double hi = std::max({*std::max_element(logs.begin(), logs.end()), 0.0, std::log10(design_hr)});
  const double pad = std::max(0.02, 0.1 * (hi - lo));
  const auto bins = report::nice_cover(lo - pad, hi + pad, 16);
  bin_log10 = bins.step;
  report::Bars h;
  for (std::size_t k = 0; k + 1 < bins.values.size(); ++k) {
    const double a0 = bins.values[k], a1 = bins.values[k + 1];
    const bool last = k + 2 == bins.values.size();
    h.x.push_back(std::pow(10.0, (a0 + a1) / 2));
    h.lower.push_back(std::pow(10.0, a0));
    h.upper.push_back(std::pow(10.0, a1));
    h.height.push_back(static_cast<double>(std::count_if(logs.begin(), logs.end(), [&](double x) {
      return x >= a0 && (x < a1 || (last && x <= a1));
    })));
  }
  h.label = "replicates per bin";
  Figure f;
  f.id = id;
  f.title = title;
  f.x.label = x_label;
  f.x.log10 = true;
  f.x.min = h.lower.front();
  f.x.max = h.upper.back();
  f.x.ticks = hr_ticks(*f.x.min, *f.x.max);
  f.y.label = "Replicates";
  f.y.min = 0.0;
  // Counts: whole-number ticks while they are few.
  if (*std::max_element(h.height.begin(), h.height.end()) <= 8.0) f.y.step = 1.0;
  f.add(h);
  f.add(report::RefLine{1.0, true, "HR = 1", 6});
  f.add(report::RefLine{design_hr, true, fmt::format("design HR {}", fixed(design_hr, 2)), 1});
  return f;
}

void hr_histogram(Page& page, const scenario::StageSpec& st, std::size_t i,
                  const std::vector<double>& hr) {
  if (std::none_of(hr.begin(), hr.end(), [](double h) { return std::isfinite(h) && h > 0.0; }))
    return;
  double bin = 0.0;
  const auto f = hr_histogram_figure(
      fig_id(i, "hr-hist"), "Distribution of the estimated hazard ratio of PFS over replicates",
      fmt::format("Hazard ratio ({} vs {}), Cox at the stopping analysis; log scale", st.arms[0],
                  st.arms[1]),
      hr, st.design_hr, bin);
  page.figure(f, fmt::format("Histogram of the Cox hazard-ratio estimates of the {} replicate(s) "
                             "on a log scale; bins of equal width in log HR ({} in log10 HR).",
                             hr.size(), fixed(bin, 3)));
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
  page.paragraph(
      "The variances and their split have no Monte Carlo SE: they are second moments of the "
      "replicates, whose own sampling error would need a resampling of the parameter sets (a "
      "bootstrap over sets), which the summary does not run; rerun with more replicates to see "
      "how stable they are.");
  if (std::none_of(hr.begin(), hr.end(), [](double h) { return std::isfinite(h) && h > 0.0; }))
    return;
  double bin = 0.0;
  const auto f = hr_histogram_figure(
      fig_id(i, "log-hr-hist"), "Predictive distribution of the HR of PFS over the ensemble",
      "Hazard ratio (Cox at the stopping analysis); log scale", hr, st.design_hr, bin);
  page.figure(f, fmt::format("HR of the {} replicate(s), each with the parameter set drawn for "
                             "it, on a log scale (the histogram of log HR); bins of {} in "
                             "log10 HR.",
                             hr.size(), fixed(bin, 3)));
}

/// Attrition before randomization by cause: the figure shows the mean per trial over the `run`
/// replicates that ran the stage (their typed results); the table the share of the registered
/// with its Monte Carlo SE (summary.json attrition, attrition_mc_se).
void attrition_part(Page& page, std::size_t i, const std::map<std::string, double>& attrition,
                    double registered, long run, const trial::RandomizedSummary& js) {
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
    t.header = {"Cause", "Share of registered"};
    for (const auto& [cause, total] : attrition) {
      b.x.push_back(static_cast<double>(f.x.categories.size()));
      f.x.categories.push_back(cause);
      b.height.push_back(total / static_cast<double>(run));
      const auto share = js.attrition.find(cause);
      const auto se = js.attrition_mc_se.find(cause);
      t.rows.push_back(
          {cause, percent_se(share == js.attrition.end() ? trial::kNoValue : share->second,
                             se == js.attrition_mc_se.end() ? trial::kNoValue : se->second)});
    }
    b.colour = 2;
    b.label = "mean over replicates";
    f.add(b);
    page.figure(
        f, fmt::format(
               "Registered patients (mean {} per trial) not randomized, by cause, mean over {} "
               "replicate(s).",
               fixed(registered / static_cast<double>(run), 1), run));
    t.note =
        "Share of registered: pooled over replicates (summary.json attrition) with its Monte Carlo "
        "SE (ratio estimator, attrition_mc_se). The mean per trial of each cause is in the "
        "figure's data.";
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
  attrition_part(page, i, attrition, registered, run, stats_of<trial::RandomizedSummary>(d, i));
}

// ---- CONSORT flow
// -----------------------------------------------------------------------------------------

/// Means per trial over the replicates that ran randomized stage i, of the counts of its
/// CONSORT diagram: attrition by cause, and per arm the started and the never started by cause.
struct FlowMeans {
  std::map<std::string, double> attrition;
  std::vector<double> started;
  std::vector<std::map<std::string, double>> not_started;
};

FlowMeans flow_means(const RunData& d, std::size_t i, std::size_t arms) {
  FlowMeans m;
  m.started.assign(arms, 0.0);
  m.not_started.resize(arms);
  long run = 0;
  for (const auto& rep : d.summary.results()) {
    const auto* r = std::get_if<trial::RandomizedResult>(&rep[i]);
    if (r == nullptr) continue;
    ++run;
    for (const auto& [cause, k] : r->attrition) m.attrition[cause] += k;
    for (std::size_t a = 0; a < arms; ++a) m.started[a] += r->randomized[a] - r->not_started[a];
    for (const auto& row : r->not_started_causes)
      m.not_started.at(static_cast<std::size_t>(row.arm))[row.cause] += row.patients;
  }
  const double n = std::max(1.0, static_cast<double>(run));
  for (auto& [cause, v] : m.attrition) v /= n;
  for (auto& v : m.started) v /= n;
  for (auto& causes : m.not_started) {
    for (auto& [cause, v] : causes) v /= n;
  }
  return m;
}

/// The treatment box of arm a: who started IL-2 (an arm without IL-2: who reached the would-be
/// start and would have started it), with the others by cause.
report::FlowBox started_box(const scenario::ArmSpec& arm, std::size_t a,
                            const trial::RandomizedResult& r, const FlowMeans& m) {
  const bool il2 = arm.regimen.has_value();
  report::FlowBox box{il2 ? "Started IL-2" : "Would have started IL-2 (no IL-2 on this arm)",
                      r.randomized[a] - r.not_started[a],
                      m.started[a],
                      {}};
  for (const auto& row : r.not_started_causes) {
    if (static_cast<std::size_t>(row.arm) != a) continue;
    const auto mean = m.not_started[a].find(row.cause);
    box.items.push_back(
        {fmt::format("{}: {}", il2 ? "never started" : "would not have started", row.cause),
         row.patients, mean == m.not_started[a].end() ? kNaN : mean->second});
  }
  return box;
}

/// The CONSORT-style flow of randomized stage i: counts of the example replicate (its typed
/// result, computed from its patients), means per trial over the replicates beside them.
void consort_figure(Page& page, const RunData& d, std::size_t i, const trial::RandomizedResult& r) {
  const auto& st = d.scenario.stages[i];
  const auto& js = stats_of<trial::RandomizedSummary>(d, i);
  const FlowMeans m = flow_means(d, i, st.arms.size());
  report::FlowChart c;
  c.id = fig_id(i, "consort");
  c.title = fmt::format("{}: flow of patients (CONSORT), example replicate", st.name);
  long randomized = 0;
  for (const int k : r.randomized) randomized += k;
  c.top = {"Registered at transplant", r.registered, js.registered_per_trial, {}};
  report::FlowBox excluded{"Not randomized", r.registered - randomized, kNaN, {}};
  double excluded_mean = 0.0;
  for (const auto& [cause, k] : r.attrition) {
    const auto mean = m.attrition.find(cause);
    excluded.items.push_back({cause, k, mean == m.attrition.end() ? 0.0 : mean->second});
  }
  for (const auto& [cause, v] : m.attrition) excluded_mean += v;
  excluded.mean = excluded_mean;
  c.side = excluded;
  c.middle = {"Randomized", randomized, js.randomized_mean, {}};
  const bool itt = st.population == scenario::AnalysisPopulation::kItt;
  for (std::size_t a = 0; a < st.arms.size(); ++a) {
    const auto* arm = d.scenario.find_arm(st.arms[a]);
    IL2SIM_ASSERT(arm != nullptr, "a stage's arms are the scenario's");
    const double mean_randomized = a < js.arms.size() ? js.arms[a].randomized_mean : kNaN;
    auto treated = started_box(*arm, a, r, m);
    report::FlowBox analysed{itt ? "Analysed (intention to treat)" : "Analysed (treated)",
                             itt ? r.randomized[a] : treated.count,
                             itt ? mean_randomized : treated.mean,
                             {}};
    c.column_names.push_back(st.arms[a]);
    c.columns.push_back({{"Randomized to " + st.arms[a], r.randomized[a], mean_randomized, {}},
                         std::move(treated),
                         std::move(analysed)});
  }
  page.flow(c, fmt::format("Patients of the example replicate (replicate {}) from registration at "
                           "transplant to the analysis, with the mean per trial over the {} "
                           "replicate(s) in which the stage ran; reasons as recorded in the "
                           "stage's results (attrition before randomization; the not-treated "
                           "reason after it).",
                           d.first.replicate_of(i), static_cast<long>(js.replicates_run)));
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
    consort_figure(page, d, i, *r);
    for (const auto& [code, name, time, event] :
         {std::tuple{"PFS", "Progression-free survival", &pfs, &pfs_e},
          std::tuple{"OS", "Overall survival", &os, &os_e}}) {
      std::vector<survival::KmCurve> curves;
      auto f = km_figure(fig_id(i, std::string("km-") + code),
                         fmt::format("{} by arm (Kaplan–Meier)", name), name, "randomization", arms,
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
                                 "marks censoring; shaded: {}; numbers at risk below. {}",
                                 name, kBandText, text));
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
    add_lab_figure(page, fig_id(i, "il2"),
                   {"IL2CONC", "IL-2 concentration during the regimen",
                    "IL-2 concentration (IU/mL)", false, true},
                   arms, patients, "IL-2 start");
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

ReportFiles render_report(const RunData& d) {
  Page page(fmt::format("il2sim report — {}", d.scenario.name));
  page.set_figure_data_folder(std::string(kFigureFolder));
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
  return {page.render(), page.figure_data()};
}

void write_report(const std::string& out, const RunData& data) {
  namespace fs = std::filesystem;
  const auto files = render_report(data);
  const fs::path folder = fs::path(out) / kFigureFolder;
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) {
    throw UserError({folder.string(), std::nullopt, std::nullopt, "--out"},
                    fmt::format("cannot create the directory ({})", ec.message()),
                    "a directory you may write into");
  }
  // The folder holds this run's figures only: CSV files of an earlier run (--force) that this run
  // does not write are removed.
  std::vector<std::string> kept;
  for (const auto& [path, csv] : files.figures) {
    core::write_file_atomically((fs::path(out) / path).string(), csv);
    kept.push_back(fs::path(path).filename().string());
  }
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const auto name = entry.path().filename().string();
    if (entry.is_regular_file() && entry.path().extension() == ".csv" &&
        std::find(kept.begin(), kept.end(), name) == kept.end())
      fs::remove(entry.path(), ec);
  }
  core::write_file_atomically((fs::path(out) / "report.html").string(), files.html);
}

}  // namespace il2sim::output
