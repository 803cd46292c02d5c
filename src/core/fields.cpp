#include "core/fields.hpp"

#include <limits>

namespace il2sim::core {

std::string_view sql_type(FieldType type) {
  switch (type) {
    case FieldType::kInteger:
      return "INTEGER";
    case FieldType::kReal:
      return "REAL";
    case FieldType::kText:
    case FieldType::kRealList:
      return "TEXT";
  }
  return "TEXT";
}

std::string_view type_name(FieldType type) {
  switch (type) {
    case FieldType::kInteger:
      return "integer";
    case FieldType::kReal:
      return "real";
    case FieldType::kText:
      return "text";
    case FieldType::kRealList:
      return "list of real";
  }
  return "text";
}

std::string_view text_of(const FieldValue& v) {
  if (const auto* s = std::get_if<std::string_view>(&v)) return *s;
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return {};
}

double number_of(const FieldValue& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace il2sim::core
