// `il2sim completion bash`: the bash completion script; `il2sim manpage` (hidden): the manual page
// il2sim(1). Both are generated from the app itself (cli/shell_docs.hpp); the build writes them
// beside the binary and `cmake --install` installs them.
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/app.hpp"
#include "cli/shell_docs.hpp"
#include "scenario/scenario.hpp"

namespace il2sim::cli {
namespace {

std::vector<ScenarioEntry> scenario_entries() {
  std::vector<ScenarioEntry> out;
  for (const auto& b : scenario::builtin_scenarios()) {
    const auto s = scenario::parse_scenario(b.toml, std::string(b.name));
    out.push_back({s.name, s.description});
  }
  return out;
}

void print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
}

}  // namespace

void register_completion(CLI::App& app) {
  auto* cmd = app.add_subcommand("completion", "Print a shell completion script");
  cmd->require_subcommand(1);
  auto* bash = cmd->add_subcommand(
      "bash",
      "The bash completion script: subcommands, options and built-in scenario names (source it, "
      "or install it as bash-completion/completions/il2sim)");
  const CLI::App* root = &app;
  bash->callback([root] { print(bash_completion(*root, scenario_entries())); });
  auto* man = app.add_subcommand("manpage", "Print the manual page il2sim(1) (roff)");
  man->group("");  // hidden: the build writes build/il2sim.1 with it
  man->callback([root] { print(man_page(*root, scenario_entries())); });
}

}  // namespace il2sim::cli
