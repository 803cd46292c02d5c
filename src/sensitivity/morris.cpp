// Elementary effects: Morris 1991 trajectories, mu, mu* (Campolongo et al. 2007) and sigma.
#include <cmath>
#include <limits>
#include <numeric>

#include "core/error.hpp"
#include "core/random.hpp"
#include "sensitivity/sensitivity.hpp"

namespace il2sim::sensitivity {
namespace {

/// One trajectory of the design: its start and its k one-at-a-time steps.
void add_trajectory(MorrisDesign& d, RandomStream& rng) {
  const std::size_t k = d.k;
  const auto p = static_cast<std::uint64_t>(d.levels);
  // Starting levels from which +delta stays in [0, 1]: 0 .. P/2 - 1 of the P levels.
  Point x(k);
  std::vector<double> dir(k);
  for (std::size_t i = 0; i < k; ++i) {
    x[i] = static_cast<double>(rng.below(p / 2)) / static_cast<double>(p - 1);
    dir[i] = rng.bernoulli(0.5) ? 1.0 : -1.0;
    if (dir[i] < 0.0) x[i] += d.delta;  // start at the upper end and step down
  }
  std::vector<std::size_t> order(k);
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (std::size_t i = k; i > 1; --i) {  // Fisher-Yates
    const auto j = static_cast<std::size_t>(rng.below(i));
    std::swap(order[i - 1], order[j]);
  }
  d.points.push_back(x);
  for (const std::size_t i : order) {
    x[i] += dir[i] * d.delta;
    d.points.push_back(x);
    d.factor.push_back(i);
    d.step.push_back(dir[i] * d.delta);
  }
}

struct Moments {
  std::vector<double> mu, mu_star, sigma;
};

/// mu, mu*, sigma over the trajectories `pick` (indices into ee, which holds k effects each).
Moments moments(const std::vector<std::vector<double>>& ee, const std::vector<std::size_t>& pick,
                std::size_t k) {
  Moments m{std::vector<double>(k, 0.0), std::vector<double>(k, 0.0), std::vector<double>(k, 0.0)};
  const auto r = static_cast<double>(pick.size());
  for (const std::size_t t : pick) {
    for (std::size_t i = 0; i < k; ++i) {
      m.mu[i] += ee[t][i] / r;
      m.mu_star[i] += std::abs(ee[t][i]) / r;
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    double ss = 0.0;
    for (const std::size_t t : pick) ss += (ee[t][i] - m.mu[i]) * (ee[t][i] - m.mu[i]);
    m.sigma[i] = pick.size() > 1 ? std::sqrt(ss / (r - 1.0)) : kNaN;
  }
  return m;
}

}  // namespace

MorrisDesign morris_design(std::size_t k, std::size_t r, int levels, std::uint64_t seed) {
  IL2SIM_ASSERT(k >= 1 && r >= 1 && levels >= 2 && levels % 2 == 0,
                "a Morris design has factors, trajectories and an even number of levels");
  MorrisDesign d;
  d.k = k;
  d.trajectories = r;
  d.levels = levels;
  d.delta = static_cast<double>(levels) / (2.0 * static_cast<double>(levels - 1));
  RandomStream rng(seed, 0, 0, Purpose::kSensitivityMorris);
  for (std::size_t t = 0; t < r; ++t) add_trajectory(d, rng);
  return d;
}

MorrisResult morris_indices(const MorrisDesign& d, std::span<const double> f, std::uint64_t seed,
                            std::size_t resamples) {
  const std::size_t k = d.k;
  IL2SIM_ASSERT(f.size() == d.trajectories * (k + 1), "one value per point of the Morris design");
  MorrisResult out;
  std::vector<std::vector<double>> ee;  // per used trajectory, indexed by factor
  for (std::size_t t = 0; t < d.trajectories; ++t) {
    const auto v = f.subspan(t * (k + 1), k + 1);
    bool finite = true;
    for (const double x : v) finite = finite && std::isfinite(x);
    if (!finite) {
      ++out.trajectories_dropped;
      continue;
    }
    std::vector<double> e(k);
    for (std::size_t m = 0; m < k; ++m)
      e[d.factor[t * k + m]] = (v[m + 1] - v[m]) / d.step[t * k + m];
    ee.push_back(std::move(e));
  }
  out.trajectories_used = ee.size();
  out.mu.assign(k, {kNaN, kNaN, kNaN});
  out.mu_star = out.sigma = out.mu;
  if (ee.empty()) return out;
  std::vector<std::size_t> all(ee.size());
  std::iota(all.begin(), all.end(), std::size_t{0});
  const Moments m = moments(ee, all, k);
  std::vector<std::vector<double>> b_mu(k), b_mu_star(k), b_sigma(k);
  RandomStream rng(seed, 0, 0, Purpose::kSensitivityBootstrap);
  for (std::size_t b = 0; ee.size() > 1 && b < resamples; ++b) {
    std::vector<std::size_t> pick(ee.size());
    for (auto& t : pick) t = static_cast<std::size_t>(rng.below(ee.size()));
    const Moments mb = moments(ee, pick, k);
    for (std::size_t i = 0; i < k; ++i) {
      b_mu[i].push_back(mb.mu[i]);
      b_mu_star[i].push_back(mb.mu_star[i]);
      b_sigma[i].push_back(mb.sigma[i]);
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    out.mu[i].estimate = m.mu[i];
    out.mu_star[i].estimate = m.mu_star[i];
    out.sigma[i].estimate = m.sigma[i];
    percentile_interval(b_mu[i], out.mu[i]);
    percentile_interval(b_mu_star[i], out.mu_star[i]);
    percentile_interval(b_sigma[i], out.sigma[i]);
  }
  return out;
}

}  // namespace il2sim::sensitivity
