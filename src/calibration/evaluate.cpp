#include "calibration/evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "clinic/endpoints.hpp"
#include "clinic/patient.hpp"
#include "clinic/typical.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/random.hpp"
#include "core/text.hpp"
#include "core/units.hpp"
#include "scenario/scenario.hpp"
#include "sim/dose_feed.hpp"
#include "sim/trajectory.hpp"

namespace il2sim::calibration {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kZ = 1.959963984540054;
using core::kDaysPerMonth;

/// What one virtual patient contributes to one target.
struct Observation {
  bool included = false;
  double x = kNaN;  ///< value (fractions: 0 or 1)
  double t = 0.0;   ///< km_at: time
  bool event = false;
  double w = 1.0;  ///< per-event statistics: the patient's number of events (x: of them fatal)
};

enum class Aggregate { kFraction, kMean, kQuantile, kKaplanMeier, kRatio, kSingle };

/// How a statistic aggregates over virtual patients. A cohort statistic's aggregate is its
/// estimator (statistics.hpp): Kaplan–Meier, pooled events, or by its scale — proportions by
/// fraction, rates by mean, the others (the medians: parse_targets admits no other cohort
/// statistic) by quantile.
Aggregate aggregate_of(const StatisticSpec& s, ExperimentKind kind) {
  if (kind == ExperimentKind::kTypical || s.name == "doubling_time") return Aggregate::kSingle;
  if (kind == ExperimentKind::kPopulation) return Aggregate::kQuantile;
  const auto& info = *find_statistic(s.name);
  switch (info.estimator) {
    case Estimator::kKaplanMeier:
      return Aggregate::kKaplanMeier;
    case Estimator::kPooledEvents:
      return Aggregate::kRatio;
    case Estimator::kByScale:
      break;
  }
  switch (info.scale) {
    case StatisticScale::kProportion:
      return Aggregate::kFraction;
    case StatisticScale::kRate:
      return Aggregate::kMean;
    case StatisticScale::kOther:
      break;
  }
  return Aggregate::kQuantile;
}

// ---- Trajectory statistics (typical and population experiments)
// -----------------------------------

std::size_t row_at(const sim::TrajectoryRecorder& r, double t) {
  const auto& d = r.days();
  const auto it = std::lower_bound(d.begin(), d.end(), t - 1e-9);
  return it == d.end() ? d.size() - 1 : static_cast<std::size_t>(it - d.begin());
}

double value_at(const sim::TrajectoryRecorder& r, const std::string& column, double t) {
  return r.at(row_at(r, t), column);
}

/// Slope of log(y) against t by least squares over the points with y > 0.
double log_slope(const std::vector<double>& t, const std::vector<double>& y) {
  double st = 0, sy = 0, stt = 0, sty = 0;
  double n = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!(y[i] > 0.0)) continue;
    const double ly = std::log(y[i]);
    st += t[i];
    sy += ly;
    stt += t[i] * t[i];
    sty += t[i] * ly;
    n += 1.0;
  }
  if (n < 2.0) return kNaN;
  return (n * sty - st * sy) / (n * stt - st * st);
}

/// Half-lives of a bi-exponential decline after a bolus at `t0`, by curve stripping (the method of
/// residuals): beta from the log-linear terminal phase [t0+from, t0+to], alpha from the residual
/// C − terminal line over the first quarter of `from` after the dose. Returns {alpha, beta} in
/// days.
std::pair<double, double> half_lives(const sim::TrajectoryRecorder& r, double t0, double from,
                                     double to) {
  std::vector<double> tt, yy;
  for (std::size_t i = row_at(r, t0 + from); i < r.days().size() && r.days()[i] <= t0 + to + 1e-9;
       ++i) {
    tt.push_back(r.days()[i] - t0);
    yy.push_back(r.at(i, "C"));
  }
  const double beta = -log_slope(tt, yy);
  double intercept = 0.0;
  {
    double s = 0;
    for (std::size_t i = 0; i < tt.size(); ++i) s += std::log(yy[i]) + beta * tt[i];
    intercept = s / static_cast<double>(tt.size());
  }
  std::vector<double> ta, ya;
  for (std::size_t i = row_at(r, t0) + 1;
       i < r.days().size() && r.days()[i] <= t0 + from / 4.0 + 1e-9; ++i) {
    const double t = r.days()[i] - t0;
    ta.push_back(t);
    ya.push_back(r.at(i, "C") - std::exp(intercept - beta * t));
  }
  const double alpha = -log_slope(ta, ya);
  return {std::log(2.0) / alpha, std::log(2.0) / beta};
}

