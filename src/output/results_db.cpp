#include "output/results_db.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <string_view>
#include <type_traits>

#include <fmt/format.h>

#include "clinic/endpoints.hpp"
#include "core/error.hpp"
#include "design/three_plus_three.hpp"
#include "output/patient_tables.hpp"

namespace il2sim::output {
namespace {

/// The schema of docs/results-database.md. Indexes are created after the rows are inserted.
constexpr std::string_view kSchema = R"sql(
CREATE TABLE runs (
  tool TEXT NOT NULL, version TEXT NOT NULL, scenario TEXT NOT NULL, scenario_hash TEXT NOT NULL,
  seed INTEGER NOT NULL, replicates INTEGER NOT NULL, stages INTEGER NOT NULL, threads INTEGER NOT NULL,
  ranks INTEGER NOT NULL, start_time TEXT NOT NULL, end_time TEXT NOT NULL, wall_time_seconds REAL);
CREATE TABLE scenario (
  name TEXT NOT NULL, description TEXT, format_version INTEGER NOT NULL, toml TEXT NOT NULL);
CREATE TABLE parameters (
  param_index INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, unit TEXT, value REAL, default_value REAL,
  is_default INTEGER NOT NULL, omega REAL, lower REAL, upper REAL, bsa_scaling TEXT NOT NULL,
  description TEXT, source TEXT, calibration TEXT);
CREATE TABLE replicates (
  replicate INTEGER NOT NULL, stage_index INTEGER NOT NULL, stage TEXT NOT NULL, stage_type TEXT NOT NULL,
  status TEXT NOT NULL, decision TEXT,
  registered INTEGER, treated INTEGER, reject INTEGER,
  mtd_level INTEGER, mtd_dose REAL, dlts INTEGER, not_evaluable INTEGER,
  planned_n INTEGER, n1 INTEGER, r1 INTEGER, r INTEGER, stage1_responses INTEGER, stopped_early INTEGER,
  responses INTEGER, dose REAL, rfs_from_transplant REAL, rfs_from_landmark REAL,
  control_from_transplant REAL, control_from_landmark REAL, logrank_p_transplant REAL,
  logrank_p_landmark REAL,
  randomized INTEGER, stop_look INTEGER, hr REAL, hr_lower REAL, hr_upper REAL, logrank_p REAL,
  events INTEGER, target_events INTEGER, duration_months REAL,
  PRIMARY KEY (replicate, stage_index));
CREATE TABLE replicate_arms (
  replicate INTEGER NOT NULL, stage_index INTEGER NOT NULL, stage TEXT NOT NULL, arm_index INTEGER NOT NULL,
  arm TEXT NOT NULL, randomized INTEGER, pfs_median_months REAL, os_median_months REAL, relapse_2y REAL,
  PRIMARY KEY (replicate, stage_index, arm_index));
CREATE TABLE replicate_attrition (
  replicate INTEGER NOT NULL, stage_index INTEGER NOT NULL, stage TEXT NOT NULL, cause TEXT NOT NULL,
  patients INTEGER NOT NULL, PRIMARY KEY (replicate, stage_index, cause));
CREATE TABLE stage_decisions (
  replicate INTEGER NOT NULL, stage_index INTEGER NOT NULL, stage TEXT NOT NULL, seq INTEGER NOT NULL,
  kind TEXT NOT NULL, step INTEGER, level INTEGER, dose REAL, treated INTEGER, dlts INTEGER,
  responses INTEGER, threshold INTEGER, info REAL, calendar_months REAL, events INTEGER, z REAL,
  efficacy_bound REAL, futility_bound REAL, decision TEXT NOT NULL,
  PRIMARY KEY (replicate, stage_index, seq));
CREATE TABLE operating_characteristics (
  stage_index INTEGER NOT NULL, stage TEXT NOT NULL, stage_type TEXT NOT NULL, statistic TEXT NOT NULL,
  value REAL, value_text TEXT, PRIMARY KEY (stage_index, statistic));
)sql";

/// Created only when a stage has `selection_bias = true`, so that other runs keep their bytes.
constexpr std::string_view kSelectionBiasSchema = R"sql(
CREATE TABLE selection_bias (
  replicate INTEGER NOT NULL, stage_index INTEGER NOT NULL, stage TEXT NOT NULL, effect TEXT NOT NULL,
  origin TEXT NOT NULL, at_days REAL NOT NULL, treated INTEGER, responses INTEGER, rfs_treated REAL,
  rfs_control REAL, difference REAL, logrank_p REAL,
  PRIMARY KEY (replicate, stage_index, effect, origin));
CREATE INDEX selection_bias_stage ON selection_bias (stage, effect, origin);
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

