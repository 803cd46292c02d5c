#include "output/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/json_number.hpp"
#include "output/csv_fields.hpp"
#include "output/sqlite_db.hpp"
#include "report/html.hpp"
#include "report/svg_plot.hpp"

namespace il2sim::output {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void num(std::string& out, double v) {
  if (std::isfinite(v)) put_num(out, v);
}

nlohmann::json jnum(double v) {
  return core::json_number(v);
}

nlohmann::json parameters_json(const SensitivityTable& t) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : t.parameters) {
    out.push_back({{"name", p.name},
                   {"lower", p.lower},
                   {"upper", p.upper},
                   {"scale", p.log_scale ? "log" : "linear"},
                   {"origin", p.origin}});
  }
  return out;
}

// ---- SQLite -----------------------------------------------------------------------------------

void write_db_tables(SqliteDb& db, const SensitivityTable& t) {
  db.exec(
      "CREATE TABLE runs (tool TEXT NOT NULL, version TEXT NOT NULL, scenario TEXT NOT NULL, "
      "method TEXT NOT NULL, seed INTEGER NOT NULL, replicates INTEGER NOT NULL, samples INTEGER "
      "NOT NULL, levels INTEGER, evaluations INTEGER NOT NULL, parameters TEXT NOT NULL, outputs "
      "TEXT NOT NULL, sets TEXT NOT NULL);");
  db.exec(
      "CREATE TABLE sensitivity (method TEXT NOT NULL, output TEXT NOT NULL, parameter TEXT NOT "
      "NULL, \"index\" TEXT NOT NULL, estimate REAL, ci_lower REAL, ci_upper REAL);");
  db.exec(
      "CREATE TABLE outputs (output TEXT NOT NULL, used INTEGER NOT NULL, dropped INTEGER NOT "
      "NULL);");
  std::string cols = "point INTEGER PRIMARY KEY, block INTEGER NOT NULL, role TEXT NOT NULL";
  for (const auto& p : t.parameters) cols += ", " + sql_identifier(p.name) + " REAL NOT NULL";
  for (const auto& o : t.outputs) cols += ", " + sql_identifier(o.output) + " REAL";
  db.exec("CREATE TABLE points (" + cols + ");");
}

void write_db_rows(SqliteDb& db, const SensitivityTable& t) {
  std::vector<std::string> outputs;
  for (const auto& o : t.outputs) outputs.push_back(o.output);
  db.prepare(insert_sql("runs", 12));
  db.insert({"il2sim", t.version, t.scenario, t.method, t.seed, t.replicates, t.samples,
             t.levels > 0 ? nlohmann::json(t.levels) : nlohmann::json(), t.points.size(),
             parameters_json(t).dump(), nlohmann::json(outputs).dump(),
             nlohmann::json(t.sets).dump()});
  db.prepare(insert_sql("sensitivity", 7));
  for (const auto& r : t.indices) {
    db.insert(
        {t.method, r.output, r.parameter, r.index, jnum(r.estimate), jnum(r.lower), jnum(r.upper)});
  }
  db.prepare(insert_sql("outputs", 3));
  for (const auto& o : t.outputs) db.insert({o.output, o.used, o.dropped});
  db.prepare(insert_sql("points", 3 + t.parameters.size() + t.outputs.size()));
  for (std::size_t p = 0; p < t.points.size(); ++p) {
    std::vector<nlohmann::json> row{p, t.points[p].block, t.points[p].role};
    for (const double v : t.points[p].values) row.push_back(v);
    for (const double v : t.points[p].outputs) row.push_back(jnum(v));
    db.insert(row);
  }
}

// ---- HTML -------------------------------------------------------------------------------------

std::vector<const SensitivityIndex*> rows_of(const SensitivityTable& t, const std::string& output,
                                             const std::string& index) {
  std::vector<const SensitivityIndex*> out;
  for (const auto& r : t.indices) {
    if (r.output == output && r.index == index) out.push_back(&r);
  }
  return out;
}

/// Horizontal bars from 0 to each estimate at y + offset (one thick polyline broken by NaN): the
/// plot module draws vertical bars only, and parameter names fit beside a horizontal bar.
report::Line hbars(const std::vector<const SensitivityIndex*>& r, double offset, std::size_t colour,
                   double width_px, const std::string& label) {
  report::Line l{{}, {}, label, colour, false, width_px};
  for (std::size_t i = 0; i < r.size(); ++i) {
    const double y = static_cast<double>(i) + offset;
    l.x.insert(l.x.end(), {0.0, r[i]->estimate, 0.0});
    l.y.insert(l.y.end(), {y, y, kNaN});
  }
  return l;
}

