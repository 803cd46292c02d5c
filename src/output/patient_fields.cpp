#include "output/patient_fields.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace il2sim::output {
namespace {

using core::FieldType;
using core::FieldValue;
constexpr auto kInt = FieldType::kInteger;
constexpr auto kReal = FieldType::kReal;
constexpr auto kText = FieldType::kText;

std::string_view text(const std::string& s) {
  return s;
}
std::string_view text(std::string&& s) = delete;  // the view would outlive the text
constexpr std::string_view text(std::string_view s) {
  return s;
}

/// The field value of a column's typed value (what its CSV writer writes, for SQLite and JSON).
template <class T>
FieldValue value_of(const T& v) {
  if constexpr (std::is_same_v<T, std::string_view>) {
    return v;
  } else if constexpr (std::is_same_v<T, PreparedText>) {
    return v.text;
  } else if constexpr (std::is_arithmetic_v<T>) {
    return core::to_value(v);
  } else {
    static_assert(std::is_same_v<T, std::optional<typename T::value_type>>,
                  "a column's value is a number, a flag, text or an optional of them");
    return v ? value_of(*v) : FieldValue{};
  }
}

/// A column and its CSV writer.
template <class R>
struct Column {
  core::Field<R> field;
  CsvWriter<R> csv = nullptr;
};

/// The column of a typed getter F (a lambda: row -> number, flag, text or optional): its field
/// reads F as a FieldValue, its CSV writer writes F's value as it is. One getter for both, so the
/// CSV view and the SQLite table cannot disagree.
template <class R, auto F>
constexpr Column<R> col(std::string_view name, FieldType type, std::string_view unit,
                        std::string_view description) {
  return {{name, type, unit, description, +[](const R& r) { return value_of(F(r)); }, nullptr},
          +[](std::string& out, const R& r, TextMemo& memo) { put_csv(out, F(r), memo); }};
}

template <class R, std::size_t N>
constexpr std::array<core::Field<R>, N> fields_of(const std::array<Column<R>, N>& columns) {
  std::array<core::Field<R>, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = columns[i].field;
  return out;
}
template <class R, std::size_t N>
constexpr std::array<CsvWriter<R>, N> writers_of(const std::array<Column<R>, N>& columns) {
  std::array<CsvWriter<R>, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = columns[i].csv;
  return out;
}

/// PARAM and AVALU of each parameter code (clinic::parameter_codes(), same order) with their CSV
/// text, formatted once.
struct PreparedCode {
  std::string param_csv, unit_csv;
};
const std::vector<PreparedCode>& prepared_codes() {
  static const std::vector<PreparedCode> prepared = [] {
    std::vector<PreparedCode> out;
    for (const auto& c : clinic::parameter_codes()) {
      PreparedCode p;
      put_field(p.param_csv, c.param);
      put_field(p.unit_csv, c.unit);
      out.push_back(std::move(p));
    }
    return out;
  }();
  return prepared;
}
const PreparedCode& prepared(const clinic::ParameterCode* code) {
  return prepared_codes()[static_cast<std::size_t>(code - clinic::parameter_codes().data())];
}

/// PARAM: the label of the row's parameter code.
template <class Item>
PreparedText param_of(const ItemRow<Item>& r) {
  return {r.code->param, prepared(r.code).param_csv};
}
/// AVALU: the unit of the row's parameter code (every code has one).
template <class Item>
PreparedText unit_of(const ItemRow<Item>& r) {
  return {r.code->unit, prepared(r.code).unit_csv};
}
std::optional<std::size_t> stage_index_of(const RowContext& c) {
  return c.stage_index;
}
std::optional<std::string_view> stage_of(const RowContext& c) {
  if (c.stage.empty()) return std::nullopt;
  return std::string_view(c.stage);
}

/// ARM and TRT01P: the arm the patient was assigned (missing: a registrant never randomized).
std::optional<std::string_view> trt01p(const PatientRow& p) {
  if (p.context.not_randomized) return std::nullopt;
  return std::string_view(p.record.arm);
}
/// TRT01A: what the patient received. His arm when he received its IL-2 or the arm has none; on
/// an IL-2 arm without any IL-2, the stage's arm without IL-2 (missing when it has none).
std::optional<std::string_view> trt01a(const PatientRow& p) {
  if (p.context.not_randomized) return std::nullopt;
  if (p.record.treated || p.context.product.empty()) return std::string_view(p.record.arm);
  if (p.context.untreated_arm.empty()) return std::nullopt;
  return p.context.untreated_arm;
}
constexpr std::string_view yes_no(bool yes) {
  return yes ? "Y" : "N";
}
/// ADaM study day of a day since transplant: relative to TRTSDT, which is day 1 (no day 0);
/// missing without IL-2.
std::optional<double> study_day(const clinic::PatientRecord& r, double day) {
  if (!r.start_day) return std::nullopt;
  const double d = day - *r.start_day;
  return d >= 0.0 ? d + 1.0 : d;
}
/// ORIGIN and STARTDY of an endpoint: DLT counts from IL-2 start, the others from the context's
/// origin.
bool from_il2_start(std::string_view paramcd) {
  return paramcd == "DLT";
}
std::string_view origin_name_of(const PatientRow& p, std::string_view paramcd) {
  return from_il2_start(paramcd) ? kOriginIl2Start : p.context.origin_name;
}
std::optional<double> origin_day_of(const PatientRow& p, std::string_view paramcd) {
  if (from_il2_start(paramcd)) return p.record.start_day;
  return p.context.origin;
}

// ---- Columns shared by every view with several rows per patient
// --------------------------------

template <class Item>
constexpr Column<ItemRow<Item>> usubjid_field() {
  using R = ItemRow<Item>;
  return col<R, [](const R& r) { return r.patient.usubjid; }>(
      "USUBJID", kText, "", "unique subject id (as in `patients`)");
}
template <class Item>
constexpr Column<ItemRow<Item>> replicate_field() {
  using R = ItemRow<Item>;
  return col<R, [](const R& r) { return r.patient.context.replicate; }>("REPLICATE", kInt, "",
                                                                        "replicate (0-based)");
}
template <class Item>
constexpr Column<ItemRow<Item>> arm_field() {
  using R = ItemRow<Item>;
  return col<R, [](const R& r) { return text(r.patient.record.arm); }>("ARM", kText, "", "arm");
}
template <class Item>
constexpr Column<ItemRow<Item>> stage_index_field() {
  using R = ItemRow<Item>;
  return col<R, [](const R& r) { return stage_index_of(r.patient.context); }>(
      "STAGE_INDEX", kInt, "", "0-based position of the stage (missing in `cohort`)");
}
template <class Item>
constexpr Column<ItemRow<Item>> stage_field() {
  using R = ItemRow<Item>;
  return col<R, [](const R& r) { return stage_of(r.patient.context); }>(
      "STAGE", kText, "", "stage name (= STUDYID of `run`; missing in `cohort`)");
}
template <class Item>
constexpr Column<ItemRow<Item>> studyid_field() {
  using R = ItemRow<Item>;
  return col<R, [](const R& r) { return text(r.patient.context.studyid); }>(
      "STUDYID", kText, "", "study (as in `patients`)");
}
template <class Item>
constexpr Column<ItemRow<Item>> trt01p_field() {
  using R = ItemRow<Item>;
  return col<R, [](const R& r) { return trt01p(r.patient); }>(
      "TRT01P", kText, "", "planned treatment: the arm assigned (as in `patients`)");
}
template <class Item>
constexpr Column<ItemRow<Item>> trt01a_field() {
  using R = ItemRow<Item>;
  return col<R, [](const R& r) { return trt01a(r.patient); }>(
      "TRT01A", kText, "", "actual treatment (as in `patients`)");
}
/// ORIGIN and STARTDY of ADTTE and ADTTE at data cuts (Item: clinic::Endpoint or CutEndpoint).
template <class Item>
std::string_view paramcd_of(const Item& item) {
  if constexpr (std::is_same_v<Item, CutEndpoint>) {
    return item.endpoint.paramcd;
  } else {
    return item.paramcd;
  }
}
template <class Item>
constexpr Column<ItemRow<Item>> origin_field() {
  using R = ItemRow<Item>;
  return col<R, [](const R& r) { return origin_name_of(r.patient, paramcd_of(r.item)); }>(
      "ORIGIN", kText, "",
      "what AVAL counts from: `randomization` (randomized stages), `IL-2 start` (single-arm "
      "stages; DLT everywhere) or `transplant` (dose escalation, `cohort`)");
}
template <class Item>
constexpr Column<ItemRow<Item>> startdy_field() {
  using R = ItemRow<Item>;
  return col<R, [](const R& r) { return origin_day_of(r.patient, paramcd_of(r.item)); }>(
      "STARTDY", kReal, "day",
      "day of ORIGIN since transplant (ADaM's STARTDT as a day; the event or censoring day is "
      "STARTDY + AVAL)");
}

/// A month of the patient's trial calendar: missing outside randomized stages (and when infinite,
/// as a loss to follow-up that never happens).
template <auto M>
std::optional<double> calendar_value(const PatientRow& p) {
  const auto* c = p.context.calendar;
  if (c == nullptr || !std::isfinite(c->*M)) return std::nullopt;
  return c->*M;
}
/// A month after randomization: missing for a registrant never randomized.
template <auto M>
std::optional<double> randomized_value(const PatientRow& p) {
  if (p.context.not_randomized) return std::nullopt;
  return calendar_value<M>(p);
}

// ---- ADSL
// --------------------------------------------------------------------------------------

using P = PatientRow;

const std::array kAdslColumns{
    col<P, [](const P& p) { return text(p.context.studyid); }>(
        "STUDYID", kText, "", "study: the stage name (`run`) or the scenario name (`cohort`)"),
    col<P, [](const P& p) { return p.context.replicate; }>("REPLICATE", kInt, "",
                                                           "replicate (0-based)"),
    col<P, [](const P& p) { return text(p.usubjid); }>(
        "USUBJID", kText, "", "unique subject id: `<STUDYID>-<patient id, 6 digits>`"),
    col<P, [](const P& p) { return trt01p(p); }>(
        "ARM", kText, "",
        "arm (dose escalation: `<stage> level k`; single arm: `<stage> IL-2`; cohort: `--arm`; "
        "missing for a registrant never randomized)"),
    col<P, [](const P& p) { return p.record.covariates.age_years; }>("AGE", kReal, "years",
                                                                     "age at transplant"),
    col<P, [](const P& p) { return text(model::to_string(p.record.covariates.sex)); }>("SEX", kText,
                                                                                       "", "sex"),
    col<P, [](const P& p) { return p.record.covariates.height_cm; }>("HEIGHT", kReal, "cm",
                                                                     "height"),
    col<P, [](const P& p) { return p.record.covariates.weight_kg; }>("WEIGHT", kReal, "kg",
                                                                     "weight"),
    col<P, [](const P& p) { return p.record.covariates.bsa_m2; }>("BSA", kReal, "m²",
                                                                  "body surface area"),
    col<P, [](const P& p) { return text(model::to_string(p.record.disease)); }>("DISEASE", kText,
                                                                                "", "disease"),
    col<P, [](const P& p) { return text(model::to_string(p.record.transplant)); }>(
        "TRANSPLANT", kText, "", "transplant type"),
    col<P, [](const P& p) { return p.record.L0; }>("L0", kReal, "cells",
                                                   "tumour cells at transplant"),
    col<P, [](const P& p) { return p.record.eligible_day; }>(
        "ELIGDY", kReal, "day", "first eligible day (platelet criterion met)"),
    col<P, [](const P& p) { return p.record.landmark_day; }>(
        "LANDMDY", kReal, "day", "(would-be) start of IL-2: eligibility + scheduling delay"),
    col<P, [](const P& p) { return p.record.start_day; }>("TRTSDY", kReal, "day",
                                                          "first day of IL-2 (treated patients)"),
    col<P, [](const P& p) { return p.record.treated; }>("TREATED", kInt, "",
                                                        "1 if the patient received any IL-2"),
    col<P, [](const P& p) { return text(clinic::to_string(p.record.not_treated)); }>(
        "NOTTRTRS", kText, "", "why not treated (empty if treated)"),
    col<P, [](const P& p) { return p.record.completed_induction; }>("COMPLIND", kInt, "",
                                                                    "1 if induction was completed"),
    col<P, [](const P& p) { return p.record.completed_maintenance; }>(
        "COMPLMNT", kInt, "", "1 if maintenance was completed"),
    col<P, [](const P& p) { return p.record.induction_intensity; }>(
        "INDINT", kReal, "", "induction dose intensity: delivered / planned dose"),
    col<P, [](const P& p) { return p.record.maintenance_intensity; }>(
        "MNTINT", kReal, "", "maintenance dose intensity: delivered / planned dose"),
    col<P, [](const P& p) { return p.record.inpatient_days; }>(
        "INPTDAYS", kReal, "days",
        "days of the regimen spent in inpatient phases (to the end of IL-2)"),
    col<P, [](const P& p) { return p.record.outpatient_days; }>(
        "OUTPTDAYS", kReal, "days", "days of the regimen spent in outpatient phases"),
    col<P, [](const P& p) { return p.record.holds; }>("HOLDS", kInt, "", "treatment holds"),
    col<P, [](const P& p) { return text(clinic::to_string(p.record.stop)); }>(
        "STOPRS", kText, "", "why IL-2 stopped early (empty if it did not)"),
    col<P, [](const P& p) { return p.record.stop_day; }>("STOPDY", kReal, "day",
                                                         "day IL-2 stopped early"),
    col<P, [](const P& p) { return p.record.treatment_end_day; }>("TRTEDY", kReal, "day",
                                                                  "end of the last infusion"),
    col<P, [](const P& p) { return p.record.dlt; }>("DLT", kInt, "",
                                                    "1 if a dose-limiting toxicity occurred"),
    col<P, [](const P& p) { return p.record.dlt_day; }>("DLTDY", kReal, "day", "day of the DLT"),
    col<P, [](const P& p) { return p.record.relapse_true_day; }>("RELTRDY", kReal, "day",
                                                                 "true relapse day"),
    col<P, [](const P& p) { return p.record.relapse_day; }>("RELDY", kReal, "day",
                                                            "observed relapse day"),
    col<P, [](const P& p) { return p.record.cure_day; }>("CUREDY", kReal, "day",
                                                         "day the tumour was eradicated"),
    col<P, [](const P& p) { return p.record.death_day; }>("DTHDY", kReal, "day", "day of death"),
    col<P, [](const P& p) { return text(clinic::to_string(p.record.death_cause)); }>(
        "DTHCAUS", kText, "", "cause of death"),
    col<P, [](const P& p) { return p.record.agvhd_day; }>("AGVHDDY", kReal, "day",
                                                          "onset of acute GVHD"),
    col<P, [](const P& p) { return p.record.cgvhd_day; }>("CGVHDDY", kReal, "day",
                                                          "onset of chronic GVHD"),
    col<P, [](const P& p) { return p.record.follow_up_end; }>(
        "FUENDDY", kReal, "day", "end of follow-up (censoring day if alive)"),
    col<P, [](const P& p) { return p.record.numerical_failure; }>(
        "NUMFAIL", kInt, "", "1 if the simulation of the patient failed numerically"),
    col<P, [](const P& p) { return text(p.record.dlt_reason); }>("DLTRS", kText, "",
                                                                 "reason of the DLT"),
    col<P, [](const P& p) { return p.record.relapse_symptomatic; }>(
        "RELSYMPT", kInt, "",
        "1 if the relapse was found by symptoms (not at a scheduled assessment)"),
    col<P, [](const P& p) { return text(p.record.failure); }>(
        "FAILURE", kText, "", "message of the numerical failure (patient, day, setting to change)"),
    col<P, [](const P& p) { return stage_index_of(p.context); }>(
        "STAGE_INDEX", kInt, "", "0-based position of the stage (missing in `cohort`)"),
    col<P, [](const P& p) { return stage_of(p.context); }>(
        "STAGE", kText, "", "stage name (= STUDYID of `run`; missing in `cohort`)"),
    col<P, [](const P& p) { return p.record.id; }>("PATIENT_ID", kInt, "",
                                                   "the patient number behind the random streams"),
    col<P, [](const P& p) { return text(p.context.product); }>(
        "PRODUCT", kText, "", "IL-2 product of the arm's regimen (empty without IL-2)"),
    col<P,
        [](const P& p) {
          return p.context.not_randomized ? std::nullopt : std::optional(p.context.origin);
        }>("ORIGIN_DAY", kReal, "day",
           "time origin of ADTTE (randomization or IL-2 start; 0 = transplant; missing for a "
           "registrant never randomized)"),
    col<P,
        [](const P& p) { return calendar_value<&clinic::TrialCalendar::registration_month>(p); }>(
        "REGMO", kReal, "months",
        "randomized stages: calendar month of registration, since the stage opened (missing "
        "elsewhere)"),
    col<P, [](const P&
                  p) { return randomized_value<&clinic::TrialCalendar::randomization_month>(p); }>(
        "RANDMO", kReal, "months", "randomized stages: calendar month of randomization"),
    col<P, [](const P& p) { return randomized_value<&clinic::TrialCalendar::dropout_month>(p); }>(
        "LOSTMO", kReal, "months",
        "randomized stages: calendar month of loss to follow-up (missing: never lost)"),
    col<P,
        [](const P& p) {
          const auto* c = p.context.calendar;
          return c != nullptr ? std::optional<int>(c->analysed ? 1 : 0) : std::nullopt;
        }>("ANLFL", kInt, "",
           "randomized stages: 1 if in the stage's analysis population (`population`: itt, every "
           "randomized patient; treated, those who started IL-2)"),
    col<P, [](const P& p) { return text(p.record.cohort); }>(
        "COHORT", kText, "",
        "the patient's cohort: the component drawn for a patient of a mixture cohort, else the "
        "arm's cohort"),
    col<P, [](const P& p) { return trt01p(p); }>(
        "TRT01P", kText, "",
        "planned treatment: the arm assigned (= ARM; missing for a registrant never randomized)"),
    col<P, [](const P& p) { return trt01a(p); }>(
        "TRT01A", kText, "",
        "actual treatment: the arm, except on an IL-2 arm without any IL-2 given: the stage's arm "
        "without IL-2 (missing if it has none, and for a registrant never randomized)"),
    col<P,
        [](const P& p) {
          return p.context.calendar != nullptr ? std::optional(yes_no(!p.context.not_randomized))
                                               : std::nullopt;
        }>("RANDFL", kText, "",
           "randomized stages: `Y` randomized, `N` registered and never randomized (missing in "
           "other stages and `cohort`)"),
    col<P, [](const P& p) { return yes_no(!p.context.not_randomized); }>(
        "ITTFL", kText, "",
        "intent-to-treat population: `Y` assigned an arm (randomized, or enrolled in a stage "
        "without randomization or a cohort), `N` a registrant never randomized"),
    col<P, [](const P& p) { return yes_no(p.record.treated); }>(
        "SAFFL", kText, "", "safety population: `Y` received any IL-2 (= TREATED)"),
    col<P,
        [](const P& p) {
          return p.context.not_randomized ? clinic::to_string(*p.context.not_randomized)
                                          : std::string_view("");  // text, not NULL
        }>("NOTRNDRS", kText, "",
           "randomized stages: why a registrant was never randomized (`refusal`, `death`, "
           "`relapse`, `no platelet recovery`, `other`, `numerical failure`; empty if "
           "randomized)"),
};
const auto kAdslFields = fields_of(kAdslColumns);
const auto kAdslCsv = writers_of(kAdslColumns);

// ---- ADTTE
// -------------------------------------------------------------------------------------

using E = EndpointRow;

const std::array kAdtteColumns{
    usubjid_field<clinic::Endpoint>(),
    replicate_field<clinic::Endpoint>(),
    arm_field<clinic::Endpoint>(),
    col<E, [](const E& r) { return text(r.item.paramcd); }>(
        "PARAMCD", kText, "", "endpoint code (table of parameter codes)"),
    col<E, [](const E& r) { return r.item.aval; }>("AVAL", kReal, "",
                                                   "time from ORIGIN (day STARTDY), in AVALU"),
    col<E, [](const E& r) { return unit_of(r); }>("AVALU", kText, "", "unit of AVAL"),
    col<E, [](const E& r) { return r.item.cnsr; }>("CNSR", kInt, "", "0 = event, 1 = censored"),
    col<E, [](const E& r) { return text(r.item.evntdesc); }>(
        "EVNTDESC", kText, "", "what ended the time (event or censoring)"),
    col<E, [](const E& r) { return param_of(r); }>("PARAM", kText, "", "endpoint label"),
    stage_index_field<clinic::Endpoint>(),
    stage_field<clinic::Endpoint>(),
    studyid_field<clinic::Endpoint>(),
    trt01p_field<clinic::Endpoint>(),
    trt01a_field<clinic::Endpoint>(),
    origin_field<clinic::Endpoint>(),
    startdy_field<clinic::Endpoint>(),
};
const auto kAdtteFields = fields_of(kAdtteColumns);
const auto kAdtteCsv = writers_of(kAdtteColumns);

// ---- ADLB
// --------------------------------------------------------------------------------------

using L = LabRow;

const std::array kAdlbColumns{
    usubjid_field<clinic::LabValue>(),
    replicate_field<clinic::LabValue>(),
    arm_field<clinic::LabValue>(),
    col<L, [](const L& r) { return text(r.item.paramcd); }>(
        "PARAMCD", kText, "", "lab or assay code (table of parameter codes)"),
    col<L, [](const L& r) { return r.item.value; }>("AVAL", kReal, "", "measured value, in AVALU"),
    col<L, [](const L& r) { return study_day(r.patient.record, r.item.day); }>(
        "ADY", kReal, "day",
        "ADaM study day of the visit: TXDY - TRTSDY + 1 on or after IL-2 start (day 1), TXDY - "
        "TRTSDY before it; missing without IL-2"),
    col<L, [](const L& r) { return text(r.item.visit); }>(
        "VISIT", kText, "", "visit (`BASELINE`, `IL2 D4`, `TX D30`, …)"),
    col<L,
        [](const L& r) {
          return (r.item.et_ratio > 0.0) ? std::optional<double>(r.item.et_ratio) : std::nullopt;
        }>("ETRATIO", kReal, "", "effector:target ratio of the lysis assays (missing otherwise)"),
    col<L, [](const L& r) { return param_of(r); }>("PARAM", kText, "", "lab or assay label"),
    col<L, [](const L& r) { return unit_of(r); }>("AVALU", kText, "",
                                                  "unit of AVAL (`1` for a 0/1 result)"),
    stage_index_field<clinic::LabValue>(),
    stage_field<clinic::LabValue>(),
    studyid_field<clinic::LabValue>(),
    trt01p_field<clinic::LabValue>(),
    trt01a_field<clinic::LabValue>(),
    col<L, [](const L& r) { return r.item.day; }>("TXDY", kReal, "day",
                                                  "day of the visit since transplant"),
    col<L,
        [](const L& r) { return r.base != nullptr ? std::optional(r.base->value) : std::nullopt; }>(
        "BASE", kReal, "",
        "baseline value of the parameter (AVAL of its ABLFL record), in AVALU; missing "
        "without a baseline visit"),
    col<L,
        [](const L& r) {
          return (r.base != nullptr && r.item.day > r.base->day)
                     ? std::optional(r.item.value - r.base->value)
                     : std::nullopt;
        }>("CHG", kReal, "",
           "change from baseline, AVAL - BASE, after the baseline visit (missing at and before "
           "it)"),
    col<L,
        [](const L& r) {
          return &r.item == r.base ? std::optional(std::string_view("Y")) : std::nullopt;
        }>("ABLFL", kText, "",
           "`Y` on the baseline record: per parameter (PARAMCD and, for the lysis assays, "
           "ETRATIO) the last value at the `BASELINE` visit before the (would-be) IL-2 start"),
};
const auto kAdlbFields = fields_of(kAdlbColumns);
const auto kAdlbCsv = writers_of(kAdlbColumns);

// ---- ADAE
// --------------------------------------------------------------------------------------

using A = AdverseEventRow;

const std::array kAdaeColumns{
    usubjid_field<clinic::AdverseEvent>(),
    replicate_field<clinic::AdverseEvent>(),
    arm_field<clinic::AdverseEvent>(),
    col<A, [](const A& r) { return text(clinic::to_string(r.item.term)); }>("AETERM", kText, "",
                                                                            "toxicity term"),
    col<A, [](const A& r) { return r.item.grade; }>("AETOXGR", kInt, "",
                                                    "maximum CTC grade of the episode"),
    col<A, [](const A& r) { return r.item.onset; }>("ASTDY", kReal, "day",
                                                    "onset since transplant"),
    col<A, [](const A& r) { return r.item.end; }>("AENDY", kReal, "day", "end since transplant"),
    col<A, [](const A& r) { return r.item.ongoing; }>("ONGOING", kInt, "",
                                                      "1 if still ongoing at the end of recording"),
    col<A, [](const A& r) { return r.item.grade4_days; }>("GR4DUR", kReal, "days",
                                                          "time spent at grade 4"),
    stage_index_field<clinic::AdverseEvent>(),
    stage_field<clinic::AdverseEvent>(),
    studyid_field<clinic::AdverseEvent>(),
    trt01p_field<clinic::AdverseEvent>(),
    trt01a_field<clinic::AdverseEvent>(),
};
const auto kAdaeFields = fields_of(kAdaeColumns);
const auto kAdaeCsv = writers_of(kAdaeColumns);

// ---- EX
// ----------------------------------------------------------------------------------------

using X = ExposureRow;

/// An administration (bolus, injection, cells) has an amount and its unit; an infusion has none.
bool administration(const clinic::ExposureSegment& e) {
  return !e.amount_unit.empty();
}

const std::array kExColumns{
    usubjid_field<clinic::ExposureSegment>(),
    replicate_field<clinic::ExposureSegment>(),
    arm_field<clinic::ExposureSegment>(),
    col<X, [](const X& r) { return text(r.patient.context.product); }>("EXTRT", kText, "",
                                                                       "IL-2 product given"),
    col<X, [](const X& r) { return text(r.item.phase); }>("EXPHASE", kText, "", "regimen phase"),
    col<X, [](const X& r) { return r.item.start; }>(
        "EXSTDY", kReal, "day",
        "start of the infusion, or day of the administration, since transplant"),
    col<X, [](const X& r) { return r.item.end; }>(
        "EXENDY", kReal, "day",
        "end of the infusion since transplant (= EXSTDY for an administration)"),
    col<X, [](const X& r) { return r.item.rate_iu_per_day; }>(
        "EXRATE", kReal, "IU/day", "infusion rate (Chiron IU; 0 for an administration)"),
    col<X, [](const X& r) { return r.item.dose_iu; }>(
        "EXDOSE", kReal, "", "IL-2 delivered (0 for LAK cells), in EXDOSU"),
    col<X, [](const X&) { return std::string_view("IU"); }>("EXDOSU", kText, "",
                                                            "unit of EXDOSE (`IU`: Chiron IU)"),
    col<X, [](const X& r) { return r.item.dose_fraction; }>("DOSEFRAC", kReal, "",
                                                            "1 full dose, 0.5 after a resumption"),
    col<X, [](const X& r) { return text(r.item.end_reason); }>(
        "EXENDRS", kText, "",
        "why the record ended (`completed`: an infusion run to its planned end; `given`: an "
        "administration; `hold: …`, `stopped: …`, `ongoing at end of follow-up`)"),
    col<X, [](const X& r) { return text(r.item.route); }>(
        "EXROUTE", kText, "", "route (`civ`, `iv_bolus`, `sc`, `lak_cells`)"),
    col<X, [](const X& r) { return text(r.item.role); }>(
        "EXROLE", kText, "", "role of the phase (`induction`, `maintenance`, `consolidation`, …)"),
    col<X,
        [](const X& r) {
          return administration(r.item) ? std::optional<double>(r.item.amount) : std::nullopt;
        }>("EXAMT", kReal, "",
           "amount of one administration, in EXAMTU (IL-2 before bioavailability, or cells); "
           "missing "
           "for an infusion"),
    col<X,
        [](const X& r) {
          return administration(r.item) ? std::optional<std::string_view>(r.item.amount_unit)
                                        : std::nullopt;
        }>("EXAMTU", kText, "",
           "unit of EXAMT (`IU`: Chiron IU, or `cells`); missing for an infusion"),
    stage_index_field<clinic::ExposureSegment>(),
    stage_field<clinic::ExposureSegment>(),
    col<X,
        [](const X& r) {
          return (r.item.cycle > 0) ? std::optional<int>(r.item.cycle) : std::nullopt;
        }>("EXCYCLE", kInt, "",
           "repetition of the regimen's `repeat` cycle the record belongs to (1 = first); "
           "missing outside a cycle"),
    studyid_field<clinic::ExposureSegment>(),
    trt01p_field<clinic::ExposureSegment>(),
    trt01a_field<clinic::ExposureSegment>(),
};
const auto kExFields = fields_of(kExColumns);
const auto kExCsv = writers_of(kExColumns);

// ---- ADTTE at data cuts
// ------------------------------------------------------------------------

using K = CutEndpointRow;

const std::array kAdtteCutColumns{
    usubjid_field<CutEndpoint>(),
    replicate_field<CutEndpoint>(),
    arm_field<CutEndpoint>(),
    col<K, [](const K& r) { return r.item.look; }>("LOOK", kInt, "",
                                                   "analysis (1 = first look), as in "
                                                   "`stage_decisions.step`"),
    col<K, [](const K& r) { return r.item.cut_month; }>(
        "CUTMO", kReal, "months", "calendar month of the look's data cut, since the stage opened"),
    col<K, [](const K& r) { return text(r.item.endpoint.paramcd); }>(
        "PARAMCD", kText, "", "endpoint code: PFS, OS, RELAPSE, NRM"),
    col<K, [](const K& r) { return r.item.endpoint.aval; }>(
        "AVAL", kReal, "", "time from ORIGIN (day STARTDY) as known at the cut, in AVALU"),
    col<K, [](const K& r) { return unit_of(r); }>("AVALU", kText, "", "unit of AVAL"),
    col<K, [](const K& r) { return r.item.endpoint.cnsr; }>("CNSR", kInt, "",
                                                            "0 = event by the cut, 1 = censored"),
    col<K, [](const K& r) { return text(r.item.endpoint.evntdesc); }>(
        "EVNTDESC", kText, "",
        "what ended the time (event; `data cut`; `lost to follow-up`; end of follow-up)"),
    stage_index_field<CutEndpoint>(),
    stage_field<CutEndpoint>(),
    studyid_field<CutEndpoint>(),
    trt01p_field<CutEndpoint>(),
    trt01a_field<CutEndpoint>(),
    origin_field<CutEndpoint>(),
    startdy_field<CutEndpoint>(),
};
const auto kAdtteCutFields = fields_of(kAdtteCutColumns);
const auto kAdtteCutCsv = writers_of(kAdtteCutColumns);

}  // namespace

