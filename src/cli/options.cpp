#include "cli/options.hpp"

#include <cmath>

#include <fmt/format.h>

#include "api/commands.hpp"
#include "core/error.hpp"

#include <string>

namespace il2sim::cli {

CLI::Option* add_seed_option(CLI::App& cmd, std::optional<std::uint64_t>& seed) {
  return cmd.add_option("--seed", seed, "Random seed, 0 to 2^63-1 (default: the scenario's)")
      ->check(CLI::Validator(api::seed_problem, "SEED", "seed"));
}

CLI::Option* add_set_option(CLI::App& cmd, std::vector<std::string>& sets) {
  return cmd
      .add_option("--set", sets,
                  "Change a scenario field, PATH=VALUE (repeatable; the last on a path wins): "
                  "a TOML path (stages.NAME.FIELD, regimens.NAME.phases.K.FIELD with K from 0) "
                  "and a TOML value (an unquoted word is a string); validated like the same field "
                  "in the file; run writes it into the resolved scenario.toml")
      ->type_name("PATH=VALUE")
      ->allow_extra_args(false);
}

std::vector<scenario::Override> set_overrides(const std::vector<std::string>& sets) {
  std::vector<scenario::Override> overrides;
  overrides.reserve(sets.size());
  for (const auto& text : sets) overrides.push_back(scenario::parse_override(text));
  return overrides;
}

void add_point_run_options(CLI::App& cmd, PointRunOptions& o, const std::string& per,
                           const std::string& json_what) {
  cmd.add_option("scenario", o.scenario,
                 "Built-in scenario name or scenario .toml file (default: the built-in default)");
  add_set_option(cmd, o.sets);
  add_seed_option(cmd, o.seed);
  cmd.add_option("--replicates", o.replicates,
                 fmt::format("Trial replicates per {} (default: the scenario's)", per));
  cmd.add_option("--threads", o.threads, "Worker threads (outputs do not depend on it)")
      ->capture_default_str();
  cmd.add_option("--out", o.out, "Output directory")->required();
  cmd.add_flag("--force", o.force, "Write into a non-empty output directory");
  cmd.add_flag("--json", o.json,
               fmt::format("Also print {} as JSON on standard output", json_what));
  cmd.add_flag("--progress", o.progress,
               "Show a progress bar on stderr even when it is not a terminal");
}

namespace {

[[noreturn]] void bad_range(const std::string& option, const std::string& text,
                            const std::string& problem, const std::string& allowed) {
  throw UserError({option, std::nullopt, std::nullopt, text}, problem, allowed);
}

double range_number(const std::string& option, const std::string& text, const std::string& part) {
  try {
    std::size_t used = 0;
    const double v = std::stod(part, &used);
    if (used == part.size() && std::isfinite(v)) return v;
  } catch (const std::exception&) {
    // reported below
  }
  bad_range(option, text, fmt::format("'{}' is not a number", part),
            "NAME=LO:HI with finite LO < HI");
}

}  // namespace

NamedRange parse_named_range(const std::string& option, const std::string& text) {
  const std::size_t eq = text.find('='), colon = text.find(':', eq == text.npos ? 0 : eq);
  if (eq == std::string::npos || colon == std::string::npos)
    bad_range(option, text, "expected NAME=LO:HI", "e.g. " + option + " kN=1e-5:8e-5");
  NamedRange r;
  r.name = text.substr(0, eq);
  r.id = parameter_named(option, r.name);
  r.lower = range_number(option, text, text.substr(eq + 1, colon - eq - 1));
  r.upper = range_number(option, text, text.substr(colon + 1));
  const auto& spec = model::spec(r.id);
  if (!(r.lower < r.upper)) bad_range(option, text, "LO >= HI", "LO < HI");
  if (r.lower < spec.lower || r.upper > spec.upper) {
    bad_range(option, text, "outside the parameter table's bounds",
              fmt::format("{} <= LO < HI <= {}", spec.lower, spec.upper));
  }
  return r;
}

model::ParamId parameter_named(const std::string& option, const std::string& name) {
  const auto id = model::find_parameter(name);
  if (id) return *id;
  throw UserError({option, std::nullopt, std::nullopt, name}, model::unknown_parameter(name, false),
                  std::string(model::kParameterNamesAllowed));
}

}  // namespace il2sim::cli
