#include "trial/result_fields.hpp"

#include <array>
#include <cstdint>
#include <limits>
#include <stdexcept>

namespace il2sim::trial {
namespace {

using core::FieldType;
using core::FieldValue;
using core::member;
constexpr auto kInt = FieldType::kInteger;
constexpr auto kReal = FieldType::kReal;
constexpr auto kText = FieldType::kText;
constexpr auto kList = FieldType::kRealList;

/// A list of whole numbers as a list field (exact: counts are far below 2^53).
template <auto M>
FieldValue int_list(const typename core::detail::member_traits<decltype(M)>::record& r) {
  const auto& v = r.*M;
  return std::vector<double>(v.begin(), v.end());
}
template <auto M>
void set_int_list(typename core::detail::member_traits<decltype(M)>::record& r,
                  const FieldValue& value) {
  std::vector<double> d;
  core::from_value(value, d);
  (r.*M).assign(d.begin(), d.end());
}
template <auto M>
constexpr auto int_list_member(std::string_view name, std::string_view unit,
                               std::string_view description) {
  return core::Field<typename core::detail::member_traits<decltype(M)>::record>{
      name, kList, unit, description, &int_list<M>, &set_int_list<M>};
}

// ---- Escalation -------------------------------------------------------------------------------

constexpr std::array<core::Field<EscalationPatient>, 3> kEscalationPatientFields{{
    member<&EscalationPatient::id>("patient_id", kInt, "", "virtual patient id"),
    member<&EscalationPatient::level>("level_index", kInt, "", "0-based dose level given"),
    member<&EscalationPatient::dlt>("dlt", kInt, "", "1 if a dose-limiting toxicity occurred"),
}};
const ResultTable<EscalationPatient> kEscalationPatient{"", kEscalationPatientFields, {}, {}};

constexpr std::array<core::Field<EscalationResult>, 2> kEscalationFields{{
    member<&EscalationResult::mtd>("mtd_index", kInt, "", "0-based selected level (null: no MTD)"),
    member<&EscalationResult::not_evaluable>("not_evaluable", kInt, "patients",
                                             "registered but never treated (replaced)"),
}};
const std::array<ChildList<EscalationResult>, 1> kEscalationChildren{{
    RecordList<&EscalationResult::patients, &escalation_patient_table>::child(
        "patients", "evaluable patients in order of treatment"),
}};
const ResultTable<EscalationResult> kEscalation{
    "escalation", kEscalationFields, kEscalationChildren, {}};

// ---- Single arm -------------------------------------------------------------------------------

using Sample = SingleArmResult::Sample;
constexpr std::array<core::Field<Sample>, 4> kSampleFields{{
    member<&Sample::group>("group", kText, "", "IL-2, IL-2 without kill effect, or control"),
    member<&Sample::origin>("origin", kText, "", "time origin: transplant or landmark"),
    member<&Sample::time>("time", kList, "day", "relapse-free survival times"),
    int_list_member<&Sample::event>("event", "", "1 relapse or death, 0 censored"),
}};
const ResultTable<Sample> kSample{"", kSampleFields, {}, {}};

using A = SingleArmResult;
constexpr std::array<core::Field<A>, 25> kSingleArmFields{{
    member<&A::planned_n>("planned_n", kInt, "patients", "planned sample size (-1: not run)"),
    member<&A::n1>("n1", kInt, "patients", "Simon stage-1 size"),
    member<&A::r1>("r1", kInt, "responses", "Simon stage-1 threshold (-1: fixed n)"),
    member<&A::r>("r", kInt, "responses", "final threshold"),
    member<&A::treated>("treated", kInt, "patients", "patients treated"),
    member<&A::responses>(
        "responses", kInt, "patients",
        "alive and relapse-free `response_days` after IL-2 start, among the treated"),
    member<&A::stage1_responses>("stage1_responses", kInt, "patients",
                                 "responders in Simon stage 1"),
    member<&A::stopped_early>("stopped_early", kInt, "", "1 if stopped for futility at stage 1"),
    member<&A::reject_h0>("reject_h0", kInt, "", "1 if H0 rejected (promising)"),
    member<&A::dose>("dose", kReal, "", "dose of the escalated phase given (product units/m²/day)"),
    member<&A::rfs_from_transplant>(
        "rfs_from_transplant", kReal, "",
        "Kaplan–Meier relapse-free survival of the treated at `comparison_days`, from transplant"),
    member<&A::rfs_from_landmark>("rfs_from_landmark", kReal, "", "the same from IL-2 start"),
    member<&A::control_from_transplant>(
        "control_from_transplant", kReal, "",
        "the same for the historical control (no IL-2), from transplant"),
    member<&A::control_from_landmark>("control_from_landmark", kReal, "",
                                      "the same for the historical control, from the landmark"),
    member<&A::logrank_p_transplant>("logrank_p_transplant", kReal, "",
                                     "log-rank p, treated vs control, from transplant"),
    member<&A::logrank_p_landmark>("logrank_p_landmark", kReal, "", "the same from the landmark"),
    member<&A::registered>("registered", kInt, "patients",
                           "patients registered to reach the treated sample"),
    member<&A::selection_bias>("selection_bias", kInt, "", "1 if the no-effect rerun was done"),
    member<&A::responses_without_effect>("responses_without_effect", kInt, "patients",
                                         "responders without IL-2's kill effect"),
    member<&A::rfs_from_transplant_without_effect>("rfs_from_transplant_without_effect", kReal, "",
                                                   "RFS without the effect, from transplant"),
    member<&A::rfs_from_landmark_without_effect>("rfs_from_landmark_without_effect", kReal, "",
                                                 "RFS without the effect, from the landmark"),
    member<&A::logrank_p_transplant_without_effect>(
        "logrank_p_transplant_without_effect", kReal, "",
        "log-rank p without the effect vs control, from transplant"),
    member<&A::logrank_p_landmark_without_effect>(
        "logrank_p_landmark_without_effect", kReal, "",
        "log-rank p without the effect vs control, from the landmark"),
    // Derived (write-only): the response rate of the treated.
    {"response_rate", kReal, "", "responses / treated (derived)",
     [](const A& a) -> FieldValue {
       return a.treated > 0 ? FieldValue(static_cast<double>(a.responses) / a.treated)
                            : FieldValue(std::monostate{});
     },
     nullptr},
    {"response_rate_without_effect", kReal, "", "responses without effect / treated (derived)",
     [](const A& a) -> FieldValue {
       return a.treated > 0
                  ? FieldValue(static_cast<double>(a.responses_without_effect) / a.treated)
                  : FieldValue(std::monostate{});
     },
     nullptr},
}};
const std::array<ChildList<A>, 1> kSingleArmChildren{{
    RecordList<&A::samples, &km_sample_table>::child(
        "samples", "relapse-free survival data of the example replicate (report figures)"),
}};
const ResultTable<A> kSingleArm{"single_arm", kSingleArmFields, kSingleArmChildren, {}};

// ---- Randomized -------------------------------------------------------------------------------

constexpr std::array<core::Field<LookResult>, 6> kLookFields{{
    member<&LookResult::info>("info", kReal, "", "information fraction of the analysis"),
    member<&LookResult::calendar_months>("calendar_months", kReal, "month",
                                         "months from the first registration"),
    member<&LookResult::events>("events", kInt, "events", "PFS events at the analysis"),
    member<&LookResult::z>("z", kReal, "", "log-rank z (positive: experimental better)"),
    member<&LookResult::efficacy_bound>("efficacy_bound", kReal, "",
                                        "Lan–DeMets efficacy z bound (NULL: none)"),
    member<&LookResult::futility_bound>("futility_bound", kReal, "",
                                        "non-binding futility z bound (NULL: none)"),
}};
const ResultTable<LookResult> kLook{"", kLookFields, {}, {}};

constexpr std::array<core::Field<AttritionRow>, 2> kAttritionFields{{
    member<&AttritionRow::cause>(
        "cause", kText, "",
        "why not randomized (refusal, relapse, death, no platelet recovery, other, …)"),
    member<&AttritionRow::patients>("patients", kInt, "patients", "number of patients"),
}};
const ResultTable<AttritionRow> kAttrition{"", kAttritionFields, {}, {}};

constexpr std::array<core::Field<NotStartedRow>, 3> kNotStartedFields{{
    member<&NotStartedRow::arm>("arm_index", kInt, "", "0-based arm (the stage's arms order)"),
    member<&NotStartedRow::cause>("cause", kText, "",
                                  "why not started after randomization (relapse, death, no "
                                  "platelet recovery, refusal, other, never started after "
                                  "randomization, …)"),
    member<&NotStartedRow::patients>("patients", kInt, "patients", "number of patients"),
}};
const ResultTable<NotStartedRow> kNotStarted{"", kNotStartedFields, {}, {}};

using Rz = RandomizedResult;
nlohmann::json attrition_json(const Rz& r) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& [cause, n] : r.attrition)
    a.push_back(record_json(AttritionRow{cause, n}, kAttrition));
  return a;
}
void attrition_from_json(Rz& r, const nlohmann::json& a) {
  r.attrition.clear();
  for (const auto& e : a) {
    const auto row = record_from_json(e, kAttrition);
    r.attrition[row.cause] = row.patients;
  }
}

