#pragma once
/// @file result_fields.hpp
/// The field tables of the trial layer's results: one table per result type (escalation and its
/// patients, single arm and its Kaplan–Meier samples, group-sequential look, randomized stage and
/// its attrition, replicate). Every serialisation of a result is generated from its table: the
/// journal entry and its reading back, the MPI message between ranks (the same JSON), and the
/// per-replicate SQLite tables of results.sqlite. A member missing from its table is caught by the
/// round-trip test (tests/trial/test_result_fields.cpp), which counts the members of each struct.
///
/// A table has scalar fields (core::Field: name, type, unit, description, getter, setter) and
/// child lists (members that hold records with their own table, or lists that are not a
/// FieldValue). Members that deliberately do not travel are named in `transient`.

#include <cmath>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/fields.hpp"
#include "trial/programme.hpp"

namespace il2sim::trial {

/// A member serialised as a JSON array (records with their own table, or a list of text).
template <class R>
struct ChildList {
  std::string_view name;
  std::string_view description;
  nlohmann::json (*to_json)(const R&);
  void (*from_json)(R&, const nlohmann::json&);
};

/// The whole table of a result type R.
template <class R>
struct ResultTable {
  std::string_view kind;  ///< the journal's "kind" of a stage result ("" for others)
  core::FieldTable<R> fields;
  std::span<const ChildList<R>> children;
  /// Members that are not serialised, with the reason in the table's definition.
  std::span<const std::string_view> transient;
};

// ---- The tables -------------------------------------------------------------------------------

[[nodiscard]] const ResultTable<EscalationPatient>& escalation_patient_table();
[[nodiscard]] const ResultTable<EscalationResult>& escalation_table();
[[nodiscard]] const ResultTable<SingleArmResult::Sample>& km_sample_table();
[[nodiscard]] const ResultTable<SingleArmResult>& single_arm_table();
[[nodiscard]] const ResultTable<LookResult>& look_table();
/// One cause of attrition before randomization (RandomizedResult::attrition as rows).
struct AttritionRow {
  std::string cause;
  int patients = 0;
};
[[nodiscard]] const ResultTable<AttritionRow>& attrition_table();
[[nodiscard]] const ResultTable<NotStartedRow>& not_started_table();
[[nodiscard]] const ResultTable<RandomizedResult>& randomized_table();
[[nodiscard]] const ResultTable<ReplicateResult>& replicate_table();

// ---- Generated JSON (journal entry and MPI message) ------------------------------------------

/// A double as JSON, exactly: finite numbers in shortest round-trip form, NaN and ±infinity as the
/// strings "nan", "inf", "-inf" (null is a missing value).
[[nodiscard]] nlohmann::json double_json(double v);
/// The inverse of double_json. @throws std::exception on a value of another type.
[[nodiscard]] double double_from_json(const nlohmann::json& j);

[[nodiscard]] nlohmann::json value_json(const core::FieldValue& v);
[[nodiscard]] core::FieldValue value_from_json(const nlohmann::json& j, core::FieldType type);

/// Every field and child list of `r` as one JSON object (plus "kind" when the table has one).
template <class R>
[[nodiscard]] nlohmann::json record_json(const R& r, const ResultTable<R>& t) {
  nlohmann::json j = nlohmann::json::object();
  if (!t.kind.empty()) j["kind"] = t.kind;
  for (const auto& f : t.fields) j[std::string(f.name)] = value_json(f.get(r));
  for (const auto& c : t.children) j[std::string(c.name)] = c.to_json(r);
  return j;
}

/// Reads back what record_json wrote. @throws nlohmann::json::exception on a missing key.
template <class R>
[[nodiscard]] R record_from_json(const nlohmann::json& j, const ResultTable<R>& t) {
  R r{};
  for (const auto& f : t.fields) {
    if (f.set != nullptr) f.set(r, value_from_json(j.at(std::string(f.name)), f.type));
  }
  for (const auto& c : t.children) c.from_json(r, j.at(std::string(c.name)));
  return r;
}

/// A child list of records of type C held in `std::vector<C> R::*M`, serialised with table T().
template <auto M, auto T>
struct RecordList {
  using R = typename core::detail::member_traits<decltype(M)>::record;
  static nlohmann::json to_json(const R& r) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& e : r.*M) a.push_back(record_json(e, T()));
    return a;
  }
  static void from_json(R& r, const nlohmann::json& a) {
    (r.*M).clear();
    for (const auto& e : a) (r.*M).push_back(record_from_json(e, T()));
  }
  static constexpr ChildList<R> child(std::string_view name, std::string_view description) {
    return {name, description, &to_json, &from_json};
  }
};

/// The journal entry / MPI message of one stage result.
[[nodiscard]] nlohmann::json stage_json(const StageResult& s);
/// @throws std::exception on an entry this build did not write.
[[nodiscard]] StageResult stage_from_json(const nlohmann::json& j);

}  // namespace il2sim::trial
