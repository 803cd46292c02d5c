#include "design/simon.hpp"

#include <cmath>
#include <vector>

#include <boost/math/distributions/binomial.hpp>

#include "core/error.hpp"

namespace il2sim::design {
namespace {

/// pmf[m][x] = P(Bin(m, p) = x) and surv[m][x + 1] = P(Bin(m, p) > x) for x = -1..m, m = 0..n_max.
struct BinomialTables {
  std::vector<std::vector<double>> pmf;
  std::vector<std::vector<double>> surv;

  BinomialTables(int n_max, double p) : pmf(n_max + 1), surv(n_max + 1) {
    for (int m = 0; m <= n_max; ++m) {
      const boost::math::binomial_distribution<double> b(m, p);
      pmf[m].resize(m + 1);
      surv[m].resize(m + 2);
      for (int x = 0; x <= m; ++x) pmf[m][x] = boost::math::pdf(b, x);
      surv[m][0] = 1.0;  // P(X > -1)
      for (int x = 0; x <= m; ++x) surv[m][x + 1] = boost::math::cdf(boost::math::complement(b, x));
    }
  }
  /// P(Bin(m, p) > x) for any integer x.
  [[nodiscard]] double greater(int m, int x) const {
    if (x < 0) return 1.0;
    if (x >= m) return 0.0;
    return surv[m][x + 1];
  }
};

}  // namespace

double simon_reject_probability(int r1, int n1, int r, int n, double p) {
  const boost::math::binomial_distribution<double> first(n1, p);
  const boost::math::binomial_distribution<double> second(n - n1, p);
  double sum = 0.0;
  for (int x1 = r1 + 1; x1 <= n1; ++x1) {
    const int need = r - x1;  // stage 2 must exceed this
    const double tail = need < 0         ? 1.0
                        : need >= n - n1 ? 0.0
                                         : boost::math::cdf(boost::math::complement(second, need));
    sum += boost::math::pdf(first, x1) * tail;
  }
  return sum;
}

std::optional<SimonResult> simon_designs(double p0, double p1, double alpha, double beta,
                                         int n_max) {
  IL2SIM_ASSERT(0.0 < p0 && p0 < p1 && p1 < 1.0, "simon_designs needs 0 < p0 < p1 < 1");
  IL2SIM_ASSERT(alpha > 0.0 && alpha < 1.0 && beta > 0.0 && beta < 1.0, "alpha, beta in (0, 1)");
  IL2SIM_ASSERT(n_max >= 2 && n_max <= 1000, "simon_designs: n_max in [2, 1000]");
  const BinomialTables t0(n_max, p0);
  const BinomialTables t1(n_max, p1);

  std::optional<SimonDesign> optimal;
  std::optional<SimonDesign> minimax;
  // Rejection probabilities for fixed (n, n1, r) as r1 varies are suffix sums over x1 of
  // pmf1(x1) * P(X2 > r - x1); computing them once per (n, n1, r) keeps the search O(n_max^4).
  std::vector<double> suffix0, suffix1;
  for (int n = 2; n <= n_max; ++n) {
    std::optional<SimonDesign> best_n;  // minimum EN(p0) for this n
    for (int n1 = 1; n1 < n; ++n1) {
      const int n2 = n - n1;
      // For each r1 the smallest feasible r (type I error decreases in r) maximises power.
      std::vector<int> smallest_r(n1, -1);
      std::vector<double> alpha_at(n1), power_at(n1);
      suffix0.assign(n1 + 2, 0.0);
      suffix1.assign(n1 + 2, 0.0);
      for (int r = 0; r < n; ++r) {
        for (int x1 = n1; x1 >= 0; --x1) {
          suffix0[x1] = suffix0[x1 + 1] + t0.pmf[n1][x1] * t0.greater(n2, r - x1);
          suffix1[x1] = suffix1[x1 + 1] + t1.pmf[n1][x1] * t1.greater(n2, r - x1);
        }
        for (int r1 = 0; r1 < n1 && r1 <= r; ++r1) {
          if (smallest_r[r1] >= 0) continue;
          const double a = suffix0[r1 + 1];
          if (a <= alpha) {
            smallest_r[r1] = r;
            alpha_at[r1] = a;
            power_at[r1] = suffix1[r1 + 1];
          }
        }
      }
      for (int r1 = 0; r1 < n1; ++r1) {
        if (smallest_r[r1] < 0 || power_at[r1] < 1.0 - beta) continue;
        const double pet = 1.0 - t0.greater(n1, r1);
        const double en = n1 + (1.0 - pet) * n2;
        if (!best_n || en < best_n->en_p0) {
          best_n = SimonDesign{r1, n1, smallest_r[r1], n, en, pet, alpha_at[r1], power_at[r1]};
        }
      }
    }
    if (!best_n) continue;
    if (!minimax) minimax = best_n;
    if (!optimal || best_n->en_p0 < optimal->en_p0) optimal = best_n;
  }
  if (!optimal || !minimax) return std::nullopt;
  return SimonResult{*optimal, *minimax};
}

}  // namespace il2sim::design