constexpr std::array<core::Field<Rz>, 19> kRandomizedFields{{
    member<&Rz::registered>("registered", kInt, "patients", "patients registered (at transplant)"),
    int_list_member<&Rz::randomized>("randomized", "patients", "randomized, per arm"),
    member<&Rz::decision>("decision", kText, "", "efficacy, futility or no difference"),
    member<&Rz::stop_look>("stop_look", kInt, "", "1-based look at which the trial stopped"),
    member<&Rz::reject>("reject", kInt, "", "1 if H0 rejected"),
    member<&Rz::hr>("hr", kReal, "",
                    "Cox hazard ratio of PFS (experimental vs control) at the stopping analysis"),
    member<&Rz::hr_lower>("hr_lower", kReal, "", "its lower 95 % limit"),
    member<&Rz::hr_upper>("hr_upper", kReal, "", "its upper 95 % limit"),
    member<&Rz::logrank_p>("logrank_p", kReal, "", "two-sided log-rank p at the stopping analysis"),
    member<&Rz::events>("events", kInt, "events", "PFS events at the stopping analysis"),
    member<&Rz::duration_months>("duration_months", kReal, "month",
                                 "first registration to the stopping analysis"),
    member<&Rz::pfs_median_months>("pfs_median_months", kList, "month",
                                   "median PFS per arm (null: not reached)"),
    member<&Rz::os_median_months>("os_median_months", kList, "month",
                                  "median OS per arm (null: not reached)"),
    member<&Rz::relapse_2y>("relapse_2y", kList, "", "2-year relapse incidence per arm"),
    member<&Rz::target_events>("target_events", kInt, "events",
                               "PFS events planned for the final analysis"),
    member<&Rz::os_hr>("os_hr", kReal, "",
                       "Cox hazard ratio of OS (experimental vs control) at the stopping analysis "
                       "(null: no death)"),
    int_list_member<&Rz::not_started>(
        "not_started", "patients",
        "randomized but did not start IL-2, per arm (an arm without IL-2: would not have started "
        "it on the experimental arm)"),
    member<&Rz::pfs_landmark>("pfs_landmark", kList, "",
                              "Kaplan–Meier PFS at the stage's landmark_years, arm by arm "
                              "(null beyond the follow-up)"),
    member<&Rz::os_landmark>("os_landmark", kList, "",
                             "Kaplan–Meier OS at the stage's landmark_years, arm by arm"),
}};
const std::array<ChildList<Rz>, 3> kRandomizedChildren{{
    {"attrition", "registered but not randomized, by cause", &attrition_json, &attrition_from_json},
    RecordList<&Rz::looks, &look_table>::child("looks", "the group-sequential analyses"),
    RecordList<&Rz::not_started_causes, &not_started_table>::child(
        "not_started_causes", "randomized but not started, by arm and cause"),
}};
const ResultTable<Rz> kRandomized{"randomized", kRandomizedFields, kRandomizedChildren, {}};