/// Whiskers from lower to upper at y + offset (one polyline broken by NaN), in black.
report::Line whiskers(const std::vector<const SensitivityIndex*>& r, double offset) {
  report::Line w{{}, {}, "", 6, false, 1.5};
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (!std::isfinite(r[i]->lower) || !std::isfinite(r[i]->upper)) continue;
    const double y = static_cast<double>(i) + offset;
    w.x.insert(w.x.end(), {r[i]->lower, r[i]->upper, 0.0});
    w.y.insert(w.y.end(), {y, y, kNaN});
  }
  return w;
}

/// A horizontal bar chart with the parameters on the y axis, the first of `rows` at the top.
report::Figure hbar_figure(const std::vector<const SensitivityIndex*>& rows, const std::string& id,
                           const std::string& title, const std::string& x_label) {
  report::Figure fig;
  fig.id = id;
  fig.title = title;
  fig.x.label = x_label;
  for (auto it = rows.rbegin(); it != rows.rend(); ++it)
    fig.y.categories.push_back((*it)->parameter);
  fig.y.grid = false;
  fig.height = std::max(240.0, 90.0 + 30.0 * static_cast<double>(rows.size()));
  return fig;
}

/// Morris: mu* per parameter as a tornado (the largest at the top) with its interval whiskers.
report::Figure morris_figure(const SensitivityTable& t, const std::string& output,
                             const std::string& id) {
  auto r = rows_of(t, output, "mu_star");
  std::stable_sort(r.begin(), r.end(), [](const SensitivityIndex* a, const SensitivityIndex* b) {
    return std::abs(a->estimate) > std::abs(b->estimate);
  });
  report::Figure fig = hbar_figure(r, id, output + ": mu* (mean absolute elementary effect)",
                                   "mu* (output units per whole range)");
  fig.x.min = 0.0;
  std::reverse(r.begin(), r.end());  // category i is drawn at y = i, from the bottom
  fig.add(hbars(r, 0.0, 0, 16.0, "mu*"));
  const auto w = whiskers(r, 0.0);
  if (!w.x.empty()) fig.add(w);
  return fig;
}

/// Sobol: S1 and ST per parameter as pairs of horizontal bars with their 95 % interval whiskers.
report::Figure sobol_figure(const SensitivityTable& t, const std::string& output,
                            const std::string& id) {
  auto s1 = rows_of(t, output, "S1");
  auto st = rows_of(t, output, "ST");
  report::Figure fig =
      hbar_figure(s1, id, output + ": first-order (S1) and total (ST) Sobol' indices",
                  "index (share of the output's variance)");
  // Indices lie in [0, 1]; estimates and intervals of a small N can stray far outside, which would
  // flatten the bars: the axis stays at [-0.2, 1.2] and the table gives every number.
  fig.x.min = -0.2;
  fig.x.max = 1.2;
  std::reverse(s1.begin(), s1.end());
  std::reverse(st.begin(), st.end());
  fig.add(hbars(s1, 0.15, 0, 9.0, "S1"));
  fig.add(hbars(st, -0.15, 1, 9.0, "ST"));
  for (const auto& w : {whiskers(s1, 0.15), whiskers(st, -0.15)}) {
    if (!w.x.empty()) fig.add(w);
  }
  return fig;
}

report::Table index_table(const SensitivityTable& t, const std::string& output) {
  report::Table table;
  table.caption = output + ": estimates and 95 % bootstrap percentile intervals";
  table.header = {"parameter", "index", "estimate", "95 % interval"};
  for (const auto& r : t.indices) {
    if (r.output != output) continue;
    const std::string ci = std::isfinite(r.lower)
                               ? fmt::format("{:.4g} to {:.4g}", r.lower, r.upper)
                               : std::string("—");
    table.rows.push_back({r.parameter.empty() ? "(output)" : r.parameter, r.index,
                          std::isfinite(r.estimate) ? fmt::format("{:.4g}", r.estimate) : "—", ci});
  }
  return table;
}

