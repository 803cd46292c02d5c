// The R package's bridge to the public C++ API (include/il2sim/il2sim.hpp): typed columns →
// data frames, R lists → JSON scenario text, api::Error → an R condition of class "il2sim_error"
// carrying the CLI's message. The R functions in R/il2sim.R check and format the arguments.
#include <Rcpp.h>

#include <il2sim/il2sim.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace api = il2sim::api;

namespace {

// ---- arguments ---------------------------------------------------------------------------------

api::ScenarioInput scenario_input(const std::string& kind, const std::string& text) {
  api::ScenarioInput in;
  if (kind == "toml") {
    in.kind = api::ScenarioInput::Kind::toml;
  } else if (kind == "json") {
    in.kind = api::ScenarioInput::Kind::json;
  } else {
    in.kind = api::ScenarioInput::Kind::name_or_file;
  }
  in.text = text;
  return in;
}

// The R side passes an optional seed as character(0) or one string of decimal digits; the API
// checks it as --seed does (0 to 2^63 - 1) and throws api::Error with the CLI's message.
std::optional<std::uint64_t> seed_of(const Rcpp::CharacterVector& seed) {
  if (seed.size() == 0) return std::nullopt;
  return api::parse_seed(Rcpp::as<std::string>(seed[0]));
}

// Optional numbers come as numeric(0) or one number (checked whole where it must be, in R).
std::optional<long> long_of(const Rcpp::NumericVector& x) {
  if (x.size() == 0) return std::nullopt;
  return static_cast<long>(x[0]);
}
std::optional<double> double_of(const Rcpp::NumericVector& x) {
  if (x.size() == 0) return std::nullopt;
  return x[0];
}

api::Overrides overrides_of(const Rcpp::CharacterVector& paths,
                            const Rcpp::CharacterVector& values) {
  api::Overrides set;
  for (R_xlen_t i = 0; i < paths.size(); ++i) {
    set.emplace_back(Rcpp::as<std::string>(paths[i]), Rcpp::as<std::string>(values[i]));
  }
  return set;
}

// ---- typed columns → data frames ----------------------------------------------------------------

bool is_missing(const api::Column& c, std::size_t i) {
  return i < c.missing.size() && c.missing[i] != 0;
}

SEXP integers_to_r(const api::Column& c) {
  const std::size_t n = c.integers.size();
  bool fits = true;
  for (std::size_t i = 0; i < n && fits; ++i) {
    const std::int64_t v = c.integers[i];
    fits = is_missing(c, i) ||
           (v > std::numeric_limits<int>::min() && v <= std::numeric_limits<int>::max());
  }
  if (fits) {
    Rcpp::IntegerVector out(n);
    for (std::size_t i = 0; i < n; ++i) {
      out[i] = is_missing(c, i) ? NA_INTEGER : static_cast<int>(c.integers[i]);
    }
    return out;
  }
  // Beyond R's 32-bit integers: doubles (exact up to 2^53).
  Rcpp::NumericVector out(n);
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = is_missing(c, i) ? NA_REAL : static_cast<double>(c.integers[i]);
  }
  return out;
}

SEXP column_to_r(const api::Column& c) {
  SEXP out = R_NilValue;
  if (c.type == api::Column::Type::real) {
    Rcpp::NumericVector v(c.reals.size());
    for (std::size_t i = 0; i < c.reals.size(); ++i) {
      v[i] = is_missing(c, i) ? NA_REAL : c.reals[i];
    }
    out = v;
  } else if (c.type == api::Column::Type::integer) {
    out = integers_to_r(c);
  } else {
    Rcpp::CharacterVector v(c.texts.size());
    for (std::size_t i = 0; i < c.texts.size(); ++i) {
      v[i] = is_missing(c, i) ? NA_STRING : Rf_mkCharCE(c.texts[i].c_str(), CE_UTF8);
    }
    out = v;
  }
  Rcpp::RObject column(out);
  if (!c.label.empty()) column.attr("label") = c.label;
  if (!c.unit.empty()) column.attr("units") = c.unit;
  return column;
}

Rcpp::List table_to_r(const api::Table& table) {
  const std::size_t n = table.rows();
  Rcpp::List columns(table.columns.size());
  Rcpp::CharacterVector names(table.columns.size());
  for (std::size_t j = 0; j < table.columns.size(); ++j) {
    columns[j] = column_to_r(table.columns[j]);
    names[j] = table.columns[j].name;
  }
  columns.attr("names") = names;
  columns.attr("class") = "data.frame";
  columns.attr("row.names") = Rcpp::IntegerVector::create(NA_INTEGER, -static_cast<int>(n));
  return columns;
}

// ---- errors
// ---------------------------------------------------------------------------------------

// An R condition of class il2sim_error; the R wrapper signals it with stop().
Rcpp::List user_error(const char* message) {
  Rcpp::List condition = Rcpp::List::create(Rcpp::Named("message") = std::string(message),
                                            Rcpp::Named("call") = R_NilValue);
  condition.attr("class") = Rcpp::CharacterVector::create("il2sim_error", "error", "condition");
  return condition;
}

