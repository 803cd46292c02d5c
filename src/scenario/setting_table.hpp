#pragma once
/// @file setting_table.hpp
/// One description per setting of a plain scenario section ([solver], [population.adult],
/// [population.paediatric], [typical], [protocol], [toxicity], [events], [assays]): its key, kind,
/// unit, allowed range or values, meaning, and where its value lives. The parser, the
/// resolved-scenario writer and the scenario reference (docs/scenario-reference.md) are all
/// generated from these tables, so a setting is added, documented and written back in one place.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <toml++/toml.h>

#include "scenario/toml_input.hpp"

namespace il2sim::scenario {

enum class SettingKind { kNumber, kInteger, kBoolean, kChoice, kNumberList, kChoiceList };

/// A setting's value, whatever its kind (choices as their names).
using SettingValue = std::variant<double, std::int64_t, bool, std::string, std::vector<double>,
                                  std::vector<std::string>>;

/// What a setting is, independent of where its value lives.
struct SettingInfo {
  std::string key;
  SettingKind kind = SettingKind::kNumber;
  std::string unit;                  ///< empty: dimensionless or not a quantity
  std::string meaning;               ///< one sentence for the reference
  double lower = 0.0, upper = 0.0;   ///< numbers, integers, list elements
  std::size_t max_size = 0;          ///< number lists: at most this many values
  std::vector<std::string> choices;  ///< choice and choice-list kinds
};

/// A setting of a section object of type T.
template <class T>
struct Setting {
  SettingInfo info;
  std::function<SettingValue(const T&)> get;
  std::function<void(T&, const SettingValue&)> set;
  /// Whether the resolved scenario writes the value (some optional values are written only when
  /// set, so that resolved scenarios keep their bytes).
  std::function<bool(const T&)> written = [](const T&) { return true; };
};

/// The value at `node` checked against `info` (type, range, list size, allowed names).
/// @throws UserError naming `origin` with the node's line, `path`, the value and what is allowed.
[[nodiscard]] SettingValue read_setting(const std::string& origin, const toml::node& node,
                                        const std::string& path, const SettingInfo& info);

/// The value as TOML text (shortest round-trip numbers).
[[nodiscard]] std::string toml_text(const SettingValue& value);

/// What a setting allows, in words ("0 to 1", "v2, v1", "true or false", ...).
[[nodiscard]] std::string allowed_text(const SettingInfo& info);

/// The name of a kind for the reference ("number", "integer", ...).
[[nodiscard]] std::string_view kind_name(SettingKind kind);

/// Parses the table `t` at `path` into `target` through `settings`; keys not in the table are left
/// at their current value; an unknown key (not a setting and not in `extra_keys`, which the caller
/// parses) is refused with a did-you-mean.
template <class T>
void parse_settings(const std::string& origin, const toml::table& t, const std::string& path,
                    std::span<const Setting<T>> settings, T& target,
                    std::vector<std::string_view> extra_keys = {});

/// `key = value` lines of every written setting, in table order.
template <class T>
[[nodiscard]] std::string write_settings(std::span<const Setting<T>> settings, const T& value) {
  std::string out;
  for (const auto& s : settings) {
    if (s.written(value)) out += s.info.key + " = " + toml_text(s.get(value)) + "\n";
  }
  return out;
}

template <class T>
void parse_settings(const std::string& origin, const toml::table& t, const std::string& path,
                    std::span<const Setting<T>> settings, T& target,
                    std::vector<std::string_view> extra_keys) {
  std::vector<std::string_view> keys = std::move(extra_keys);
  for (const auto& s : settings) keys.push_back(s.info.key);
  check_known_keys(origin, t, path, keys);
  for (const auto& s : settings) {
    if (const auto* node = t.get(s.info.key))
      s.set(target, read_setting(origin, *node, path + "." + s.info.key, s.info));
  }
}

// ---- Factories: a setting from a reference to its value in T

[[nodiscard]] inline SettingInfo setting_info(std::string key, SettingKind kind, std::string unit,
                                              std::string meaning, double lower = 0.0,
                                              double upper = 0.0, std::size_t max_size = 0) {
  SettingInfo info;
  info.key = std::move(key);
  info.kind = kind;
  info.unit = std::move(unit);
  info.meaning = std::move(meaning);
  info.lower = lower;
  info.upper = upper;
  info.max_size = max_size;
  return info;
}

template <class T, class Ref>
Setting<T> number_setting(std::string key, std::string unit, double lower, double upper,
                          std::string meaning, Ref ref) {
  Setting<T> s;
  s.info = setting_info(std::move(key), SettingKind::kNumber, std::move(unit), std::move(meaning),
                        lower, upper);
  s.get = [ref](const T& t) { return SettingValue(ref(const_cast<T&>(t))); };
  s.set = [ref](T& t, const SettingValue& v) { ref(t) = std::get<double>(v); };
  return s;
}

template <class T, class Ref>
Setting<T> integer_setting(std::string key, std::string unit, double lower, double upper,
                           std::string meaning, Ref ref) {
  Setting<T> s;
  s.info = setting_info(std::move(key), SettingKind::kInteger, std::move(unit), std::move(meaning),
                        lower, upper);
  s.get = [ref](const T& t) {
    return SettingValue(static_cast<std::int64_t>(ref(const_cast<T&>(t))));
  };
  s.set = [ref](T& t, const SettingValue& v) {
    using I = std::remove_reference_t<decltype(ref(t))>;
    ref(t) = static_cast<I>(std::get<std::int64_t>(v));
  };
  return s;
}

template <class T, class Ref>
Setting<T> boolean_setting(std::string key, std::string meaning, Ref ref) {
  Setting<T> s;
  s.info = setting_info(std::move(key), SettingKind::kBoolean, "", std::move(meaning));
  s.get = [ref](const T& t) { return SettingValue(ref(const_cast<T&>(t))); };
  s.set = [ref](T& t, const SettingValue& v) { ref(t) = std::get<bool>(v); };
  return s;
}

template <class T, class Ref>
Setting<T> number_list_setting(std::string key, std::string unit, double lower, double upper,
                               std::size_t max_size, std::string meaning, Ref ref) {
  Setting<T> s;
  s.info = setting_info(std::move(key), SettingKind::kNumberList, std::move(unit),
                        std::move(meaning), lower, upper, max_size);
  s.get = [ref](const T& t) { return SettingValue(ref(const_cast<T&>(t))); };
  s.set = [ref](T& t, const SettingValue& v) { ref(t) = std::get<std::vector<double>>(v); };
  return s;
}

/// A choice among named values of an enum (the first name of a value is the one written).
template <class T, class E, class Ref>
Setting<T> choice_setting(std::string key, std::string meaning,
                          std::vector<std::pair<std::string, E>> options, Ref ref) {
  Setting<T> s;
  s.info = setting_info(std::move(key), SettingKind::kChoice, "", std::move(meaning));
  for (const auto& o : options) s.info.choices.push_back(o.first);
  s.get = [ref, options](const T& t) {
    const E e = ref(const_cast<T&>(t));
    for (const auto& [name, value] : options) {
      if (value == e) return SettingValue(name);
    }
    return SettingValue(std::string());
  };
  s.set = [ref, options](T& t, const SettingValue& v) {
    for (const auto& [name, value] : options) {
      if (name == std::get<std::string>(v)) ref(t) = value;
    }
  };
  return s;
}

/// A list of distinct named values of an enum (a repeated name is kept once).
template <class T, class E, class Ref>
Setting<T> choice_list_setting(std::string key, std::string meaning,
                               std::vector<std::pair<std::string, E>> options, Ref ref) {
  Setting<T> s;
  s.info = setting_info(std::move(key), SettingKind::kChoiceList, "", std::move(meaning));
  for (const auto& o : options) s.info.choices.push_back(o.first);
  s.get = [ref, options](const T& t) {
    std::vector<std::string> names;
    for (const E e : ref(const_cast<T&>(t))) {
      for (const auto& [name, value] : options) {
        if (value == e) names.push_back(name);
      }
    }
    return SettingValue(std::move(names));
  };
  s.set = [ref, options](T& t, const SettingValue& v) {
    auto& list = ref(t);
    list.clear();
    for (const auto& n : std::get<std::vector<std::string>>(v)) {
      for (const auto& [name, value] : options) {
        if (name == n && std::find(list.begin(), list.end(), value) == list.end())
          list.push_back(value);
      }
    }
  };
  return s;
}

}  // namespace il2sim::scenario
