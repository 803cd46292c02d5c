#include "output/sweep.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/json_number.hpp"
#include "output/csv_fields.hpp"
#include "output/json_leaves.hpp"
#include "output/sqlite_db.hpp"
#include "report/html.hpp"
#include "report/svg_plot.hpp"

namespace il2sim::output {
namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
constexpr std::string_view kMcSeSuffix = "_mc_se";

/// The components of a leaf's name ("arms[0].pfs_landmark.2" -> arms[0], pfs_landmark, 2).
std::vector<std::string> components(std::string_view name) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (true) {
    const std::size_t dot = name.find('.', at);
    out.emplace_back(name.substr(at, dot == std::string_view::npos ? name.npos : dot - at));
    if (dot == std::string_view::npos) return out;
    at = dot + 1;
  }
}

/// A Monte Carlo SE leaf: a component of its name ends in `_mc_se` (`power_mc_se`, and in a map of
/// SEs beside a map of values, `decisions_mc_se.efficacy`, `arms[0].pfs_landmark_mc_se.2`).
bool is_mc_se(std::string_view name) {
  for (const auto& c : components(name)) {
    if (c.size() > kMcSeSuffix.size() && c.ends_with(kMcSeSuffix)) return true;
  }
  return false;
}

/// The names the Monte Carlo SE of leaf `name` may have, nearest first: `name_mc_se`, then each
/// component from the last with `_mc_se` appended (`decisions.efficacy` ->
/// `decisions_mc_se.efficacy`).
std::vector<std::string> mc_se_names(std::string_view name) {
  std::vector<std::string> out{std::string(name) + std::string(kMcSeSuffix)};
  const auto parts = components(name);
  for (std::size_t k = parts.size() - 1; k-- > 0;) {
    std::string candidate;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (i > 0) candidate += '.';
      candidate += parts[i];
      if (i == k) candidate += kMcSeSuffix;
    }
    out.push_back(std::move(candidate));
  }
  return out;
}

/// Adds to `order` the names of `seq` it lacks, each just before the next name of `seq` that
/// `order` has (at the end when none): two sequences with their names sorted give a sorted union.
void merge_names(std::vector<std::string>& order, const std::vector<std::string>& seq) {
  std::size_t next = order.size();  // position of the nearest later name of seq in order
  for (auto name = seq.rbegin(); name != seq.rend(); ++name) {
    const auto it = std::find(order.begin(), order.end(), *name);
    if (it != order.end()) {
      next = static_cast<std::size_t>(it - order.begin());
    } else {
      order.insert(order.begin() + static_cast<std::ptrdiff_t>(next), *name);
    }
  }
}

// ---- SQLite -----------------------------------------------------------------------------------

/// The grid columns: quoted, comma-separated, with a trailing ", " when there are any.
std::string path_columns(const SweepTable& t) {
  std::string out;
  for (const auto& p : t.paths) out += sql_identifier(p) + ", ";
  return out;
}

std::string placeholders(std::size_t n) {
  std::string out;
  for (std::size_t k = 0; k < n; ++k) out += k == 0 ? "?" : ", ?";
  return out;
}

/// Whether `name` is a grid path (then the points table has it once, as a grid column).
bool grid_column(const SweepTable& t, std::string_view name) {
  return std::find(t.paths.begin(), t.paths.end(), name) != t.paths.end();
}

void write_db_schema(SqliteDb& db, const SweepTable& t) {
  // The grid columns have no declared type: each keeps the type of its value (a number, or text
  // for a word such as "sc").
  const std::string cols = path_columns(t);
  db.exec(
      "CREATE TABLE runs (tool TEXT NOT NULL, version TEXT NOT NULL, scenario TEXT NOT NULL, "
      "seed INTEGER, replicates INTEGER, points INTEGER NOT NULL, "
      "grid TEXT NOT NULL, sets TEXT NOT NULL);");
  std::string facts = "scenario_hash TEXT NOT NULL";
  for (const char* name : {"seed", "replicates"}) {
    if (!grid_column(t, name)) facts += fmt::format(", {} INTEGER NOT NULL", name);
  }
  db.exec("CREATE TABLE points (point INTEGER PRIMARY KEY, " + cols + facts + ");");
  db.exec("CREATE TABLE sweep (" + cols +
          "stage TEXT NOT NULL, output TEXT NOT NULL, value REAL, mc_se REAL);");
}

