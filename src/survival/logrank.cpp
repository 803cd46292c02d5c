#include "survival/logrank.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <boost/math/distributions/chi_squared.hpp>

#include "core/error.hpp"

namespace il2sim::survival {

LogrankResult logrank(std::span<const double> time, std::span<const int> event, const Factor& group,
                      const Factor& strata, double rho) {
  const std::size_t n = time.size();
  IL2SIM_ASSERT(event.size() == n && group.codes.size() == n && strata.codes.size() == n,
                "column lengths differ");
  const auto k = static_cast<Eigen::Index>(group.levels.size());
  LogrankResult r;
  r.rho = rho;
  Eigen::VectorXd obs = Eigen::VectorXd::Zero(k);
  Eigen::VectorXd exp = Eigen::VectorXd::Zero(k);
  r.variance = Eigen::MatrixXd::Zero(k, k);

  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (strata.codes[a] != strata.codes[b]) return strata.codes[a] < strata.codes[b];
    return time[a] < time[b];
  });

  std::vector<double> risk(static_cast<std::size_t>(k));
  std::vector<double> deaths_by_group(static_cast<std::size_t>(k));
  for (std::size_t begin = 0; begin < n;) {
    std::size_t end = begin;
    while (end < n && strata.codes[order[end]] == strata.codes[order[begin]]) ++end;
    std::fill(risk.begin(), risk.end(), 0.0);
    for (std::size_t i = begin; i < end; ++i)
      risk[static_cast<std::size_t>(group.codes[order[i]])] += 1;
    double at_risk = static_cast<double>(end - begin);
    double km = 1.0;  // pooled Kaplan-Meier of the stratum just before the current time
    for (std::size_t i = begin; i < end;) {
      const double t = time[order[i]];
      std::fill(deaths_by_group.begin(), deaths_by_group.end(), 0.0);
      double deaths = 0;
      std::size_t j = i;
      for (; j < end && time[order[j]] == t; ++j) {
        if (event[order[j]] != 0) {
          deaths_by_group[static_cast<std::size_t>(group.codes[order[j]])] += 1;
          deaths += 1;
        }
      }
      if (deaths > 0) {
        const double wt = rho == 0 ? 1.0 : std::pow(km, rho);
        for (Eigen::Index g = 0; g < k; ++g) {
          const auto gi = static_cast<std::size_t>(g);
          obs(g) += wt * deaths_by_group[gi];
          exp(g) += wt * deaths * risk[gi] / at_risk;
        }
        if (at_risk > 1) {
          const double base = wt * wt * deaths * (at_risk - deaths) / (at_risk * (at_risk - 1));
          for (Eigen::Index a = 0; a < k; ++a) {
            const double ra = risk[static_cast<std::size_t>(a)];
            r.variance(a, a) += base * ra;
            for (Eigen::Index b = 0; b < k; ++b) {
              r.variance(a, b) -= base * ra * risk[static_cast<std::size_t>(b)] / at_risk;
            }
          }
        }
        km *= (at_risk - deaths) / at_risk;
      }
      for (std::size_t m = i; m < j; ++m)
        risk[static_cast<std::size_t>(group.codes[order[m]])] -= 1;
      at_risk -= static_cast<double>(j - i);
      i = j;
    }
    begin = end;
  }

  std::vector<Eigen::Index> used;  // groups with expected > 0, as survdiff
  for (Eigen::Index g = 0; g < k; ++g) {
    LogrankGroup lg;
    lg.group = group.levels[static_cast<std::size_t>(g)];
    lg.n = std::count(group.codes.begin(), group.codes.end(), static_cast<int>(g));
    lg.observed = obs(g);
    lg.expected = exp(g);
    r.groups.push_back(lg);
    if (exp(g) > 0) used.push_back(g);
  }
  r.df = static_cast<int>(used.size()) - 1;
  if (used.size() >= 2) {
    const auto m = static_cast<Eigen::Index>(used.size()) - 1;
    Eigen::VectorXd diff(m);
    Eigen::MatrixXd v(m, m);
    for (Eigen::Index a = 0; a < m; ++a) {
      diff(a) =
          obs(used[static_cast<std::size_t>(a) + 1]) - exp(used[static_cast<std::size_t>(a) + 1]);
      for (Eigen::Index b = 0; b < m; ++b) {
        v(a, b) = r.variance(used[static_cast<std::size_t>(a) + 1],
                             used[static_cast<std::size_t>(b) + 1]);
      }
    }
    r.chisq = diff.dot(v.fullPivLu().solve(diff));
    r.p = boost::math::cdf(boost::math::complement(boost::math::chi_squared(r.df), r.chisq));
  } else {
    r.chisq = 0;
    r.p = 1;
  }
  return r;
}

}  // namespace il2sim::survival