 private:
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

std::string_view scaling_text(model::BsaScaling s) {
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

void write_run(Db& db, const RunData& d) {
  const auto& s = d.scenario;
  Insert(db,
         insert_sql(
             "runs",
             "tool, version, scenario, scenario_hash, seed, replicates, stages, threads, ranks, "
             "start_time, end_time, wall_time_seconds"))
      .row("il2sim", d.facts.version, s.name, d.facts.scenario_hash, s.seed, d.summary.replicates(),
           s.stages.size(), d.facts.threads, d.facts.ranks, d.facts.start_time, d.facts.end_time,
           d.facts.wall_time_seconds);
  Insert(db, insert_sql("scenario", "name, description, format_version, toml"))
      .row(s.name, s.description, s.format_version, d.resolved_toml);
  Insert params(
      db, insert_sql("parameters",
                     "param_index, name, unit, value, default_value, is_default, omega, lower, "
                     "upper, bsa_scaling, description, source, calibration"));
  for (const auto& p : model::parameter_table()) {
    params.row(static_cast<std::size_t>(p.id), p.name, p.unit, s.parameters[p.id], p.default_value,
               s.parameters.is_default(p.id), p.omega, p.lower, p.upper, scaling_text(p.scaling),
               p.description, p.source, p.calibration);
  }
}

constexpr std::string_view kKey = "replicate, stage_index, stage";

struct StageInserts {
  Insert skipped, escalation, single_arm, randomized, arm, attrition, cohort, simon_stage, look;
  explicit StageInserts(Db& db)
      : skipped(db,
                insert_sql("replicates", fmt::format("{}, stage_type, status, decision", kKey))),
        escalation(db,
                   insert_sql("replicates",
                              fmt::format("{}, stage_type, status, decision, treated, mtd_level, "
                                          "mtd_dose, dlts, not_evaluable",
                                          kKey))),
        single_arm(
            db, insert_sql(
                    "replicates",
                    fmt::format(
                        "{}, stage_type, status, decision, registered, treated, reject, "
                        "planned_n, n1, r1, r, stage1_responses, stopped_early, responses, dose, "
                        "rfs_from_transplant, rfs_from_landmark, control_from_transplant, "
                        "control_from_landmark, logrank_p_transplant, logrank_p_landmark",
                        kKey))),
        randomized(db,
                   insert_sql("replicates",
                              fmt::format("{}, stage_type, status, decision, registered, reject, "
                                          "randomized, stop_look, hr, hr_lower, hr_upper, "
                                          "logrank_p, events, target_events, duration_months",
                                          kKey))),
        arm(db, insert_sql("replicate_arms",
                           fmt::format("{}, arm_index, arm, randomized, pfs_median_months, "
                                       "os_median_months, relapse_2y",
                                       kKey))),
        attrition(db, insert_sql("replicate_attrition", fmt::format("{}, cause, patients", kKey))),
        cohort(db,
               insert_sql(
                   "stage_decisions",
                   fmt::format("{}, seq, kind, step, level, dose, treated, dlts, decision", kKey))),
        simon_stage(db, insert_sql("stage_decisions",
                                   fmt::format("{}, seq, kind, step, dose, treated, responses, "
                                               "threshold, decision",
                                               kKey))),
        look(db, insert_sql("stage_decisions",
                            fmt::format("{}, seq, kind, step, info, calendar_months, events, z, "
                                        "efficacy_bound, futility_bound, decision",
                                        kKey))) {}
};

void write_escalation(StageInserts& ins, std::uint32_t rep, std::size_t i,
                      const scenario::StageSpec& st, const trial::EscalationResult& e) {
  int dlts = 0;
  for (const auto& p : e.patients) dlts += p.dlt ? 1 : 0;
  const int mtd = e.mtd.value_or(-1);
  const auto mtd_level = maybe(mtd >= 0, mtd + 1);
  const auto mtd_dose =
      maybe(mtd >= 0, mtd >= 0 ? st.levels[static_cast<std::size_t>(mtd)].dose : 0.0);
  const std::string decision = e.mtd ? fmt::format("MTD level {}", *e.mtd + 1) : "no MTD";
  ins.escalation.row(rep, i, st.name, "dose_escalation", "run", decision, e.patients.size(),
                     mtd_level, mtd_dose, dlts, e.not_evaluable);
  // Cohorts: consecutive groups of evaluable patients, each treated at one level; the decision
  // after a cohort is read from the level of the next one.
  const auto size = static_cast<std::size_t>(cohort_size(st));
  const std::size_t n = e.patients.size();
  int seq = 0;
  for (std::size_t first = 0; first < n; first += size) {
    const std::size_t last = std::min(n, first + size);
    const int level = e.patients[first].level;
    int cohort_dlts = 0;
    for (std::size_t k = first; k < last; ++k) {
      IL2SIM_ASSERT(e.patients[k].level == level, "a cohort is treated at one dose level");
      cohort_dlts += e.patients[k].dlt ? 1 : 0;
    }
    std::string decision_text;
    if (last < n) {
      const int next = e.patients[last].level;
      decision_text = next > level ? "escalate" : next < level ? "de-escalate" : "stay";
    } else {
      decision_text = e.mtd ? fmt::format("stop: MTD level {}", *e.mtd + 1) : "stop: no MTD";
    }
    ++seq;
    ins.cohort.row(rep, i, st.name, seq, "cohort", seq, level + 1,
                   st.levels[static_cast<std::size_t>(level)].dose, last - first, cohort_dlts,
                   decision_text);
  }
}

void write_single_arm(StageInserts& ins, std::uint32_t rep, std::size_t i,
                      const scenario::StageSpec& st, const trial::SingleArmResult& a) {
  const auto r1 = maybe(a.r1 >= 0, a.r1);
  const auto stage1 = maybe(st.simon, a.stage1_responses);
  const std::string decision = a.stopped_early ? "stopped at stage 1"
                               : a.reject_h0   ? "promising"
                                               : "not promising";
  ins.single_arm.row(rep, i, st.name, "single_arm", "run", decision, a.registered, a.treated,
                     a.reject_h0, a.planned_n, a.n1, r1, a.r, stage1, a.stopped_early, a.responses,
                     a.dose, a.rfs_from_transplant, a.rfs_from_landmark, a.control_from_transplant,
                     a.control_from_landmark, a.logrank_p_transplant, a.logrank_p_landmark);
  int seq = 0;
  if (st.simon && a.treated >= a.n1) {
    ++seq;
    ins.simon_stage.row(rep, i, st.name, seq, "simon_stage1", 1, a.dose, a.n1, a.stage1_responses,
                        a.r1, a.stopped_early ? "stop for futility" : "continue");
  }
  if (!a.stopped_early) {
    ++seq;
    ins.simon_stage.row(rep, i, st.name, seq, "final", st.simon ? 2 : 1, a.dose, a.treated,
                        a.responses, a.r, a.reject_h0 ? "reject H0" : "do not reject H0");
  }
}

void write_randomized(StageInserts& ins, std::uint32_t rep, std::size_t i,
                      const scenario::StageSpec& st, const trial::RandomizedResult& r) {
  int randomized = 0;
  for (const int n : r.randomized) randomized += n;
  ins.randomized.row(rep, i, st.name, "randomized", "run", r.decision, r.registered, r.reject,
                     randomized, r.stop_look, r.hr, r.hr_lower, r.hr_upper, r.logrank_p, r.events,
                     r.target_events, r.duration_months);
  for (std::size_t a = 0; a < st.arms.size(); ++a) {
    ins.arm.row(rep, i, st.name, a, st.arms[a], r.randomized.at(a), r.pfs_median_months.at(a),
                r.os_median_months.at(a), r.relapse_2y.at(a));
  }
  for (const auto& [cause, count] : r.attrition) ins.attrition.row(rep, i, st.name, cause, count);
  for (std::size_t k = 0; k < r.looks.size(); ++k) {
    const auto& l = r.looks[k];
    const bool stopping = static_cast<int>(k + 1) == r.stop_look;
    ins.look.row(rep, i, st.name, k + 1, "look", k + 1, l.info, l.calendar_months, l.events, l.z,
                 l.efficacy_bound, l.futility_bound,
                 stopping ? r.decision : std::string("continue"));
  }
}

void write_replicates(Db& db, const RunData& d) {
  const auto& s = d.scenario;
  StageInserts ins(db);
  const auto& results = d.summary.results();
  for (std::size_t rep = 0; rep < results.size(); ++rep) {
    const auto replicate = static_cast<std::uint32_t>(rep);
    for (std::size_t i = 0; i < s.stages.size(); ++i) {
      const auto& st = s.stages[i];
      const auto& result = results[rep][i];
      // ProgrammeSummary marks a stage that was not run (no MTD carried forward) with planned_n =
      // -1.
      const auto* a = std::get_if<trial::SingleArmResult>(&result);
      if (a != nullptr && a->planned_n < 0) {
        ins.skipped.row(replicate, i, st.name, stage_type_text(st.type), "skipped",
                        "not run: no MTD from " + st.dose_from);
        continue;
      }
      if (const auto* e = std::get_if<trial::EscalationResult>(&result))
        write_escalation(ins, replicate, i, st, *e);
      if (a != nullptr) write_single_arm(ins, replicate, i, st, *a);
      if (const auto* r = std::get_if<trial::RandomizedResult>(&result))
        write_randomized(ins, replicate, i, st, *r);
    }
  }
}

/// Every leaf of `j` as (dotted key path, value): objects by key, arrays by [index].
void flatten(Insert& ins, std::size_t i, const scenario::StageSpec& st, const std::string& key,
             const nlohmann::json& j) {
  const std::string_view type = stage_type_text(st.type);
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) flatten(ins, i, st, key.empty() ? k : key + "." + k, v);
  } else if (j.is_array()) {
    for (std::size_t k = 0; k < j.size(); ++k)
      flatten(ins, i, st, fmt::format("{}[{}]", key, k), j[k]);
  } else if (j.is_number()) {
    ins.row(i, st.name, type, key, j.get<double>(), nullptr);
  } else if (j.is_boolean()) {
    ins.row(i, st.name, type, key, j.get<bool>(), nullptr);
  } else if (j.is_string()) {
    ins.row(i, st.name, type, key, nullptr, j.get<std::string>());
  } else {
    ins.row(i, st.name, type, key, nullptr, nullptr);
  }
}