template <class F>
SEXP guarded(F&& body) {
  try {
    return body();
  } catch (const api::Error& e) {
    return user_error(e.what());
  }
}

// ---- R lists → JSON
// ------------------------------------------------------------------------------

void json_string(std::string& out, const char* s) {
  out += '"';
  for (const char* p = s; *p != '\0'; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

// A double as JSON: a whole number below 2^53 as an integer (as R prints it), else 17 significant
// digits (the value read back exactly).
void json_number(std::string& out, double x, const std::string& where) {
  if (!std::isfinite(x)) Rcpp::stop("scenario list: " + where + " is not a finite number");
  char buf[32];
  if (x == std::floor(x) && std::fabs(x) < 9007199254740992.0) {
    std::snprintf(buf, sizeof buf, "%.0f", x);
  } else {
    std::snprintf(buf, sizeof buf, "%.17g", x);
  }
  out += buf;
}

void json_atomic_element(std::string& out, SEXP x, R_xlen_t i, const std::string& where) {
  switch (TYPEOF(x)) {
    case LGLSXP:
      if (LOGICAL(x)[i] == NA_LOGICAL) Rcpp::stop("scenario list: " + where + " is NA");
      out += LOGICAL(x)[i] != 0 ? "true" : "false";
      break;
    case INTSXP:
      if (INTEGER(x)[i] == NA_INTEGER) Rcpp::stop("scenario list: " + where + " is NA");
      out += std::to_string(INTEGER(x)[i]);
      break;
    case REALSXP:
      if (ISNA(REAL(x)[i])) Rcpp::stop("scenario list: " + where + " is NA");
      json_number(out, REAL(x)[i], where);
      break;
    case STRSXP:
      if (STRING_ELT(x, i) == NA_STRING) Rcpp::stop("scenario list: " + where + " is NA");
      json_string(out, Rf_translateCharUTF8(STRING_ELT(x, i)));
      break;
    default:
      Rcpp::stop("scenario list: " + where + " is a " + Rf_type2char(TYPEOF(x)) +
                 " (allowed: list, logical, integer, double, character)");
  }
}

void json_value(std::string& out, SEXP x, const std::string& where);

void json_list(std::string& out, SEXP x, const std::string& where) {
  SEXP names = Rf_getAttrib(x, R_NamesSymbol);
  const R_xlen_t n = Rf_xlength(x);
  if (names == R_NilValue) {
    out += '[';
    for (R_xlen_t i = 0; i < n; ++i) {
      if (i > 0) out += ',';
      json_value(out, VECTOR_ELT(x, i), where + "[[" + std::to_string(i + 1) + "]]");
    }
    out += ']';
    return;
  }
  out += '{';
  bool first = true;
  for (R_xlen_t i = 0; i < n; ++i) {
    const std::string name = Rf_translateCharUTF8(STRING_ELT(names, i));
    const std::string path = where.empty() ? name : where + "$" + name;
    if (name.empty() || STRING_ELT(names, i) == NA_STRING) {
      Rcpp::stop("scenario list: element " + std::to_string(i + 1) + " of " +
                 (where.empty() ? std::string("the list") : where) +
                 " has no name (name all elements of a table, or none of an array)");
    }
    if (VECTOR_ELT(x, i) == R_NilValue) continue;  // NULL: the key left out
    if (!first) out += ',';
    first = false;
    json_string(out, name.c_str());
    out += ':';
    json_value(out, VECTOR_ELT(x, i), path);
  }
  out += '}';
}

// Atomic vectors of length 1 are scalars unless wrapped in I(); longer ones are arrays.
void json_value(std::string& out, SEXP x, const std::string& where) {
  if (TYPEOF(x) == VECSXP) {
    json_list(out, x, where);
    return;
  }
  if (Rf_isFactor(x)) {
    Rcpp::stop("scenario list: " + where + " is a factor (use as.character())");
  }
  const R_xlen_t n = Rf_xlength(x);
  const bool as_is = Rf_inherits(x, "AsIs");
  if (n == 1 && !as_is) {
    json_atomic_element(out, x, 0, where);
    return;
  }
  out += '[';
  for (R_xlen_t i = 0; i < n; ++i) {
    if (i > 0) out += ',';
    json_atomic_element(out, x, i, where + "[" + std::to_string(i + 1) + "]");
  }
  out += ']';
}

}  // namespace

// ---- the functions R/il2sim.R calls
// ----------------------------------------------------------------

// [[Rcpp::export(.il2sim_list_to_json)]]
std::string list_to_json(SEXP x) {
  if (TYPEOF(x) != VECSXP || Rf_getAttrib(x, R_NamesSymbol) == R_NilValue) {
    Rcpp::stop(
        "scenario list: the top level must be a named list (the scenario's tables and keys)");
  }
  std::string out;
  json_value(out, x, "");
  return out;
}

// [[Rcpp::export(.il2sim_run)]]
SEXP run_r(std::string kind, std::string text, Rcpp::CharacterVector seed,
           Rcpp::NumericVector replicates, Rcpp::CharacterVector set_paths,
           Rcpp::CharacterVector set_values, int threads, std::string patient_data) {
  return guarded([&]() -> SEXP {
    api::RunOptions options;
    options.seed = seed_of(seed);
    options.replicates = long_of(replicates);
    options.set = overrides_of(set_paths, set_values);
    options.threads = static_cast<unsigned>(threads);
    options.patient_data = patient_data;
    const api::RunResult r = api::run(scenario_input(kind, text), options);
    return Rcpp::List::create(
        Rcpp::Named("summary") = table_to_r(r.summary), Rcpp::Named("adsl") = table_to_r(r.adsl),
        Rcpp::Named("adtte") = table_to_r(r.adtte), Rcpp::Named("adlb") = table_to_r(r.adlb),
        Rcpp::Named("adae") = table_to_r(r.adae), Rcpp::Named("ex") = table_to_r(r.ex),
        Rcpp::Named("adtte_cuts") = table_to_r(r.adtte_cuts),
        Rcpp::Named("summary_json") = r.summary_json,
        Rcpp::Named("scenario_toml") = r.scenario_toml);
  });
}

// [[Rcpp::export(.il2sim_cohort)]]
SEXP cohort_r(std::string kind, std::string text, std::string arm, double patients,
              Rcpp::NumericVector days, Rcpp::CharacterVector seed, Rcpp::CharacterVector set_paths,
              Rcpp::CharacterVector set_values, int threads) {
  return guarded([&]() -> SEXP {
    api::CohortOptions options;
    options.arm = arm;
    options.patients = static_cast<long>(patients);
    options.days = double_of(days);
    options.seed = seed_of(seed);
    options.set = overrides_of(set_paths, set_values);
    options.threads = static_cast<unsigned>(threads);
    const api::CohortResult r = api::cohort(scenario_input(kind, text), options);
    return Rcpp::List::create(
        Rcpp::Named("adsl") = table_to_r(r.adsl), Rcpp::Named("adtte") = table_to_r(r.adtte),
        Rcpp::Named("adlb") = table_to_r(r.adlb), Rcpp::Named("adae") = table_to_r(r.adae),
        Rcpp::Named("ex") = table_to_r(r.ex), Rcpp::Named("summary_json") = r.summary_json);
  });
}

// [[Rcpp::export(.il2sim_trajectory)]]
SEXP trajectory_r(std::string kind, std::string text, std::string arm, Rcpp::NumericVector patient,
                  bool typical, Rcpp::NumericVector days, Rcpp::NumericVector step,
                  Rcpp::CharacterVector seed, Rcpp::CharacterVector set_paths,
                  Rcpp::CharacterVector set_values, Rcpp::CharacterVector mode) {
  return guarded([&]() -> SEXP {
    api::TrajectoryOptions options;
    options.arm = arm;
    options.patient = long_of(patient);
    options.typical = typical;
    options.days = double_of(days);
    options.step = double_of(step);
    options.seed = seed_of(seed);
    options.set = overrides_of(set_paths, set_values);
    if (mode.size() > 0) options.mode = Rcpp::as<std::string>(mode[0]);
    return table_to_r(api::trajectory(scenario_input(kind, text), options));
  });
}

// [[Rcpp::export(.il2sim_params)]]
SEXP params_r() {
  return guarded([&]() -> SEXP { return table_to_r(api::params()); });
}

// [[Rcpp::export(.il2sim_sweep)]]
SEXP sweep_r(std::string kind, std::string text, Rcpp::CharacterVector grid_paths,
             Rcpp::List grid_values, Rcpp::CharacterVector seed, Rcpp::NumericVector replicates,
             Rcpp::CharacterVector set_paths, Rcpp::CharacterVector set_values, int threads) {
  return guarded([&]() -> SEXP {
    api::SweepOptions options;
    for (R_xlen_t i = 0; i < grid_paths.size(); ++i) {
      options.grid.emplace_back(Rcpp::as<std::string>(grid_paths[i]),
                                Rcpp::as<std::vector<std::string>>(grid_values[i]));
    }
    options.seed = seed_of(seed);
    options.replicates = long_of(replicates);
    options.set = overrides_of(set_paths, set_values);
    options.threads = static_cast<unsigned>(threads);
    return table_to_r(api::sweep(scenario_input(kind, text), options));
  });
}

// [[Rcpp::export(.il2sim_version)]]
std::string version_r() {
  return api::version();
}

// For the tests: each number's shortest round-trip text (std::to_chars, the CLI's CSV numbers are
// written the same way), "NA" for NA and NaN. The tests compare the data frames with the CLI's
// files through it because R's own text-to-number conversion is not correctly rounded (1 value in
// ~20000 of a run's CSV files comes out one unit in the last place off).
// [[Rcpp::export(.il2sim_shortest)]]
Rcpp::CharacterVector shortest(Rcpp::NumericVector x) {
  Rcpp::CharacterVector out(x.size());
  for (R_xlen_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i])) {
      out[i] = "NA";
      continue;
    }
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x[i]);
    if (ec != std::errc()) Rcpp::stop("shortest: to_chars failed");
    out[i] = std::string(buf, end);
  }
  return out;
}
