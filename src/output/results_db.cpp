#include "output/results_db.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <string_view>
#include <type_traits>

#include <fmt/format.h>

#include "clinic/endpoints.hpp"
#include "core/error.hpp"
#include "core/json_number.hpp"
#include "design/three_plus_three.hpp"
#include "output/json_leaves.hpp"
#include "output/patient_data.hpp"
#include "output/patient_tables.hpp"
#include "output/views.hpp"
#include "scenario/section_settings.hpp"
#include "trial/result_fields.hpp"

namespace il2sim::output {
namespace {

/// The schema of docs/results-database.md. Indexes are created after the rows are inserted.
constexpr std::string_view kSchema = R"sql(
CREATE TABLE runs (
  tool TEXT NOT NULL, version TEXT NOT NULL, scenario TEXT NOT NULL, scenario_hash TEXT NOT NULL,
  seed INTEGER NOT NULL, replicates INTEGER NOT NULL, stages INTEGER NOT NULL);
CREATE TABLE scenario (
  name TEXT NOT NULL, description TEXT, format_version INTEGER NOT NULL, toml TEXT NOT NULL);
CREATE TABLE parameters (
  param_index INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, unit TEXT, value REAL, default_value REAL,
  is_default INTEGER NOT NULL, omega REAL, lower REAL, upper REAL, bsa_scaling TEXT NOT NULL,
  description TEXT, source TEXT, calibration TEXT);
CREATE TABLE operating_characteristics (
  stage_index INTEGER NOT NULL, stage TEXT NOT NULL, stage_type TEXT NOT NULL, statistic TEXT NOT NULL,
  value REAL, value_text TEXT, PRIMARY KEY (stage_index, statistic));
)sql";

/// The tables of a run over a parameter ensemble (`run --ensemble`) only.
constexpr std::string_view kEnsembleSchema = R"sql(
CREATE TABLE ensemble (
  file TEXT NOT NULL, hash TEXT NOT NULL, method TEXT NOT NULL, sets INTEGER NOT NULL,
  parameters INTEGER NOT NULL);
CREATE TABLE ensemble_values (
  set_index INTEGER NOT NULL, weight REAL NOT NULL, parameter TEXT NOT NULL, value REAL NOT NULL,
  PRIMARY KEY (set_index, parameter));
CREATE TABLE ensemble_sets (
  replicate INTEGER PRIMARY KEY, set_index INTEGER NOT NULL);
CREATE TABLE ensemble_models (
  set_index INTEGER NOT NULL, switch TEXT NOT NULL, form TEXT NOT NULL,
  PRIMARY KEY (set_index, switch));
)sql";

constexpr std::string_view kIndexes = R"sql(
CREATE INDEX replicates_stage ON replicates (stage, replicate);
CREATE INDEX replicate_arms_stage ON replicate_arms (stage, arm, replicate);
CREATE INDEX stage_decisions_stage ON stage_decisions (stage, replicate);
CREATE INDEX operating_characteristics_stage ON operating_characteristics (stage, statistic);
CREATE INDEX patients_stage_usubjid ON patients (stage, usubjid);
CREATE INDEX events_stage_usubjid ON events (stage, usubjid);
CREATE INDEX events_paramcd ON events (paramcd, stage, arm);
CREATE INDEX labs_stage_usubjid ON labs (stage, usubjid);
CREATE INDEX labs_paramcd ON labs (paramcd, stage, arm);
CREATE INDEX adverse_events_stage_usubjid ON adverse_events (stage, usubjid);
CREATE INDEX adverse_events_term ON adverse_events (aeterm, aetoxgr);
CREATE INDEX exposure_stage_usubjid ON exposure (stage, usubjid);
)sql";

[[noreturn]] void fail(const std::string& path, sqlite3* db, std::string_view what) {
  throw UserError({path, std::nullopt, std::nullopt, ""},
                  fmt::format("cannot write the results database: {} ({})", what,
                              db != nullptr ? sqlite3_errmsg(db) : "out of memory"),
                  "a path in an existing, writable directory with free space");
}

/// A value or NULL. (Not std::optional: GCC 12 at -O3 reports its storage as maybe-uninitialized.)
template <typename V>
struct Maybe {
  bool set = false;
  V value{};
};
template <typename V>
Maybe<V> maybe(bool set, V value) {
  return {set, set ? value : V{}};
}

/// One open database connection; closed on destruction.
class Db {
 public:
  explicit Db(const std::string& path) : path_(path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
      fail(path_, db_, "open");
    }
  }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db() { close(); }

  void exec(std::string_view sql) {
    const std::string text(sql);
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
      fail(path_, db_, "statement");
  }
  /// Closes the connection; reports a failure to flush the file.
  void close() {
    if (db_ == nullptr) return;
    const int rc = sqlite3_close(db_);
    IL2SIM_ASSERT(rc == SQLITE_OK,
                  "every statement of the results database is finalized before closing");
    db_ = nullptr;
  }
  [[nodiscard]] sqlite3* handle() const { return db_; }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

/// A prepared INSERT: `row(values...)` binds the values to ?1, ?2, … in order, steps and resets.
class Insert {
 public:
  Insert(Db& db, std::string_view sql) : db_(db) {
    const int rc =
        sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    IL2SIM_ASSERT(rc == SQLITE_OK, "the INSERT statements of the results database are valid SQL");
  }
  Insert(const Insert&) = delete;
  Insert& operator=(const Insert&) = delete;
  ~Insert() { sqlite3_finalize(stmt_); }

