#pragma once
/// @file scenario_input.hpp
/// A scenario of the public API: a built-in name or file (as the CLI's SCENARIO), TOML text, or
/// JSON text of the same tree (how an R list or a Python dict is passed).

#include <span>
#include <string>

#include "il2sim/il2sim.hpp"
#include "scenario/overrides.hpp"
#include "scenario/scenario.hpp"

namespace il2sim::api {

/// JSON text of a scenario's tree as TOML text (objects are tables, arrays of objects arrays of
/// tables). @throws UserError for text that is not a JSON object, or a null.
[[nodiscard]] std::string toml_of_json(const std::string& json_text);

/// The scenario of `in` with the overrides applied. @throws UserError as the CLI's loading does.
[[nodiscard]] scenario::Scenario load_input(const ScenarioInput& in,
                                            std::span<const scenario::Override> sets);

}  // namespace il2sim::api
