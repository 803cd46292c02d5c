#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/text.hpp"

namespace il2sim {

// Expected strings: the message format documented in core/error.hpp.
TEST(UserError, NamesFileLineKeyValueAndAllowed) {
  const UserError e({"s.toml", 12, std::nullopt, "parameters.kN"}, "value -1 is below the minimum",
                    "0 to 0.01");
  EXPECT_STREQ(e.what(),
               "s.toml:12: parameters.kN: value -1 is below the minimum (allowed: 0 to 0.01)");
}

TEST(UserError, WithoutLocationIsThePlainProblem) {
  const UserError e({}, "--patients must be positive");
  EXPECT_STREQ(e.what(), "--patients must be positive");
}

TEST(Text, EditDistanceClassicExample) {
  // kitten -> sitting needs 3 edits (the textbook example of Levenshtein distance).
  EXPECT_EQ(core::edit_distance("kitten", "sitting"), 3U);
  EXPECT_EQ(core::edit_distance("", "abc"), 3U);
  EXPECT_EQ(core::edit_distance("EC50W", "ec50w"), 0U);
}

TEST(Text, ClosestNameSuggestsTyposOnly) {
  const std::string_view names[] = {"sN_inf", "sE_inf", "kmarg", "kret"};
  EXPECT_EQ(core::closest_name("kmrag", names), "kmarg");
  EXPECT_EQ(core::closest_name("completely_different", names), "");
}

TEST(Text, FormatDoubleRoundTrips) {
  for (const double v : {0.1, 1e-300, 216000.0, 0.035, 1.0 / 14.0}) {
    EXPECT_EQ(std::stod(core::format_double(v)), v);
  }
}

}  // namespace il2sim