void add_facts(report::Page& page, const SensitivityTable& t) {
  std::string sets;
  for (const auto& s : t.sets) sets += (sets.empty() ? "" : "; ") + s;
  const bool sobol = t.method == "sobol";
  page.key_values(
      "Run facts",
      {{"scenario", t.scenario},
       {"method", sobol ? "Sobol' indices (Saltelli 2010 design; S1 Saltelli 2010, ST Jansen 1999)"
                        : "Morris elementary effects (Morris 1991; mu* Campolongo et al. 2007)"},
       {sobol ? "N (rows of A and B)" : "r (trajectories)", std::to_string(t.samples)},
       {"levels", sobol ? "—" : std::to_string(t.levels)},
       {"evaluations", std::to_string(t.points.size())},
       {"seed (every evaluation: common random numbers)", std::to_string(t.seed)},
       {"replicates per evaluation", std::to_string(t.replicates)},
       {"--set", sets.empty() ? "(none)" : sets},
       {"il2sim version", t.version}});
  report::Table space;
  space.caption = "Parameter space (the unit cube is mapped to these ranges)";
  space.header = {"parameter", "lower", "upper", "sampled", "range from"};
  for (const auto& p : t.parameters) {
    space.rows.push_back({p.name, fmt::format("{:.6g}", p.lower), fmt::format("{:.6g}", p.upper),
                          p.log_scale ? "log-uniform" : "uniform", p.origin});
  }
  page.table(space);
}

}  // namespace

std::string sensitivity_csv(const SensitivityTable& t) {
  std::string out = "method,output,parameter,index,estimate,ci_lower,ci_upper\n";
  for (const auto& r : t.indices) {
    put_field(out, t.method);
    out += ',';
    put_field(out, r.output);
    out += ',';
    put_field(out, r.parameter);
    out += ',';
    put_field(out, r.index);
    out += ',';
    num(out, r.estimate);
    out += ',';
    num(out, r.lower);
    out += ',';
    num(out, r.upper);
    out += '\n';
  }
  return out;
}

std::string sensitivity_points_csv(const SensitivityTable& t) {
  std::string out = "point,block,role";
  for (const auto& p : t.parameters) {
    out += ',';
    put_field(out, p.name);
  }
  for (const auto& o : t.outputs) {
    out += ',';
    put_field(out, o.output);
  }
  out += '\n';
  for (std::size_t i = 0; i < t.points.size(); ++i) {
    const auto& p = t.points[i];
    out += fmt::format("{},{},", i, p.block);
    put_field(out, p.role);
    for (const double v : p.values) {
      out += ',';
      num(out, v);
    }
    for (const double v : p.outputs) {
      out += ',';
      num(out, v);
    }
    out += '\n';
  }
  return out;
}

nlohmann::json sensitivity_json(const SensitivityTable& t) {
  nlohmann::json outputs = nlohmann::json::object();
  for (const auto& o : t.outputs) {
    outputs[o.output] = {
        {"used", o.used}, {"dropped", o.dropped}, {"indices", nlohmann::json::object()}};
  }
  for (const auto& r : t.indices) {
    outputs[r.output]["indices"][r.parameter][r.index] = {
        {"estimate", jnum(r.estimate)}, {"ci_lower", jnum(r.lower)}, {"ci_upper", jnum(r.upper)}};
  }
  return {{"method", t.method},
          {"evaluations", t.points.size()},
          {"parameters", parameters_json(t)},
          {"outputs", std::move(outputs)}};
}

void write_sensitivity_db(const std::string& path, const SensitivityTable& t) {
  write_sqlite_atomically(path, "sensitivity database", [&](SqliteDb& db) {
    write_db_tables(db, t);
    write_db_rows(db, t);
  });
}

std::string sensitivity_html(const SensitivityTable& t) {
  report::Page page("il2sim sensitivity: " + t.scenario);
  page.begin_section("run", "Sensitivity analysis");
  add_facts(page, t);
  page.end_section();
  const bool sobol = t.method == "sobol";
  for (std::size_t o = 0; o < t.outputs.size(); ++o) {
    const auto& out = t.outputs[o];
    page.begin_section(fmt::format("output-{}", o), "Output " + out.output);
    page.paragraph(fmt::format(
        "Estimated from {} {}{}. Whiskers: 95 % bootstrap percentile intervals over the {}{}.",
        out.used, sobol ? "rows of A and B" : "trajectories",
        out.dropped > 0 ? fmt::format(" ({} dropped: the output is undefined at one of their "
                                      "points)",
                                      out.dropped)
                        : "",
        sobol ? "rows" : "trajectories",
        sobol ? " (the axis shows -0.2 to 1.2; the table below gives every estimate and bound)"
              : ""));
    const std::string id = fmt::format("o{}", o);
    if (sobol) {
      page.figure(sobol_figure(t, out.output, id), out.output);
    } else {
      page.figure(morris_figure(t, out.output, id), out.output);
    }
    page.table(index_table(t, out.output));
    page.end_section();
  }
  return page.render();
}

}  // namespace il2sim::output
