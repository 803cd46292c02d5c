// The scenario reference (reference.hpp).
#include "scenario/reference.hpp"

#include <regex>

#include <fmt/format.h>

#include "scenario/scenario.hpp"
#include "scenario/section_settings.hpp"

namespace il2sim::scenario {
namespace {

template <class T>
void add_section(std::vector<ReferenceRow>& rows, const std::string& section,
                 std::span<const Setting<T>> settings, const T& defaults) {
  for (const auto& s : settings) {
    rows.push_back({section + "." + s.info.key, std::string(kind_name(s.info.kind)), s.info.unit,
                    s.written(defaults) ? toml_text(s.get(defaults)) : "(unset)",
                    allowed_text(s.info), s.info.meaning});
  }
}

/// The top-level keys.
void add_top(std::vector<ReferenceRow>& rows) {
  const Scenario d;
  rows.push_back({"format_version", "integer", "", "", fmt::format("1 to {}", kFormatVersion),
                  "the scenario format the file is written in (required)"});
  rows.push_back({"name", "string", "", "", "any", "the scenario's name (required)"});
  rows.push_back({"description", "string", "", "\"\"", "any", "one line for listings"});
  rows.push_back({"seed", "integer", "", fmt::format("{}", d.seed), "0 to 2^63-1",
                  "root of every random stream (seed, replicate, patient, purpose)"});
  rows.push_back({"replicates", "integer", "", fmt::format("{}", d.replicates), "1 to 1000000",
                  "trial replicates of `il2sim run` (operating characteristics)"});
}

/// [regimens.NAME] and its phases (parsed in scenario.cpp: parse_regimen, parse_phase).
void add_regimens(std::vector<ReferenceRow>& rows) {
  const std::string r = "regimens.NAME";
  const std::string p = r + ".phases[]";
  rows.push_back({r + ".product", "string (one of)", "", "\"chiron\"", "chiron, cetus, roche",
                  "the IL-2 product whose units the doses are in (chiron: IU; cetus: 6 IU per "
                  "unit; roche: the potency_roche parameter)"});
  rows.push_back({r + ".description", "string", "", "\"\"", "any", "free text"});
  rows.push_back({p + ".name", "string", "", "\"\"", "any", "the phase's label"});
  rows.push_back({p + ".role", "string (one of)", "", "(from the name and dose)",
                  "induction, maintenance, consolidation, rest, other",
                  "what the phase is for: dose intensity and completion are counted per role and "
                  "the DLT window is a set of roles; without it a phase of dose 0 is a rest, "
                  "otherwise the role named in its name, else other"});
  rows.push_back({p + ".route", "string (one of)", "", "\"civ\"", "civ, iv_bolus, sc",
                  "continuous IV infusion, IV bolus into the central compartment, or "
                  "subcutaneous into the depot (bioavailability F_sc)"});
  rows.push_back({p + ".dose", "number", "product units per unit", "0", "0 to 1e12 (MU: 1e6)",
                  "dose per `unit`; 0 is a rest"});
  rows.push_back({p + ".unit", "string", "", "\"U/m2/day\"",
                  "civ: U/m2/day, U/day, U/kg/day; bolus and sc: U/m2, U, U/kg per "
                  "administration; MU… for millions",
                  "the dose's unit (U = the product's unit)"});
  rows.push_back(
      {p + ".days", "number", "day", "", "0 to 3650", "the phase's duration (required)"});
  rows.push_back({p + ".setting", "string (one of)", "", "\"inpatient\"", "inpatient, outpatient",
                  "care setting"});
  rows.push_back({p + ".interval_hours", "number", "hour", "24", "0.5 to 672",
                  "bolus and sc: time between administrations"});
  rows.push_back({p + ".lak_infusion", "boolean", "", "false", "true or false",
                  "LAK cells are infused during this phase (LAK scenarios)"});
  rows.push_back({p + ".apheresis", "boolean", "", "false", "true or false",
                  "apheresis days (LAK scenarios)"});
}

void add_arms(std::vector<ReferenceRow>& rows) {
  rows.push_back({"arms[].name", "string", "", "", "unique", "the arm's name (required)"});
  rows.push_back({"arms[].cohort", "string", "", "", "a cohort of `il2sim scenarios cohorts`",
                  "the population the arm's patients come from (required)"});
  rows.push_back({"arms[].regimen", "string", "", "(none: observation)", "a key of [regimens]",
                  "the IL-2 regimen given; none for an observation arm"});
}

}  // namespace

std::vector<ReferenceRow> scenario_reference() {
  std::vector<ReferenceRow> rows;
  const Scenario d;
  add_top(rows);
  add_section(rows, "solver", solver_settings(), d.solver);
  rows.push_back({"population.bsa_formula", "string (one of)", "", "\"mosteller\"",
                  "mosteller, dubois, haycock", "body-surface area formula for m²-based doses"});
  add_section(rows, "population.adult", population_settings(), d.adults);
  add_section(rows, "population.paediatric", population_settings(), d.children);
  add_section(rows, "typical", typical_settings(), d.typical);
  add_section(rows, "protocol", protocol_settings(), d.protocol);
  add_section(rows, "toxicity", toxicity_settings(), d.toxicity);
  add_section(rows, "events", event_settings(), d.events);
  add_section(rows, "assays", assay_settings(), d.assays);
  rows.push_back({"parameters.NAME", "number", "the parameter's", "(the parameter table's)",
                  "the parameter's range",
                  "a model parameter by its name in `il2sim params` (docs/parameters.md)"});
  add_regimens(rows);
  add_arms(rows);
  add_stage_rows(rows);
  return rows;
}

std::string scenario_reference_markdown() {
  std::string out =
      "# Scenario reference\n\n"
      "<!-- Generated by `il2sim scenarios reference > docs/scenario-reference.md`; do not edit. "
      "-->\n\n"
      "Every key a scenario file (TOML) may hold. `NAME` stands for a name you choose, `[]` for "
      "any element of an array; a key left out takes its default, and `il2sim scenarios show "
      "NAME --resolved` prints every key with the value a run uses. Any key can be overridden on "
      "the command line with `--set PATH=VALUE` (stages by name: `stages.phase3.registered=300`; "
      "phases by index or name: `regimens.chiron.phases.0.dose=6e6`).\n";
  std::string section;
  for (const auto& r : scenario_reference()) {
    const auto dot = r.path.rfind('.');
    const std::string head = dot == std::string::npos ? "(top level)" : r.path.substr(0, dot);
    if (head != section) {
      section = head;
      out += fmt::format(
          "\n## `{}`\n\n| key | type | unit | default | allowed | meaning |\n"
          "|---|---|---|---|---|---|\n",
          section);
    }
    const std::string key = dot == std::string::npos ? r.path : r.path.substr(dot + 1);
    auto cell = [](const std::string& s) {
      std::string c;
      for (const char ch : s) c += ch == '|' ? std::string("\\|") : std::string(1, ch);
      return c;
    };
    out += fmt::format("| `{}` | {} | {} | {} | {} | {} |\n", key, cell(r.type), cell(r.unit),
                       r.default_value.empty()     ? std::string("required")
                       : r.default_value[0] == '(' ? cell(r.default_value)
                                                   : cell("`" + r.default_value + "`"),
                       cell(r.allowed), cell(r.meaning));
  }
  return out;
}

std::string reference_path(const std::string& key_path) {
  static const std::regex index(R"(\[\d+\])");
  std::string p = std::regex_replace(key_path, index, "[]");
  static const std::regex regimen(R"(^regimens\.[^.\[]+)");
  p = std::regex_replace(p, regimen, "regimens.NAME");
  static const std::regex parameter(R"(^parameters\..+$)");
  return std::regex_replace(p, parameter, "parameters.NAME");
}

}  // namespace il2sim::scenario
