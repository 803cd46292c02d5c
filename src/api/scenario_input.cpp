#include "api/scenario_input.hpp"

#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace il2sim::api {
namespace {

constexpr const char* kJsonOrigin = "<scenario from JSON>";

[[noreturn]] void json_fail(const std::string& key, const std::string& problem) {
  throw UserError({kJsonOrigin, std::nullopt, std::nullopt, key}, problem,
                  "objects (TOML tables), arrays, strings, numbers and booleans; no null");
}

void insert_json(toml::table& t, const std::string& key, const nlohmann::json& v,
                 const std::string& path);
void append_json(toml::array& a, const nlohmann::json& v, const std::string& path);

/// Passes the TOML value of JSON value `v` (at `path`, for messages) to put(value): a table for
/// an object, an array for an array (an array of objects is an array of tables), a string, a
/// boolean, an integer or a float.
template <class Put>
void put_json(const nlohmann::json& v, const std::string& path, Put&& put) {
  switch (v.type()) {
    case nlohmann::json::value_t::object: {
      toml::table sub;
      for (const auto& [k, e] : v.items())
        insert_json(sub, k, e, path.empty() ? k : path + "." + k);
      put(std::move(sub));
      return;
    }
    case nlohmann::json::value_t::array: {
      toml::array out;
      for (std::size_t i = 0; i < v.size(); ++i)
        append_json(out, v[i], fmt::format("{}[{}]", path, i));
      put(std::move(out));
      return;
    }
    case nlohmann::json::value_t::string:
      put(v.get<std::string>());
      return;
    case nlohmann::json::value_t::boolean:
      put(v.get<bool>());
      return;
    case nlohmann::json::value_t::number_integer:
      put(v.get<std::int64_t>());
      return;
    case nlohmann::json::value_t::number_unsigned:
      if (v.get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        json_fail(path, fmt::format("the integer {} is larger than TOML's largest", v.dump()));
      put(static_cast<std::int64_t>(v.get<std::uint64_t>()));
      return;
    case nlohmann::json::value_t::number_float:
      put(v.get<double>());
      return;
    default:
      json_fail(path, fmt::format("{} has no TOML value", v.dump()));
  }
}

void insert_json(toml::table& t, const std::string& key, const nlohmann::json& v,
                 const std::string& path) {
  put_json(v, path,
           [&t, &key](auto&& x) { t.insert_or_assign(key, std::forward<decltype(x)>(x)); });
}

void append_json(toml::array& a, const nlohmann::json& v, const std::string& path) {
  put_json(v, path, [&a](auto&& x) { a.push_back(std::forward<decltype(x)>(x)); });
}

}  // namespace

std::string toml_of_json(const std::string& json_text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    throw UserError({kJsonOrigin, std::nullopt, std::nullopt, ""},
                    fmt::format("not JSON: {}", e.what()), "a JSON object of the scenario's tree");
  }
  if (!j.is_object()) json_fail("", "the scenario is not a JSON object");
  toml::table root;
  for (const auto& [k, e] : j.items()) insert_json(root, k, e, k);
  std::ostringstream text;
  text << toml::toml_formatter(root);
  return text.str() + "\n";
}

scenario::Scenario load_input(const ScenarioInput& in, std::span<const scenario::Override> sets) {
  switch (in.kind) {
    case ScenarioInput::Kind::name_or_file:
      return scenario::load_scenario(in.text, sets);
    case ScenarioInput::Kind::toml:
      return scenario::parse_scenario(in.text, "<scenario text>", sets);
    case ScenarioInput::Kind::json:
      return scenario::parse_scenario(toml_of_json(in.text), kJsonOrigin, sets);
  }
  throw UserError("unknown kind of scenario input");
}

}  // namespace il2sim::api