Observation trajectory_statistic(const StatisticSpec& s, const sim::TrajectoryRecorder& r,
                                 double start) {
  Observation o;
  o.included = true;
  const double from = start + s.from;
  const double to = start + s.to;
  if (s.name == "value_at") {
    o.x = value_at(r, s.column, start + s.day) * s.scale;
  } else if (s.name == "fold") {
    o.x = value_at(r, s.column, start + s.day) / value_at(r, s.column, start + s.ref_day);
  } else if (s.name == "max_over" || s.name == "peak_day" || s.name == "return_day") {
    double best = -std::numeric_limits<double>::infinity();
    double best_day = from;
    std::size_t i = row_at(r, from);
    for (; i < r.days().size() && r.days()[i] <= to + 1e-9; ++i) {
      const double v = r.at(i, s.column);
      if (v > best) {
        best = v;
        best_day = r.days()[i];
      }
    }
    if (s.name == "max_over") {
      o.x = best * s.scale;
    } else if (s.name == "peak_day") {
      o.x = best_day - from;
    } else {
      // First day after the peak within `near` of the reference count; the window end if never.
      const double level = value_at(r, s.column, start + s.ref_day) * (1.0 + s.near);
      o.x = to - from;
      for (std::size_t k = row_at(r, best_day); k < r.days().size() && r.days()[k] <= to + 1e-9;
           ++k) {
        if (r.at(k, s.column) <= level) {
          o.x = r.days()[k] - from;
          break;
        }
      }
    }
  } else if (s.name == "min_fall") {
    double lowest = std::numeric_limits<double>::infinity();
    for (std::size_t i = row_at(r, from); i < r.days().size() && r.days()[i] <= to + 1e-9; ++i) {
      lowest = std::min(lowest, r.at(i, s.column));
    }
    o.x = 1.0 - lowest / value_at(r, s.column, start + s.ref_day);
  } else if (s.name == "half_life_alpha" || s.name == "half_life_beta") {
    const auto [alpha, beta] = half_lives(r, start, s.from, s.to);
    o.x = (s.name == "half_life_alpha" ? alpha : beta) * s.scale;
  }
  if (!std::isfinite(o.x)) o.included = false;
  return o;
}

// ---- Cohort statistics (clinic patient records)
// ------------------------------------------------------

std::optional<double> lab(const clinic::PatientRecord& r, const StatisticSpec& s,
                          const std::string& visit) {
  for (const auto& l : r.labs) {
    if (l.paramcd != s.paramcd || l.visit != visit) continue;
    if (s.et_ratio > 0.0 && std::fabs(l.et_ratio - s.et_ratio) > 1e-9) continue;
    return l.value;
  }
  return std::nullopt;
}

bool has_grade(const clinic::PatientRecord& r, const std::string& term, int grade) {
  for (std::size_t k = 0; k < clinic::kToxTermCount; ++k) {
    const auto t = static_cast<clinic::ToxTerm>(k);
    bool wanted = false;
    if (term == "any") {
      wanted = true;
    } else if (term == "any_nonhaematologic") {
      wanted = !clinic::is_haematologic(t);
    } else {
      static const std::map<std::string, clinic::ToxTerm, std::less<>> kTerms{
          {"capillary_leak", clinic::ToxTerm::kCapillaryLeak},
          {"hypotension", clinic::ToxTerm::kHypotension},
          {"thrombocytopenia", clinic::ToxTerm::kThrombocytopenia},
          {"fever", clinic::ToxTerm::kFever}};
      wanted = kTerms.at(term) == t;
    }
    if (wanted && r.max_grade[k] >= grade) return true;
  }
  return false;
}

