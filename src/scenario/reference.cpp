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

/// Cycles and per-regimen rules (parse_repeat, parse_rules in scenario.cpp; docs/model.md
/// "Regimens v2").
void add_regimens_v2(std::vector<ReferenceRow>& rows) {
  const std::string c = "regimens.NAME.repeat[]";
  rows.push_back({c + ".phases", "array of phase names or 0-based indices", "", "",
                  "consecutive phases of the regimen",
                  "the group of phases given again as one cycle (required)"});
  rows.push_back({c + ".times", "integer", "", "", "1 or more",
                  "how many times the group is given in all (required)"});
  rows.push_back({c + ".every_days", "number", "day", "(the group's length)", "0 to 3650",
                  "cycle period, start to start; the gap after a cycle belongs to no phase"});
  rows.push_back({c + ".cycle_doses", "array of numbers", "the phase's unit", "(the phase's dose)",
                  "one per cycle", "the dose of the group's only dosed phase in each cycle"});
  const std::string r = "regimens.NAME.rules";
  for (const auto* key :
       {"hold_cls_grade", "hold_hypotension_grade", "hold_platelets", "resume_platelets",
        "resume_grade", "resume_fraction", "max_holds", "on_hold", "early_stop_per_month"}) {
    rows.push_back({r + "." + key, "as protocol." + std::string(key), "", "(the protocol's)",
                    "as protocol." + std::string(key),
                    "this regimen's own value of the protocol rule"});
  }
  rows.push_back({"products.NAME.chiron_iu_per_unit", "number", "Chiron IU per product unit", "",
                  "above 0",
                  "a custom IL-2 product's potency (chiron, cetus and roche are built in)"});
}

/// A scenario's own cohorts (parse_cohort in scenario.cpp; `il2sim scenarios cohorts` lists the
/// built-in ones, data/cohorts.toml). A number may also be given as the name of a parameter.
void add_cohorts(std::vector<ReferenceRow>& rows) {
  const std::string c = "cohorts.NAME";
  const std::string or_parameter = " (or the name of a parameter of that unit)";
  rows.push_back({c + ".description", "string", "", "\"\"", "any", "one line for listings"});
  rows.push_back(
      {c + ".disease", "string (one of)", "", "", "nhl, hd, aml, all", "the disease (required)"});
  rows.push_back({c + ".remission", "string", "", "\"\"", "any",
                  "remission status at time 0, as the sources give it"});
  rows.push_back({c + ".setting", "string (one of)", "", "", "autologous, allogeneic, chemotherapy",
                  "what day 0 is: the transplant, or the end of consolidation chemotherapy "
                  "(required)"});
  rows.push_back({c + ".population", "string (one of)", "", "\"adult\"", "adult, paediatric",
                  "the body-size and age model ([population.adult] or [population.paediatric])"});
  rows.push_back({c + ".age_min", "number", "year", "(the population's)", "within the population's",
                  "youngest age of the cohort"});
  rows.push_back({c + ".age_max", "number", "year", "(the population's)", "within the population's",
                  "oldest age of the cohort"});
  rows.push_back({c + ".p_no_disease", "number", "", "\"p_no_disease\"", "0 to 1" + or_parameter,
                  "probability of no residual disease at day 0"});
  rows.push_back({c + ".log10_L0_mean", "number", "log10 cells", "\"log10_L0_mean\"",
                  "0 to 10" + or_parameter, "mean log10 residual tumour cells at day 0"});
  rows.push_back({c + ".log10_L0_sd", "number", "log10 cells", "\"log10_L0_sd\"",
                  "0 to 5" + or_parameter, "SD of log10 residual tumour cells at day 0"});
  rows.push_back({c + ".nrm_1y", "number", "", "(the setting's parameter)",
                  "0 to 0.9" + or_parameter,
                  "1-year non-relapse mortality (required for chemotherapy)"});
  rows.push_back({c + ".post_relapse_median_months", "number", "month", "(the disease's parameter)",
                  "0.1 to 240" + or_parameter, "median survival after relapse"});
  rows.push_back({c + ".salvage_fraction", "number", "", "0", "0 to 1" + or_parameter,
                  "fraction of relapses salvaged (e.g. by a second transplant)"});
  rows.push_back({c + ".salvage_median_months", "number", "month", "(none)",
                  "0.1 to 240" + or_parameter,
                  "median survival after relapse of the salvaged (with salvage_fraction > 0)"});
  rows.push_back({c + ".mix", "table of numbers (cohort name = weight)", "", "(none)",
                  "cohorts that are not mixtures; weights above 0 summing to 1",
                  "a mixture cohort: each patient is a patient of one component, drawn with these "
                  "weights (with `mix`, a cohort has only `description`; no other key)"});
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
  add_section(rows, "model", model_settings(), d.structure);
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
  add_cohorts(rows);
  add_regimens(rows);
  add_regimens_v2(rows);
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
  static const std::regex named(R"(^(cohorts|products)\.[^.\[]+)");
  p = std::regex_replace(p, named, "$1.NAME");
  static const std::regex mixture(R"(^cohorts\.NAME\.mix\..+$)");
  p = std::regex_replace(p, mixture, "cohorts.NAME.mix");
  static const std::regex parameter(R"(^parameters\..+$)");
  return std::regex_replace(p, parameter, "parameters.NAME");
}

}  // namespace il2sim::scenario
