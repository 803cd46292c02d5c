// Version-1 → version-2 scenario text (upgrade.hpp).
#include "scenario/upgrade.hpp"

#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "core/error.hpp"
#include "scenario/scenario.hpp"

namespace il2sim::scenario {
namespace {

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in{std::string(text)};
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

bool is_header(const std::string& line) {
  static const std::regex header(R"(^\s*\[)");
  return std::regex_search(line, header);
}

/// Inserts the version-1 value of every changed default into each [[stages]] block of its type
/// that does not set the key.
void pin_changed_defaults(std::vector<std::string>& lines) {
  static const std::regex stage_header(R"(^\s*\[\[\s*stages\s*\]\])");
  static const std::regex type_line(R"re(^\s*type\s*=\s*"([a-z_]+)")re");
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!std::regex_search(lines[i], stage_header)) continue;
    std::size_t end = i + 1;
    while (end < lines.size() && !is_header(lines[end])) ++end;
    std::string type;
    std::smatch m;
    for (std::size_t k = i + 1; k < end; ++k) {
      if (std::regex_search(lines[k], m, type_line)) type = m[1];
    }
    std::size_t insert_at = end;
    while (insert_at > i + 1 && lines[insert_at - 1].find_first_not_of(" \t") == std::string::npos)
      --insert_at;  // before the blank lines that separate the block from the next
    std::vector<std::string> added;
    for (const auto& c : changed_defaults()) {
      if (c.stage_type != type) continue;
      const std::regex key_line("^\\s*" + c.key + "\\s*=");
      bool present = false;
      for (std::size_t k = i + 1; k < end; ++k)
        present = present || std::regex_search(lines[k], key_line);
      if (!present)
        added.push_back(
            fmt::format("{} = {}  # version-1 default ({})", c.key, c.version1_value, c.why));
    }
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(insert_at), added.begin(),
                 added.end());
    i = insert_at + added.size() - 1;
  }
}

}  // namespace

const std::vector<ChangedDefault>& changed_defaults() {
  static const std::vector<ChangedDefault> changes{
      {"randomized", "inflate_events", "false",
       "version 2 inflates the Schoenfeld target events for the group-sequential looks"}};
  return changes;
}

std::string upgrade_scenario_text(std::string_view text, const std::string& origin) {
  const Scenario before = parse_scenario(text, origin);
  if (before.format_version >= 2) return std::string(text);
  auto lines = lines_of(text);
  static const std::regex version_line(R"(^(\s*format_version\s*=\s*)1(\s*(#.*)?)$)");
  bool found = false;
  for (auto& line : lines) {
    std::smatch m;
    if (std::regex_match(line, m, version_line)) {
      line = m[1].str() + "2" + m[2].str();
      found = true;
      break;
    }
  }
  if (!found) {
    throw UserError({origin, std::nullopt, std::nullopt, "format_version"},
                    "the format_version line is not a plain `format_version = 1`",
                    "upgrade by hand, or use `il2sim scenarios show FILE --resolved`");
  }
  pin_changed_defaults(lines);
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  Scenario after = parse_scenario(out, origin + " (upgraded)");
  after.format_version = before.format_version;
  if (to_toml(after) != to_toml(before)) {
    throw UserError({origin, std::nullopt, std::nullopt, ""},
                    "the file cannot be upgraded line by line to the same meaning (e.g. stages "
                    "written as an inline array)",
                    "`il2sim scenarios show FILE --resolved`, a version-2 file with every key "
                    "explicit");
  }
  return out;
}

}  // namespace il2sim::scenario
