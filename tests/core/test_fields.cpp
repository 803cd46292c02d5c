#include "core/fields.hpp"

#include <array>
#include <cmath>

#include <gtest/gtest.h>

namespace il2sim::core {
namespace {

struct Sample {
  int count = 0;
  double value = 0.0;
  bool flag = false;
  std::string label;
  std::optional<double> day;
  std::vector<double> per_arm;
};

FieldValue twice_count(const Sample& s) {
  return static_cast<std::int64_t>(2 * s.count);
}

constexpr std::array<Field<Sample>, 7> kSampleFields{{
    member<&Sample::count>("count", FieldType::kInteger, "", "a count"),
    member<&Sample::value>("value", FieldType::kReal, "day", "a value"),
    member<&Sample::flag>("flag", FieldType::kInteger, "", "a flag"),
    member<&Sample::label>("label", FieldType::kText, "", "a label"),
    member<&Sample::day>("day", FieldType::kReal, "day", "an optional day"),
    member<&Sample::per_arm>("per_arm", FieldType::kRealList, "", "one value per arm"),
    {"twice", FieldType::kInteger, "", "derived: 2 x count", &twice_count, nullptr},
}};

TEST(Fields, EveryMemberRoundTripsThroughItsValue) {
  const Sample in{3, 2.5, true, "x,y", 17.25, {0.5, 0.25}};
  Sample out;
  for (const auto& f : kSampleFields) {
    if (f.set != nullptr) f.set(out, f.get(in));
  }
  EXPECT_EQ(out.count, in.count);
  EXPECT_EQ(out.value, in.value);
  EXPECT_EQ(out.flag, in.flag);
  EXPECT_EQ(out.label, in.label);
  EXPECT_EQ(out.day, in.day);
  EXPECT_EQ(out.per_arm, in.per_arm);
  // A missing optional stays missing.
  Sample none;
  none.day.reset();
  const auto v = kSampleFields[4].get(none);
  EXPECT_TRUE(is_null(v));
  kSampleFields[4].set(out, v);
  EXPECT_FALSE(out.day.has_value());
}

TEST(Fields, DerivedFieldsAreReadOnly) {
  Sample in;
  in.count = 21;
  EXPECT_EQ(std::get<std::int64_t>(kSampleFields[6].get(in)), 42);  // 2 x 21
  EXPECT_EQ(kSampleFields[6].set, nullptr);
}

TEST(Fields, GeneratedTextListsEveryFieldOnce) {
  const FieldTable<Sample> t(kSampleFields);
  EXPECT_EQ(csv_header(t), "count,value,flag,label,day,per_arm,twice");
  EXPECT_EQ(sql_columns(t),
            "count INTEGER, value REAL, flag INTEGER, label TEXT, day REAL, per_arm TEXT, "
            "twice INTEGER");
  const auto md = markdown_columns(t);
  EXPECT_NE(md.find("| `day` | real | day | an optional day |"), std::string::npos);
  EXPECT_NE(md.find("| `per_arm` | list of real |  | one value per arm |"), std::string::npos);
}

TEST(Fields, NumbersOfNullAndTextAreNaN) {
  EXPECT_TRUE(std::isnan(number_of(FieldValue{})));
  EXPECT_TRUE(std::isnan(number_of(FieldValue{std::string_view("a")})));
  EXPECT_EQ(number_of(FieldValue{std::int64_t{4}}), 4.0);
  EXPECT_EQ(text_of(FieldValue{std::string("abc")}), "abc");
}

}  // namespace
}  // namespace il2sim::core
