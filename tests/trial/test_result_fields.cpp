// Round trip of every field of every trial result type through the journal / MPI serialisation
// generated from the field tables of trial/result_fields.hpp.
#include "trial/result_fields.hpp"

#include <cmath>
#include <limits>
#include <utility>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "trial/journal.hpp"

namespace il2sim::trial {

// ---- Members of an aggregate, counted without naming them --------------------------------------
// A struct member missing from its table (and from its `transient` list) makes the counts differ.

// Outside the anonymous namespace: clang's -Wundefined-internal takes the conversion, declared
// only, for a use of an internal function that is never defined, though it is only named in a
// requires-expression (unevaluated).
namespace member_counting {
struct AnyMember {
  template <class T>
  operator T() const;  // NOLINT: only used in unevaluated contexts
};
}  // namespace member_counting

namespace {

using member_counting::AnyMember;
template <class T, std::size_t... I>
constexpr bool initializable_with(std::index_sequence<I...> /*unused*/) {
  return requires {
    T{((void)I, AnyMember{})...};
  };
}
template <class T, std::size_t N = 0>
constexpr std::size_t member_count() {
  if constexpr (initializable_with<T>(std::make_index_sequence<N + 1>{})) {
    return member_count<T, N + 1>();
  } else {
    return N;
  }
}

template <class R>
std::size_t serialised_members(const ResultTable<R>& t) {
  std::size_t n = t.children.size() + t.transient.size();
  for (const auto& f : t.fields) n += f.set != nullptr ? 1 : 0;
  return n;
}

TEST(ResultFields, EveryMemberOfEveryResultIsInItsTable) {
  EXPECT_EQ(member_count<EscalationPatient>(), serialised_members(escalation_patient_table()));
  EXPECT_EQ(member_count<EscalationResult>(), serialised_members(escalation_table()));
  EXPECT_EQ(member_count<SingleArmResult::Sample>(), serialised_members(km_sample_table()));
  EXPECT_EQ(member_count<SingleArmResult>(), serialised_members(single_arm_table()));
  EXPECT_EQ(member_count<LookResult>(), serialised_members(look_table()));
  EXPECT_EQ(member_count<AttritionRow>(), serialised_members(attrition_table()));
  EXPECT_EQ(member_count<NotStartedRow>(), serialised_members(not_started_table()));
  EXPECT_EQ(member_count<RandomizedResult>(), serialised_members(randomized_table()));
  EXPECT_EQ(member_count<ReplicateResult>(), serialised_members(replicate_table()));
}

// ---- Records filled only through their tables, with a distinct value in every field -----------

/// A value of `type` unique to (salt, k) and different from any member's default.
core::FieldValue distinct(core::FieldType type, int salt, std::size_t k) {
  const double x = 1000.0 * salt + static_cast<double>(k) + 1.0;
  switch (type) {
    case core::FieldType::kInteger:
      return static_cast<std::int64_t>(x);
    case core::FieldType::kReal:
      return x + 0.125;  // exact in binary: the round trip must give the same bits
    case core::FieldType::kText:
      return std::string("text-") + std::to_string(static_cast<long>(x));
    case core::FieldType::kRealList:
      return std::vector<double>{x, x + 1.0, x + 2.0};
  }
  return {};
}

template <class R>
R filled(const ResultTable<R>& t, int salt) {
  R r{};
  for (std::size_t k = 0; k < t.fields.size(); ++k) {
    const auto& f = t.fields[k];
    if (f.set != nullptr) f.set(r, distinct(f.type, salt, k));
  }
  return r;
}

/// Every field of `a` and `b` has the same value (the table's getters), and so have their
/// children (compared as generated JSON, whose records are compared field by field in turn).
template <class R>
void expect_same(const R& a, const R& b, const ResultTable<R>& t) {
  for (const auto& f : t.fields) {
    EXPECT_EQ(value_json(f.get(a)), value_json(f.get(b))) << f.name;
    // Every settable field was filled with a value that differs from the default.
    if (f.set != nullptr) {
      EXPECT_NE(value_json(f.get(a)), value_json(f.get(R{}))) << f.name << " was not filled";
    }
  }
  for (const auto& c : t.children) EXPECT_EQ(c.to_json(a), c.to_json(b)) << c.name;
}

EscalationResult full_escalation() {
  auto e = filled(escalation_table(), 1);
  e.patients = {filled(escalation_patient_table(), 2), filled(escalation_patient_table(), 3)};
  return e;
}
SingleArmResult full_single_arm() {
  auto a = filled(single_arm_table(), 4);
  a.samples = {filled(km_sample_table(), 5), filled(km_sample_table(), 6)};
  return a;
}
RandomizedResult full_randomized() {
  auto r = filled(randomized_table(), 7);
  r.looks = {filled(look_table(), 8), filled(look_table(), 9)};
  r.looks[1].efficacy_bound = std::numeric_limits<double>::infinity();  // unbounded look
  r.looks[1].futility_bound.reset();
  r.hr_upper = std::numeric_limits<double>::quiet_NaN();  // not estimable
  for (int k = 0; k < 2; ++k) {
    const auto row = filled(attrition_table(), 10 + k);
    r.attrition[row.cause] = row.patients;
  }
  r.not_started_causes = {filled(not_started_table(), 12), filled(not_started_table(), 13)};
  return r;
}

/// Through text, as the journal file and the MPI message carry it.
ReplicateResult through_text(const ReplicateResult& r) {
  return replicate_from_json(nlohmann::json::parse(to_json(r).dump()), "test");
}

TEST(ResultFields, EveryFieldOfEveryResultRoundTripsThroughTheJournal) {
  auto rep = filled(replicate_table(), 11);
  rep.stages = {full_escalation(), full_single_arm(), full_randomized()};
  rep.skipped = {"a stage", "another"};
  const auto back = through_text(rep);
  expect_same(rep, back, replicate_table());
  ASSERT_EQ(back.stages.size(), 3U);
  const auto& e = std::get<EscalationResult>(back.stages[0]);
  expect_same(std::get<EscalationResult>(rep.stages[0]), e, escalation_table());
  for (std::size_t k = 0; k < 2; ++k)
    expect_same(std::get<EscalationResult>(rep.stages[0]).patients[k], e.patients[k],
                escalation_patient_table());
  const auto& a = std::get<SingleArmResult>(back.stages[1]);
  expect_same(std::get<SingleArmResult>(rep.stages[1]), a, single_arm_table());
  for (std::size_t k = 0; k < 2; ++k)
    expect_same(std::get<SingleArmResult>(rep.stages[1]).samples[k], a.samples[k],
                km_sample_table());
  const auto& r = std::get<RandomizedResult>(back.stages[2]);
  const auto& in = std::get<RandomizedResult>(rep.stages[2]);
  expect_same(in, r, randomized_table());
  expect_same(in.looks[0], r.looks[0], look_table());
  EXPECT_TRUE(std::isinf(r.looks[1].efficacy_bound));
  EXPECT_FALSE(r.looks[1].futility_bound.has_value());
  EXPECT_TRUE(std::isnan(r.hr_upper));
  EXPECT_EQ(r.attrition, in.attrition);
  ASSERT_EQ(r.not_started_causes.size(), 2U);
  for (std::size_t k = 0; k < 2; ++k)
    expect_same(in.not_started_causes[k], r.not_started_causes[k], not_started_table());
  EXPECT_EQ(back.skipped, rep.skipped);
}

TEST(ResultFields, SelectionBiasFieldsAreJournalled) {
  // The bug of issue 12: the "without effect" results were lost by --resume and mpirun.
  SingleArmResult a;
  a.selection_bias = true;
  a.responses_without_effect = 7;
  a.rfs_from_transplant_without_effect = 0.375;
  a.rfs_from_landmark_without_effect = 0.625;
  a.logrank_p_transplant_without_effect = 0.03125;
  a.logrank_p_landmark_without_effect = 0.5;
  ReplicateResult rep;
  rep.stages = {a};
  const ReplicateResult back = through_text(rep);  // kept: b refers into it
  const auto& b = std::get<SingleArmResult>(back.stages[0]);
  EXPECT_TRUE(b.selection_bias);
  EXPECT_EQ(b.responses_without_effect, 7);
  EXPECT_EQ(b.rfs_from_transplant_without_effect, 0.375);
  EXPECT_EQ(b.rfs_from_landmark_without_effect, 0.625);
  EXPECT_EQ(b.logrank_p_transplant_without_effect, 0.03125);
  EXPECT_EQ(b.logrank_p_landmark_without_effect, 0.5);
}

TEST(ResultFields, AForeignEntryIsAUserError) {
  nlohmann::json j = to_json(ReplicateResult{});
  j["stages"] = nlohmann::json::array({{{"kind", "unknown"}}});
  EXPECT_THROW((void)replicate_from_json(j, "entry.json"), il2sim::UserError);
  j = to_json(ReplicateResult{});
  j.erase("skipped");
  EXPECT_THROW((void)replicate_from_json(j, "entry.json"), il2sim::UserError);
}

}  // namespace
}  // namespace il2sim::trial