std::vector<const clinic::LabValue*> baseline_of(const std::vector<clinic::LabValue>& labs) {
  const auto same = [](const clinic::LabValue& a, const clinic::LabValue& b) {
    return a.paramcd == b.paramcd && a.et_ratio == b.et_ratio;
  };
  std::vector<const clinic::LabValue*> found;  // one per parameter with a baseline visit
  for (const auto& l : labs) {
    if (l.visit != clinic::kBaselineVisit) continue;
    const auto it =
        std::find_if(found.begin(), found.end(), [&](const auto* b) { return same(*b, l); });
    if (it == found.end()) {
      found.push_back(&l);
    } else if (l.day >= (*it)->day) {
      *it = &l;
    }
  }
  std::vector<const clinic::LabValue*> base(labs.size(), nullptr);
  for (std::size_t i = 0; i < labs.size(); ++i) {
    for (const auto* b : found) {
      if (same(*b, labs[i])) base[i] = b;
    }
  }
  return base;
}

const clinic::ParameterCode& parameter_code(std::string_view paramcd) {
  const auto* p = clinic::find_parameter_code(paramcd);
  IL2SIM_ASSERT(p != nullptr, "every PARAMCD the clinic records is in clinic::parameter_codes()");
  return *p;
}

void append_usubjid(std::string& out, std::string_view studyid, std::uint32_t patient) {
  out += studyid;
  out += '-';
  char buf[16];
  const auto r = std::to_chars(buf, buf + sizeof buf, patient);
  const auto digits = static_cast<std::size_t>(r.ptr - buf);
  if (digits < 6) out.append(6 - digits, '0');
  out.append(buf, r.ptr);
}