/// Per replicate and single-arm stage with selection_bias: the treated with and without IL-2's
/// effect on tumour kill vs the historical control, from transplant and from the landmark.
void write_selection_bias(Db& db, const RunData& d) {
  const auto& stages = d.scenario.stages;
  if (std::none_of(stages.begin(), stages.end(), [](const auto& st) { return st.selection_bias; }))
    return;
  db.exec(kSelectionBiasSchema);
  Insert ins(db,
             insert_sql("selection_bias",
                        fmt::format("{}, effect, origin, at_days, treated, responses, rfs_treated, "
                                    "rfs_control, difference, logrank_p",
                                    kKey)));
  const auto& results = d.summary.results();
  for (std::size_t rep = 0; rep < results.size(); ++rep) {
    for (std::size_t i = 0; i < stages.size(); ++i) {
      const auto* a = std::get_if<trial::SingleArmResult>(&results[rep][i]);
      if (a == nullptr || a->planned_n < 0 || !a->selection_bias) continue;
      const auto& st = stages[i];
      auto row = [&](const char* effect, const char* origin, int responses, double treated,
                     double control, double p) {
        ins.row(rep, i, st.name, effect, origin, st.comparison_days, a->treated, responses, treated,
                control, treated - control, p);
      };
      row("with", "transplant", a->responses, a->rfs_from_transplant, a->control_from_transplant,
          a->logrank_p_transplant);
      row("with", "landmark", a->responses, a->rfs_from_landmark, a->control_from_landmark,
          a->logrank_p_landmark);
      row("without", "transplant", a->responses_without_effect,
          a->rfs_from_transplant_without_effect, a->control_from_transplant,
          a->logrank_p_transplant_without_effect);
      row("without", "landmark", a->responses_without_effect, a->rfs_from_landmark_without_effect,
          a->control_from_landmark, a->logrank_p_landmark_without_effect);
    }
  }
}

