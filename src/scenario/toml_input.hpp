#pragma once
/// @file toml_input.hpp
/// Reading TOML at the input edge (scenarios, calibration targets): one safe parse and the two ways
/// a bad key or value is reported (file:line:column, key path, value, what is allowed).

#include <span>
#include <string>
#include <string_view>

#include <toml++/toml.h>

namespace il2sim::scenario {

/// Parses UTF-8 TOML text. Refuses binary data and invalid UTF-8, and guards against the undefined
/// behaviour of toml++ 3.3 on some non-ASCII characters (see toml_input.cpp).
/// @throws UserError naming `origin`, line and column.
[[nodiscard]] toml::table parse_toml_text(std::string_view text, const std::string& origin);

/// Throws the UserError for a bad value at `node` (its line and column when known).
[[noreturn]] void fail_at(const std::string& origin, const toml::node* node, const std::string& key,
                          const std::string& problem, const std::string& allowed = {});

/// Every key of `table` must be in `allowed`; otherwise a UserError with a did-you-mean suggestion.
void check_known_keys(const std::string& origin, const toml::table& table, const std::string& path,
                      std::span<const std::string_view> allowed);

}  // namespace il2sim::scenario
