#pragma once
/// @file tables.hpp
/// Typed tables of the public API from the field tables (core::Field: name, type, unit,
/// description, getter): a column per field, a row per record, the values the CSV writers write
/// (a null, NaN or infinite value is missing, as the CSV's "NA").

#include <string_view>

#include "core/fields.hpp"
#include "il2sim/il2sim.hpp"
#include "output/patient_fields.hpp"

namespace il2sim::api {

/// An empty column named, labelled and typed as `name`, `label`, `unit` and `type` say.
[[nodiscard]] Column make_column(std::string_view name, std::string_view label,
                                 std::string_view unit, core::FieldType type);
/// Appends one value (converted to the column's type; missing when null or not finite).
void append_value(Column& c, const core::FieldValue& v);

/// A table of records R built row by row from R's field table.
template <class R>
class TableBuilder {
 public:
  explicit TableBuilder(core::FieldTable<R> fields) : fields_(fields) {
    for (const auto& f : fields_)
      table_.columns.push_back(make_column(f.name, f.description, f.unit, f.type));
  }
  void add(const R& row) {
    for (std::size_t i = 0; i < fields_.size(); ++i)
      append_value(table_.columns[i], fields_[i].get(row));
  }
  [[nodiscard]] Table& table() { return table_; }

 private:
  core::FieldTable<R> fields_;
  Table table_;
};

/// The patient-level views (output/patient_fields.hpp) as tables, patient by patient.
class ViewTables {
 public:
  /// Appends the rows of one patient to every view, as the CSV views do.
  void add(const output::PatientRow& p);
  Table take_adsl() { return std::move(adsl_.table()); }
  Table take_adtte() { return std::move(adtte_.table()); }
  Table take_adlb() { return std::move(adlb_.table()); }
  Table take_adae() { return std::move(adae_.table()); }
  Table take_ex() { return std::move(ex_.table()); }
  Table take_adtte_cuts() { return std::move(cuts_.table()); }

 private:
  TableBuilder<output::PatientRow> adsl_{output::AdslView::fields()};
  TableBuilder<output::EndpointRow> adtte_{output::AdtteView::fields()};
  TableBuilder<output::LabRow> adlb_{output::AdlbView::fields()};
  TableBuilder<output::AdverseEventRow> adae_{output::AdaeView::fields()};
  TableBuilder<output::ExposureRow> ex_{output::ExView::fields()};
  TableBuilder<output::CutEndpointRow> cuts_{output::AdtteCutView::fields()};
};

}  // namespace il2sim::api
