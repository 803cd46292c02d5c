// Reading, writing and describing the settings of the plain scenario sections (setting_table.hpp).
#include "scenario/setting_table.hpp"

#include <cmath>

#include <fmt/format.h>

#include "core/text.hpp"
#include "scenario/toml_input.hpp"

namespace il2sim::scenario {
namespace {

double read_number(const std::string& origin, const toml::node& node, const std::string& path,
                   const SettingInfo& info) {
  double value = 0.0;
  if (const auto* f = node.as_floating_point()) {
    value = f->get();
  } else if (const auto* i = node.as_integer()) {
    value = static_cast<double>(i->get());
  } else {
    fail_at(origin, &node, path,
            fmt::format("expected a number, found {}", node_description(node)));
  }
  if (!std::isfinite(value))
    fail_at(origin, &node, path, fmt::format("value {} is not finite", value));
  if (value < info.lower || value > info.upper) {
    fail_at(origin, &node, path, fmt::format("value {} is out of range", value),
            fmt::format("{:g} to {:g}", info.lower, info.upper));
  }
  return value;
}

std::string read_choice(const std::string& origin, const toml::node& node, const std::string& path,
                        const SettingInfo& info) {
  const auto* s = node.as_string();
  if (s == nullptr) {
    fail_at(origin, &node, path,
            fmt::format("expected a string, found {}", node_description(node)));
  }
  for (const auto& c : info.choices) {
    if (c == s->get()) return c;
  }
  fail_at(origin, &node, path, fmt::format("unknown value '{}'", s->get()), allowed_text(info));
}

const toml::array& read_array(const std::string& origin, const toml::node& node,
                              const std::string& path) {
  const auto* a = node.as_array();
  if (a == nullptr) {
    fail_at(origin, &node, path,
            fmt::format("expected an array, found {}", node_description(node)));
  }
  return *a;
}

}  // namespace

SettingValue read_setting(const std::string& origin, const toml::node& node,
                          const std::string& path, const SettingInfo& info) {
  switch (info.kind) {
    case SettingKind::kNumber:
      return read_number(origin, node, path, info);
    case SettingKind::kInteger: {
      const auto* i = node.as_integer();
      if (i == nullptr) {
        fail_at(origin, &node, path,
                fmt::format("expected an integer, found {}", node_description(node)));
      }
      if (static_cast<double>(i->get()) < info.lower ||
          static_cast<double>(i->get()) > info.upper) {
        fail_at(origin, &node, path, fmt::format("value {} is out of range", i->get()),
                allowed_text(info));
      }
      return i->get();
    }
    case SettingKind::kBoolean: {
      const auto* b = node.as_boolean();
      if (b == nullptr) {
        fail_at(origin, &node, path,
                fmt::format("expected true or false, found {}", node_description(node)));
      }
      return b->get();
    }
    case SettingKind::kChoice:
      return read_choice(origin, node, path, info);
    case SettingKind::kNumberList: {
      const auto& a = read_array(origin, node, path);
      if (a.size() > info.max_size) {
        fail_at(origin, &node, path, fmt::format("{} values", a.size()),
                fmt::format("at most {}", info.max_size));
      }
      std::vector<double> values;
      for (std::size_t i = 0; i < a.size(); ++i)
        values.push_back(read_number(origin, a[i], fmt::format("{}[{}]", path, i), info));
      return values;
    }
    case SettingKind::kChoiceList: {
      const auto& a = read_array(origin, node, path);
      std::vector<std::string> values;
      for (std::size_t i = 0; i < a.size(); ++i)
        values.push_back(read_choice(origin, a[i], fmt::format("{}[{}]", path, i), info));
      return values;
    }
  }
  return {};
}

std::string toml_text(const SettingValue& value) {
  struct Text {
    std::string operator()(double v) const { return core::format_double(v); }
    std::string operator()(std::int64_t v) const { return fmt::format("{}", v); }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(const std::string& v) const { return "\"" + v + "\""; }
    std::string operator()(const std::vector<double>& v) const {
      std::string text = "[";
      for (std::size_t i = 0; i < v.size(); ++i)
        text += (i ? ", " : "") + core::format_double(v[i]);
      return text + "]";
    }
    std::string operator()(const std::vector<std::string>& v) const {
      std::string text = "[";
      for (std::size_t i = 0; i < v.size(); ++i) text += (i ? ", \"" : "\"") + v[i] + "\"";
      return text + "]";
    }
  };
  return std::visit(Text{}, value);
}

std::string allowed_text(const SettingInfo& info) {
  switch (info.kind) {
    case SettingKind::kNumber:
      return fmt::format("{:g} to {:g}", info.lower, info.upper);
    case SettingKind::kInteger:
      return fmt::format("{:.0f} to {:.0f}", info.lower, info.upper);
    case SettingKind::kBoolean:
      return "true or false";
    case SettingKind::kNumberList:
      return fmt::format("at most {} values, each {:g} to {:g}", info.max_size, info.lower,
                         info.upper);
    case SettingKind::kChoice:
    case SettingKind::kChoiceList: {
      std::string text;
      for (const auto& c : info.choices) text += (text.empty() ? "" : ", ") + c;
      return text;
    }
  }
  return {};
}

std::string_view kind_name(SettingKind kind) {
  switch (kind) {
    case SettingKind::kNumber:
      return "number";
    case SettingKind::kInteger:
      return "integer";
    case SettingKind::kBoolean:
      return "boolean";
    case SettingKind::kChoice:
      return "string (one of)";
    case SettingKind::kNumberList:
      return "array of numbers";
    case SettingKind::kChoiceList:
      return "array of strings (each one of)";
  }
  return "";
}

}  // namespace il2sim::scenario
