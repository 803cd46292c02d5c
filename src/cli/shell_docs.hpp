#pragma once
/// @file shell_docs.hpp
/// The bash completion script and the il2sim(1) manual page, both generated from the CLI11 app
/// itself (its subcommands, options and their descriptions) and the built-in scenarios, so that
/// neither is a hand-kept list that can drift from the tool.

#include <span>
#include <string>

namespace CLI {
class App;
}

namespace il2sim::cli {

/// A built-in scenario as the completion and the manual page name it.
struct ScenarioEntry {
  std::string name;
  std::string description;
};

/// A bash script that defines `_il2sim` and registers it with `complete` for `il2sim`: completes
/// the subcommands at every level, each command's options, built-in scenario names and files for
/// positional scenario arguments, files for option values. Hidden subcommands (empty group) are
/// left out.
[[nodiscard]] std::string bash_completion(const CLI::App& root,
                                          std::span<const ScenarioEntry> scenarios);

/// The manual page il2sim(1) in man(7) roff: synopsis, description, every visible subcommand with
/// its positional arguments and options, the built-in scenarios.
[[nodiscard]] std::string man_page(const CLI::App& root, std::span<const ScenarioEntry> scenarios);

}  // namespace il2sim::cli
