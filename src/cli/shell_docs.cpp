#include "cli/shell_docs.hpp"

#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "core/version.hpp"

namespace il2sim::cli {
namespace {

/// One command of the tree: its words from the root ("il2sim scenarios show") and its app.
struct Command {
  std::string path;
  const CLI::App* app;
};

/// Subcommands a user sees: named, not hidden (CLI11 hides those in the empty group).
std::vector<const CLI::App*> visible_subcommands(const CLI::App& app) {
  return app.get_subcommands(
      [](const CLI::App* sub) { return !sub->get_name().empty() && !sub->get_group().empty(); });
}

/// Options a user sees: not hidden (the empty group).
std::vector<const CLI::Option*> visible_options(const CLI::App& app) {
  return app.get_options([](const CLI::Option* o) { return !o->get_group().empty(); });
}

/// The command tree, depth first, root first.
void collect(const CLI::App& app, const std::string& path, std::vector<Command>& out) {
  out.push_back({path, &app});
  for (const auto* sub : visible_subcommands(app)) collect(*sub, path + " " + sub->get_name(), out);
}

std::vector<Command> command_tree(const CLI::App& root) {
  std::vector<Command> out;
  collect(root, "il2sim", out);
  return out;
}

/// "--out -o": every name of a named option, as typed.
std::vector<std::string> option_words(const CLI::Option& o) {
  std::vector<std::string> words;
  for (const auto& l : o.get_lnames()) words.push_back("--" + l);
  for (const auto& s : o.get_snames()) words.push_back("-" + s);
  return words;
}

bool takes_value(const CLI::Option& o) {
  return o.get_items_expected_max() > 0;
}

/// What a positional argument of the command completes to: "scenario" (a built-in name or a
/// file), "file", or "" (none).
std::string positional_kind(const CLI::App& app) {
  std::string kind;
  for (const auto* o : visible_options(app)) {
    if (o->nonpositional() || !o->get_positional()) continue;
    const std::string name = o->get_name(true);
    kind = (name == "scenario" || name == "name") ? "scenario" : "file";
  }
  return kind;
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

/// The bash associative-array entries of one command: subcommands, options, options with a value,
/// positional kind.
std::string completion_entries(const Command& c) {
  std::vector<std::string> subs;
  std::vector<std::string> opts;
  std::vector<std::string> valued;
  for (const auto* sub : visible_subcommands(*c.app)) subs.push_back(sub->get_name());
  for (const auto* o : visible_options(*c.app)) {
    for (const auto& w : option_words(*o)) {
      opts.push_back(w);
      if (takes_value(*o)) valued.push_back(w);
    }
  }
  return fmt::format(
      "  subs[\"{0}\"]=\"{1}\"\n  opts[\"{0}\"]=\"{2}\"\n  valued[\"{0}\"]=\"{3}\"\n"
      "  positional[\"{0}\"]=\"{4}\"\n",
      c.path, join(subs), join(opts), join(valued), positional_kind(*c.app));
}

/// The part of the script that does not depend on the command tree: walk the words typed so far
/// to the innermost subcommand, then complete the current word.
constexpr std::string_view kCompletionBody =
    R"(  local cur="${COMP_WORDS[COMP_CWORD]}" path=il2sim w i skip=0
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="${COMP_WORDS[i]}"
    if ((skip)); then skip=0; continue; fi
    if [[ " ${subs[$path]} " == *" $w "* ]]; then
      path="$path $w"
    elif [[ " ${valued[$path]} " == *" $w "* ]]; then
      skip=1
    fi
  done
  COMPREPLY=()
  if ((skip)); then
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
  elif [[ "$cur" == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "${opts[$path]}" -- "$cur")
  else
    local words="${subs[$path]}"
    [[ "${positional[$path]}" == scenario ]] && words="$words $scenarios"
    mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
    if [[ -n "${positional[$path]}" ]]; then
      mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur")
    fi
  fi
}
complete -o filenames -F _il2sim il2sim
)";

/// roff text: backslashes escaped, a leading '.' or '\'' made literal.
std::string roff(const std::string& text) {
  std::string out;
  for (const char ch : text) {
    if (ch == '\\') {
      out += "\\e";
    } else {
      if ((ch == '.' || ch == '\'') && (out.empty() || out.back() == '\n')) out += "\\&";
      out += ch;
    }
  }
  return out;
}

/// An option word in roff: every '-' as the minus sign \- (what a user types).
std::string roff_dashes(const std::string& word) {
  std::string out;
  for (const char ch : word) out += ch == '-' ? std::string("\\-") : std::string(1, ch);
  return out;
}

/// One .TP entry per visible option of a command: names and value type in bold/italic, then the
/// description. A subcommand's --help is left out (the page says once that each has it).
std::string man_options(const CLI::App& app) {
  std::string out;
  for (const auto* o : visible_options(app)) {
    if (app.get_parent() != nullptr && o == app.get_help_ptr()) continue;
    std::string head;
    if (o->nonpositional()) {
      for (const auto& w : option_words(*o))
        head += fmt::format("{}\\fB{}\\fR", head.empty() ? "" : ", ", roff_dashes(w));
      if (takes_value(*o)) head += fmt::format(" \\fI{}\\fR", roff(o->get_type_name()));
    } else {
      head = fmt::format("\\fI{}\\fR", roff(o->get_name(true)));
    }
    out += fmt::format(".TP\n{}\n{}\n", head, roff(o->get_description()));
  }
  return out;
}

/// "run [scenario]": a command's words and its positional arguments.
std::string man_usage(const Command& c) {
  std::string usage = c.path;
  for (const auto* o : visible_options(*c.app)) {
    if (!o->nonpositional() && o->get_positional())
      usage += o->get_required() ? " " + o->get_name(true) : " [" + o->get_name(true) + "]";
  }
  if (!visible_subcommands(*c.app).empty()) usage += " [SUBCOMMAND]";
  return usage;
}

}  // namespace

std::string bash_completion(const CLI::App& root, std::span<const ScenarioEntry> scenarios) {
  std::string out = fmt::format(
      "# bash completion for il2sim {}: subcommands, options, built-in scenario names.\n"
      "# Generated by `il2sim completion bash` from the tool's own command-line definition.\n"
      "_il2sim() {{\n  local -A subs opts valued positional\n",
      kVersion);
  for (const auto& c : command_tree(root)) out += completion_entries(c);
  std::vector<std::string> names;
  for (const auto& s : scenarios) names.push_back(s.name);
  out += fmt::format("  local scenarios=\"{}\"\n", join(names));
  out += kCompletionBody;
  return out;
}

std::string man_page(const CLI::App& root, std::span<const ScenarioEntry> scenarios) {
  std::string summary = root.get_description();
  if (summary.starts_with("il2sim: ")) summary.erase(0, 8);
  std::string out = fmt::format(
      ".\\\" Generated by `il2sim manpage` from the tool's command-line definition.\n"
      ".TH IL2SIM 1 \"\" \"il2sim {0}\" \"User Commands\"\n.SH NAME\nil2sim \\- {1}\n"
      ".SH SYNOPSIS\n.B il2sim\n\\fISUBCOMMAND\\fR [\\fIOPTIONS\\fR]\n.br\n.B il2sim\n"
      "\\fB\\-\\-help\\fR | \\fB\\-\\-version\\fR\n.SH DESCRIPTION\n{1}.\n.PP\n"
      "Each subcommand's arguments and options are listed below; every subcommand also takes "
      "\\fB\\-h\\fR, \\fB\\-\\-help\\fR (\\fBil2sim \\fISUBCOMMAND\\fB \\-\\-help\\fR).\n.SH "
      "OPTIONS\n{2}.SH SUBCOMMANDS\n",
      kVersion, roff(summary), man_options(root));
  const auto tree = command_tree(root);
  for (std::size_t i = 1; i < tree.size(); ++i) {
    out += fmt::format(".SS \"{}\"\n{}\n", roff(man_usage(tree[i])),
                       roff(tree[i].app->get_description()));
    out += man_options(*tree[i].app);
  }
  out +=
      ".SH BUILT-IN SCENARIOS\nA scenario argument is a built-in name or a scenario .toml file.\n";
  for (const auto& s : scenarios)
    out += fmt::format(".TP\n\\fB{}\\fR\n{}\n", roff(s.name), roff(s.description));
  out +=
      ".SH FILES\n.TP\n/usr/share/bash-completion/completions/il2sim\nbash completion "
      "(\\fBil2sim completion bash\\fR)\n.TP\n/usr/share/doc/il2sim/\nREADME, model notes, "
      "parameter and scenario references, example scenarios\n";
  return out;
}

}  // namespace il2sim::cli