clinic::NotTreatedReason cause_of(const std::string& cause) {
  if (cause == "refusal") return clinic::NotTreatedReason::kRefusal;
  if (cause == "death") return clinic::NotTreatedReason::kDeath;
  if (cause == "relapse") return clinic::NotTreatedReason::kRelapse;
  if (cause == "no_platelet_recovery") return clinic::NotTreatedReason::kNoPlateletRecovery;
  if (cause == "other") return clinic::NotTreatedReason::kOther;
  return clinic::NotTreatedReason::kNone;
}

Observation cohort_statistic(const StatisticSpec& s, const clinic::PatientRecord& r) {
  Observation o;
  const auto& info = *find_statistic(s.name);
  const bool treated_only = s.population.empty() ? info.population == DefaultPopulation::kTreated
                                                 : s.population == "treated";
  if (treated_only && !r.treated) return o;
  const auto flag = [&](bool b) {
    o.included = true;
    o.x = b ? 1.0 : 0.0;
  };
  if (s.name == "median_lab_fold") {
    const auto base = lab(r, s, "BASELINE");
    const auto at = lab(r, s, fmt::format("IL2 D{:g}", s.day));
    if (base && at && (*base > 0.0 || *at > 0.0)) {
      // A rise from exactly 0 (Daudi lysis before IL-2: no activated effectors) is an unbounded
      // fold.
      o.included = true;
      o.x = *base > 0.0 ? *at / *base : std::numeric_limits<double>::infinity();
    }
  } else if (s.name == "fraction_completed_induction") {
    flag(r.completed_induction);
  } else if (s.name == "fraction_with_grade") {
    flag(has_grade(r, s.term, s.grade));
  } else if (s.name == "fraction_dlt") {
    flag(r.dlt);
  } else if (s.name == "fraction_toxic_death") {
    flag(r.death_cause == clinic::DeathCause::kToxic);
  } else if (s.name == "grade4_events_per_patient") {
    o.included = true;
    o.x = clinic::grade4_episodes(r);
  } else if (s.name == "toxic_deaths_per_grade4_event") {
    // Toxic death happens only at the onset of a grade-4 episode (clinic/patient.cpp): of this
    // patient's w episodes, x (0 or 1) was fatal. Patients without one carry no information.
    o.w = clinic::grade4_episodes(r);
    o.included = o.w > 0.0;
    o.x = r.death_cause == clinic::DeathCause::kToxic ? 1.0 : 0.0;
  } else if (s.name == "fraction_gvhd") {
    flag(s.kind == "acute" ? r.agvhd_day.has_value() : r.cgvhd_day.has_value());
  } else if (s.name == "median_start_day") {
    if (r.start_day) {
      o.included = true;
      o.x = *r.start_day;
    }
  } else if (s.name == "fraction_not_treated") {
    flag(s.cause == "any" ? r.not_treated != clinic::NotTreatedReason::kNone
                          : r.not_treated == cause_of(s.cause));
  } else if (s.name == "km_at") {
    for (const auto& e : clinic::endpoints(r, 0.0)) {
      if (e.paramcd != s.endpoint) continue;
      o.included = true;
      o.t = e.aval;
      o.event = e.cnsr == 0;
    }
  } else if (s.name == "median_relapse_months_among_relapsed") {
    if (r.relapse_day) {
      o.included = true;
      o.x = *r.relapse_day / kDaysPerMonth;
    }
  } else if (s.name == "fraction_relapses_by") {
    if (r.relapse_day) flag(*r.relapse_day <= s.day);
  } else if (s.name == "fraction_alive_in_cr") {
    flag(!(r.relapse_day && *r.relapse_day <= s.day) && !(r.death_day && *r.death_day <= s.day));
  } else if (s.name == "fraction_relapsed_by") {
    flag(r.relapse_day && *r.relapse_day <= s.day);
  } else if (s.name == "fraction_alive_after_relapse") {
    flag(r.relapse_day && *r.relapse_day <= s.day && !(r.death_day && *r.death_day <= s.day));
  } else if (s.name == "fraction_nrm_by") {
    flag(r.death_day && *r.death_day <= s.day &&
         !(r.relapse_day && *r.relapse_day <= *r.death_day));
  }
  // A Kaplan–Meier observation is its time and event; x is not read.
  if (o.included && info.estimator != Estimator::kKaplanMeier && std::isnan(o.x))
    o.included = false;
  return o;
}

