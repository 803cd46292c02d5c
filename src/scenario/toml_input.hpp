#pragma once
/// @file toml_input.hpp
/// Reading TOML at the input edge (scenarios, calibration targets): one safe parse and the two ways
/// a bad key or value is reported (file:line:column, key path, value, what is allowed).

#include <span>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "model/parameters.hpp"
#include "scenario/overrides.hpp"

namespace il2sim::scenario {

/// Parses UTF-8 TOML text. Refuses binary data and invalid UTF-8, and guards against the undefined
/// behaviour of toml++ 3.3 on some non-ASCII characters (see toml_input.cpp).
/// @throws UserError naming `origin`, line and column.
[[nodiscard]] toml::table parse_toml_text(std::string_view text, const std::string& origin);

/// Throws the UserError for a bad value at `node` (its line and column; a node that was not read
/// from text was set by `--set` and is reported as such).
[[noreturn]] void fail_at(const std::string& origin, const toml::node* node, const std::string& key,
                          const std::string& problem, const std::string& allowed = {});

/// The parameter of the model's table named `name`, read at `node` (key path `key`).
/// @throws UserError "unknown parameter 'name'" with a did-you-mean suggestion.
[[nodiscard]] model::ParamId parameter_at(const std::string& origin, const toml::node* node,
                                          const std::string& key, const std::string& name);

/// A node's value in words for an error message ("the string \"x\"", "the integer 3", "a table").
[[nodiscard]] std::string node_description(const toml::node& node);

/// Every key of `table` must be in `allowed`; otherwise a UserError with a did-you-mean suggestion.
void check_known_keys(const std::string& origin, const toml::table& table, const std::string& path,
                      std::span<const std::string_view> allowed);

/// Applies `--set` overrides in order (a later one on the same path wins) to a scenario document.
/// Missing tables on the path are created (the validator then names an unknown key with a
/// did-you-mean); a stage name or index that does not exist is refused here, listing what exists.
/// @throws UserError naming `--set` and the path.
void apply_overrides(toml::table& document, std::span<const Override> overrides);

}  // namespace il2sim::scenario
