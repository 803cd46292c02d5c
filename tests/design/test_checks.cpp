#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "design/checks.hpp"

namespace il2sim::design {
namespace {

// Messages follow core/error.hpp's format "key: problem (allowed: ...)".
TEST(DesignChecks, NameTheFlagTheValueAndWhatIsAllowed) {
  try {
    check_open_unit("--p0", 1.5);
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_STREQ(e.what(), "--p0: value 1.5 is out of range (allowed: strictly between 0 and 1)");
  }
  const std::vector<double> info{0.5, 0.4, 1.0};
  EXPECT_THROW(check_information_fractions("--info", info), UserError);
  const std::vector<double> short_info{0.5, 0.9};
  EXPECT_THROW(check_information_fractions("--info", short_info), UserError);
  const std::vector<double> good{0.3, 0.7, 1.0};
  EXPECT_NO_THROW(check_information_fractions("--info", good));
  EXPECT_THROW(check_int_range("--looks", 0, 1, 20), UserError);
  const std::vector<double> skeleton{0.1, 0.1};
  EXPECT_THROW(check_skeleton("--skeleton", skeleton), UserError);
}

}  // namespace
}  // namespace il2sim::design