// ---- Aggregation with Monte Carlo error
// -------------------------------------------------------------

struct Summary {
  double value = kNaN, se = 0.0, lo = kNaN, hi = kNaN;
  int n = 0;
};

Summary summarize(Aggregate a, const StatisticSpec& s, std::vector<Observation> obs) {
  std::erase_if(obs, [](const Observation& o) { return !o.included; });
  Summary out;
  out.n = static_cast<int>(obs.size());
  if (obs.empty()) return out;
  const double n = static_cast<double>(obs.size());
  switch (a) {
    case Aggregate::kSingle:
      out.value = obs.front().x;
      out.lo = out.hi = out.value;
      break;
    case Aggregate::kFraction: {
      double x = 0;
      for (const auto& o : obs) x += o.x;
      out.value = x / n;
      const auto w = wilson_interval(static_cast<int>(x), static_cast<int>(n));
      out.lo = w.lower;
      out.hi = w.upper;
      out.se = (w.upper - w.lower) / (2.0 * kZ);
      break;
    }
    case Aggregate::kRatio: {
      // Σx / Σw over patients (events pooled), with the ratio estimator's delta-method variance
      // Σ(x − R·w)² / (n·(n − 1)·w̄²) (Cochran, Sampling Techniques, 3rd ed., §6.4): the events of
      // one patient are not independent.
      double sx = 0, sw = 0;
      for (const auto& o : obs) {
        sx += o.x;
        sw += o.w;
      }
      out.value = sx / sw;
      double ss = 0;
      for (const auto& o : obs) ss += (o.x - out.value * o.w) * (o.x - out.value * o.w);
      const double wbar = sw / n;
      out.se = n > 1 ? std::sqrt(ss / (n * (n - 1.0))) / wbar : 0.0;
      out.lo = std::clamp(out.value - kZ * out.se, 0.0, 1.0);
      out.hi = std::clamp(out.value + kZ * out.se, 0.0, 1.0);
      break;
    }
    case Aggregate::kMean: {
      double sum = 0, sum2 = 0;
      for (const auto& o : obs) {
        sum += o.x;
        sum2 += o.x * o.x;
      }
      out.value = sum / n;
      const double var = n > 1 ? (sum2 - n * out.value * out.value) / (n - 1.0) : 0.0;
      out.se = std::sqrt(std::max(0.0, var) / n);
      out.lo = out.value - kZ * out.se;
      out.hi = out.value + kZ * out.se;
      break;
    }
    case Aggregate::kQuantile: {
      std::vector<double> x;
      x.reserve(obs.size());
      for (const auto& o : obs) x.push_back(o.x);
      std::sort(x.begin(), x.end());
      const double p = s.aggregate == "quantile" ? s.p : 0.5;
      // Type-7 quantile (R's default) and the distribution-free order-statistic interval
      // (binomial normal approximation): ranks n·p ± z·sqrt(n·p·(1−p)).
      const double h = (n - 1.0) * p;
      const auto k = static_cast<std::size_t>(std::floor(h));
      const double frac = h - std::floor(h);
      out.value = k + 1 < x.size() && frac > 0.0 && x[k + 1] != x[k]
                      ? x[k] + frac * (x[k + 1] - x[k])
                      : x[k];
      const double half = kZ * std::sqrt(n * p * (1.0 - p));
      const auto rank = [&](double r) {
        return x[static_cast<std::size_t>(std::clamp(r, 0.0, n - 1.0))];
      };
      out.lo = rank(std::floor(n * p - half) - 1.0);
      out.hi = rank(std::ceil(n * p + half) - 1.0);
      out.se = std::isfinite(out.hi - out.lo) ? (out.hi - out.lo) / (2.0 * kZ)
                                              : std::numeric_limits<double>::infinity();
      break;
    }
    case Aggregate::kKaplanMeier: {
      // Product-limit estimate at s.day with Greenwood's variance.
      std::sort(obs.begin(), obs.end(),
                [](const Observation& l, const Observation& r) { return l.t < r.t; });
      double surv = 1.0, greenwood = 0.0;
      std::size_t i = 0;
      while (i < obs.size() && obs[i].t <= s.day) {
        const double t = obs[i].t;
        const double at_risk = static_cast<double>(obs.size() - i);
        double events = 0;
        while (i < obs.size() && obs[i].t == t) {
          if (obs[i].event) events += 1.0;
          ++i;
        }
        if (events > 0) {
          surv *= 1.0 - events / at_risk;
          if (at_risk > events) greenwood += events / (at_risk * (at_risk - events));
        }
      }
      out.se = surv * std::sqrt(greenwood);
      out.value = s.complement ? 1.0 - surv : surv;
      out.lo = std::clamp(out.value - kZ * out.se, 0.0, 1.0);
      out.hi = std::clamp(out.value + kZ * out.se, 0.0, 1.0);
      break;
    }
  }
  return out;
}