std::string usubjid(std::string_view studyid, std::uint32_t patient) {
  std::string s;
  append_usubjid(s, studyid, patient);
  return s;
}

core::FieldTable<PatientRow> adsl_fields() {
  return kAdslFields;
}
CsvWriters<PatientRow> adsl_csv() {
  return kAdslCsv;
}
core::FieldTable<EndpointRow> adtte_fields() {
  return kAdtteFields;
}
CsvWriters<EndpointRow> adtte_csv() {
  return kAdtteCsv;
}
core::FieldTable<LabRow> adlb_fields() {
  return kAdlbFields;
}
CsvWriters<LabRow> adlb_csv() {
  return kAdlbCsv;
}
core::FieldTable<AdverseEventRow> adae_fields() {
  return kAdaeFields;
}
CsvWriters<AdverseEventRow> adae_csv() {
  return kAdaeCsv;
}
core::FieldTable<ExposureRow> ex_fields() {
  return kExFields;
}
core::FieldTable<CutEndpointRow> adtte_cut_fields() {
  return kAdtteCutFields;
}
CsvWriters<CutEndpointRow> adtte_cut_csv() {
  return kAdtteCutCsv;
}
CsvWriters<ExposureRow> ex_csv() {
  return kExCsv;
}

std::string sql_column(std::string_view field_name) {
  std::string s(field_name);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace il2sim::output
