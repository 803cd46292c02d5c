#include "calibration/targets.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/text.hpp"
#include "model/parameters.hpp"
#include "scenario/scenario.hpp"
#include "scenario/toml_input.hpp"

namespace il2sim::calibration {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// Reports every problem of the targets file through one place, with file:line and the key.
class Reader {
 public:
  explicit Reader(std::string origin) : origin_(std::move(origin)) {}

  [[noreturn]] void fail(const toml::node* node, const std::string& key, const std::string& problem,
                         const std::string& allowed = {}) const {
    scenario::fail_at(origin_, node, key, problem, allowed);
  }

  void check_keys(const toml::table& t, const std::string& path,
                  const std::vector<std::string_view>& allowed) const {
    scenario::check_known_keys(origin_, t, path, allowed);
  }

  static long line_of(const toml::node& n) { return static_cast<long>(n.source().begin.line); }

  double number(const toml::table& t, const std::string& path, std::string_view key,
                double fallback, bool required = false) const {
    const auto* n = t.get(key);
    if (n == nullptr) {
      if (required) fail(&t, path + "." + std::string(key), "missing");
      return fallback;
    }
    if (const auto* s = n->as_string(); s != nullptr && (s->get() == "inf" || s->get() == "+inf"))
      return kInf;
    double v = 0.0;
    if (const auto* f = n->as_floating_point()) {
      v = f->get();
    } else if (const auto* i = n->as_integer()) {
      v = static_cast<double>(i->get());
    } else {
      fail(n, path + "." + std::string(key), "expected a number");
    }
    if (std::isnan(v)) fail(n, path + "." + std::string(key), "value is not a number");
    return v;
  }

  std::string string(const toml::table& t, const std::string& path, std::string_view key,
                     const std::string& fallback, bool required = false) const {
    const auto* n = t.get(key);
    if (n == nullptr) {
      if (required) fail(&t, path + "." + std::string(key), "missing");
      return fallback;
    }
    const auto* s = n->as_string();
    if (s == nullptr) fail(n, path + "." + std::string(key), "expected a string");
    return s->get();
  }

  const std::string& origin() const { return origin_; }

