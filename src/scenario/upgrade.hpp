#pragma once
/// @file upgrade.hpp
/// `il2sim scenarios upgrade`: a version-1 scenario rewritten as version 2 with the same meaning.
/// Version 2 changed some defaults (changed_defaults()); the upgrade writes the version-1 value of
/// each such key where the file relied on the default, keeps every comment and line of the file
/// otherwise, and then proves the result: both texts must resolve to the same scenario (to_toml),
/// or the upgrade is refused.

#include <string>
#include <string_view>
#include <vector>

namespace il2sim::scenario {

/// A default that differs between format versions 1 and 2.
struct ChangedDefault {
  std::string stage_type;  ///< the `type` of the [[stages]] it belongs to
  std::string key;
  std::string version1_value;  ///< TOML text written by the upgrade
  std::string why;             ///< for the reference and the comment the upgrade writes
};

[[nodiscard]] const std::vector<ChangedDefault>& changed_defaults();

/// The upgraded text. A version-2 file is returned unchanged.
/// @throws UserError naming `origin` when the text is not a valid scenario, or when it cannot be
/// upgraded line by line (e.g. stages written as an inline array): then `il2sim scenarios show FILE
/// --resolved` gives a version-2 file with every key explicit.
[[nodiscard]] std::string upgrade_scenario_text(std::string_view text, const std::string& origin);

}  // namespace il2sim::scenario
