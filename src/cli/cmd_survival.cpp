// `il2sim survival km|logrank|cox|cuminc`: survival statistics on a CSV file, as R's survival and
// cmprsk packages compute them (interfaces.md). The numbers come from src/survival; this file reads
// the flags, picks the columns, and prints either a table like R's print methods or one JSON
// document.
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/app.hpp"
#include "core/error.hpp"
#include "survival/cox.hpp"
#include "survival/csv.hpp"
#include "survival/cuminc.hpp"
#include "survival/data.hpp"
#include "survival/km.hpp"
#include "survival/logrank.hpp"

namespace il2sim::cli {
namespace {

namespace sv = il2sim::survival;
using Json = nlohmann::json;

struct SurvivalFlags {
  std::string data, time, event, status, group, strata, conf_type = "log", ties = "efron";
  std::string censor_code = "0";
  std::string censor;              ///< --censor: an ADaM censoring flag column (instead of --event)
  std::vector<std::string> where;  ///< --where COL=VALUE, all met (AND)
  std::vector<std::string> covariates;
  double conf_level = 0.95;
  double rho = 0;
  std::optional<double> rmean;
  bool json = false;
};

/// A JSON number, or null for R's NA (NaN) and for infinities: the output is strict JSON.
Json num(double x) {
  return std::isfinite(x) ? Json(x) : Json(nullptr);
}
Json num(const std::optional<double>& x) {
  return x ? num(*x) : Json(nullptr);
}
Json nums(const std::vector<double>& v) {
  Json a = Json::array();
  for (double x : v) a.push_back(num(x));
  return a;
}

std::string fmt_num(double x) {
  return std::isfinite(x) ? fmt::format("{:.6g}", x) : "NA";
}

/// The column of the event indicator: --event, or --censor (an ADaM CNSR-like flag).
const std::string& event_column(const SurvivalFlags& f) {
  return f.censor.empty() ? f.event : f.censor;
}

/// Event indicators (1 = event) of the rows used, from --event or --censor.
std::vector<int> read_event_flags(const SurvivalFlags& f, const sv::CsvTable& table,
                                  std::size_t column, std::span<const std::size_t> rows) {
  return f.censor.empty() ? sv::read_events(table, column, rows)
                          : sv::read_censor_flags(table, column, rows);
}

/// km, logrank and cox need exactly one of --event and --censor.
void check_event_flags(const SurvivalFlags& f) {
  if (f.event.empty() == f.censor.empty()) {
    throw UserError(InputLocation{{}, std::nullopt, std::nullopt, "--event"},
                    f.event.empty() ? "no event column" : "both --event and --censor given",
                    "one of --event COL (1 = event) and --censor COL (ADaM CNSR: 0 = event, a "
                    "positive number = censored)");
  }
}

void check_flags(const SurvivalFlags& f) {
  if (!(f.conf_level > 0 && f.conf_level < 1)) {
    throw UserError(InputLocation{{}, std::nullopt, std::nullopt, "--conf-level"},
                    fmt::format("confidence level {} is out of range", f.conf_level),
                    "a number strictly between 0 and 1, e.g. 0.95");
  }
  if (!(f.rho >= 0) || !std::isfinite(f.rho)) {
    throw UserError(InputLocation{{}, std::nullopt, std::nullopt, "--rho"},
                    fmt::format("rho {} is out of range", f.rho), "a finite number >= 0");
  }
  if (f.rmean && !(std::isfinite(*f.rmean) && *f.rmean > 0)) {
    throw UserError(InputLocation{{}, std::nullopt, std::nullopt, "--rmean"},
                    fmt::format("restricted-mean horizon {} is out of range", *f.rmean),
                    "a finite time > 0 (the upper limit of the restricted mean)");
  }
}

/// Columns of the table that a command uses, and the complete rows over them.
struct Selection {
  sv::CsvTable table;
  std::vector<std::size_t> used;
  sv::CompleteRows rows;
};

/// The table of --data with the rows of every --where condition, and its complete rows over the
/// columns `names` (empty names skipped).
Selection select(const SurvivalFlags& f, const std::vector<std::string>& names) {
  Selection s{sv::read_csv(f.data), {}, {}};
  std::vector<sv::RowFilter> filters;
  for (const auto& w : f.where) filters.push_back(sv::parse_row_filter(w, "--where"));
  sv::keep_rows_where(s.table, filters);
  for (const auto& name : names) {
    if (!name.empty()) s.used.push_back(s.table.column(name));
  }
  s.rows = sv::complete_rows(s.table, s.used);
  if (s.rows.rows.empty()) {
    throw UserError(InputLocation{f.data, std::nullopt, std::nullopt, {}},
                    "no row has a value in every column used", "at least one complete row");
  }
  return s;
}

sv::Factor factor_or_single(const Selection& s, const std::string& column) {
  if (column.empty()) return sv::single_level(s.rows.rows.size(), "all");
  const auto labels = sv::read_labels(s.table, s.table.column(column), s.rows.rows);
  return sv::make_factor(labels);
}

void run_km(const SurvivalFlags& f) {
  check_flags(f);
  check_event_flags(f);
  const Selection s = select(f, {f.time, event_column(f), f.group});
  const auto time = sv::read_times(s.table, s.used[0], s.rows.rows);
  const auto event = read_event_flags(f, s.table, s.used[1], s.rows.rows);
  sv::KmOptions opt;
  opt.conf_type = sv::parse_conf_type(f.conf_type);
  opt.conf_level = f.conf_level;
  opt.rmean_tau = f.rmean;
  const auto curves = sv::kaplan_meier(time, event, factor_or_single(s, f.group), opt);
  if (f.json) {
    Json arr = Json::array();
    for (const auto& c : curves) {
      Json j{{"group", c.group},
             {"n", c.n},
             {"events", c.events},
             {"time", nums(c.time)},
             {"n_risk", c.n_risk},
             {"n_event", c.n_event},
             {"n_censor", c.n_censor},
             {"surv", nums(c.surv)},
             {"std_err", nums(c.std_err)},
             {"lower", nums(c.lower)},
             {"upper", nums(c.upper)},
             {"median", num(c.median)},
             {"median_lower", num(c.median_lower)},
             {"median_upper", num(c.median_upper)}};
      if (c.rmean) {
        j["rmean"] = num(c.rmean);
        j["rmean_se"] = num(c.rmean_se);
        j["rmean_tau"] = num(c.rmean_tau);
      }
      arr.push_back(std::move(j));
    }
    const Json doc{{"curves", arr},
                   {"conf_type", sv::to_string(opt.conf_type)},
                   {"conf_level", f.conf_level},
                   {"n_dropped", s.rows.n_dropped}};
    std::puts(doc.dump(2).c_str());
    return;
  }
  std::string out;
  if (s.rows.n_dropped > 0)
    out += fmt::format("({} observations deleted due to missingness)\n", s.rows.n_dropped);
  const int pct = static_cast<int>(std::lround(f.conf_level * 100));
  out += fmt::format("{:<16} {:>6} {:>6} {:>10} {:>10} {:>10}", "group", "n", "events", "median",
                     fmt::format("{}LCL", f.conf_level), fmt::format("{}UCL", f.conf_level));
  if (f.rmean) out += fmt::format(" {:>10} {:>10}", "*rmean", "*se(rmean)");
  out += "\n";
  for (const auto& c : curves) {
    out += fmt::format("{:<16} {:>6} {:>6} {:>10} {:>10} {:>10}", c.group, c.n, c.events,
                       fmt_num(c.median), fmt_num(c.median_lower), fmt_num(c.median_upper));
    if (c.rmean) out += fmt::format(" {:>10} {:>10}", fmt_num(*c.rmean), fmt_num(*c.rmean_se));
    out += "\n";
  }
  if (f.rmean)
    out += fmt::format("    * restricted mean with upper limit = {}\n", fmt_num(*f.rmean));
  for (const auto& c : curves) {
    out += fmt::format("\n{}\n{:>10} {:>7} {:>7} {:>8} {:>10} {:>10} {:>10} {:>10}\n", c.group,
                       "time", "n.risk", "n.event", "n.censor", "survival", "std.err",
                       fmt::format("lower {}%", pct), fmt::format("upper {}%", pct));
    for (std::size_t i = 0; i < c.time.size(); ++i) {
      out +=
          fmt::format("{:>10} {:>7} {:>7} {:>8} {:>10} {:>10} {:>10} {:>10}\n", fmt_num(c.time[i]),
                      c.n_risk[i], c.n_event[i], c.n_censor[i], fmt_num(c.surv[i]),
                      fmt_num(c.std_err[i]), fmt_num(c.lower[i]), fmt_num(c.upper[i]));
    }
  }
  std::fputs(out.c_str(), stdout);
}

void run_logrank(const SurvivalFlags& f) {
  check_flags(f);
  check_event_flags(f);
  const Selection s = select(f, {f.time, event_column(f), f.group, f.strata});
  const auto time = sv::read_times(s.table, s.used[0], s.rows.rows);
  const auto event = read_event_flags(f, s.table, s.used[1], s.rows.rows);
  const sv::Factor group = factor_or_single(s, f.group);
  if (group.levels.size() < 2) {
    throw UserError(
        InputLocation{f.data, std::nullopt, std::nullopt, f.group},
        fmt::format("the group column has a single value '{}' in the rows used", group.levels[0]),
        "at least two groups");
  }
  const auto r = sv::logrank(time, event, group, factor_or_single(s, f.strata), f.rho);
  if (f.json) {
    Json groups = Json::array();
    for (const auto& g : r.groups) {
      groups.push_back({{"group", g.group},
                        {"n", g.n},
                        {"observed", num(g.observed)},
                        {"expected", num(g.expected)},
                        {"o_minus_e_sq_over_e",
                         num((g.observed - g.expected) * (g.observed - g.expected) / g.expected)}});
    }
    const Json doc{{"chisq", num(r.chisq)}, {"df", r.df},       {"p", num(r.p)},
                   {"rho", r.rho},          {"groups", groups}, {"n_dropped", s.rows.n_dropped}};
    std::puts(doc.dump(2).c_str());
    return;
  }
  std::string out;
  if (s.rows.n_dropped > 0)
    out += fmt::format("({} observations deleted due to missingness)\n", s.rows.n_dropped);
  out += fmt::format("{:<16} {:>6} {:>10} {:>10} {:>10} {:>10}\n", "group", "N", "Observed",
                     "Expected", "(O-E)^2/E", "(O-E)^2/V");
  for (std::size_t i = 0; i < r.groups.size(); ++i) {
    const auto& g = r.groups[i];
    const auto ii = static_cast<Eigen::Index>(i);
    const double oe = g.observed - g.expected;
    out += fmt::format("{:<16} {:>6} {:>10} {:>10} {:>10} {:>10}\n", g.group, g.n,
                       fmt_num(g.observed), fmt_num(g.expected), fmt_num(oe * oe / g.expected),
                       fmt_num(oe * oe / r.variance(ii, ii)));
  }
  out += fmt::format("\n Chisq= {:.1f}  on {} degrees of freedom, p= {}\n", r.chisq, r.df,
                     fmt_num(r.p));
  std::fputs(out.c_str(), stdout);
}

void run_cox(const SurvivalFlags& f) {
  check_flags(f);
  check_event_flags(f);
  std::vector<std::string> names{f.time, event_column(f), f.strata};
  names.insert(names.end(), f.covariates.begin(), f.covariates.end());
  const Selection s = select(f, names);
  const auto time = sv::read_times(s.table, s.used[0], s.rows.rows);
  const auto event = read_event_flags(f, s.table, s.used[1], s.rows.rows);
  std::vector<std::size_t> cov_cols;
  for (const auto& c : f.covariates) cov_cols.push_back(s.table.column(c));
  const sv::Design design = sv::build_design(s.table, cov_cols, s.rows.rows);
  sv::CoxOptions opt;
  opt.ties = sv::parse_ties(f.ties);
  opt.conf_level = f.conf_level;
  auto r = sv::cox_fit(time, event, design, factor_or_single(s, f.strata), opt);
  r.n_dropped = static_cast<long>(s.rows.n_dropped);
  for (const auto& w : r.warnings) std::fprintf(stderr, "il2sim: warning: cox: %s\n", w.c_str());
  if (f.json) {
    Json coefs = Json::array();
    for (const auto& t : r.terms) {
      coefs.push_back({{"term", t.term},
                       {"coef", num(t.coef)},
                       {"se", num(t.se)},
                       {"z", num(t.z)},
                       {"p", num(t.p)},
                       {"hr", num(t.hr)},
                       {"hr_lower", num(t.hr_lower)},
                       {"hr_upper", num(t.hr_upper)}});
    }
    auto test = [](const sv::CoxTest& t) {
      return Json{{"chisq", num(t.chisq)}, {"df", t.df}, {"p", num(t.p)}};
    };
    const Json doc{{"coefficients", coefs},
                   {"loglik", Json::array({num(r.loglik_null), num(r.loglik)})},
                   {"lr_test", test(r.lr)},
                   {"wald_test", test(r.wald)},
                   {"score_test", test(r.score)},
                   {"n", r.n},
                   {"n_event", r.n_event},
                   {"n_dropped", r.n_dropped},
                   {"iterations", r.iterations},
                   {"converged", r.converged},
                   {"ties", f.ties},
                   {"warnings", r.warnings}};
    std::puts(doc.dump(2).c_str());
    return;
  }
  std::string out = fmt::format("  n= {}, number of events= {}\n", r.n, r.n_event);
  if (r.n_dropped > 0)
    out += fmt::format("   ({} observations deleted due to missingness)\n", r.n_dropped);
  out += fmt::format("\n{:<20} {:>11} {:>11} {:>11} {:>8} {:>10} {:>10} {:>10}\n", "", "coef",
                     "exp(coef)", "se(coef)", "z", "Pr(>|z|)", "lower", "upper");
  for (const auto& t : r.terms) {
    out += fmt::format("{:<20} {:>11} {:>11} {:>11} {:>8} {:>10} {:>10} {:>10}\n", t.term,
                       fmt_num(t.coef), fmt_num(t.hr), fmt_num(t.se), fmt_num(t.z), fmt_num(t.p),
                       fmt_num(t.hr_lower), fmt_num(t.hr_upper));
  }
  out += fmt::format("\nLikelihood ratio test= {:.2f}  on {} df,   p={}\n", r.lr.chisq, r.lr.df,
                     fmt_num(r.lr.p));
  out += fmt::format("Wald test            = {:.2f}  on {} df,   p={}\n", r.wald.chisq, r.wald.df,
                     fmt_num(r.wald.p));
  out += fmt::format("Score (logrank) test = {:.2f}  on {} df,   p={}\n", r.score.chisq, r.score.df,
                     fmt_num(r.score.p));
  out += fmt::format("Iterations: {}; loglik (null, final): {}, {}\n", r.iterations,
                     fmt_num(r.loglik_null), fmt_num(r.loglik));
  std::fputs(out.c_str(), stdout);
}

void run_cuminc(const SurvivalFlags& f) {
  check_flags(f);
  const Selection s = select(f, {f.time, f.status, f.group, f.strata});
  const auto time = sv::read_times(s.table, s.used[0], s.rows.rows);
  const auto labels = sv::read_labels(s.table, s.used[1], s.rows.rows);
  // The censoring code matches numerically when both read as numbers ("0" == "0.0"), else as text.
  double censor_value = 0;
  const bool censor_numeric = sv::parse_number(f.censor_code, censor_value);
  std::vector<bool> censored(labels.size());
  std::vector<std::string> cause_labels;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    double v = 0;
    censored[i] = censor_numeric && sv::parse_number(labels[i], v) ? v == censor_value
                                                                   : labels[i] == f.censor_code;
    if (!censored[i]) cause_labels.push_back(labels[i]);
  }
  if (cause_labels.empty()) {
    throw UserError(InputLocation{f.data, std::nullopt, std::nullopt, f.status},
                    fmt::format("every status is the censoring code '{}': no event of any cause",
                                f.censor_code),
                    "cause codes other than --censor-code");
  }
  const sv::Factor causes = sv::make_factor(cause_labels);
  std::vector<int> status(labels.size(), -1);
  for (std::size_t i = 0, k = 0; i < labels.size(); ++i) {
    if (!censored[i]) status[i] = causes.codes[k++];
  }
  const sv::Factor group =
      f.group.empty() ? sv::single_level(labels.size(), "1") : factor_or_single(s, f.group);
  const auto r =
      sv::cuminc(time, status, causes.levels, group, factor_or_single(s, f.strata), f.rho);
  if (f.json) {
    Json curves = Json::array();
    for (const auto& c : r.curves) {
      curves.push_back({{"group", c.group},
                        {"cause", c.cause},
                        {"time", nums(c.time)},
                        {"estimate", nums(c.estimate)},
                        {"variance", nums(c.variance)}});
    }
    Json doc{{"curves", curves}, {"n_dropped", s.rows.n_dropped}};
    if (!f.group.empty()) {
      Json tests = Json::array();
      for (const auto& t : r.tests) {
        tests.push_back({{"cause", t.cause}, {"stat", num(t.stat)}, {"p", num(t.p)}, {"df", t.df}});
      }
      doc["gray_test"] = tests;
    }
    std::puts(doc.dump(2).c_str());
    return;
  }
  std::string out;
  if (s.rows.n_dropped > 0)
    out += fmt::format("{} cases omitted due to missing values\n", s.rows.n_dropped);
  if (!r.tests.empty()) {
    out += "Tests:\n";
    for (const auto& t : r.tests) {
      out += fmt::format("{:<6} stat {:>12} pv {:>12} df {}\n", t.cause,
                         t.stat ? fmt_num(*t.stat) : "NA", t.p ? fmt_num(*t.p) : "NA", t.df);
    }
  }
  for (const auto& c : r.curves) {
    out += fmt::format("\n{} {}\n{:>10} {:>12} {:>12}\n", c.group, c.cause, "time", "est", "var");
    // The step corners come in pairs; the table shows each time once, after its jump.
    for (std::size_t i = 0; i < c.time.size(); ++i) {
      if (i + 1 < c.time.size() && c.time[i + 1] == c.time[i]) continue;
      out += fmt::format("{:>10} {:>12} {:>12}\n", fmt_num(c.time[i]), fmt_num(c.estimate[i]),
                         fmt_num(c.variance[i]));
    }
  }
  std::fputs(out.c_str(), stdout);
}

}  // namespace

