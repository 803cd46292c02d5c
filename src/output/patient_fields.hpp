#pragma once
/// @file patient_fields.hpp
/// The field tables of the patient-level records (core/fields.hpp): ADSL (one row per patient),
/// ADTTE (per endpoint), ADLB (per lab value), ADAE (per adverse event) and EX (per exposure
/// segment). Each table is the one home of its view's columns: the CSV views (views.hpp), the
/// SQLite tables of results.sqlite (patient_tables.hpp) and their documentation are generated from
/// it. The CSV column is the field's name (upper-case CDISC name); the SQLite column is the same
/// name in lower case.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clinic/endpoints.hpp"
#include "clinic/record.hpp"
#include "core/fields.hpp"
#include "output/csv_fields.hpp"

namespace il2sim::output {

/// ORIGIN of ADTTE, what a stage's times count from: transplant (a cohort, dose escalation),
/// randomization (a randomized stage, wherever it randomizes), IL-2 start (a single-arm stage;
/// the DLT endpoint everywhere).
inline constexpr std::string_view kOriginTransplant = "transplant";
inline constexpr std::string_view kOriginRandomization = "randomization";
inline constexpr std::string_view kOriginIl2Start = "IL-2 start";

/// Identifies the rows of one patient.
struct RowContext {
  /// A cohort's context has no stage (`stage` empty, no `stage_index`).
  RowContext(std::string studyid_, std::uint32_t replicate_, double origin_, std::string product_,
             std::string stage_ = {}, std::optional<std::size_t> stage_index_ = std::nullopt)
      : studyid(std::move(studyid_)),
        replicate(replicate_),
        origin(origin_),
        product(std::move(product_)),
        stage(std::move(stage_)),
        stage_index(stage_index_) {}

