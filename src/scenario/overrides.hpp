#pragma once
/// @file overrides.hpp
/// `--set PATH=VALUE`: a scenario field changed from the command line, applied to the scenario's
/// TOML document before validation, so an override is checked exactly like the same field in a
/// file.

#include <string>
#include <string_view>

namespace il2sim::scenario {

/// One `--set PATH=VALUE`. PATH is a dotted TOML path; in an array of tables an element is named
/// by its `name` (`stages.phase3.registered`) or by a 0-based index
/// (`regimens.chiron.phases.1.dose`).
struct Override {
  std::string path;
  std::string value;  ///< a TOML value; text that is not one is taken as a string
};

/// Splits "PATH=VALUE" at the first '='. @throws UserError naming `--set` when there is none, or
/// PATH is empty or has an empty segment.
[[nodiscard]] Override parse_override(std::string_view text);

// apply_overrides (toml_input.hpp) applies them to a TOML document.

}  // namespace il2sim::scenario
