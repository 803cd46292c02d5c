// `il2sim scenarios [--json]`, `il2sim scenarios show NAME [--resolved]` and `il2sim scenarios
// cohorts [SCENARIO] [--json]`: the built-in scenarios and the cohorts.
#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/app.hpp"
#include "core/error.hpp"
#include "scenario/scenario.hpp"

namespace il2sim::cli {
namespace {

/// A cohort number: its value under `parameters` and the parameter it names (null: given as a
/// number).
nlohmann::json cohort_number(const scenario::CohortValue& v,
                             const model::ParameterSet& parameters) {
  return {{"value", v.value(parameters)},
          {"parameter", v.parameter ? nlohmann::json(std::string(model::spec(*v.parameter).name))
                                    : nlohmann::json(nullptr)}};
}

nlohmann::json cohort_json(const scenario::Scenario& s, const scenario::CohortSpec& c) {
  if (c.is_mixture()) {
    nlohmann::json mix = nlohmann::json::array();
    for (const auto& [component, weight] : c.mix)
      mix.push_back({{"cohort", component}, {"weight", weight}});
    return {{"name", c.name}, {"builtin", c.builtin}, {"description", c.description}, {"mix", mix}};
  }
  const auto ps = scenario::cohort_population(s, c);
  const auto& p = s.parameters;
  return {
      {"name", c.name},
      {"builtin", c.builtin},
      {"description", c.description},
      {"disease", std::string(model::to_string(c.disease))},
      {"remission", c.remission},
      {"setting", std::string(model::to_string(c.transplant))},
      {"population", c.paediatric ? "paediatric" : "adult"},
      {"age_min", ps.age.min_years},
      {"age_max", ps.age.max_years},
      {"p_no_disease", cohort_number(c.p_no_disease, p)},
      {"log10_L0_mean", cohort_number(c.log10_L0_mean, p)},
      {"log10_L0_sd", cohort_number(c.log10_L0_sd, p)},
      {"nrm_1y", cohort_number(c.nrm_1y, p)},
      {"post_relapse_median_months", cohort_number(c.post_relapse_median_months, p)},
      {"salvage_fraction", cohort_number(c.salvage_fraction, p)},
      {"salvage_median_months", c.salvage_median_months ? cohort_number(*c.salvage_median_months, p)
                                                        : nlohmann::json(nullptr)}};
}

/// `scenarios cohorts [SCENARIO]`: the built-in cohorts, then the scenario's own, with the values
/// under the scenario's parameters (no scenario: the parameter table's defaults).
void list_cohorts(const std::string& name, bool json) {
  const scenario::Scenario s = name.empty() ? scenario::Scenario{} : scenario::load_scenario(name);
  std::vector<const scenario::CohortSpec*> cohorts;
  for (const auto& c : scenario::builtin_cohorts()) cohorts.push_back(&c);
  for (const auto& c : s.cohorts) cohorts.push_back(&c);
  if (json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto* c : cohorts) list.push_back(cohort_json(s, *c));
    const nlohmann::json doc{
        {"scenario", name.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.name)},
        {"cohorts", list}};
    std::puts(doc.dump(2).c_str());
    return;
  }
  std::string text =
      fmt::format("{:<28} {:<8} {:<8} {:<13} {:<11} {:>7} {:>7} {:>9}  {}\n", "name", "source",
                  "disease", "setting", "ages", "p(L0=0)", "NRM 1y", "OS rel mo", "remission");
  for (const auto* c : cohorts) {
    if (c->is_mixture()) {
      std::string parts;
      for (const auto& [component, weight] : c->mix)
        parts += fmt::format("{}{} {:g}", parts.empty() ? "" : ", ", component, weight);
      text += fmt::format("{:<28} {:<8} mixture of {}\n", c->name,
                          c->builtin ? "built-in" : "scenario", parts);
      continue;
    }
    const auto ps = scenario::cohort_population(s, *c);
    text += fmt::format("{:<28} {:<8} {:<8} {:<13} {:<11} {:>7.3f} {:>7.3f} {:>9.1f}  {}\n",
                        c->name, c->builtin ? "built-in" : "scenario", model::to_string(c->disease),
                        model::to_string(c->transplant),
                        fmt::format("{:g}-{:g}{}", ps.age.min_years, ps.age.max_years,
                                    c->paediatric ? " (ped)" : ""),
                        c->p_no_disease.value(s.parameters), c->nrm_1y.value(s.parameters),
                        c->post_relapse_median_months.value(s.parameters), c->remission);
  }
  std::fputs(text.c_str(), stdout);
}

}  // namespace

void register_scenarios(CLI::App& app) {
  auto* cmd = app.add_subcommand("scenarios", "List the built-in scenarios, or print one as TOML");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "One JSON document on stdout");
  auto* show =
      cmd->add_subcommand("show", "Print a built-in scenario as TOML that `run` accepts unchanged");
  auto name = std::make_shared<std::string>();
  auto resolved = std::make_shared<bool>(false);
  show->add_option("name", *name, "Scenario name (with --resolved also a scenario .toml file)")
      ->required();
  show->add_flag("--resolved", *resolved,
                 "Print every field with its value, defaults included (the scenario.toml that "
                 "`run` writes beside its outputs)");
  show->callback([name, resolved] {
    if (*resolved) {
      const std::string text = scenario::to_toml(scenario::load_scenario(*name));
      std::fwrite(text.data(), 1, text.size(), stdout);
      return;
    }
    for (const auto& b : scenario::builtin_scenarios()) {
      if (b.name == *name) {
        std::fwrite(b.toml.data(), 1, b.toml.size(), stdout);
        return;
      }
    }
    (void)scenario::load_scenario(*name);  // throws the did-you-mean error for an unknown name
    throw UserError(fmt::format("'{}' is not a built-in scenario", *name));
  });
  auto* cohorts = cmd->add_subcommand(
      "cohorts", "List the cohorts: the built-in ones and a scenario's own [cohorts.NAME]");
  auto cohort_scenario = std::make_shared<std::string>();
  auto cohort_json_flag = std::make_shared<bool>(false);
  cohorts->add_option("scenario", *cohort_scenario,
                      "A built-in scenario or a scenario .toml file (its own cohorts are listed "
                      "too, and the values are its parameters'); none: the parameter defaults");
  cohorts->add_flag("--json", *cohort_json_flag, "One JSON document on stdout");
  cohorts->callback(
      [cohort_scenario, cohort_json_flag] { list_cohorts(*cohort_scenario, *cohort_json_flag); });
  register_scenario_tools(*cmd);
  cmd->callback([cmd, json] {
    if (cmd->got_subcommand("show") || cmd->got_subcommand("cohorts") ||
        cmd->got_subcommand("reference") || cmd->got_subcommand("upgrade"))
      return;
    nlohmann::json list = nlohmann::json::array();
    std::string text;
    for (const auto& b : scenario::builtin_scenarios()) {
      const auto s = scenario::parse_scenario(b.toml, std::string(b.name));
      const bool is_default = b.name == scenario::kDefaultScenario;
      list.push_back({{"name", s.name}, {"description", s.description}, {"default", is_default}});
      text += fmt::format("{:<28} {}{}\n", s.name, s.description, is_default ? " (default)" : "");
    }
    if (*json) {
      std::puts(nlohmann::json{{"scenarios", list}}.dump(2).c_str());
    } else {
      std::fputs(text.c_str(), stdout);
    }
  });
}

}  // namespace il2sim::cli