void write_db_rows(SqliteDb& db, const SweepTable& t) {
  const std::string cols = path_columns(t);
  const int n = static_cast<int>(t.paths.size());
  db.prepare("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  db.bind(1, nlohmann::json("il2sim"));
  db.bind(2, t.facts.version);
  db.bind(3, t.facts.scenario);
  db.bind(4, t.facts.seed ? nlohmann::json(*t.facts.seed) : nlohmann::json());
  db.bind(5, t.facts.replicates ? nlohmann::json(*t.facts.replicates) : nlohmann::json());
  db.bind(6, nlohmann::json(t.points.size()));
  db.bind(7, nlohmann::json(t.paths).dump());
  db.bind(8, nlohmann::json(t.facts.sets).dump());
  db.step();
  const bool seed_column = !grid_column(t, "seed");
  const bool replicates_column = !grid_column(t, "replicates");
  db.prepare(fmt::format(
      "INSERT INTO points (point, {}scenario_hash{}{}) VALUES ({})", cols,
      seed_column ? ", seed" : "", replicates_column ? ", replicates" : "",
      placeholders(t.paths.size() + 2 + (seed_column ? 1 : 0) + (replicates_column ? 1 : 0))));
  for (std::size_t p = 0; p < t.points.size(); ++p) {
    db.bind(1, nlohmann::json(p));
    for (int k = 0; k < n; ++k) db.bind(k + 2, t.points[p].set[static_cast<std::size_t>(k)].value);
    int next = n + 2;
    db.bind(next++, t.points[p].scenario_hash);
    if (seed_column) db.bind(next++, nlohmann::json(t.points[p].seed));
    if (replicates_column) db.bind(next++, nlohmann::json(t.points[p].replicates));
    db.step();
  }
  db.prepare("INSERT INTO sweep (" + cols + "stage, output, value, mc_se) VALUES (" +
             placeholders(t.paths.size() + 4) + ")");
  for (const auto& point : t.points) {
    for (const auto& stage : point.stages) {
      for (const auto& o : stage.outputs) {
        for (int k = 0; k < n; ++k) db.bind(k + 1, point.set[static_cast<std::size_t>(k)].value);
        db.bind(n + 1, stage.name);
        db.bind(n + 2, o.name);
        db.bind(n + 3, o.value);
        db.bind(n + 4, o.mc_se);
        db.step();
      }
    }
  }
}

// ---- HTML -------------------------------------------------------------------------------------

/// The x axis of the plots: the first path's values as numbers, or as categories when one of them
/// is not a number (or there is only one value, which a numeric axis cannot span).
struct XAxis {
  std::vector<std::string> categories;  ///< empty: numeric
  std::vector<double> x;                ///< per point
};

XAxis x_axis(const SweepTable& t) {
  XAxis a;
  std::vector<std::string> distinct;
  bool numeric = true;
  for (const auto& p : t.points) {
    numeric = numeric && p.set.front().value.is_number();
    if (std::find(distinct.begin(), distinct.end(), p.set.front().text) == distinct.end())
      distinct.push_back(p.set.front().text);
  }
  numeric = numeric && distinct.size() > 1;
  for (const auto& p : t.points) {
    const auto at = std::find(distinct.begin(), distinct.end(), p.set.front().text);
    a.x.push_back(numeric ? p.set.front().value.get<double>()
                          : static_cast<double>(at - distinct.begin()));
  }
  if (!numeric) a.categories = distinct;
  return a;
}

/// The label of a point's line: the values of every path but the first ("" with one path).
std::string line_label(const SweepTable& t, const SweepPoint& p) {
  std::string out;
  for (std::size_t k = 1; k < t.paths.size(); ++k)
    out += fmt::format("{}{} = {}", out.empty() ? "" : ", ", t.paths[k], p.set[k].text);
  return out;
}

/// The figure of output `o` of stage `s` (indices into every point's aligned stages and outputs).
report::Figure output_figure(const SweepTable& t, const XAxis& xa, std::size_t s, std::size_t o,
                             const std::string& id) {
  report::Figure fig;
  fig.id = id;
  fig.title = t.points.front().stages[s].outputs[o].name;
  fig.x.label = t.paths.front();
  fig.x.categories = xa.categories;
  fig.y.label = fig.title;
  fig.height = 320.0;
  std::vector<std::string> labels;
  std::vector<report::Line> lines, bars;
  std::vector<report::Points> marks;
  for (std::size_t p = 0; p < t.points.size(); ++p) {
    const std::string label = line_label(t, t.points[p]);
    auto it = std::find(labels.begin(), labels.end(), label);
    if (it == labels.end()) {
      const std::size_t colour = labels.size() % report::palette_size();
      labels.push_back(label);
      lines.push_back({{}, {}, label, colour});
      bars.push_back({{}, {}, "", colour, false, 1.0});
      marks.push_back({{}, {}, "", colour});
      it = labels.end() - 1;
    }
    const auto g = static_cast<std::size_t>(it - labels.begin());
    const auto& out = t.points[p].stages[s].outputs[o];
    lines[g].x.push_back(xa.x[p]);
    lines[g].y.push_back(out.value);
    marks[g].x.push_back(xa.x[p]);
    marks[g].y.push_back(out.value);
    if (std::isfinite(out.value) && std::isfinite(out.mc_se)) {
      // One polyline for all bars of the line, broken between them by a NaN.
      bars[g].x.insert(bars[g].x.end(), {xa.x[p], xa.x[p], xa.x[p]});
      bars[g].y.insert(bars[g].y.end(),
                       {out.value - 2.0 * out.mc_se, out.value + 2.0 * out.mc_se, kMissing});
    }
  }
  for (std::size_t g = 0; g < labels.size(); ++g) {
    fig.add(lines[g]);
    if (!bars[g].x.empty()) fig.add(bars[g]);
    fig.add(marks[g]);
  }
  return fig;
}

void add_grid_table(report::Page& page, const SweepTable& t) {
  report::Table table;
  table.caption = "Grid points (the same seed at every point: common random numbers)";
  table.header.push_back("point");
  for (const auto& p : t.paths) table.header.push_back(p);
  table.header.push_back("scenario hash");
  for (std::size_t p = 0; p < t.points.size(); ++p) {
    std::vector<std::string> row{std::to_string(p)};
    for (const auto& v : t.points[p].set) row.push_back(v.text);
    row.push_back(t.points[p].scenario_hash);
    table.rows.push_back(std::move(row));
  }
  page.table(table);
}

bool any_value(const SweepTable& t, std::size_t s, std::size_t o) {
  return std::any_of(t.points.begin(), t.points.end(), [&](const SweepPoint& p) {
    return std::isfinite(p.stages[s].outputs[o].value);
  });
}

}  // namespace

