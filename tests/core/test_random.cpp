#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/random.hpp"

namespace il2sim {

// Known-answer vectors of Philox4x32-10 from Random123's kat_vectors file (Salmon et al. 2011).
TEST(Philox, KnownAnswerVectors) {
  using A4 = std::array<std::uint32_t, 4>;
  EXPECT_EQ(philox4x32_10({0, 0, 0, 0}, {0, 0}),
            (A4{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
  EXPECT_EQ(
      philox4x32_10({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}),
      (A4{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
  EXPECT_EQ(
      philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}),
      (A4{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

TEST(RandomStream, SameKeySameDrawsDifferentKeyDifferentDraws) {
  RandomStream a(42, 0, 7, Purpose::kParameters);
  RandomStream b(42, 0, 7, Purpose::kParameters);
  RandomStream other_patient(42, 0, 8, Purpose::kParameters);
  RandomStream other_purpose(42, 0, 7, Purpose::kDisease);
  RandomStream other_replicate(42, 1, 7, Purpose::kParameters);
  for (int i = 0; i < 100; ++i) {
    const double u = a.uniform();
    EXPECT_EQ(u, b.uniform());
    EXPECT_NE(u, other_patient.uniform());
    EXPECT_NE(u, other_purpose.uniform());
    EXPECT_NE(u, other_replicate.uniform());
  }
}

// Moments at a fixed seed; tolerances are 5 Monte Carlo standard errors (n = 200000).
TEST(RandomStream, UniformAndNormalMoments) {
  RandomStream s(2026, 0, 1, Purpose::kTest);
  const int n = 200000;
  double su = 0, su2 = 0, sz = 0, sz2 = 0;
  for (int i = 0; i < n; ++i) {
    const double u = s.uniform();
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    su += u;
    su2 += u * u;
    const double z = s.normal();
    sz += z;
    sz2 += z * z;
  }
  EXPECT_NEAR(su / n, 0.5, 5 * std::sqrt(1.0 / 12 / n));
  EXPECT_NEAR(su2 / n - (su / n) * (su / n), 1.0 / 12,
              5 * std::sqrt(1.0 / 180 / n));  // Var(U^2)~1/180
  EXPECT_NEAR(sz / n, 0.0, 5 / std::sqrt(n));
  EXPECT_NEAR(sz2 / n, 1.0, 5 * std::sqrt(2.0 / n));
}

class PoissonMean : public ::testing::TestWithParam<double> {};

// Poisson(m) has mean and variance m; both paths (inversion < 10, PTRS >= 10) are exercised.
TEST_P(PoissonMean, MeanAndVarianceMatch) {
  const double m = GetParam();
  RandomStream s(99, 0, 3, Purpose::kTest);
  const int n = 100000;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const auto k = static_cast<double>(s.poisson(m));
    sum += k;
    sum2 += k * k;
  }
  const double mean = sum / n;
  const double var = sum2 / n - mean * mean;
  EXPECT_NEAR(mean, m, 5 * std::sqrt(m / n));
  // Var of the sample variance of a Poisson ~ (m + 2 m^2) / n.
  EXPECT_NEAR(var, m, 5 * std::sqrt((m + 2 * m * m) / n));
}
INSTANTIATE_TEST_SUITE_P(SmallAndLarge, PoissonMean, ::testing::Values(0.3, 4.0, 12.0, 250.0));

TEST(RandomStream, BelowIsUniform) {
  RandomStream s(5, 0, 0, Purpose::kTest);
  std::vector<int> counts(6, 0);
  const int n = 60000;
  for (int i = 0; i < n; ++i) ++counts[s.below(6)];
  // Chi-square with 5 df; 20.5 is its 0.999 quantile.
  double chisq = 0;
  for (const int c : counts) chisq += (c - n / 6.0) * (c - n / 6.0) / (n / 6.0);
  EXPECT_LT(chisq, 20.5);
}

}  // namespace il2sim
