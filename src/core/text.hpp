#pragma once
/// @file text.hpp
/// Small text helpers shared by the input edge: "did you mean" suggestions and number formatting.

#include <span>
#include <string>
#include <string_view>

namespace il2sim::core {

/// Levenshtein distance, case-insensitive.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `name` if it is close enough to be a plausible typo, else "".
[[nodiscard]] std::string closest_name(std::string_view name,
                                       std::span<const std::string_view> candidates);

/// FNV-1a 64-bit hash of `text` as 16 hex digits (identifies a resolved scenario or a targets
/// file).
[[nodiscard]] std::string fnv1a_hex(std::string_view text);

/// Refuses bytes that are not UTF-8: stray or missing continuation bytes, overlong forms,
/// surrogates, code points above U+10FFFF.
/// @throws UserError at origin:line:column (column in UTF-8 characters) naming the byte.
void check_utf8(std::string_view text, const std::string& origin);

/// Shortest decimal text that reads back to exactly `value` (for CSV and TOML output).
[[nodiscard]] std::string format_double(double value);

}  // namespace il2sim::core
