// `il2sim scenarios reference [--json]` (every key a scenario may hold) and `il2sim scenarios
// upgrade FILE [--out FILE]` (a version-1 scenario as version 2, same meaning).
#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/app.hpp"
#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/output_file.hpp"
#include "scenario/reference.hpp"
#include "scenario/upgrade.hpp"

namespace il2sim::cli {
namespace {

void print_reference(bool json) {
  if (!json) {
    const std::string text = scenario::scenario_reference_markdown();
    std::fwrite(text.data(), 1, text.size(), stdout);
    return;
  }
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : scenario::scenario_reference()) {
    rows.push_back({{"path", r.path},
                    {"type", r.type},
                    {"unit", r.unit},
                    {"default", r.default_value},
                    {"allowed", r.allowed},
                    {"meaning", r.meaning}});
  }
  std::puts(nlohmann::json{{"keys", rows}}.dump(2).c_str());
}

}  // namespace

void register_scenario_tools(CLI::App& scenarios) {
  auto* reference = scenarios.add_subcommand(
      "reference",
      "Every key a scenario may hold: type, unit, default, allowed values, meaning (Markdown; the "
      "text of docs/scenario-reference.md)");
  auto json = std::make_shared<bool>(false);
  auto check = std::make_shared<std::string>();
  reference->add_flag("--json", *json, "One JSON document on stdout");
  reference->add_option("--check", *check,
                        "Fail (exit 2) when this file differs from the generated reference");
  reference->callback([json, check] {
    if (check->empty()) return print_reference(*json);
    if (core::read_input_file(*check, "cannot read the file", "docs/scenario-reference.md") !=
        scenario::scenario_reference_markdown()) {
      throw UserError({*check, std::nullopt, std::nullopt, ""},
                      "the scenario reference differs from the setting tables",
                      fmt::format("regenerate with: il2sim scenarios reference > {}", *check));
    }
  });

  auto* upgrade = scenarios.add_subcommand(
      "upgrade",
      "Rewrite a version-1 scenario file as format_version 2 with the same meaning (comments "
      "kept; the version-1 value of every changed default written out)");
  auto file = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  upgrade->add_option("file", *file, "Scenario .toml file")->required();
  upgrade->add_option("--out", *out, "Write here (default: standard output)");
  upgrade->callback([file, out] {
    const std::string text = scenario::upgrade_scenario_text(
        core::read_input_file(*file, "cannot open the scenario file",
                              "a readable scenario .toml file"),
        *file);
    if (out->empty()) {
      std::fwrite(text.data(), 1, text.size(), stdout);
      core::flush_standard_output();
    } else {
      core::write_file_atomically(*out, text);
    }
  });
}

}  // namespace il2sim::cli
