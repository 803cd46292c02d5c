#include "scenario/overrides.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "scenario/toml_input.hpp"

namespace il2sim::scenario {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& problem,
                       const std::string& allowed = {}) {
  throw UserError({"--set", std::nullopt, std::nullopt, path}, problem, allowed);
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    parts.push_back(path.substr(start, dot == std::string::npos ? dot : dot - start));
    if (parts.back().empty()) {
      fail(path, "empty segment in the path", "a dotted path such as protocol.refusal_probability");
    }
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

/// A table whose only key `v` holds the value of `o`: a TOML value if the text parses as exactly
/// one, otherwise the text as a string. Copies of it carry no source position, so the scenario
/// parser reports a refused value as coming from `--set`.
toml::table value_holder(const Override& o) {
  try {
    toml::table t = parse_toml_text("v = " + o.value, "--set");
    if (t.size() == 1 && t.contains("v")) return t;
  } catch (const UserError&) {
    // Not a TOML value (an unquoted word such as `sc`): taken as a string, as documented.
  }
  toml::table t;
  t.insert("v", o.value);
  return t;
}

/// The element of `array` named by `segment`: a 0-based index, or the table whose `name` it is.
toml::node& element(toml::array& array, const std::string& segment, const std::string& walked,
                    const std::string& path) {
  std::string names;
  for (const auto& e : array) {
    const auto* t = e.as_table();
    const auto* name = t != nullptr ? t->get_as<std::string>("name") : nullptr;
    if (name == nullptr) continue;
    if (name->get() == segment) return const_cast<toml::node&>(e);
    names += (names.empty() ? "" : ", ") + name->get();
  }
  std::size_t index = 0;
  const char* end = segment.data() + segment.size();
  const auto [ptr, ec] = std::from_chars(segment.data(), end, index);
  if (ec == std::errc{} && ptr == end && index < array.size()) return *array.get(index);
  const std::string indices = array.empty() ? std::string("none (the array is empty)")
                                            : fmt::format("indices 0 to {}", array.size() - 1);
  fail(path, fmt::format("'{}' has no element '{}'", walked, segment),
       names.empty() ? indices : fmt::format("names {}; or {}", names, indices));
}

void apply_override(toml::table& document, const Override& o) {
  const auto parts = split_path(o.path);
  toml::node* node = &document;
  std::string walked;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& segment = parts[i];
    const bool last = i + 1 == parts.size();
    if (auto* table = node->as_table()) {
      if (last) {
        table->insert_or_assign(segment, *value_holder(o).get("v"));
        return;
      }
      if (table->get(segment) == nullptr) table->insert(segment, toml::table{});
      node = table->get(segment);
    } else if (auto* array = node->as_array()) {
      toml::node& e = element(*array, segment, walked, o.path);
      if (last) {
        const auto at = std::find_if(array->cbegin(), array->cend(),
                                     [&](const toml::node& n) { return &n == &e; });
        array->replace(at, *value_holder(o).get("v"));
        return;
      }
      node = &e;
    } else {
      fail(o.path, fmt::format("'{}' is a value, not a table or an array", walked),
           fmt::format("a path ending at '{}'", walked));
    }
    walked += (walked.empty() ? "" : ".") + segment;
  }
}

}  // namespace

Override parse_override(std::string_view text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos) {
    throw UserError({"--set", std::nullopt, std::nullopt, std::string(text)},
                    "expected PATH=VALUE (no '=')", "e.g. --set protocol.refusal_probability=0.2");
  }
  Override o{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
  while (!o.path.empty() && o.path.back() == ' ') o.path.pop_back();
  if (o.path.empty()) {
    throw UserError({"--set", std::nullopt, std::nullopt, std::string(text)},
                    "empty PATH before '='", "e.g. --set protocol.refusal_probability=0.2");
  }
  (void)split_path(o.path);
  return o;
}

void apply_overrides(toml::table& document, std::span<const Override> overrides) {
  for (const auto& o : overrides) apply_override(document, o);
}

}  // namespace il2sim::scenario