/// One unit of parallel work: patient `patient` (0-based) of experiment `experiment`.
struct WorkItem {
  std::size_t experiment;
  std::uint32_t patient;
};

struct Prepared {
  const Experiment* spec;
  scenario::Scenario scenario;
  scenario::ArmSpec arm;
  std::vector<std::size_t> targets;  ///< selected targets of this experiment
  int patients;
};

}  // namespace

double standardized_distance(double value, double lower, double upper) {
  if (std::isnan(value)) return std::numeric_limits<double>::infinity();
  double d = 0.0;
  if (value < lower) d = lower - value;
  if (value > upper) d = value - upper;
  if (d == 0.0) return 0.0;
  double scale = std::isinf(upper) ? std::fabs(lower) / 2.0 : (upper - lower) / 2.0;
  scale = std::max(scale, 0.05);
  return d / scale;
}

double aiming_distance(double value, double lower, double upper) {
  if (std::isnan(value)) return std::numeric_limits<double>::infinity();
  double scale = std::isinf(upper) ? std::fabs(lower) / 2.0 : (upper - lower) / 2.0;
  scale = std::max(scale, 0.05);
  const double margin = kAimInside * scale;
  const double inner_lower = lower + margin;
  const double inner_upper = std::isinf(upper) ? upper : upper - margin;
  double d = 0.0;
  if (value < inner_lower) d = inner_lower - value;
  if (value > inner_upper) d = value - inner_upper;
  return d / scale;
}

Evaluator::Evaluator(TargetSet targets, EvaluationOptions options)
    : set_(std::move(targets)), options_(std::move(options)) {
  if (!(options_.patients_scale > 0.0 && options_.patients_scale <= 100.0)) {
    throw UserError(
        fmt::format("--patients-scale {}: must be in (0, 100]", options_.patients_scale));
  }
  for (const auto& id : options_.only) {
    const auto it = std::find_if(set_.targets.begin(), set_.targets.end(),
                                 [&](const Target& t) { return t.id == id; });
    if (it == set_.targets.end()) {
      std::vector<std::string_view> ids;
      for (const auto& t : set_.targets) ids.push_back(t.id);
      const auto suggestion = core::closest_name(id, ids);
      throw UserError({set_.origin, std::nullopt, std::nullopt, "--only"},
                      suggestion.empty()
                          ? fmt::format("no target '{}'", id)
                          : fmt::format("no target '{}'; did you mean '{}'?", id, suggestion));
    }
  }
  for (std::size_t i = 0; i < set_.targets.size(); ++i) {
    if (options_.only.empty() || std::find(options_.only.begin(), options_.only.end(),
                                           set_.targets[i].id) != options_.only.end()) {
      selected_.push_back(i);
    }
  }
}

void check_reads(const model::Structure& structure, const std::vector<model::ParamId>& ids,
                 const std::string& option) {
  for (const auto id : ids) {
    if (!model::uses_parameter(structure, id))
      throw UserError({"", std::nullopt, std::nullopt, option},
                      fmt::format("{}: {}", model::spec(id).name,
                                  model::not_read(id, "the calibration's model")),
                      "--set " + model::set_reading(id));
  }
}