// ---- Replicate --------------------------------------------------------------------------------

nlohmann::json stages_json(const ReplicateResult& r) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& s : r.stages) a.push_back(stage_json(s));
  return a;
}
void stages_from_json(ReplicateResult& r, const nlohmann::json& a) {
  r.stages.clear();
  for (const auto& s : a) r.stages.push_back(stage_from_json(s));
}
nlohmann::json skipped_json(const ReplicateResult& r) {
  return r.skipped;
}
void skipped_from_json(ReplicateResult& r, const nlohmann::json& a) {
  r.skipped = a.get<std::vector<std::string>>();
}

constexpr std::array<core::Field<ReplicateResult>, 1> kReplicateFields{{
    member<&ReplicateResult::replicate>("replicate", kInt, "", "0-based replicate number"),
}};
const std::array<ChildList<ReplicateResult>, 2> kReplicateChildren{{
    {"stages", "one result per stage, in scenario order", &stages_json, &stages_from_json},
    {"skipped", "stage names not run (no MTD to carry forward)", &skipped_json, &skipped_from_json},
}};
// The patient records are re-simulated for the example replicates (every draw is keyed by seed,
// replicate and patient) and stage_replicates exists only in an assembled example.
constexpr std::array<std::string_view, 2> kReplicateTransient{"patients", "stage_replicates"};
const ResultTable<ReplicateResult> kReplicate{"", kReplicateFields, kReplicateChildren,
                                              kReplicateTransient};

}  // namespace