 private:
  std::string origin_;
};

/// A regimen written inline in the targets file, validated by the scenario reader (one validator
/// for every regimen): it is wrapped into a minimal scenario and read back.
dosing::Regimen inline_regimen(const Reader& r, const toml::table& regimen,
                               const std::string& cohort, const std::string& key) {
  toml::table root;
  root.insert("format_version", scenario::kFormatVersion);
  root.insert("name", "targets-regimen");
  toml::table regimens;
  regimens.insert("inline", regimen);
  root.insert("regimens", regimens);
  toml::array arms;
  arms.push_back(toml::table{{"name", "a"}, {"cohort", cohort}, {"regimen", "inline"}});
  root.insert("arms", arms);
  std::ostringstream text;
  text << toml::toml_formatter{root};
  try {
    auto s = scenario::parse_scenario(text.str(), r.origin());
    return s.regimens.at("inline");
  } catch (const UserError& e) {
    r.fail(&regimen, key, fmt::format("invalid regimen: {}", e.what()));
  }
}

Experiment read_experiment(const Reader& r, const std::string& name, const toml::table& t) {
  const std::string path = "experiments." + name;
  r.check_keys(
      t, path,
      {"kind", "scenario", "cohort", "regimen", "doses", "start_day", "patients", "days", "step"});
  Experiment e;
  e.name = name;
  e.line = Reader::line_of(t);
  const auto kind = r.string(t, path, "kind", "", true);
  if (kind == "typical") {
    e.kind = ExperimentKind::kTypical;
  } else if (kind == "population") {
    e.kind = ExperimentKind::kPopulation;
  } else if (kind == "cohort") {
    e.kind = ExperimentKind::kCohort;
  } else {
    r.fail(t.get("kind"), path + ".kind", fmt::format("unknown experiment kind '{}'", kind),
           "typical, population, cohort");
  }
  e.scenario = r.string(t, path, "scenario", std::string(scenario::kDefaultScenario));
  scenario::Scenario base;
  try {
    base = scenario::load_scenario(e.scenario);
  } catch (const UserError& err) {
    r.fail(t.get("scenario"), path + ".scenario", err.what());
  }
  e.cohort = r.string(t, path, "cohort", "", true);
  if (scenario::find_cohort(e.cohort) == nullptr) {
    std::string all;
    for (const auto& c : scenario::builtin_cohorts()) all += (all.empty() ? "" : ", ") + c.name;
    r.fail(t.get("cohort"), path + ".cohort", fmt::format("unknown cohort '{}'", e.cohort), all);
  }
  if (const auto* reg = t.get("regimen")) {
    if (const auto* s = reg->as_string()) {
      if (s->get() != "none") {
        const auto it = base.regimens.find(s->get());
        if (it == base.regimens.end()) {
          std::string all = "none";
          for (const auto& [k, v] : base.regimens) all += ", " + k;
          r.fail(reg, path + ".regimen",
                 fmt::format("scenario '{}' has no regimen '{}'", base.name, s->get()), all);
        }
        e.regimen = it->second;
      }
    } else if (const auto* tbl = reg->as_table()) {
      e.regimen = inline_regimen(r, *tbl, e.cohort, path + ".regimen");
      e.regimen->name = name;
    } else {
      r.fail(reg, path + ".regimen", "expected a regimen name or an inline regimen table");
    }
  }
  if (const auto* d = t.get("doses")) {
    const auto* tbl = d->as_table();
    if (tbl == nullptr) r.fail(d, path + ".doses", "expected a table {phase = dose}");
    if (!e.regimen) r.fail(d, path + ".doses", "dose overrides need a regimen");
    for (const auto& [phase, node] : *tbl) {
      auto& phases = e.regimen->phases;
      const std::string_view phase_name = phase.str();  // clang 14 cannot capture a binding
      const auto it = std::find_if(phases.begin(), phases.end(),
                                   [&](const dosing::Phase& p) { return p.name == phase_name; });
      if (it == phases.end()) {
        r.fail(&node, path + ".doses." + std::string(phase.str()),
               fmt::format("regimen '{}' has no phase '{}'", e.regimen->name, phase.str()));
      }
      it->dose = r.number(*tbl, path + ".doses", phase.str(), 0.0, true);
      if (!(it->dose >= 0.0)) r.fail(&node, path + ".doses", "a dose is >= 0");
    }
  }
  e.start_day = r.number(t, path, "start_day", 46.0);
  e.patients =
      static_cast<int>(r.number(t, path, "patients", e.kind == ExperimentKind::kTypical ? 1 : 200));
  if (e.patients < 1 || e.patients > 1'000'000) {
    r.fail(t.get("patients"), path + ".patients", "out of range", "1 to 1000000");
  }
  e.days = r.number(t, path, "days", 1826.0);
  e.step = r.number(t, path, "step", 0.01);
  if (!(e.days > 0.0 && e.days <= 36500.0))
    r.fail(t.get("days"), path + ".days", "out of range", "(0, 36500]");
  if (!(e.step > 0.0 && e.step <= e.days))
    r.fail(t.get("step"), path + ".step", "out of range", "(0, days]");
  if (e.kind != ExperimentKind::kCohort && e.start_day >= e.days) {
    r.fail(t.get("start_day"), path + ".start_day", "the regimen starts after the horizon",
           "< days");
  }
  return e;
}

/// The statistics of one scale, comma-separated, for the "allowed" part of messages.
std::string statistics_of_scale(StatisticScale scale) {
  std::string out;
  for (const auto& s : statistic_table()) {
    if (s.scale == scale) out += (out.empty() ? "" : ", ") + std::string(s.name);
  }
  return out;
}

/// A target's evidence (targets.hpp, Evidence): its successes/trials, or its `evidence` table —
/// { successes, trials } or { estimate, patients } for a proportion statistic, { events, patients }
/// for a rate. Refused: evidence the statistic's scale cannot carry, both forms, bad counts.
Evidence read_evidence(const Reader& r, const toml::table& t, const std::string& path,
                       const Target& g) {
  const auto scale = statistic_scale(g.statistic.name);
  const bool plain = scale != StatisticScale::kOther && g.statistic.scale == 1.0;
  const auto* node = t.get("evidence");
  if (g.successes) {
    if (node != nullptr)
      r.fail(node, path + ".evidence", "given twice", "successes/trials or evidence, not both");
    if (scale != StatisticScale::kProportion || !plain) {
      r.fail(t.get("successes"), path + ".successes",
             fmt::format("counts for the statistic '{}'", g.statistic.name),
             fmt::format("successes/trials for a proportion statistic ({}) with scale 1",
                         statistics_of_scale(StatisticScale::kProportion)));
    }
    return {scale, static_cast<double>(*g.successes) / *g.trials, static_cast<double>(*g.trials)};
  }
  if (node == nullptr) return {};
  const std::string key = path + ".evidence";
  const auto* e = node->as_table();
  if (e == nullptr) r.fail(node, key, "expected a table", "{ successes, trials } etc.");
  if (!plain) {
    r.fail(node, key, fmt::format("evidence for the statistic '{}'", g.statistic.name),
           fmt::format("a proportion statistic ({}) or a rate ({}), scale 1",
                       statistics_of_scale(StatisticScale::kProportion),
                       statistics_of_scale(StatisticScale::kRate)));
  }
  const bool rate = scale == StatisticScale::kRate;
  const std::string allowed = rate ? "{ events = E, patients = N } (events >= 0, patients > 0)"
                                   : "{ successes = X, trials = N } (whole, 0 <= X <= N >= 1) or "
                                     "{ estimate = P, patients = N } (0 <= P <= 1, N > 0)";
  if (rate) {
    r.check_keys(*e, key, {"events", "patients"});
    const double events = r.number(*e, key, "events", 0.0, true);
    const double n = r.number(*e, key, "patients", 0.0, true);
    if (!(events >= 0 && n > 0) || std::isinf(events) || std::isinf(n))
      r.fail(node, key, "out of range", allowed);
    return {scale, events / n, n};
  }
  r.check_keys(*e, key, {"successes", "trials", "estimate", "patients"});
  if (e->contains("successes") || e->contains("trials")) {
    if (e->contains("estimate") || e->contains("patients")) r.fail(node, key, "two forms", allowed);
    const double x = r.number(*e, key, "successes", 0.0, true);
    const double n = r.number(*e, key, "trials", 0.0, true);
    if (n < 1 || x < 0 || x > n || n != std::floor(n) || x != std::floor(x) || std::isinf(n))
      r.fail(node, key, "out of range", allowed);
    return {scale, x / n, n};
  }
  const double p = r.number(*e, key, "estimate", 0.0, true);
  const double n = r.number(*e, key, "patients", 0.0, true);
  if (!(p >= 0 && p <= 1 && n > 0) || std::isinf(n)) r.fail(node, key, "out of range", allowed);
  return {scale, p, n};
}

/// The setting `key` of a statistic (StatisticInfo::needs), as read.
const std::string& setting(const StatisticSpec& s, std::string_view key) {
  if (key == "column") return s.column;
  if (key == "paramcd") return s.paramcd;
  if (key == "term") return s.term;
  if (key == "endpoint") return s.endpoint;
  if (key == "cause") return s.cause;
  if (key == "kind") return s.kind;
  IL2SIM_ASSERT(key == "parameter", "a statistic's `needs` is one of its settings");
  return s.parameter;
}

/// The name of a target's statistic, refused unless it is one of statistic_table()'s.
const StatisticInfo& read_statistic_name(const Reader& r, const toml::table& t,
                                         const std::string& path, StatisticSpec& s) {
  s.name = r.string(t, path, "statistic", "", true);
  const auto* info = find_statistic(s.name);
  if (info == nullptr) {
    const auto& names = statistic_names();
    std::string all;
    for (const auto n : names) all += (all.empty() ? "" : ", ") + std::string(n);
    const auto suggestion = core::closest_name(s.name, names);
    r.fail(t.get("statistic"), path + ".statistic",
           suggestion.empty()
               ? fmt::format("unknown statistic '{}'", s.name)
               : fmt::format("unknown statistic '{}'; did you mean '{}'?", s.name, suggestion),
           all);
  }
  return *info;
}

/// Refuses a statistic on an experiment it cannot read, or without the setting it needs, or
/// evaluated past the experiment's follow-up where it needs every patient followed.
void check_statistic(const Reader& r, const toml::table& t, const std::string& path,
                     const StatisticInfo& info, const StatisticSpec& s, const Experiment& e) {
  const bool cohort = e.kind == ExperimentKind::kCohort;
  if ((info.reads == StatisticReads::kTrajectory || info.reads == StatisticReads::kBolus) &&
      cohort) {
    r.fail(t.get("experiment"), path + ".experiment",
           fmt::format("statistic '{}' needs a typical or population experiment", s.name));
  }
  if (info.reads == StatisticReads::kCohort && !cohort) {
    r.fail(t.get("experiment"), path + ".experiment",
           fmt::format("statistic '{}' needs a cohort experiment", s.name));
  }
  if (!info.needs.empty() && setting(s, info.needs).empty()) {
    r.fail(&t, path + "." + std::string(info.needs),
           fmt::format("statistic '{}' needs it", s.name));
  }
  if (info.needs_follow_up && !(s.day > 0.0 && s.day <= e.days)) {
    r.fail(t.get("day"), path + ".day",
           fmt::format("{:g} for the statistic '{}', which counts every patient followed to it",
                       s.day, s.name),
           fmt::format("(0, {:g}], the experiment's days", e.days));
  }
}

/// A target's statistic and its settings (targets.hpp, StatisticSpec), checked against its row of
/// statistic_table() and its experiment.
StatisticSpec read_statistic(const Reader& r, const toml::table& t, const std::string& path,
                             const Experiment& experiment) {
  StatisticSpec s;
  const auto& info = read_statistic_name(r, t, path, s);
  s.column = r.string(t, path, "column", "");
  s.paramcd = r.string(t, path, "paramcd", "");
  s.term = r.string(t, path, "term", "");
  s.endpoint = r.string(t, path, "endpoint", "");
  s.cause = r.string(t, path, "cause", "");
  s.kind = r.string(t, path, "kind", "");
  s.parameter = r.string(t, path, "parameter", "");
  s.aggregate = r.string(t, path, "aggregate", "median");
  s.population = r.string(t, path, "population", "");
  if (!s.population.empty() && s.population != "registered" && s.population != "treated") {
    r.fail(t.get("population"), path + ".population",
           fmt::format("unknown population '{}'", s.population), "registered, treated");
  }
  s.p = r.number(t, path, "p", 0.5);
  s.day = r.number(t, path, "day", 0.0);
  s.ref_day = r.number(t, path, "ref_day", -1.0);
  s.from = r.number(t, path, "from", 0.0);
  s.to = r.number(t, path, "to", 0.0);
  s.near = r.number(t, path, "near", 0.25);
  s.et_ratio = r.number(t, path, "et_ratio", 0.0);
  s.scale = r.number(t, path, "scale", 1.0);
  s.grade = static_cast<int>(r.number(t, path, "grade", 1.0));
  if (const auto* c = t.get("complement")) {
    const auto* b = c->as_boolean();
    if (b == nullptr) r.fail(c, path + ".complement", "expected true or false");
    s.complement = b->get();
  }
  if (s.aggregate != "median" && s.aggregate != "quantile") {
    r.fail(t.get("aggregate"), path + ".aggregate",
           fmt::format("unknown aggregate '{}'", s.aggregate), "median, quantile");
  }
  if (!(s.p > 0.0 && s.p < 1.0)) r.fail(t.get("p"), path + ".p", "out of range", "(0, 1)");
  if (s.name == "doubling_time" && !model::find_parameter(s.parameter)) {
    r.fail(t.get("parameter"), path + ".parameter",
           fmt::format("unknown parameter '{}'", s.parameter));
  }
  check_statistic(r, t, path, info, s, experiment);
  if (s.name == "fraction_not_treated") {
    constexpr std::array<std::string_view, 6> kCauses{
        "any", "refusal", "death", "relapse", "no_platelet_recovery", "other"};
    if (std::find(kCauses.begin(), kCauses.end(), s.cause) == kCauses.end()) {
      r.fail(t.get("cause"), path + ".cause", fmt::format("unknown cause '{}'", s.cause),
             "any, refusal, death, relapse, no_platelet_recovery, other");
    }
  }
  return s;
}

Target read_target(const Reader& r, const toml::table& t, std::size_t index, const TargetSet& set) {
  const std::string path = fmt::format("targets[{}]", index);
  r.check_keys(t, path,
               {"id",      "description", "source",     "experiment", "statistic", "target",
                "lower",   "upper",       "weight",     "successes",  "trials",    "informational",
                "unit",    "column",      "paramcd",    "term",       "endpoint",  "cause",
                "kind",    "parameter",   "population", "aggregate",  "p",         "day",
                "ref_day", "from",        "to",         "near",       "et_ratio",  "scale",
                "grade",   "complement",  "unmet_note", "evidence"});
  Target g;
  g.line = Reader::line_of(t);
  g.id = r.string(t, path, "id", "", true);
  g.description = r.string(t, path, "description", "", true);
  g.source = r.string(t, path, "source", "", true);
  g.unit = r.string(t, path, "unit", "");
  g.unmet_note = r.string(t, path, "unmet_note", "");
  g.experiment = r.string(t, path, "experiment", "", true);
  const auto* experiment_node = t.get("experiment");
  if (set.experiments.count(g.experiment) == 0) {
    std::vector<std::string_view> names;
    for (const auto& [k, v] : set.experiments) names.push_back(k);
    const auto suggestion = core::closest_name(g.experiment, names);
    r.fail(experiment_node, path + ".experiment",
           suggestion.empty() ? fmt::format("unknown experiment '{}'", g.experiment)
                              : fmt::format("unknown experiment '{}'; did you mean '{}'?",
                                            g.experiment, suggestion));
  }
  g.statistic = read_statistic(r, t, path, set.experiments.at(g.experiment));

  g.target = r.number(t, path, "target", 0.0, true);
  g.weight = r.number(t, path, "weight", 1.0);
  if (!(g.weight >= 0.0) || std::isinf(g.weight))
    r.fail(t.get("weight"), path + ".weight", "out of range", ">= 0");
  if (const auto* b = t.get("informational")) {
    if (b->as_boolean() == nullptr) r.fail(b, path + ".informational", "expected true or false");
    g.informational = b->as_boolean()->get();
  }
  const bool counts = t.contains("successes") || t.contains("trials");
  if (counts) {
    if (t.contains("lower") || t.contains("upper")) {
      r.fail(&t, path, "give either successes/trials (Wilson interval) or lower/upper, not both");
    }
    const double n = r.number(t, path, "trials", 0.0, true);
    const double x = r.number(t, path, "successes", 0.0, true);
    if (n < 1 || x < 0 || x > n || n != std::floor(n) || x != std::floor(x)) {
      r.fail(t.get("successes"), path + ".successes",
             "counts are whole numbers 0 <= successes <= trials");
    }
    g.successes = static_cast<int>(x);
    g.trials = static_cast<int>(n);
    const auto w = wilson_interval(*g.successes, *g.trials);
    g.lower = w.lower;
    g.upper = w.upper;
  } else {
    g.lower = r.number(t, path, "lower", 0.0, true);
    g.upper = r.number(t, path, "upper", 0.0, true);
    if (!(g.lower < g.upper))
      r.fail(t.get("upper"), path + ".upper", "the range is empty", "lower < upper");
  }
  g.evidence = read_evidence(r, t, path, g);
  return g;
}

}  // namespace