  std::string studyid;  ///< STUDYID: the stage name (`run`) or the scenario name (`cohort`)
  std::uint32_t replicate = 0;
  double origin = 0.0;  ///< time origin of ADTTE (transplant = 0, or randomization day)
  std::string product;  ///< EX: the product given
  std::string stage;    ///< stage of a `run` ("" in a cohort: written as missing)
  std::optional<std::size_t> stage_index;  ///< 0-based position of the stage (none in a cohort)
  /// A randomized stage's calendar of the patient and its data cuts (nullptr elsewhere).
  const clinic::TrialCalendar* calendar = nullptr;
  /// ORIGIN of ADTTE: what `origin` is (kOriginTransplant, kOriginRandomization, kOriginIl2Start).
  std::string_view origin_name = kOriginTransplant;
  /// The stage's arm without IL-2, if it has one (empty: none): TRT01A of a patient of an IL-2
  /// arm who received no IL-2.
  std::string_view untreated_arm{};
  /// A randomized stage's registrant who was never randomized: why. Such a patient has a row in
  /// ADSL only (the design does not follow him after the attrition).
  std::optional<clinic::NotTreatedReason> not_randomized{};
};

/// One patient record in its context: the row of ADSL and the parent of every other view's rows.
struct PatientRow {
  const RowContext& context;
  const clinic::PatientRecord& record;
  std::string_view usubjid;  ///< usubjid(context.studyid, record.id), formatted once per patient
};

/// The label and unit of a PARAMCD the clinic records (clinic::parameter_codes()); a code missing
/// from that table is a programming error.
[[nodiscard]] const clinic::ParameterCode& parameter_code(std::string_view paramcd);

/// One row of a view with several rows per patient: the patient and one item of its record; for
/// an endpoint or a lab value, its parameter code too (looked up once per row).
template <class Item>
struct ItemRow {
  const PatientRow& patient;
  const Item& item;
  const clinic::ParameterCode* code = nullptr;
  /// ADLB: the baseline record of the row's parameter (baseline_of()); nullptr: none.
  const Item* base = nullptr;
};
using EndpointRow = ItemRow<clinic::Endpoint>;
using LabRow = ItemRow<clinic::LabValue>;
using AdverseEventRow = ItemRow<clinic::AdverseEvent>;
using ExposureRow = ItemRow<clinic::ExposureSegment>;

/// An endpoint as observed at one data cut of a randomized stage (ADTTE at each look).
struct CutEndpoint {
  int look = 0;            ///< 1-based analysis
  double cut_month = 0.0;  ///< calendar month of the data cut
  clinic::Endpoint endpoint;
};
using CutEndpointRow = ItemRow<CutEndpoint>;

/// The baseline record of each lab value of a record (same order; nullptr: none): for each
/// parameter (PARAMCD, and the E:T ratio of a lysis assay), the last value at the protocol's
/// baseline visit (clinic::kBaselineVisit: the assay visit before the (would-be) IL-2 start).
[[nodiscard]] std::vector<const clinic::LabValue*> baseline_of(
    const std::vector<clinic::LabValue>& labs);

/// USUBJID: study id, '-', the patient number zero-padded to 6 digits.
[[nodiscard]] std::string usubjid(std::string_view studyid, std::uint32_t patient);
/// Appends usubjid(studyid, patient) to `out`.
void append_usubjid(std::string& out, std::string_view studyid, std::uint32_t patient);

/// The CSV writer of one column: appends the column's value for a row, typed (no FieldValue is
/// built). Generated from the same getter as the column's core::Field (patient_fields.cpp), so
/// the CSV text and the SQLite value are the same fact; one per field, in the table's order.
template <class R>
using CsvWriter = void (*)(std::string& out, const R& row, TextMemo& memo);
template <class R>
using CsvWriters = std::span<const CsvWriter<R>>;

[[nodiscard]] core::FieldTable<PatientRow> adsl_fields();
[[nodiscard]] core::FieldTable<EndpointRow> adtte_fields();
[[nodiscard]] core::FieldTable<LabRow> adlb_fields();
[[nodiscard]] core::FieldTable<AdverseEventRow> adae_fields();
[[nodiscard]] core::FieldTable<ExposureRow> ex_fields();
[[nodiscard]] core::FieldTable<CutEndpointRow> adtte_cut_fields();
[[nodiscard]] CsvWriters<PatientRow> adsl_csv();
[[nodiscard]] CsvWriters<EndpointRow> adtte_csv();
[[nodiscard]] CsvWriters<LabRow> adlb_csv();
[[nodiscard]] CsvWriters<AdverseEventRow> adae_csv();
[[nodiscard]] CsvWriters<ExposureRow> ex_csv();
[[nodiscard]] CsvWriters<CutEndpointRow> adtte_cut_csv();

/// A patient-level view: its name, CSV file, SQLite table (and primary key, "" for none), field
/// table and how one patient's rows are enumerated: `View::rows(patient, f)` calls f(row) for
/// each row of the patient, in the order of the files.
struct AdslView {
  using Row = PatientRow;
  static constexpr std::string_view kName = "ADSL";
  static constexpr std::string_view kCsv = "adsl.csv";
  static constexpr std::string_view kTable = "patients";
  static constexpr std::string_view kRows = "one row per patient";
  static constexpr std::string_view kPrimaryKey = "replicate, usubjid";
  static core::FieldTable<Row> fields() { return adsl_fields(); }
  static CsvWriters<Row> csv_writers() { return adsl_csv(); }
  template <class F>
  static void rows(const PatientRow& p, F&& f) {
    f(p);
  }
};

struct AdtteView {
  using Row = EndpointRow;
  static constexpr std::string_view kName = "ADTTE";
  static constexpr std::string_view kCsv = "adtte.csv";
  static constexpr std::string_view kTable = "events";
  static constexpr std::string_view kRows = "time-to-event endpoints, one row per endpoint";
  static constexpr std::string_view kPrimaryKey = "";
  static core::FieldTable<Row> fields() { return adtte_fields(); }
  static CsvWriters<Row> csv_writers() { return adtte_csv(); }
  template <class F>
  static void rows(const PatientRow& p, F&& f) {
    if (p.context.not_randomized) return;
    for (const auto& e : clinic::endpoints(p.record, p.context.origin))
      f(Row{p, e, &parameter_code(e.paramcd)});
  }
};

struct AdlbView {
  using Row = LabRow;
  static constexpr std::string_view kName = "ADLB";
  static constexpr std::string_view kCsv = "adlb.csv";
  static constexpr std::string_view kTable = "labs";
  static constexpr std::string_view kRows = "labs and assays at visits, one row per value";
  static constexpr std::string_view kPrimaryKey = "";
  static core::FieldTable<Row> fields() { return adlb_fields(); }
  static CsvWriters<Row> csv_writers() { return adlb_csv(); }
  template <class F>
  static void rows(const PatientRow& p, F&& f) {
    if (p.context.not_randomized) return;
    const auto base = baseline_of(p.record.labs);
    for (std::size_t i = 0; i < p.record.labs.size(); ++i) {
      const auto& l = p.record.labs[i];
      f(Row{p, l, &parameter_code(l.paramcd), base[i]});
    }
  }
};

struct AdaeView {
  using Row = AdverseEventRow;
  static constexpr std::string_view kName = "ADAE";
  static constexpr std::string_view kCsv = "adae.csv";
  static constexpr std::string_view kTable = "adverse_events";
  static constexpr std::string_view kRows = "adverse-event episodes, one row per episode";
  static constexpr std::string_view kPrimaryKey = "";
  static core::FieldTable<Row> fields() { return adae_fields(); }
  static CsvWriters<Row> csv_writers() { return adae_csv(); }
  template <class F>
  static void rows(const PatientRow& p, F&& f) {
    if (p.context.not_randomized) return;
    for (const auto& a : p.record.adverse_events) f(Row{p, a});
  }
};

struct ExView {
  using Row = ExposureRow;
  static constexpr std::string_view kName = "EX";
  static constexpr std::string_view kCsv = "ex.csv";
  static constexpr std::string_view kTable = "exposure";
  static constexpr std::string_view kRows =
      "IL-2 exposure, one row per infusion segment or administration";
  static constexpr std::string_view kPrimaryKey = "";
  static core::FieldTable<Row> fields() { return ex_fields(); }
  static CsvWriters<Row> csv_writers() { return ex_csv(); }
  template <class F>
  static void rows(const PatientRow& p, F&& f) {
    if (p.context.not_randomized) return;
    for (const auto& e : p.record.exposure) f(Row{p, e});
  }
};

/// The survival endpoints of a randomized stage's analyses at each data cut: for every look the
/// stage performed, the patients in the analysis randomized before the cut, their PFS, OS,
/// RELAPSE and NRM censored at the cut (or at their loss to follow-up) — the data each look's
/// log-rank test and the stopping look's estimates were computed from.
struct AdtteCutView {
  using Row = CutEndpointRow;
  static constexpr std::string_view kName = "ADTTE at data cuts";
  static constexpr std::string_view kCsv = "adtte_cuts.csv";
  static constexpr std::string_view kTable = "events_at_cuts";
  static constexpr std::string_view kRows =
      "randomized stages: survival endpoints at each analysis's data cut, one row per look, "
      "patient and endpoint";
  static constexpr std::string_view kPrimaryKey = "";
  static core::FieldTable<Row> fields() { return adtte_cut_fields(); }
  static CsvWriters<Row> csv_writers() { return adtte_cut_csv(); }
  template <class F>
  static void rows(const PatientRow& p, F&& f) {
    const auto* cal = p.context.calendar;
    if (cal == nullptr || p.context.not_randomized) return;
    const auto all = clinic::endpoints(p.record, p.context.origin);
    for (std::size_t k = 0; k < cal->cut_months.size(); ++k) {
      const double cut = cal->cut_months[k];
      if (!cal->in_cut(cut)) continue;
      for (const auto& e : all) {
        if (e.paramcd == "DLT") continue;  // from IL-2 start: not an endpoint of the comparison
        const CutEndpoint row{static_cast<int>(k + 1), cut, cal->at_cut(e, cut)};
        f(Row{p, row, &parameter_code(e.paramcd)});
      }
    }
  }
};

/// Calls f(View{}) for each patient-level view, in the order of the files: the one list of the
/// views (CSV writers, SQLite tables and docs iterate over it).
template <class F>
void for_each_patient_view(F&& f) {
  f(AdslView{});
  f(AdtteView{});
  f(AdlbView{});
  f(AdaeView{});
  f(ExView{});
  f(AdtteCutView{});
}

/// Number of patient-level views (for_each_patient_view).
inline constexpr std::size_t kPatientViewCount = 6;

/// The SQLite column of a field: its name in lower case.
[[nodiscard]] std::string sql_column(std::string_view field_name);

}  // namespace il2sim::output
