#pragma once
/// @file options.hpp
/// Options shared by several subcommands, with one definition of what each accepts.

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/parameters.hpp"
#include "scenario/overrides.hpp"

namespace il2sim::cli {

/// Adds `--seed N` accepting exactly the integers 0..2^63-1 written in decimal; anything else (a
/// sign, a fraction, a larger number) is a parse error, exit 2, naming the option, the value and
/// the range.
CLI::Option* add_seed_option(CLI::App& cmd, std::optional<std::uint64_t>& seed);

/// Adds `--set PATH=VALUE`, repeatable, collecting the texts in order; set_overrides reads them.
CLI::Option* add_set_option(CLI::App& cmd, std::vector<std::string>& sets);

/// The `--set` texts as overrides, in command-line order (on one path the last wins, as a later
/// assignment does in an mrgsolve `param()` update). @throws UserError for a text without '='.
[[nodiscard]] std::vector<scenario::Override> set_overrides(const std::vector<std::string>& sets);

/// The options of the commands that run a scenario at many points (`sweep`, `sensitivity`): the
/// scenario's overrides, seed and replicates, the threads and the output directory.
struct PointRunOptions {
  std::string scenario;
  std::string out;
  std::vector<std::string> sets;  ///< --set PATH=VALUE, in order
  std::optional<std::uint64_t> seed;
  std::optional<long> replicates;
  unsigned threads = 1;
  bool force = false;
  bool json = false;
  bool progress = false;
};

/// Adds the positional scenario, --set, --seed, --replicates, --threads, --out, --force, --json
/// and --progress to `cmd`; `per` names what the replicates are counted per ("grid point") and
/// `json_what` what --json prints.
void add_point_run_options(CLI::App& cmd, PointRunOptions& o, const std::string& per,
                           const std::string& json_what);

/// The parameter of the table named `name`, given to `option` (`--parameters`, `--range`, ...).
/// @throws UserError naming the option and the value, with the closest name (did you mean).
[[nodiscard]] model::ParamId parameter_named(const std::string& option, const std::string& name);

/// A parameter's range as given to `--range` or `--prior`.
struct NamedRange {
  model::ParamId id{};
  std::string name;
  double lower = 0.0, upper = 0.0;
};

/// Reads `NAME=LO:HI` given to `option`: a parameter of the table (did you mean), finite numbers
/// LO < HI within the table's [lower, upper]. @throws UserError naming the option, the text, the
/// problem and what is allowed.
[[nodiscard]] NamedRange parse_named_range(const std::string& option, const std::string& text);

}  // namespace il2sim::cli