void check_reads(const model::Structure& structure, const ParameterPatch& values,
                 const std::string& option) {
  std::vector<model::ParamId> ids;
  for (const auto& [id, value] : values) ids.push_back(id);
  check_reads(structure, ids, option);
}

namespace {

/// The experiments the selected targets need, each with its scenario under the patched
/// parameters and the structure of `o`, and the index of each experiment by name.
std::pair<std::vector<Prepared>, std::map<std::string, std::size_t>> prepare_experiments(
    const TargetSet& set, const std::vector<std::size_t>& selected, const EvaluationOptions& o,
    const ParameterPatch& patch) {
  std::vector<Prepared> prepared;
  std::map<std::string, std::size_t> index;
  for (const auto ti : selected) {
    const auto& t = set.targets[ti];
    if (t.statistic.name == "doubling_time") continue;
    auto [it, fresh] = index.emplace(t.experiment, prepared.size());
    if (fresh) {
      const auto& e = set.experiments.at(t.experiment);
      Prepared p{&e, scenario::load_scenario(e.scenario), {}, {}, 1};
      p.scenario.seed = set.seed;
      p.scenario.structure = o.structure;
      for (const auto& [id, value] : patch) p.scenario.parameters.set(id, value);
      p.arm.name = e.name;
      p.arm.cohort = e.cohort;
      if (e.regimen) {
        p.scenario.regimens[e.name] = *e.regimen;
        p.arm.regimen = e.name;
      }
      p.scenario.typical.start_day = e.start_day;
      p.patients = e.kind == ExperimentKind::kTypical
                       ? 1
                       : std::max(1, static_cast<int>(std::lround(e.patients * o.patients_scale)));
      prepared.push_back(std::move(p));
    }
    prepared[it->second].targets.push_back(ti);
  }
  return {std::move(prepared), std::move(index)};
}

/// What virtual patient `patient` (0-based) of experiment `p` contributes to each of its targets.
std::vector<Observation> observe_patient(const TargetSet& set, const Prepared& p,
                                         std::uint32_t patient) {
  const auto& e = *p.spec;
  const auto& s = p.scenario;
  std::vector<Observation> out;
  out.reserve(p.targets.size());
  if (e.kind == ExperimentKind::kCohort) {
    const auto* cohort = scenario::find_cohort(e.cohort);
    const auto v = clinic::make_patient(s, *cohort, 0, patient + 1);
    const auto record = clinic::simulate_patient(s, p.arm, v, e.days);
    for (const auto ti : p.targets)
      out.push_back(cohort_statistic(set.targets[ti].statistic, record));
    return out;
  }
  sim::TrajectoryRecorder recorder;
  if (e.kind == ExperimentKind::kTypical) {
    auto run = clinic::simulate_typical(s, p.arm, e.days, e.step, sim::SolverMode::kReference);
    recorder = std::move(run.trajectory);
  } else {
    const auto* cohort = scenario::find_cohort(e.cohort);
    const std::uint32_t id = patient + 1;
    const auto v = clinic::make_patient(s, *cohort, 0, id);
    std::vector<dosing::DoseRecord> doses;
    if (e.regimen) {
      doses = dosing::expand(*e.regimen, e.start_day,
                             {v.covariates.bsa_m2, v.covariates.weight_kg, v.lak_cells},
                             s.parameters[model::ParamId::kPotencyRoche]);
    }
    sim::SimulationOptions o = s.solver;
    o.horizon_days = e.days;
    sim::PatientSimulator simulator(v.parameters, o, id);
    RandomStream tumour(s.seed, 0, id, Purpose::kTumourBirthDeath);
    (void)sim::play(simulator, v.parameters, doses, v.L0, tumour, sim::output_grid(e.days, e.step),
                    recorder.observer());
  }
  for (const auto ti : p.targets)
    out.push_back(trajectory_statistic(set.targets[ti].statistic, recorder, e.start_day));
  return out;
}

/// doubling_time: ln 2 over the patched value of the growth-rate parameter (no simulation).
Summary doubling_time(const TargetSet& set, const Target& t, const ParameterPatch& patch) {
  auto parameters = scenario::load_scenario(set.experiments.at(t.experiment).scenario).parameters;
  for (const auto& [id, value] : patch) parameters.set(id, value);
  Summary sum;
  sum.value = std::log(2.0) / parameters[*model::find_parameter(t.statistic.parameter)];
  sum.lo = sum.hi = sum.value;
  sum.n = 1;
  return sum;
}

/// Target `t`'s verdict from its summary, added to `ev` (counts and objective).
void add_result(const Target& t, const Summary& sum, Evaluation& ev) {
  TargetResult r;
  r.id = t.id;
  r.simulated = sum.value;
  r.mc_se = sum.se;
  r.ci_lower = sum.lo;
  r.ci_upper = sum.hi;
  r.n = sum.n;
  r.lower = t.lower;
  r.upper = t.upper;
  r.informational = t.informational;
  r.in_range = !std::isnan(sum.value) && sum.value >= t.lower && sum.value <= t.upper;
  r.precise = std::isinf(t.upper) || sum.se < (t.upper - t.lower) / 4.0;
  r.met = !t.informational && r.in_range && r.precise;
  r.distance = standardized_distance(sum.value, t.lower, t.upper);
  if (!t.informational) {
    ++ev.counted;
    if (r.met) ++ev.met;
    // A target no patient contributed to counts as 10 half-widths away (finite objective).
    const double a = aiming_distance(sum.value, t.lower, t.upper);
    const double d = std::isinf(a) ? 10.0 : a;
    ev.objective += t.weight * d * d;
  }
  ev.targets.push_back(std::move(r));
}

}  // namespace