std::vector<SweepOutput> stage_outputs(const nlohmann::json& stage_object) {
  const JsonLeaves leaves = json_leaves(stage_object);
  std::map<std::string, const nlohmann::json*> by_name(leaves.begin(), leaves.end());
  std::vector<SweepOutput> out;
  for (const auto& [name, v] : leaves) {
    if (is_mc_se(name) || !v->is_number()) continue;
    double mc_se = kMissing;
    for (const auto& se_name : mc_se_names(name)) {
      const auto se = by_name.find(se_name);
      if (se == by_name.end()) continue;
      if (se->second->is_number()) mc_se = se->second->get<double>();
      break;
    }
    out.push_back({name, v->get<double>(), mc_se});
  }
  return out;
}

void align_outputs(SweepTable& table) {
  std::vector<std::string> stages;
  std::map<std::string, std::vector<std::string>> outputs;  // per stage, in order
  for (const auto& p : table.points) {
    std::vector<std::string> names;
    for (const auto& s : p.stages) {
      names.push_back(s.name);
      std::vector<std::string> o;
      for (const auto& x : s.outputs) o.push_back(x.name);
      merge_names(outputs[s.name], o);
    }
    merge_names(stages, names);
  }
  for (auto& p : table.points) {
    std::map<std::string, std::map<std::string, SweepOutput>> have;
    for (auto& s : p.stages) {
      for (auto& x : s.outputs) have[s.name][x.name] = std::move(x);
    }
    p.stages.clear();
    for (const auto& name : stages) {
      SweepStage s{name, {}};
      for (const auto& o : outputs[name]) {
        const auto& h = have[name];
        const auto it = h.find(o);
        s.outputs.push_back(it != h.end() ? it->second : SweepOutput{o, kMissing, kMissing});
      }
      p.stages.push_back(std::move(s));
    }
  }
}

std::vector<SweepStage> sweep_stages(const scenario::Scenario& s,
                                     const std::vector<trial::StageSummary>& stats) {
  std::vector<SweepStage> out;
  for (std::size_t i = 0; i < stats.size(); ++i) {
    const auto& st = s.stages[i];
    out.push_back({st.name, stage_outputs(trial::stage_json(st, stats[i]))});
  }
  return out;
}

