#include "output/patient_fields.hpp"

#include <array>
#include <cctype>
#include <charconv>

#include "core/error.hpp"

namespace il2sim::output {
namespace {

using core::FieldType;
using core::FieldValue;
using core::to_value;
constexpr auto kInt = FieldType::kInteger;
constexpr auto kReal = FieldType::kReal;
constexpr auto kText = FieldType::kText;

FieldValue text(std::string_view s) {
  return s;
}

/// AVALU: the unit of the row's parameter code, missing for a 0/1 result.
template <class Item>
FieldValue unit_of(const ItemRow<Item>& r) {
  return r.code->unit.empty() ? FieldValue{} : FieldValue{r.code->unit};
}

// ---- Columns shared by every view with several rows per patient --------------------------------

template <class Item>
constexpr core::Field<ItemRow<Item>> usubjid_field() {
  return {"USUBJID",
          kText,
          "",
          "unique subject id (as in `patients`)",
          +[](const ItemRow<Item>& r) { return text(r.patient.usubjid); },
          nullptr};
}
template <class Item>
constexpr core::Field<ItemRow<Item>> replicate_field() {
  return {"REPLICATE",
          kInt,
          "",
          "replicate (0-based)",
          +[](const ItemRow<Item>& r) { return to_value(r.patient.context.replicate); },
          nullptr};
}
template <class Item>
constexpr core::Field<ItemRow<Item>> arm_field() {
  return {
      "ARM",  kText, "", "arm", +[](const ItemRow<Item>& r) { return text(r.patient.record.arm); },
      nullptr};
}
FieldValue stage_index_of(const RowContext& c) {
  return c.stage_index ? to_value(*c.stage_index) : FieldValue{};
}
FieldValue stage_of(const RowContext& c) {
  return c.stage.empty() ? FieldValue{} : text(c.stage);
}
template <class Item>
constexpr core::Field<ItemRow<Item>> stage_index_field() {
  return {"STAGE_INDEX",
          kInt,
          "",
          "0-based position of the stage (missing in `cohort`)",
          +[](const ItemRow<Item>& r) { return stage_index_of(r.patient.context); },
          nullptr};
}
template <class Item>
constexpr core::Field<ItemRow<Item>> stage_field() {
  return {"STAGE",
          kText,
          "",
          "stage name (= STUDYID of `run`; missing in `cohort`)",
          +[](const ItemRow<Item>& r) { return stage_of(r.patient.context); },
          nullptr};
}

// ---- ADSL --------------------------------------------------------------------------------------

using P = PatientRow;

const std::array<core::Field<P>, 46> kAdsl{{
    {"STUDYID", kText, "", "study: the stage name (`run`) or the scenario name (`cohort`)",
     +[](const P& p) { return text(p.context.studyid); }},
    {"REPLICATE", kInt, "", "replicate (0-based)",
     +[](const P& p) { return to_value(p.context.replicate); }},
    {"USUBJID", kText, "", "unique subject id: `<STUDYID>-<patient id, 6 digits>`",
     +[](const P& p) { return text(p.usubjid); }},
    {"ARM", kText, "",
     "arm (dose escalation: `<stage> level k`; single arm: `<stage> IL-2`; cohort: `--arm`)",
     +[](const P& p) { return text(p.record.arm); }},
    {"AGE", kReal, "years", "age at transplant",
     +[](const P& p) { return to_value(p.record.covariates.age_years); }},
    {"SEX", kText, "", "sex",
     +[](const P& p) { return text(model::to_string(p.record.covariates.sex)); }},
    {"HEIGHT", kReal, "cm", "height",
     +[](const P& p) { return to_value(p.record.covariates.height_cm); }},
    {"WEIGHT", kReal, "kg", "weight",
     +[](const P& p) { return to_value(p.record.covariates.weight_kg); }},
    {"BSA", kReal, "m²", "body surface area",
     +[](const P& p) { return to_value(p.record.covariates.bsa_m2); }},
    {"DISEASE", kText, "", "disease",
     +[](const P& p) { return text(model::to_string(p.record.disease)); }},
    {"TRANSPLANT", kText, "", "transplant type",
     +[](const P& p) { return text(model::to_string(p.record.transplant)); }},
    {"L0", kReal, "cells", "tumour cells at transplant",
     +[](const P& p) { return to_value(p.record.L0); }},
    {"ELIGDY", kReal, "day", "first eligible day (platelet criterion met)",
     +[](const P& p) { return to_value(p.record.eligible_day); }},
    {"LANDMDY", kReal, "day", "(would-be) start of IL-2: eligibility + scheduling delay",
     +[](const P& p) { return to_value(p.record.landmark_day); }},
    {"TRTSDY", kReal, "day", "first day of IL-2 (treated patients)",
     +[](const P& p) { return to_value(p.record.start_day); }},
    {"TREATED", kInt, "", "1 if the patient received any IL-2",
     +[](const P& p) { return to_value(p.record.treated); }},
    {"NOTTRTRS", kText, "", "why not treated (empty if treated)",
     +[](const P& p) { return text(clinic::to_string(p.record.not_treated)); }},
    {"COMPLIND", kInt, "", "1 if induction was completed",
     +[](const P& p) { return to_value(p.record.completed_induction); }},
    {"COMPLMNT", kInt, "", "1 if maintenance was completed",
     +[](const P& p) { return to_value(p.record.completed_maintenance); }},
    {"INDINT", kReal, "", "induction dose intensity: delivered / planned dose",
     +[](const P& p) { return to_value(p.record.induction_intensity); }},
    {"MNTINT", kReal, "", "maintenance dose intensity: delivered / planned dose",
     +[](const P& p) { return to_value(p.record.maintenance_intensity); }},
    {"INPTDAYS", kReal, "days",
     "days of the regimen spent in inpatient phases (to the end of IL-2)",
     +[](const P& p) { return to_value(p.record.inpatient_days); }},
    {"OUTPTDAYS", kReal, "days", "days of the regimen spent in outpatient phases",
     +[](const P& p) { return to_value(p.record.outpatient_days); }},
    {"HOLDS", kInt, "", "treatment holds", +[](const P& p) { return to_value(p.record.holds); }},
    {"STOPRS", kText, "", "why IL-2 stopped early (empty if it did not)",
     +[](const P& p) { return text(clinic::to_string(p.record.stop)); }},
    {"STOPDY", kReal, "day", "day IL-2 stopped early",
     +[](const P& p) { return to_value(p.record.stop_day); }},
    {"TRTEDY", kReal, "day", "end of the last infusion",
     +[](const P& p) { return to_value(p.record.treatment_end_day); }},
    {"DLT", kInt, "", "1 if a dose-limiting toxicity occurred",
     +[](const P& p) { return to_value(p.record.dlt); }},
    {"DLTDY", kReal, "day", "day of the DLT",
     +[](const P& p) { return to_value(p.record.dlt_day); }},
    {"RELTRDY", kReal, "day", "true relapse day",
     +[](const P& p) { return to_value(p.record.relapse_true_day); }},
    {"RELDY", kReal, "day", "observed relapse day",
     +[](const P& p) { return to_value(p.record.relapse_day); }},
    {"CUREDY", kReal, "day", "day the tumour was eradicated",
     +[](const P& p) { return to_value(p.record.cure_day); }},
    {"DTHDY", kReal, "day", "day of death",
     +[](const P& p) { return to_value(p.record.death_day); }},
    {"DTHCAUS", kText, "", "cause of death",
     +[](const P& p) { return text(clinic::to_string(p.record.death_cause)); }},
    {"AGVHDDY", kReal, "day", "onset of acute GVHD",
     +[](const P& p) { return to_value(p.record.agvhd_day); }},
    {"CGVHDDY", kReal, "day", "onset of chronic GVHD",
     +[](const P& p) { return to_value(p.record.cgvhd_day); }},
    {"FUENDDY", kReal, "day", "end of follow-up (censoring day if alive)",
     +[](const P& p) { return to_value(p.record.follow_up_end); }},
    {"NUMFAIL", kInt, "", "1 if the simulation of the patient failed numerically",
     +[](const P& p) { return to_value(p.record.numerical_failure); }},
    {"DLTRS", kText, "", "reason of the DLT",
     +[](const P& p) { return text(p.record.dlt_reason); }},
    {"RELSYMPT", kInt, "", "1 if the relapse was found by symptoms (not at a scheduled assessment)",
     +[](const P& p) { return to_value(p.record.relapse_symptomatic); }},
    {"FAILURE", kText, "", "message of the numerical failure (patient, day, setting to change)",
     +[](const P& p) { return text(p.record.failure); }},
    {"STAGE_INDEX", kInt, "", "0-based position of the stage (missing in `cohort`)",
     +[](const P& p) { return stage_index_of(p.context); }},
    {"STAGE", kText, "", "stage name (= STUDYID of `run`; missing in `cohort`)",
     +[](const P& p) { return stage_of(p.context); }},
    {"PATIENT_ID", kInt, "", "the patient number behind the random streams",
     +[](const P& p) { return to_value(p.record.id); }},
    {"PRODUCT", kText, "", "IL-2 product of the arm's regimen (empty without IL-2)",
     +[](const P& p) { return text(p.context.product); }},
    {"ORIGIN_DAY", kReal, "day",
     "time origin of ADTTE (randomization or IL-2 start; 0 = transplant)",
     +[](const P& p) { return to_value(p.context.origin); }},
}};

// ---- ADTTE -------------------------------------------------------------------------------------

using E = EndpointRow;

const std::array<core::Field<E>, 11> kAdtte{{
    usubjid_field<clinic::Endpoint>(),
    replicate_field<clinic::Endpoint>(),
    arm_field<clinic::Endpoint>(),
    {"PARAMCD", kText, "", "endpoint code (table of parameter codes)",
     +[](const E& r) { return text(r.item.paramcd); }},
    {"AVAL", kReal, "", "time from ORIGIN_DAY of `patients` (DLT: from IL-2 start), in AVALU",
     +[](const E& r) { return to_value(r.item.aval); }},
    {"AVALU", kText, "", "unit of AVAL", +[](const E& r) { return unit_of(r); }},
    {"CNSR", kInt, "", "0 = event, 1 = censored",
     +[](const E& r) { return to_value(r.item.cnsr); }},
    {"EVNTDESC", kText, "", "what ended the time (event or censoring)",
     +[](const E& r) { return text(r.item.evntdesc); }},
    {"PARAM", kText, "", "endpoint label", +[](const E& r) { return text(r.code->param); }},
    stage_index_field<clinic::Endpoint>(),
    stage_field<clinic::Endpoint>(),
}};

// ---- ADLB --------------------------------------------------------------------------------------

using L = LabRow;

const std::array<core::Field<L>, 12> kAdlb{{
    usubjid_field<clinic::LabValue>(),
    replicate_field<clinic::LabValue>(),
    arm_field<clinic::LabValue>(),
    {"PARAMCD", kText, "", "lab or assay code (table of parameter codes)",
     +[](const L& r) { return text(r.item.paramcd); }},
    {"AVAL", kReal, "", "measured value, in AVALU",
     +[](const L& r) { return to_value(r.item.value); }},
    {"ADY", kReal, "day", "day of the visit since transplant",
     +[](const L& r) { return to_value(r.item.day); }},
    {"VISIT", kText, "", "visit (`BASELINE`, `IL2 D4`, `TX D30`, …)",
     +[](const L& r) { return text(r.item.visit); }},
    {"ETRATIO", kReal, "", "effector:target ratio of the lysis assays (missing otherwise)",
     +[](const L& r) { return r.item.et_ratio > 0 ? to_value(r.item.et_ratio) : FieldValue{}; }},
    {"PARAM", kText, "", "lab or assay label", +[](const L& r) { return text(r.code->param); }},
    {"AVALU", kText, "", "unit of AVAL (missing for a 0/1 result)",
     +[](const L& r) { return unit_of(r); }},
    stage_index_field<clinic::LabValue>(),
    stage_field<clinic::LabValue>(),
}};

// ---- ADAE --------------------------------------------------------------------------------------

using A = AdverseEventRow;

const std::array<core::Field<A>, 11> kAdae{{
    usubjid_field<clinic::AdverseEvent>(),
    replicate_field<clinic::AdverseEvent>(),
    arm_field<clinic::AdverseEvent>(),
    {"AETERM", kText, "", "toxicity term",
     +[](const A& r) { return text(clinic::to_string(r.item.term)); }},
    {"AETOXGR", kInt, "", "maximum CTC grade of the episode",
     +[](const A& r) { return to_value(r.item.grade); }},
    {"ASTDY", kReal, "day", "onset since transplant",
     +[](const A& r) { return to_value(r.item.onset); }},
    {"AENDY", kReal, "day", "end since transplant",
     +[](const A& r) { return to_value(r.item.end); }},
    {"ONGOING", kInt, "", "1 if still ongoing at the end of recording",
     +[](const A& r) { return to_value(r.item.ongoing); }},
    {"GR4DUR", kReal, "days", "time spent at grade 4",
     +[](const A& r) { return to_value(r.item.grade4_days); }},
    stage_index_field<clinic::AdverseEvent>(),
    stage_field<clinic::AdverseEvent>(),
}};

// ---- EX ----------------------------------------------------------------------------------------

using X = ExposureRow;

/// An administration (bolus, injection, cells) has an amount and its unit; an infusion has none.
bool administration(const clinic::ExposureSegment& e) {
  return !e.amount_unit.empty();
}

const std::array<core::Field<X>, 18> kEx{{
    usubjid_field<clinic::ExposureSegment>(),
    replicate_field<clinic::ExposureSegment>(),
    arm_field<clinic::ExposureSegment>(),
    {"EXTRT", kText, "", "IL-2 product given",
     +[](const X& r) { return text(r.patient.context.product); }},
    {"EXPHASE", kText, "", "regimen phase", +[](const X& r) { return text(r.item.phase); }},
    {"EXSTDY", kReal, "day",
     "start of the infusion, or day of the administration, since transplant",
     +[](const X& r) { return to_value(r.item.start); }},
    {"EXENDY", kReal, "day",
     "end of the infusion since transplant (= EXSTDY for an administration)",
     +[](const X& r) { return to_value(r.item.end); }},
    {"EXRATE", kReal, "IU/day", "infusion rate (Chiron IU; 0 for an administration)",
     +[](const X& r) { return to_value(r.item.rate_iu_per_day); }},
    {"EXDOSE", kReal, "", "IL-2 delivered (0 for LAK cells), in EXDOSU",
     +[](const X& r) { return to_value(r.item.dose_iu); }},
    {"EXDOSU", kText, "", "unit of EXDOSE (`IU`: Chiron IU)", +[](const X&) { return text("IU"); }},
    {"DOSEFRAC", kReal, "", "1 full dose, 0.5 after a resumption",
     +[](const X& r) { return to_value(r.item.dose_fraction); }},
    {"EXENDRS", kText, "",
     "why the record ended (`completed`: an infusion run to its planned end; `given`: an "
     "administration; `hold: …`, `stopped: …`, `ongoing at end of follow-up`)",
     +[](const X& r) { return text(r.item.end_reason); }},
    {"EXROUTE", kText, "", "route (`civ`, `iv_bolus`, `sc`, `lak_cells`)",
     +[](const X& r) { return text(r.item.route); }},
    {"EXROLE", kText, "", "role of the phase (`induction`, `maintenance`, `consolidation`, …)",
     +[](const X& r) { return text(r.item.role); }},
    {"EXAMT", kReal, "",
     "amount of one administration, in EXAMTU (IL-2 before bioavailability, or cells); missing "
     "for an infusion",
     +[](const X& r) { return administration(r.item) ? to_value(r.item.amount) : FieldValue{}; }},
    {"EXAMTU", kText, "", "unit of EXAMT (`IU`: Chiron IU, or `cells`); missing for an infusion",
     +[](const X& r) { return administration(r.item) ? text(r.item.amount_unit) : FieldValue{}; }},
    stage_index_field<clinic::ExposureSegment>(),
    stage_field<clinic::ExposureSegment>(),
}};

}  // namespace

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
  return kAdsl;
}
core::FieldTable<EndpointRow> adtte_fields() {
  return kAdtte;
}
core::FieldTable<LabRow> adlb_fields() {
  return kAdlb;
}
core::FieldTable<AdverseEventRow> adae_fields() {
  return kAdae;
}
core::FieldTable<ExposureRow> ex_fields() {
  return kEx;
}

std::string sql_column(std::string_view field_name) {
  std::string s(field_name);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace il2sim::output
