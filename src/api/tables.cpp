#include "api/tables.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"

namespace il2sim::api {

Column make_column(std::string_view name, std::string_view label, std::string_view unit,
                   core::FieldType type) {
  Column c;
  c.name = name;
  c.label = label;
  c.unit = unit;
  switch (type) {
    case core::FieldType::kInteger:
      c.type = Column::Type::integer;
      break;
    case core::FieldType::kReal:
      c.type = Column::Type::real;
      break;
    case core::FieldType::kText:
      c.type = Column::Type::text;
      break;
    case core::FieldType::kRealList:
      IL2SIM_ASSERT(false, "no table of the API has a list column");
  }
  return c;
}

void append_value(Column& c, const core::FieldValue& v) {
  bool missing = core::is_null(v);
  switch (c.type) {
    case Column::Type::real: {
      const double x = core::number_of(v);
      missing = missing || !std::isfinite(x);
      c.reals.push_back(missing ? std::numeric_limits<double>::quiet_NaN() : x);
      break;
    }
    case Column::Type::integer: {
      std::int64_t x = 0;
      if (const auto* i = std::get_if<std::int64_t>(&v)) {
        x = *i;
      } else if (!missing) {
        // An integer column's getter returns a whole number; a real one would be written as such.
        x = core::whole_number_of<std::int64_t>(v);
      }
      c.integers.push_back(x);
      break;
    }
    case Column::Type::text:
      c.texts.emplace_back(missing ? std::string_view() : core::text_of(v));
      break;
  }
  c.missing.push_back(missing ? 1 : 0);
}

void ViewTables::add(const output::PatientRow& p) {
  static_assert(output::kPatientViewCount == 6,
                "a patient-level view was added to for_each_patient_view: add it here too");
  const auto rows = [&p](auto view, auto& builder) {
    decltype(view)::rows(p, [&](const auto& row) { builder.add(row); });
  };
  rows(output::AdslView{}, adsl_);
  rows(output::AdtteView{}, adtte_);
  rows(output::AdlbView{}, adlb_);
  rows(output::AdaeView{}, adae_);
  rows(output::ExView{}, ex_);
  rows(output::AdtteCutView{}, cuts_);
}

std::size_t Table::rows() const {
  if (columns.empty()) return 0;
  return columns.front().missing.size();
}

}  // namespace il2sim::api
