#include <vector>

#include <gtest/gtest.h>

#include "design/crm.hpp"

namespace il2sim::design {
namespace {

// tools/reference/design/crm.R (R's integrate, rel.tol 1e-12): skeleton (0.05, 0.12, 0.25, 0.40,
// 0.55), prior a ~ N(0, 1.34), data 0/3 at dose 1, 1/3 at dose 2, 2/3 at dose 3:
//   E[a | data] = -0.5349409631
//   E[p_i | data] = 0.1900334832 0.2955812048 0.4389146636 0.5731971512 0.6915204125
//   skeleton^exp(E[a]) = 0.1729743472 0.2888503478 0.4439879003 0.5846891005 0.7045785592
TEST(Crm, PosteriorMatchesRIntegrate) {
  CrmSettings s;
  s.skeleton = {0.05, 0.12, 0.25, 0.40, 0.55};
  s.target = 0.25;
  const std::vector<int> n{3, 3, 3, 0, 0}, y{0, 1, 2, 0, 0};
  const CrmPosterior post = crm_posterior(s, n, y);
  EXPECT_NEAR(post.a_mean, -0.5349409631, 1e-8);
  const std::vector<double> p_mean{0.1900334832, 0.2955812048, 0.4389146636, 0.5731971512,
                                   0.6915204125};
  const std::vector<double> plug_in{0.1729743472, 0.2888503478, 0.4439879003, 0.5846891005,
                                    0.7045785592};
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_NEAR(post.p_mean[i], p_mean[i], 1e-8);
    EXPECT_NEAR(post.p_plug_in[i], plug_in[i], 1e-8);
  }
  // Closest to 0.25 among the R values: 0.2956 (0.046 away; 0.1900 is 0.060 away) -> dose index 1.
  EXPECT_EQ(post.recommended, 1);
}

// Without data the posterior is the prior: E[a] = 0 (symmetric prior) and, with no dose tried, the
// no-skipping rule allows only the lowest dose.
TEST(Crm, PriorOnlyStartsAtTheLowestDose) {
  CrmSettings s;
  s.skeleton = {0.05, 0.12, 0.25, 0.40, 0.55};
  const std::vector<int> zero(5, 0);
  const CrmPosterior post = crm_posterior(s, zero, zero);
  EXPECT_NEAR(post.a_mean, 0.0, 1e-10);
  EXPECT_EQ(post.recommended, 0);
}

// No skipping (crm.hpp): after 0/3 at the lowest dose the estimates fall below the skeleton, so
// the unrestricted recommendation is above dose index 1; with no skipping it is index 1.
TEST(Crm, NoSkippingCapsEscalation) {
  CrmSettings s;
  s.skeleton = {0.05, 0.12, 0.25, 0.40, 0.55};
  s.target = 0.25;
  const std::vector<int> n{3, 0, 0, 0, 0}, y(5, 0);
  EXPECT_EQ(crm_posterior(s, n, y).recommended, 1);
  s.no_skipping = false;
  EXPECT_GT(crm_posterior(s, n, y).recommended, 1);
}

// The engine treats at the recommended dose and stops at max_n.
TEST(Crm, EngineStopsAtMaxN) {
  CrmSettings s;
  s.skeleton = {0.05, 0.12, 0.25, 0.40, 0.55};
  Crm crm(s, 3, 6);
  crm.record(3, 0);
  EXPECT_EQ(crm.dose(), 1);
  EXPECT_FALSE(crm.stopped());
  crm.record(3, 0);
  EXPECT_TRUE(crm.stopped());
}

}  // namespace
}  // namespace il2sim::design