Evaluation Evaluator::evaluate(const ParameterPatch& patch) const {
  check_reads(options_.structure, patch, "parameters");
  // Not a structured binding: clang 14 (the ASan build) cannot capture one in a lambda.
  const auto experiments = prepare_experiments(set_, selected_, options_, patch);
  const auto& prepared = experiments.first;
  const auto& index = experiments.second;
  std::vector<WorkItem> work;
  for (std::size_t e = 0; e < prepared.size(); ++e) {
    for (int k = 0; k < prepared[e].patients; ++k)
      work.push_back({e, static_cast<std::uint32_t>(k)});
  }
  // observations[experiment][its k-th target]: one per virtual patient, in patient order.
  std::vector<std::vector<std::vector<Observation>>> observations(prepared.size());
  for (std::size_t e = 0; e < prepared.size(); ++e)
    observations[e].resize(prepared[e].targets.size());
  const std::function<std::vector<Observation>(std::size_t)> produce = [&](std::size_t w) {
    return observe_patient(set_, prepared[work[w].experiment], work[w].patient);
  };
  const std::function<void(std::size_t, std::vector<Observation>&)> consume =
      [&](std::size_t w, std::vector<Observation>& obs) {
        auto& slot = observations[work[w].experiment];
        for (std::size_t k = 0; k < obs.size(); ++k) slot[k].push_back(obs[k]);
      };
  core::ordered_parallel_for<std::vector<Observation>>(work.size(), options_.threads, produce,
                                                       consume);
  Evaluation ev;
  for (const auto ti : selected_) {
    const auto& t = set_.targets[ti];
    if (t.statistic.name == "doubling_time") {
      add_result(t, doubling_time(set_, t, patch), ev);
      continue;
    }
    const auto e = index.at(t.experiment);
    const auto& ids = prepared[e].targets;
    const auto k = static_cast<std::size_t>(std::find(ids.begin(), ids.end(), ti) - ids.begin());
    add_result(t,
               summarize(aggregate_of(t.statistic, prepared[e].spec->kind), t.statistic,
                         observations[e][k]),
               ev);
  }
  ev.met_fraction = ev.counted > 0 ? static_cast<double>(ev.met) / ev.counted : 0.0;
  return ev;
}

}  // namespace il2sim::calibration
