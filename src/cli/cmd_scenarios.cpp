// `il2sim scenarios [--json]` and `il2sim scenarios show NAME [--resolved]`: the built-in
// scenarios.
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
  register_scenario_tools(*cmd);
  cmd->callback([cmd, json] {
    if (cmd->got_subcommand("show") || cmd->got_subcommand("reference") ||
        cmd->got_subcommand("upgrade"))
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