  template <typename... T>
  void row(const T&... values) {
    IL2SIM_ASSERT(static_cast<int>(sizeof...(T)) == sqlite3_bind_parameter_count(stmt_),
                  "one value per column of the INSERT");
    int i = 0;
    (bind(++i, values), ...);
    if (sqlite3_step(stmt_) != SQLITE_DONE) fail(db_.path(), db_.handle(), "insert");
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  /// One row of generated values (core::FieldValue, in column order).
  void values(const std::vector<core::FieldValue>& v) {
    IL2SIM_ASSERT(static_cast<int>(v.size()) == sqlite3_bind_parameter_count(stmt_),
                  "one value per column of the INSERT");
    for (std::size_t k = 0; k < v.size(); ++k) bind_value(static_cast<int>(k + 1), v[k]);
    if (sqlite3_step(stmt_) != SQLITE_DONE) fail(db_.path(), db_.handle(), "insert");
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  void bind_value(int i, const core::FieldValue& v) {
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
      sqlite3_bind_int64(stmt_, i, *n);
    } else if (const auto* d = std::get_if<double>(&v)) {
      bind(i, *d);
    } else if (const auto* l = std::get_if<std::vector<double>>(&v)) {
      nlohmann::json a = nlohmann::json::array();
      for (const double x : *l) a.push_back(core::json_number(x));
      bind(i, a.dump());
    } else if (core::is_null(v)) {
      sqlite3_bind_null(stmt_, i);
    } else {
      bind(i, core::text_of(v));
    }
  }
  void bind(int i, std::nullptr_t) { sqlite3_bind_null(stmt_, i); }
  void bind(int i, bool v) { sqlite3_bind_int(stmt_, i, v ? 1 : 0); }
  void bind(int i, double v) {
    if (std::isfinite(v)) {
      sqlite3_bind_double(stmt_, i, v);
    } else {
      sqlite3_bind_null(stmt_, i);  // missing (NaN) and unbounded (±inf) are NULL
    }
  }
  void bind(int i, const std::optional<double>& v) {
    if (v) {
      bind(i, *v);
    } else {
      sqlite3_bind_null(stmt_, i);
    }
  }
  template <typename V>
  void bind(int i, const Maybe<V>& v) {
    if (v.set) {
      bind(i, v.value);
    } else {
      sqlite3_bind_null(stmt_, i);
    }
  }
  void bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void bind(int i, const std::string& v) { bind(i, std::string_view(v)); }
  void bind(int i, const char* v) { bind(i, std::string_view(v)); }
  template <typename I>
  requires(std::is_integral_v<I> && !std::is_same_v<I, bool>) void bind(int i, I v) {
    if constexpr (std::is_unsigned_v<I> && sizeof(I) >= sizeof(std::int64_t)) {
      if (v > static_cast<I>(std::numeric_limits<std::int64_t>::max())) {
        bind(i, std::to_string(v));  // beyond SQLite's INTEGER: kept exactly as decimal text
        return;
      }
    }
    sqlite3_bind_int64(stmt_, i, static_cast<sqlite3_int64>(v));
  }

  Db& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

/// `INSERT INTO table (columns) VALUES (?, ?, …)`: one placeholder per listed column; the others
/// are NULL.
std::string insert_sql(std::string_view table, std::string_view columns) {
  std::string sql = fmt::format("INSERT INTO {} ({}) VALUES (?", table, columns);
  for (const char c : columns) {
    if (c == ',') sql += ", ?";
  }
  return sql + ")";
}

std::string_view stage_type_text(scenario::StageType t) {
  switch (t) {
    case scenario::StageType::kDoseEscalation:
      return "dose_escalation";
    case scenario::StageType::kSingleArm:
      return "single_arm";
    case scenario::StageType::kRandomized:
      return "randomized";
  }
  return "";
}

std::string_view bsa_scaling_code(model::BsaScaling s) {
  switch (s) {
    case model::BsaScaling::kNone:
      return "none";
    case model::BsaScaling::kPerM2:
      return "per_m2";
    case model::BsaScaling::kPerRefM2:
      return "per_ref_m2";
  }
  return "";
}

/// Patients per cohort of a dose-escalation stage.
int cohort_size(const scenario::StageSpec& st) {
  return st.method == scenario::EscalationMethod::kThreePlusThree
             ? design::ThreePlusThree::kCohortSize
             : st.cohort_size;
}

/// `run --ensemble`: the ensemble's facts, its sets (one row per set and parameter) and the set of
/// each replicate (docs/results-database.md; tables created only for such a run).
void write_ensemble(Db& db, const RunData& d) {
  const auto& e = *d.ensemble;
  db.exec(kEnsembleSchema);
  Insert(db, insert_sql("ensemble", "file, hash, method, sets, parameters"))
      .row(d.ensemble_file, e.hash, e.method, e.sets.size(), e.parameters.size());
  Insert values(db, insert_sql("ensemble_values", "set_index, weight, parameter, value"));
  for (std::size_t k = 0; k < e.sets.size(); ++k) {
    for (std::size_t i = 0; i < e.parameters.size(); ++i) {
      if (std::isnan(e.sets[k].values[i])) continue;  // not read by the set's model
      values.row(k, e.sets[k].weight, model::spec(e.parameters[i]).name, e.sets[k].values[i]);
    }
  }
  Insert models(db, insert_sql("ensemble_models", "set_index, switch, form"));
  for (std::size_t k = 0; k < e.sets.size(); ++k) {
    if (!e.sets[k].structure) continue;
    for (const auto& row : scenario::model_settings())
      models.row(k, row.info.key, std::get<std::string>(row.get(*e.sets[k].structure)));
  }
  Insert sets(db, insert_sql("ensemble_sets", "replicate, set_index"));
  const auto& chosen = d.summary.ensemble_sets();
  for (std::size_t r = 0; r < chosen.size(); ++r) sets.row(r, chosen[r]);
}

void write_run(Db& db, const RunData& d) {
  const auto& s = d.scenario;
  Insert(db, insert_sql("runs", "tool, version, scenario, scenario_hash, seed, replicates, stages"))
      .row("il2sim", d.facts.version, s.name, d.facts.scenario_hash, s.seed, d.summary.replicates(),
           s.stages.size());
  Insert(db, insert_sql("scenario", "name, description, format_version, toml"))
      .row(s.name, s.description, s.format_version, d.resolved_toml);
  Insert params(
      db, insert_sql("parameters",
                     "param_index, name, unit, value, default_value, is_default, omega, lower, "
                     "upper, bsa_scaling, description, source, calibration"));
  for (const auto& p : model::parameter_table()) {
    if (!model::uses_parameter(s.structure, p.id)) continue;  // not read by the scenario's model
    params.row(static_cast<std::size_t>(p.id), p.name, p.unit, s.parameters[p.id], p.default_value,
               s.parameters.is_default(p.id), p.omega, p.lower, p.upper,
               bsa_scaling_code(p.scaling), p.description, p.source, p.calibration);
  }
  if (d.ensemble != nullptr) write_ensemble(db, d);
}

// ---- Per-replicate tables, generated from field tables ---------------------------------------

using core::FieldType;
using core::FieldValue;

/// The key of every per-replicate row: (replicate, stage_index, stage).
struct StageKey {
  std::uint32_t replicate = 0;
  std::size_t stage_index = 0;
  const scenario::StageSpec* st = nullptr;
};
const std::vector<Column> kKeyColumns = {
    {"replicate", FieldType::kInteger, "", "0-based replicate"},
    {"stage_index", FieldType::kInteger, "", "0-based position of the stage in `[[stages]]`"},
    {"stage", FieldType::kText, "", "stage name"},
};

/// A template argument naming a result field (`same<"hr">`).
template <std::size_t N>
struct Name {
  char text[N]{};
  constexpr Name(const char (&s)[N]) {  // NOLINT: implicit by design (template argument)
    std::copy_n(s, N, text);
  }
  [[nodiscard]] constexpr std::string_view view() const { return {text, N - 1}; }
};

template <class R>
const core::Field<R>* find_field(const trial::ResultTable<R>& t, std::string_view name) {
  for (const auto& f : t.fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}
const trial::ResultTable<trial::EscalationResult>& table_of(const trial::EscalationResult&) {
  return trial::escalation_table();
}
const trial::ResultTable<trial::SingleArmResult>& table_of(const trial::SingleArmResult&) {
  return trial::single_arm_table();
}
const trial::ResultTable<trial::RandomizedResult>& table_of(const trial::RandomizedResult&) {
  return trial::randomized_table();
}

// -- replicates: one row per replicate and stage

struct StageRow {
  const scenario::StageSpec* st = nullptr;
  const trial::StageResult* result = nullptr;
  bool skipped = false;
  template <class R>
  [[nodiscard]] const R* as() const {
    return skipped ? nullptr : std::get_if<R>(result);
  }
};

/// The value of the stage result's field named N (null when the stage type has none): the column
/// takes its type, unit and description from the result table (resolve_from_results).
template <Name N>
FieldValue same(const StageRow& row) {
  if (row.skipped) return {};
  return std::visit(
      [](const auto& r) -> FieldValue {
        const auto* f = find_field(table_of(r), N.view());
        return f != nullptr ? f->get(r) : FieldValue{};
      },
      *row.result);
}
template <Name N>
constexpr core::Field<StageRow> same_column() {
  return {N.view(), FieldType::kReal, "", "", &same<N>, nullptr};
}

FieldValue stage_type_value(const StageRow& r) {
  return std::string(stage_type_text(r.st->type));
}
FieldValue status_value(const StageRow& r) {
  return std::string(r.skipped ? "skipped" : "run");
}
FieldValue decision_value(const StageRow& row) {
  if (row.skipped) return "not run: no MTD from " + row.st->dose_from;
  if (const auto* e = row.as<trial::EscalationResult>())
    return e->mtd ? fmt::format("MTD level {}", *e->mtd + 1) : std::string("no MTD");
  if (const auto* a = row.as<trial::SingleArmResult>()) {
    return std::string(a->stopped_early ? "stopped at stage 1"
                       : a->reject_h0   ? "promising"
                                        : "not promising");
  }
  return std::get<trial::RandomizedResult>(*row.result).decision;
}
FieldValue treated_value(const StageRow& row) {
  if (const auto* e = row.as<trial::EscalationResult>())
    return static_cast<std::int64_t>(e->patients.size());
  return same<"treated">(row);
}
FieldValue reject_value(const StageRow& row) {
  if (const auto* a = row.as<trial::SingleArmResult>()) return core::to_value(a->reject_h0);
  return same<"reject">(row);
}
FieldValue mtd_level_value(const StageRow& row) {
  const auto* e = row.as<trial::EscalationResult>();
  return e != nullptr && e->mtd ? FieldValue(static_cast<std::int64_t>(*e->mtd + 1)) : FieldValue{};
}
FieldValue mtd_dose_value(const StageRow& row) {
  const auto* e = row.as<trial::EscalationResult>();
  if (e == nullptr || !e->mtd) return {};
  return row.st->levels.at(static_cast<std::size_t>(*e->mtd)).dose;
}
FieldValue dlts_value(const StageRow& row) {
  const auto* e = row.as<trial::EscalationResult>();
  if (e == nullptr) return {};
  return static_cast<std::int64_t>(
      std::count_if(e->patients.begin(), e->patients.end(), [](const auto& p) { return p.dlt; }));
}
FieldValue r1_value(const StageRow& row) {
  const auto* a = row.as<trial::SingleArmResult>();
  return a != nullptr && a->r1 >= 0 ? FieldValue(static_cast<std::int64_t>(a->r1)) : FieldValue{};
}
FieldValue stage1_value(const StageRow& row) {
  const auto* a = row.as<trial::SingleArmResult>();
  return a != nullptr && row.st->simon ? FieldValue(static_cast<std::int64_t>(a->stage1_responses))
                                       : FieldValue{};
}
FieldValue randomized_value(const StageRow& row) {
  const auto* r = row.as<trial::RandomizedResult>();
  if (r == nullptr) return {};
  std::int64_t n = 0;
  for (const int k : r->randomized) n += k;
  return n;
}

constexpr auto kInt = FieldType::kInteger;
constexpr auto kReal = FieldType::kReal;
constexpr auto kText = FieldType::kText;

/// Columns with an empty description are result fields of the same name (same_column).
constexpr std::array<core::Field<StageRow>, 34> kStageRowFields{{
    {"stage_type", kText, "", "`dose_escalation`, `single_arm` or `randomized`", &stage_type_value},
    {"status", kText, "",
     "`run`, or `skipped` (a stage with `dose_from` whose escalation selected no MTD)",
     &status_value},
    {"decision", kText, "",
     "escalation: `MTD level k` / `no MTD`; single arm: `promising`, `not promising`, `stopped at "
     "stage 1`; randomized: `efficacy`, `futility`, `no difference`; skipped: why",
     &decision_value},
    same_column<"registered">(),
    {"treated", kInt, "patients", "escalation: evaluable patients; single arm: patients treated",
     &treated_value},
    {"reject", kInt, "", "1 if H0 was rejected (single arm: promising; randomized: efficacy)",
     &reject_value},
    {"mtd_level", kInt, "", "escalation: selected MTD, 1-based level; NULL = no MTD",
     &mtd_level_value},
    {"mtd_dose", kReal, "", "escalation: dose of the selected level (product units/m²/day)",
     &mtd_dose_value},
    {"dlts", kInt, "patients", "escalation: DLTs among the treated", &dlts_value},
    same_column<"not_evaluable">(),
    same_column<"planned_n">(),
    same_column<"n1">(),
    {"r1", kInt, "responses", "single arm: Simon stage-1 threshold (NULL for fixed n)", &r1_value},
    same_column<"r">(),
    {"stage1_responses", kInt, "patients", "single arm: responses among the first n1 (Simon only)",
     &stage1_value},
    same_column<"stopped_early">(),
    same_column<"responses">(),
    same_column<"dose">(),
    same_column<"rfs_from_transplant">(),
    same_column<"rfs_from_landmark">(),
    same_column<"control_from_transplant">(),
    same_column<"control_from_landmark">(),
    same_column<"logrank_p_transplant">(),
    same_column<"logrank_p_landmark">(),
    {"randomized", kInt, "patients", "randomized: patients randomized (all arms)",
     &randomized_value},
    same_column<"stop_look">(),
    same_column<"hr">(),
    same_column<"hr_lower">(),
    same_column<"hr_upper">(),
    same_column<"logrank_p">(),
    same_column<"events">(),
    same_column<"target_events">(),
    same_column<"duration_months">(),
    same_column<"os_hr">(),
}};

/// The columns of `fields`, those with no description taken from the stage result field of the
/// same name (type, unit, description and the stage types that have it).
std::vector<Column> resolve_from_results(core::FieldTable<StageRow> fields) {
  auto out = columns_of(fields);
  for (auto& c : out) {
    if (!c.description.empty()) continue;
    std::vector<std::string> kinds;
    const auto take = [&](const auto& table, const char* kind) {
      if (const auto* f = find_field(table, c.name)) {
        c.type = f->type;
        c.unit = f->unit;
        c.description = f->description;
        kinds.emplace_back(kind);
      }
    };
    take(trial::escalation_table(), "escalation");
    take(trial::single_arm_table(), "single arm");
    take(trial::randomized_table(), "randomized");
    IL2SIM_ASSERT(!kinds.empty(), "a same-name column of `replicates` is a stage result field");
    c.description = fmt::format("{}: {}", fmt::join(kinds, ", "), c.description);
  }
  return out;
}

// -- replicate_arms: randomized stages, one row per arm

struct ArmRow {
  const trial::RandomizedResult* r = nullptr;
  std::size_t arm = 0;
  std::string_view name;
};
template <Name N>
FieldValue arm_element(const ArmRow& row) {
  const auto* f = find_field(trial::randomized_table(), N.view());
  const auto list = f->get(*row.r);
  return std::get<std::vector<double>>(list).at(row.arm);
}
constexpr std::array<core::Field<ArmRow>, 7> kArmFields{{
    {"arm_index", kInt, "", "0 = experimental arm, then control (the stage's `arms` order)",
     [](const ArmRow& a) -> FieldValue { return static_cast<std::int64_t>(a.arm); }},
    {"arm", kText, "", "arm name", [](const ArmRow& a) -> FieldValue { return a.name; }},
    {"randomized", kInt, "patients", "patients randomized to the arm",
     [](const ArmRow& a) -> FieldValue {
       return static_cast<std::int64_t>(a.r->randomized.at(a.arm));
     }},
    {"pfs_median_months", kReal, "month",
     "Kaplan–Meier median PFS from randomization (NULL: "
     "not reached)",
     &arm_element<"pfs_median_months">},
    {"os_median_months", kReal, "month",
     "Kaplan–Meier median OS from randomization (NULL: not "
     "reached)",
     &arm_element<"os_median_months">},
    {"relapse_2y", kReal, "",
     "1 − Kaplan–Meier relapse-free probability (death censors) 2 years after randomization",
     &arm_element<"relapse_2y">},
    {"not_started", kInt, "patients",
     "randomized to the arm but did not start IL-2 (an arm without IL-2: would not have started "
     "it on the experimental arm)",
     [](const ArmRow& a) -> FieldValue {
       return a.arm < a.r->not_started.size()
                  ? FieldValue(static_cast<std::int64_t>(a.r->not_started[a.arm]))
                  : FieldValue{};
     }},
}};

// -- stage_decisions: one row per decision of a stage in a replicate

struct DecisionRow {
  int seq = 0;
  std::string kind;
  int step = 0;
  std::optional<int> level, treated, dlts, responses, threshold;
  std::optional<double> dose;
  trial::LookResult look;
  bool is_look = false;
  std::string decision;
};
template <auto M>
FieldValue of_look(const DecisionRow& d) {
  return d.is_look ? core::getter<M>(d.look) : FieldValue{};
}
/// The look's columns are the look table's (trial/result_fields.cpp); the others are this row's.
constexpr std::array<core::Field<DecisionRow>, 10> kDecisionFields{{
    {"seq", kInt, "", "orders the decisions of one (replicate, stage)",
     &core::getter<&DecisionRow::seq>},
    {"kind", kText, "",
     "`cohort` (dose escalation), `simon_stage1` and `final` (single arm), `look` (randomized)",
     &core::getter<&DecisionRow::kind>},
    {"step", kInt, "", "cohort number, Simon stage (1, 2; 1 for fixed n), or look number",
     &core::getter<&DecisionRow::step>},
    {"level", kInt, "", "cohort: 1-based dose level the cohort was treated at",
     &core::getter<&DecisionRow::level>},
    {"dose", kReal, "", "cohort, simon_stage1, final: dose of the escalated phase",
     &core::getter<&DecisionRow::dose>},
    {"treated", kInt, "patients",
     "cohort, simon_stage1, final: evaluable patients in the cohort / treated at the decision",
     &core::getter<&DecisionRow::treated>},
    {"dlts", kInt, "patients", "cohort: DLTs in the cohort", &core::getter<&DecisionRow::dlts>},
    {"responses", kInt, "patients", "simon_stage1, final: responses at the decision",
     &core::getter<&DecisionRow::responses>},
    {"threshold", kInt, "responses",
     "simon_stage1, final: r1 / r: more responses than this are needed to continue / to reject H0",
     &core::getter<&DecisionRow::threshold>},
    {"decision", kText, "",
     "cohort: `escalate`, `stay`, `de-escalate` (read from the next cohort's level), or `stop: MTD "
     "level k` / `stop: no MTD` for the last; simon_stage1: `continue` / `stop for futility`; "
     "final: `reject H0` / `do not reject H0`; look: `continue`, or the stage's decision at the "
     "stopping look",
     &core::getter<&DecisionRow::decision>},
}};
constexpr std::array<core::Field<DecisionRow>, 6> kDecisionLookFields{{
    {"info", kReal, "", "", &of_look<&trial::LookResult::info>},
    {"calendar_months", kReal, "", "", &of_look<&trial::LookResult::calendar_months>},
    {"events", kInt, "", "", &of_look<&trial::LookResult::events>},
    {"z", kReal, "", "", &of_look<&trial::LookResult::z>},
    {"efficacy_bound", kReal, "", "", &of_look<&trial::LookResult::efficacy_bound>},
    {"futility_bound", kReal, "", "", &of_look<&trial::LookResult::futility_bound>},
}};
/// All getters of a decision row: its own fields, then the look's (before `decision`).
std::vector<core::Field<DecisionRow>> decision_fields() {
  std::vector<core::Field<DecisionRow>> out(kDecisionFields.begin(), kDecisionFields.end() - 1);
  for (auto f : kDecisionLookFields) {
    const auto* look = find_field(trial::look_table(), f.name);
    IL2SIM_ASSERT(look != nullptr && look->type == f.type,
                  "the look columns of stage_decisions are fields of the look table");
    f.unit = look->unit;
    f.description = look->description;
    out.push_back(f);
  }
  out.push_back(kDecisionFields.back());
  return out;
}
const std::vector<core::Field<DecisionRow>>& all_decision_fields() {
  static const auto fields = decision_fields();
  return fields;
}

// -- selection_bias: single-arm stages with selection_bias, one row per effect and origin

struct SelectionBiasRow {
  std::string effect, origin;
  double at_days = 0.0;
  int treated = 0, responses = 0;
  double rfs_treated = 0.0, rfs_control = 0.0, logrank_p = 1.0;
};
using Sb = SelectionBiasRow;
constexpr std::array<core::Field<Sb>, 9> kSelectionBiasFields{{
    {"effect", kText, "", "`with` or `without` IL-2's effect on tumour kill",
     &core::getter<&Sb::effect>},
    {"origin", kText, "",
     "`transplant` (control: all registered) or `landmark` (treated: from IL-2 start; control: "
     "alive, relapse-free and eligible at the would-be start, from it)",
     &core::getter<&Sb::origin>},
    {"at_days", kReal, "day", "the stage's `comparison_days`", &core::getter<&Sb::at_days>},
    {"treated", kInt, "patients", "treated patients (the same with and without the effect)",
     &core::getter<&Sb::treated>},
    {"responses", kInt, "patients",
     "responses (alive and relapse-free `response_days` after IL-2 start)",
     &core::getter<&Sb::responses>},
    {"rfs_treated", kReal, "", "Kaplan–Meier relapse-free survival of the treated at `at_days`",
     &core::getter<&Sb::rfs_treated>},
    {"rfs_control", kReal, "", "the same for the historical control",
     &core::getter<&Sb::rfs_control>},
    {"difference", kReal, "",
     "rfs_treated − rfs_control; `without`, `transplant`: the apparent benefit of selection alone",
     [](const Sb& r) -> FieldValue { return r.rfs_treated - r.rfs_control; }},
    {"logrank_p", kReal, "", "log-rank p, treated vs historical control",
     &core::getter<&Sb::logrank_p>},
}};

/// A per-replicate table: the key columns, then `columns`.
TableSchema keyed(std::string name, std::vector<Column> columns, std::string primary_key) {
  std::vector<Column> all = kKeyColumns;
  all.insert(all.end(), columns.begin(), columns.end());
  return {std::move(name), std::move(all), std::move(primary_key)};
}

// Indexes of generated_tables().
constexpr std::size_t kReplicates = 0, kArms = 1, kAttrition = 2, kDecisions = 3,
                      kSelectionBias = 4;

/// Writes rows of a generated table: the key values, then the getters of `fields` on a record.
class TableWriter {
 public:
  TableWriter(Db& db, const TableSchema& t) : ins_(db, insert_sql(t.name, column_list(t))) {}
  template <class R, class Fields>
  void row(const StageKey& k, const R& r, const Fields& fields) {
    values_.clear();
    values_.emplace_back(static_cast<std::int64_t>(k.replicate));
    values_.emplace_back(static_cast<std::int64_t>(k.stage_index));
    values_.emplace_back(std::string_view(k.st->name));
    for (const auto& f : fields) values_.push_back(f.get(r));
    ins_.values(values_);
  }

 private:
  static std::string column_list(const TableSchema& t) {
    std::string out;
    for (const auto& c : t.columns) out += (out.empty() ? "" : ", ") + c.name;
    return out;
  }
  Insert ins_;
  std::vector<FieldValue> values_;
};

void write_escalation_decisions(TableWriter& w, const StageKey& k,
                                const trial::EscalationResult& e) {
  const auto& st = *k.st;
  // Cohorts: consecutive groups of evaluable patients, each treated at one level; the decision
  // after a cohort is read from the level of the next one.
  const auto size = static_cast<std::size_t>(cohort_size(st));
  const std::size_t n = e.patients.size();
  int seq = 0;
  for (std::size_t first = 0; first < n; first += size) {
    const std::size_t last = std::min(n, first + size);
    const int level = e.patients[first].level;
    DecisionRow d;
    d.dlts = 0;
    for (std::size_t p = first; p < last; ++p) {
      IL2SIM_ASSERT(e.patients[p].level == level, "a cohort is treated at one dose level");
      *d.dlts += e.patients[p].dlt ? 1 : 0;
    }
    if (last < n) {
      const int next = e.patients[last].level;
      d.decision = next > level ? "escalate" : next < level ? "de-escalate" : "stay";
    } else {
      d.decision = e.mtd ? fmt::format("stop: MTD level {}", *e.mtd + 1) : "stop: no MTD";
    }
    d.seq = d.step = ++seq;
    d.kind = "cohort";
    d.level = level + 1;
    d.dose = st.levels[static_cast<std::size_t>(level)].dose;
    d.treated = static_cast<int>(last - first);
    w.row(k, d, all_decision_fields());
  }
}

void write_single_arm_decisions(TableWriter& w, const StageKey& k,
                                const trial::SingleArmResult& a) {
  const bool simon = k.st->simon;
  int seq = 0;
  auto decision = [&](const char* kind, int step, int treated, int responses, int threshold,
                      const char* text) {
    DecisionRow d;
    d.seq = ++seq;
    d.kind = kind;
    d.step = step;
    d.dose = a.dose;
    d.treated = treated;
    d.responses = responses;
    d.threshold = threshold;
    d.decision = text;
    w.row(k, d, all_decision_fields());
  };
  if (simon && a.treated >= a.n1) {
    decision("simon_stage1", 1, a.n1, a.stage1_responses, a.r1,
             a.stopped_early ? "stop for futility" : "continue");
  }
  if (!a.stopped_early) {
    decision("final", simon ? 2 : 1, a.treated, a.responses, a.r,
             a.reject_h0 ? "reject H0" : "do not reject H0");
  }
}

void write_randomized_rows(std::deque<TableWriter>& w, const StageKey& k,
                           const trial::RandomizedResult& r) {
  for (std::size_t a = 0; a < k.st->arms.size(); ++a)
    w[kArms].row(k, ArmRow{&r, a, k.st->arms[a]}, kArmFields);
  for (const auto& [cause, count] : r.attrition)
    w[kAttrition].row(k, trial::AttritionRow{cause, count}, trial::attrition_table().fields);
  for (std::size_t look = 0; look < r.looks.size(); ++look) {
    DecisionRow d;
    d.seq = d.step = static_cast<int>(look + 1);
    d.kind = "look";
    d.look = r.looks[look];
    d.is_look = true;
    d.decision = d.step == r.stop_look ? r.decision : std::string("continue");
    w[kDecisions].row(k, d, all_decision_fields());
  }
}

void write_selection_bias_rows(TableWriter& w, const StageKey& k, const trial::SingleArmResult& a) {
  const double at = k.st->comparison_days;
  const Sb rows[] = {
      {"with", "transplant", at, a.treated, a.responses, a.rfs_from_transplant,
       a.control_from_transplant, a.logrank_p_transplant},
      {"with", "landmark", at, a.treated, a.responses, a.rfs_from_landmark, a.control_from_landmark,
       a.logrank_p_landmark},
      {"without", "transplant", at, a.treated, a.responses_without_effect,
       a.rfs_from_transplant_without_effect, a.control_from_transplant,
       a.logrank_p_transplant_without_effect},
      {"without", "landmark", at, a.treated, a.responses_without_effect,
       a.rfs_from_landmark_without_effect, a.control_from_landmark,
       a.logrank_p_landmark_without_effect},
  };
  for (const auto& row : rows) w.row(k, row, kSelectionBiasFields);
}

bool has_selection_bias(const scenario::Scenario& s) {
  return std::any_of(s.stages.begin(), s.stages.end(),
                     [](const auto& st) { return st.selection_bias; });
}

/// One replicate's stage: its row of `replicates` and its child rows.
void write_stage(std::deque<TableWriter>& w, const StageKey& k, const trial::StageResult& result) {
  // ProgrammeSummary marks a stage that was not run (no MTD carried forward) with planned_n = -1.
  const auto* a = std::get_if<trial::SingleArmResult>(&result);
  const bool skipped = a != nullptr && a->planned_n < 0;
  w[kReplicates].row(k, StageRow{k.st, &result, skipped}, kStageRowFields);
  if (skipped) return;
  if (const auto* e = std::get_if<trial::EscalationResult>(&result))
    write_escalation_decisions(w[kDecisions], k, *e);
  if (a != nullptr) {
    write_single_arm_decisions(w[kDecisions], k, *a);
    if (a->selection_bias && w.size() > kSelectionBias)
      write_selection_bias_rows(w[kSelectionBias], k, *a);
  }
  if (const auto* r = std::get_if<trial::RandomizedResult>(&result))
    write_randomized_rows(w, k, *r);
}

/// The per-replicate tables (selection_bias only when a stage has `selection_bias = true`, so that
/// other runs keep their bytes), in replicate, stage order.
void write_replicates(Db& db, const RunData& d) {
  const auto& s = d.scenario;
  const auto& tables = generated_tables();
  // The per-replicate tables are the first entries of generated_tables() (other writers' tables,
  // documented by the same generator, may follow); selection_bias only when a stage asks for it.
  const std::size_t n = has_selection_bias(s) ? kSelectionBias + 1 : kSelectionBias;
  std::deque<TableWriter> writers;
  for (std::size_t t = 0; t < n; ++t) {
    db.exec(create_table_sql(tables[t]));
    writers.emplace_back(db, tables[t]);
  }
  const auto& results = d.summary.results();
  for (std::size_t rep = 0; rep < results.size(); ++rep) {
    for (std::size_t i = 0; i < s.stages.size(); ++i)
      write_stage(writers, {static_cast<std::uint32_t>(rep), i, &s.stages[i]}, results[rep][i]);
  }
}

}  // namespace

const std::vector<TableSchema>& generated_tables() {
  static const std::vector<TableSchema> tables = [] {
    std::vector<TableSchema> t(kSelectionBias + 1);
    t[kReplicates] =
        keyed("replicates", resolve_from_results(kStageRowFields), "replicate, stage_index");
    t[kArms] = keyed("replicate_arms", columns_of<ArmRow>(kArmFields),
                     "replicate, stage_index, arm_index");
    t[kAttrition] = keyed("replicate_attrition", columns_of(trial::attrition_table().fields),
                          "replicate, stage_index, cause");
    t[kDecisions] =
        keyed("stage_decisions", columns_of(core::FieldTable<DecisionRow>(all_decision_fields())),
              "replicate, stage_index, seq");
    t[kSelectionBias] = keyed("selection_bias", columns_of<Sb>(kSelectionBiasFields),
                              "replicate, stage_index, effect, origin");
    // Another writer's table joins the documentation with one line, e.g.
    //   t.push_back({"patients", columns_of(<its core::FieldTable>), "replicate, usubjid"});
    // and an empty block `<!-- columns: patients (generated: il2sim schema --markdown) -->` …
    // `<!-- /columns -->` in docs/results-database.md, filled by `il2sim schema --update`.
    // write_replicates creates only the five tables above.
    return t;
  }();
  return tables;
}

std::string create_table_sql(const TableSchema& t) {
  std::string sql = "CREATE TABLE " + t.name + " (";
  // The primary key's columns are NOT NULL (SQLite would otherwise accept NULL in them).
  const std::string key = ", " + t.primary_key + ",";
  for (std::size_t k = 0; k < t.columns.size(); ++k) {
    if (k > 0) sql += ", ";
    const auto& c = t.columns[k];
    sql += c.name + " " + std::string(core::sql_type(c.type));
    if (key.find(", " + c.name + ",") != std::string::npos) sql += " NOT NULL";
  }
  if (!t.primary_key.empty()) sql += ", PRIMARY KEY (" + t.primary_key + ")";
  return sql + ");";
}

namespace {

std::string block_begin(const std::string& table) {
  return "<!-- columns: " + table + " (generated: il2sim schema --markdown) -->\n";
}
constexpr std::string_view kBlockEnd = "<!-- /columns -->\n";

std::string table_markdown(const TableSchema& t) {
  std::string out = "| column | type | unit | description |\n|---|---|---|---|\n";
  for (const auto& c : t.columns) {
    out += fmt::format("| `{}` | {} | {} | {} |\n", c.name, core::type_name(c.type), c.unit,
                       c.description);
  }
  if (!t.primary_key.empty()) out += fmt::format("\nPrimary key: ({}).\n", t.primary_key);
  return out;
}

}  // namespace

constexpr std::string_view kPatientBegin = "<!-- BEGIN GENERATED patient tables -->";
constexpr std::string_view kPatientEnd = "<!-- END GENERATED patient tables -->";

std::string schema_markdown() {
  std::string out;
  for (const auto& t : generated_tables()) {
    out += block_begin(t.name) + table_markdown(t) + std::string(kBlockEnd) + "\n";
  }
  return out + std::string(kPatientBegin) + "\n" + patient_table_docs() + "\n" +
         std::string(kPatientEnd) + "\n";
}

std::string with_generated_columns(const std::string& doc, const std::string& origin) {
  std::string out = doc;
  for (const auto& t : generated_tables()) {
    const std::string begin = block_begin(t.name);
    const auto b = out.find(begin);
    const auto e = b == std::string::npos ? b : out.find(kBlockEnd, b);
    if (e == std::string::npos) {
      throw UserError({origin, std::nullopt, std::nullopt, ""},
                      fmt::format("no generated column block for table {}", t.name),
                      fmt::format("a block from `{}` to `{}`", begin.substr(0, begin.size() - 1),
                                  kBlockEnd.substr(0, kBlockEnd.size() - 1)));
    }
    out.replace(b + begin.size(), e - b - begin.size(), table_markdown(t));
  }
  // The patient-level tables' section (output/patient_tables.hpp: patient_table_docs).
  const auto b = out.find(kPatientBegin);
  const auto e = b == std::string::npos ? b : out.find(kPatientEnd, b);
  if (e == std::string::npos) {
    throw UserError({origin, std::nullopt, std::nullopt, ""},
                    "no generated section for the patient-level tables",
                    fmt::format("a section from `{}` to `{}`", kPatientBegin, kPatientEnd));
  }
  out.replace(b + kPatientBegin.size(), e - b - kPatientBegin.size(),
              "\n\n" + patient_table_docs() + "\n");
  return out;
}

namespace {
/// Every leaf of each stage's summary.json object, named by json_leaves.
void write_operating_characteristics(Db& db, const RunData& d) {
  Insert ins(db, insert_sql("operating_characteristics",
                            "stage_index, stage, stage_type, statistic, value, value_text"));
  for (std::size_t i = 0; i < d.scenario.stages.size(); ++i) {
    const auto& st = d.scenario.stages[i];
    const std::string_view type = stage_type_text(st.type);
    const nlohmann::json object = trial::stage_json(st, d.stats.at(i));
    for (const auto& [key, j] : json_leaves(object)) {
      if (j->is_number()) {
        ins.row(i, st.name, type, key, j->get<double>(), nullptr);
      } else if (j->is_boolean()) {
        ins.row(i, st.name, type, key, j->get<bool>(), nullptr);
      } else if (j->is_string()) {
        ins.row(i, st.name, type, key, nullptr, j->get<std::string>());
      } else {
        ins.row(i, st.name, type, key, nullptr, nullptr);
      }
    }
  }
}

}  // namespace

/// The open database of a ResultsDb: the connection, and the patient tables' inserts (finalized
/// before the connection closes).
struct ResultsDb::Impl {
  explicit Impl(const std::string& tmp) : db(tmp) {}
  Db db;
  std::unique_ptr<PatientTableWriter> patients;
};

ResultsDb::ResultsDb(std::string path, const RunData& data)
    : path_(std::move(path)), tmp_(path_ + ".partial"), scenario_(data.scenario) {
  std::remove(tmp_.c_str());  // a leftover of a killed run
  try {
    impl_ = std::make_unique<Impl>(tmp_);
    auto& db = impl_->db;
    db.exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;");
    db.exec("BEGIN");
    db.exec(kSchema);
    write_run(db, data);
    write_replicates(db, data);
    write_operating_characteristics(db, data);
    db.exec(patient_tables_schema());
    impl_->patients = std::make_unique<PatientTableWriter>(db.handle(), db.path(), &fail);
  } catch (...) {
    impl_.reset();
    std::remove(tmp_.c_str());
    throw;
  }
}

ResultsDb::~ResultsDb() {
  if (!impl_) return;  // committed
  impl_.reset();
  std::remove(tmp_.c_str());
}

void ResultsDb::add_patients(const trial::ReplicateResult& r) {
  IL2SIM_ASSERT(impl_ != nullptr, "ResultsDb::add_patients after commit");
  for_each_patient_row(scenario_, r, [&](const PatientRow& p) { impl_->patients->add(p); });
}

void ResultsDb::commit() {
  IL2SIM_ASSERT(impl_ != nullptr, "ResultsDb::commit twice");
  try {
    impl_->patients.reset();
    auto& db = impl_->db;
    db.exec(kIndexes);
    if (has_selection_bias(scenario_))
      db.exec("CREATE INDEX selection_bias_stage ON selection_bias (stage, effect, origin);");
    db.exec("COMMIT");
    db.close();
  } catch (...) {
    impl_.reset();
    std::remove(tmp_.c_str());
    throw;
  }
  impl_.reset();
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    std::remove(tmp_.c_str());
    throw UserError({path_, std::nullopt, std::nullopt, ""},
                    "cannot rename the finished results database into place");
  }
}

void write_results_db(const std::string& path, const RunData& data) {
  ResultsDb db(path, data);
  db.add_patients(data.first);
  db.commit();
}

}  // namespace il2sim::output