std::string_view to_string(ExperimentKind kind) {
  switch (kind) {
    case ExperimentKind::kTypical:
      return "typical";
    case ExperimentKind::kPopulation:
      return "population";
    case ExperimentKind::kCohort:
      return "cohort";
  }
  return "";
}

const std::vector<std::string_view>& statistic_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const auto& s : statistic_table()) v.push_back(s.name);
    return v;
  }();
  return names;
}

StatisticScale statistic_scale(std::string_view statistic) {
  const auto* info = find_statistic(statistic);
  return info == nullptr ? StatisticScale::kOther : info->scale;
}

Interval wilson_interval(int successes, int trials) {
  constexpr double z = 1.959963984540054;
  const double n = trials;
  const double p = successes / n;
  const double denom = 1.0 + z * z / n;
  const double centre = (p + z * z / (2.0 * n)) / denom;
  const double half = z * std::sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n)) / denom;
  // At 0 or N successes centre and half are equal in exact arithmetic (the bound is 0 or 1), but
  // not always in floating point.
  return {successes == 0 ? 0.0 : std::max(0.0, centre - half),
          successes == trials ? 1.0 : std::min(1.0, centre + half)};
}

TargetSet parse_targets(std::string_view toml_text, const std::string& origin) {
  Reader r(origin);
  const toml::table root = scenario::parse_toml_text(toml_text, origin);
  r.check_keys(root, "(top level)", {"format_version", "seed", "experiments", "targets"});
  TargetSet set;
  set.origin = origin;
  set.text = std::string(toml_text);
  const double version = r.number(root, "", "format_version", 0.0, true);
  if (version != 1.0)
    r.fail(root.get("format_version"), "format_version", "unsupported version", "1");
  const double seed = r.number(root, "", "seed", 0.0, true);
  if (seed < 0 || seed != std::floor(seed))
    r.fail(root.get("seed"), "seed", "expected a whole number >= 0");
  set.seed = static_cast<std::uint64_t>(seed);
  const auto* experiments = root.get_as<toml::table>("experiments");
  if (experiments == nullptr) r.fail(&root, "experiments", "missing table [experiments.NAME]");
  for (const auto& [name, node] : *experiments) {
    const auto* t = node.as_table();
    if (t == nullptr) r.fail(&node, "experiments." + std::string(name.str()), "expected a table");
    set.experiments.emplace(std::string(name.str()),
                            read_experiment(r, std::string(name.str()), *t));
  }
  const auto* targets = root.get_as<toml::array>("targets");
  if (targets == nullptr || targets->empty()) r.fail(&root, "targets", "missing [[targets]]");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < targets->size(); ++i) {
    const auto* t = (*targets)[i].as_table();
    if (t == nullptr) r.fail(&(*targets)[i], fmt::format("targets[{}]", i), "expected a table");
    auto g = read_target(r, *t, i, set);
    if (!seen.insert(g.id).second)
      r.fail(t->get("id"), fmt::format("targets[{}].id", i), "duplicate id " + g.id);
    set.targets.push_back(std::move(g));
  }
  return set;
}

TargetSet load_targets_file(const std::string& path) {
  return parse_targets(core::read_input_file(path, "cannot read the targets file"), path);
}

TargetSet builtin_targets() {
  return parse_targets(builtin_targets_text(), "calibration/targets.toml");
}

std::string text_hash(std::string_view text) {
  return core::fnv1a_hex(text);
}

}  // namespace il2sim::calibration