void register_survival(CLI::App& app) {
  auto* cmd = app.add_subcommand("survival",
                                 "Survival statistics on a CSV file, as R's survival and cmprsk");
  cmd->require_subcommand(1);
  auto flags = std::make_shared<SurvivalFlags>();
  auto common = [flags](CLI::App* sub, bool needs_event) {
    sub->add_option("--data", flags->data, "CSV file with a header row")->required();
    sub->add_option("--time", flags->time, "column of follow-up times (>= 0)")->required();
    if (needs_event) {
      sub->add_option("--event", flags->event,
                      "column of event indicators: 0/1, TRUE/FALSE, or 1/2 with 2 = event (or "
                      "--censor)");
      sub->add_option("--censor", flags->censor,
                      "instead of --event: column of an ADaM censoring flag (CNSR: 0 = event, a "
                      "positive whole number = censored)");
    }
    sub->add_option("--where", flags->where,
                    "COL=VALUE: only the rows whose COL holds VALUE (repeatable: all must hold)")
        ->type_name("COL=VALUE")
        ->allow_extra_args(false);
    sub->add_flag("--json", flags->json, "print one JSON document on stdout");
  };
  auto* km = cmd->add_subcommand("km", "Kaplan-Meier curves (survfit)");
  common(km, true);
  km->add_option("--group", flags->group, "column of groups (one curve each)");
  km->add_option("--conf-type", flags->conf_type, "pointwise interval: log, log-log or plain")
      ->capture_default_str();
  km->add_option("--conf-level", flags->conf_level, "confidence level")->capture_default_str();
  km->add_option("--rmean", flags->rmean, "restricted mean survival time up to TAU, with its SE");
  km->callback([flags] { run_km(*flags); });

  auto* lr = cmd->add_subcommand("logrank", "Log-rank / Fleming-Harrington G-rho test (survdiff)");
  common(lr, true);
  lr->add_option("--group", flags->group, "column of the groups compared")->required();
  lr->add_option("--strata", flags->strata, "column of strata");
  lr->add_option("--rho", flags->rho, "weight S(t-)^rho (0: log-rank, 1: Peto-Peto)")
      ->capture_default_str();
  lr->callback([flags] { run_logrank(*flags); });

  auto* cox = cmd->add_subcommand("cox", "Cox proportional-hazards regression (coxph)");
  common(cox, true);
  cox->add_option("--covariates", flags->covariates,
                  "comma-separated covariate columns (text = factor)")
      ->required()
      ->delimiter(',');
  cox->add_option("--strata", flags->strata, "column of strata");
  cox->add_option("--ties", flags->ties, "efron or breslow")->capture_default_str();
  cox->add_option("--conf-level", flags->conf_level, "confidence level of the hazard ratios")
      ->capture_default_str();
  cox->callback([flags] { run_cox(*flags); });

  auto* ci = cmd->add_subcommand(
      "cuminc", "Cumulative incidence of competing risks with Gray's test (cmprsk)");
  common(ci, false);
  ci->add_option("--status", flags->status, "column holding the censoring code or a cause code")
      ->required();
  ci->add_option("--group", flags->group, "column of the groups compared by Gray's test");
  ci->add_option("--censor-code", flags->censor_code, "status value meaning censored")
      ->capture_default_str();
  ci->add_option("--strata", flags->strata, "column of strata for Gray's test");
  ci->add_option("--rho", flags->rho, "weight exponent of Gray's test")->capture_default_str();
  ci->callback([flags] { run_cuminc(*flags); });
}

}  // namespace il2sim::cli
