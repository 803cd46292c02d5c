#pragma once
/// @file reference.hpp
/// The scenario reference: every key a scenario file may hold, with its type, unit, default,
/// allowed values and meaning. The plain sections come from their setting tables
/// (section_settings.hpp); the structured parts (regimens and phases, arms, stages) from the rows
/// in reference.cpp, kept beside their parser and checked against the resolved-scenario writer by
/// a test (every key to_toml writes is documented). docs/scenario-reference.md is this text
/// (`il2sim scenarios reference > docs/scenario-reference.md`; CTest `scenario_reference_in_sync`).

#include <string>
#include <vector>

namespace il2sim::scenario {

struct ReferenceRow {
  std::string path;  ///< e.g. "protocol.refusal_probability", "stages[].registered"
  std::string type;
  std::string unit;
  std::string default_value;  ///< TOML text; empty when required or when there is none
  std::string allowed;
  std::string meaning;
};

/// Every documented key, in the order of the resolved scenario.
[[nodiscard]] std::vector<ReferenceRow> scenario_reference();

/// Appends the rows of `[[stages]]` (reference_stages.cpp).
void add_stage_rows(std::vector<ReferenceRow>& rows);

/// The reference as a Markdown document (docs/scenario-reference.md).
[[nodiscard]] std::string scenario_reference_markdown();

/// A documented path for a key path of a resolved scenario: table names and array indices are
/// replaced by the placeholders of the reference ("regimens.chiron.phases[2].dose" →
/// "regimens.NAME.phases[].dose", "stages[0].looks" → "stages[].looks").
[[nodiscard]] std::string reference_path(const std::string& key_path);

}  // namespace il2sim::scenario