const ResultTable<EscalationPatient>& escalation_patient_table() {
  return kEscalationPatient;
}
const ResultTable<EscalationResult>& escalation_table() {
  return kEscalation;
}
const ResultTable<SingleArmResult::Sample>& km_sample_table() {
  return kSample;
}
const ResultTable<SingleArmResult>& single_arm_table() {
  return kSingleArm;
}
const ResultTable<LookResult>& look_table() {
  return kLook;
}
const ResultTable<AttritionRow>& attrition_table() {
  return kAttrition;
}
const ResultTable<NotStartedRow>& not_started_table() {
  return kNotStarted;
}
const ResultTable<RandomizedResult>& randomized_table() {
  return kRandomized;
}
const ResultTable<ReplicateResult>& replicate_table() {
  return kReplicate;
}

nlohmann::json double_json(double v) {
  if (std::isfinite(v)) return v;
  if (std::isnan(v)) return "nan";
  return v > 0 ? "inf" : "-inf";
}

double double_from_json(const nlohmann::json& j) {
  if (j.is_number()) return j.get<double>();
  const auto text = j.get<std::string>();
  if (text == "inf") return std::numeric_limits<double>::infinity();
  if (text == "-inf") return -std::numeric_limits<double>::infinity();
  if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
  throw std::invalid_argument("not a number: " + text);
}

nlohmann::json value_json(const core::FieldValue& v) {
  if (core::is_null(v)) return nullptr;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return double_json(*d);
  if (const auto* l = std::get_if<std::vector<double>>(&v)) {
    nlohmann::json a = nlohmann::json::array();
    for (const double x : *l) a.push_back(double_json(x));
    return a;
  }
  return std::string(core::text_of(v));
}

core::FieldValue value_from_json(const nlohmann::json& j, core::FieldType type) {
  if (j.is_null()) return std::monostate{};
  switch (type) {
    case FieldType::kInteger: {
      // The members behind integer fields are int, std::uint32_t or bool: a value beyond their
      // range (or a fraction) is not one this build wrote.
      if (!j.is_number_integer()) throw std::invalid_argument("not an integer: " + j.dump());
      constexpr auto kMax = std::numeric_limits<std::uint32_t>::max();
      const bool fits = j.is_number_unsigned()
                            ? j.get<std::uint64_t>() <= kMax
                            : j.get<std::int64_t>() >= std::numeric_limits<std::int32_t>::min() &&
                                  j.get<std::int64_t>() <= std::int64_t{kMax};
      if (!fits) throw std::invalid_argument("integer out of range: " + j.dump());
      return j.get<std::int64_t>();
    }
    case FieldType::kReal:
      return double_from_json(j);
    case FieldType::kText:
      return j.get<std::string>();
    case FieldType::kRealList: {
      std::vector<double> out;
      for (const auto& x : j) out.push_back(double_from_json(x));
      return out;
    }
  }
  return std::monostate{};
}

nlohmann::json stage_json(const StageResult& s) {
  return std::visit(
      [](const auto& r) -> nlohmann::json {
        using R = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<R, EscalationResult>) return record_json(r, kEscalation);
        if constexpr (std::is_same_v<R, SingleArmResult>) return record_json(r, kSingleArm);
        if constexpr (std::is_same_v<R, RandomizedResult>) return record_json(r, kRandomized);
      },
      s);
}

StageResult stage_from_json(const nlohmann::json& j) {
  const std::string kind = j.at("kind");
  if (kind == kEscalation.kind) return record_from_json(j, kEscalation);
  if (kind == kSingleArm.kind) return record_from_json(j, kSingleArm);
  if (kind == kRandomized.kind) return record_from_json(j, kRandomized);
  throw std::invalid_argument("unknown stage kind: " + kind);
}

}  // namespace il2sim::trial