void write_operating_characteristics(Db& db, const RunData& d) {
  Insert ins(db, insert_sql("operating_characteristics",
                            "stage_index, stage, stage_type, statistic, value, value_text"));
  const auto& stages = d.summary_json.at("stages");
  for (std::size_t i = 0; i < d.scenario.stages.size(); ++i)
    flatten(ins, i, d.scenario.stages[i], "", stages.at(i));
}

/// The patient-level tables (patient_tables.hpp): the first replicate's patient records.
void write_patients(Db& db, const RunData& d) {
  db.exec(patient_tables_schema());
  PatientTableWriter writer(db.handle(), db.path(), &fail);
  const auto& r = d.first;
  for (std::size_t i = 0; i < r.patients.size(); ++i) {
    const std::string& stage = d.scenario.stages[i].name;
    for (const auto& p : r.patients[i]) {
      const RowContext c{stage, r.replicate_of(i), p.origin, p.product, stage, i};
      const std::string id = usubjid(stage, p.record.id);
      writer.add(PatientRow{c, p.record, id});
    }
  }
}

}  // namespace

void write_results_db(const std::string& path, const RunData& data) {
  const std::string tmp = path + ".partial";
  std::remove(tmp.c_str());  // a leftover of a killed run
  try {
    Db db(tmp);
    db.exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;");
    db.exec("BEGIN");
    db.exec(kSchema);
    write_run(db, data);
    write_replicates(db, data);
    write_operating_characteristics(db, data);
    write_patients(db, data);
    write_selection_bias(db, data);
    db.exec(kIndexes);
    db.exec("COMMIT");
    db.close();
  } catch (...) {
    std::remove(tmp.c_str());
    throw;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw UserError({path, std::nullopt, std::nullopt, ""},
                    "cannot rename the finished results database into place");
  }
}

}  // namespace il2sim::output