core::FieldTable<SweepRow> sweep_row_fields() {
  using core::FieldType;
  using core::FieldValue;
  static constexpr std::array<core::Field<SweepRow>, 4> kFields{{
      {"stage", FieldType::kText, "", "trial stage (its name in the scenario)",
       +[](const SweepRow& r) { return FieldValue(std::string_view(r.stage.name)); }},
      {"output", FieldType::kText, "",
       "operating characteristic: a numeric leaf of the stage's summary.json object",
       +[](const SweepRow& r) { return FieldValue(std::string_view(r.output.name)); }},
      {"value", FieldType::kReal, "", "its value over the replicates",
       +[](const SweepRow& r) { return FieldValue(r.output.value); }},
      {"mc_se", FieldType::kReal, "", "its Monte Carlo standard error, where there is one",
       +[](const SweepRow& r) { return FieldValue(r.output.mc_se); }},
  }};
  return kFields;
}

std::string sweep_csv(const SweepTable& table) {
  std::string out;
  for (const auto& p : table.paths) {
    put_field(out, p);
    out += ',';
  }
  out += core::csv_header(sweep_row_fields()) + '\n';
  const auto num = [&out](double v) {
    if (std::isfinite(v)) put_num(out, v);
  };
  for (const auto& point : table.points) {
    std::string prefix;
    for (const auto& v : point.set) {
      put_field(prefix, v.text);
      prefix += ',';
    }
    for (const auto& stage : point.stages) {
      for (const auto& o : stage.outputs) {
        out += prefix;
        put_field(out, stage.name);
        out += ',';
        put_field(out, o.name);
        out += ',';
        num(o.value);
        out += ',';
        num(o.mc_se);
        out += '\n';
      }
    }
  }
  return out;
}

nlohmann::json sweep_json(const SweepTable& table) {
  const auto num = [](double v) { return core::json_number(v); };
  nlohmann::json points = nlohmann::json::array();
  for (const auto& point : table.points) {
    nlohmann::json set = nlohmann::json::object();
    for (std::size_t k = 0; k < table.paths.size(); ++k) set[table.paths[k]] = point.set[k].value;
    nlohmann::json stages = nlohmann::json::object();
    for (const auto& stage : point.stages) {
      nlohmann::json outputs = nlohmann::json::object();
      for (const auto& o : stage.outputs)
        outputs[o.name] = {{"value", num(o.value)}, {"mc_se", num(o.mc_se)}};
      stages[stage.name] = std::move(outputs);
    }
    points.push_back({{"set", std::move(set)}, {"stages", std::move(stages)}});
  }
  return {{"points", std::move(points)}};
}

void write_sweep_db(const std::string& path, const SweepTable& table) {
  write_sqlite_atomically(path, "sweep database", [&](SqliteDb& db) {
    write_db_schema(db, table);
    write_db_rows(db, table);
    db.exec("CREATE INDEX sweep_stage_output ON sweep (stage, output);");
  });
}

std::string sweep_html(const SweepTable& table) {
  IL2SIM_ASSERT(!table.paths.empty() && !table.points.empty(), "a sweep has a grid");
  const auto& f = table.facts;
  report::Page page("il2sim sweep: " + f.scenario);
  page.begin_section("run", "Sweep");
  std::string sets;
  for (const auto& s : f.sets) sets += (sets.empty() ? "" : "; ") + s;
  const std::string varies = "varies (see the grid)";
  page.key_values("Run facts",
                  {{"scenario", f.scenario},
                   {"seed", f.seed ? std::to_string(*f.seed) : varies},
                   {"replicates per point", f.replicates ? std::to_string(*f.replicates) : varies},
                   {"grid points", std::to_string(table.points.size())},
                   {"--set", sets.empty() ? "(none)" : sets},
                   {"il2sim version", f.version}});
  add_grid_table(page, table);
  page.end_section();
  const XAxis xa = x_axis(table);
  const auto& first = table.points.front();
  for (std::size_t s = 0; s < first.stages.size(); ++s) {
    page.begin_section(fmt::format("stage-{}", s), "Stage " + first.stages[s].name);
    page.paragraph(
        "Each output against " + table.paths.front() +
        (table.paths.size() > 1 ? ", one line per value of the other swept settings" : "") +
        "; error bars are ± 2 Monte Carlo SE where the output has one.");
    for (std::size_t o = 0; o < first.stages[s].outputs.size(); ++o) {
      const std::string& name = first.stages[s].outputs[o].name;
      if (!any_value(table, s, o)) {
        page.paragraph(name + ": no value at any grid point.");
        continue;
      }
      page.figure(output_figure(table, xa, s, o, fmt::format("s{}-o{}", s, o)),
                  first.stages[s].name + ": " + name);
    }
    page.end_section();
  }
  return page.render();
}

}  // namespace il2sim::output
