// Sobol' indices: the Saltelli 2010 design and the Saltelli 2010 (f(B) centred, Sobol' 2001) /
// Jansen 1999 estimators.
#include <boost/random/sobol.hpp>

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "core/random.hpp"
#include "core/statistics.hpp"
#include "sensitivity/sensitivity.hpp"

namespace il2sim::sensitivity {
namespace {

/// The values of one row of the design: f_A, f_B and f_ABi (i = 0..k-1).
struct Row {
  double a = 0.0, b = 0.0;
  std::vector<double> ab;
};

/// Point estimates from the rows `pick` of `rows` (each index may repeat: a bootstrap resample).
struct Estimates {
  double mean = 0.0, variance = 0.0;
  std::vector<double> s1, st;
};

Estimates estimate(const std::vector<Row>& rows, const std::vector<std::size_t>& pick,
                   std::size_t k) {
  Estimates e;
  const auto n = static_cast<double>(pick.size());
  double sum = 0.0;
  for (const std::size_t j : pick) sum += rows[j].a + rows[j].b;
  e.mean = sum / (2.0 * n);
  double ss = 0.0;
  for (const std::size_t j : pick) {
    ss += (rows[j].a - e.mean) * (rows[j].a - e.mean) + (rows[j].b - e.mean) * (rows[j].b - e.mean);
  }
  e.variance = ss / (2.0 * n);
  e.s1.assign(k, 0.0);
  e.st.assign(k, 0.0);
  for (const std::size_t j : pick) {
    const Row& r = rows[j];
    for (std::size_t i = 0; i < k; ++i) {
      // f(B) centred by the mean (Sobol' 2001): the same expectation as Saltelli 2010's f(B), whose
      // noise grows with mean^2 / V (a hazard ratio near 1 with V ~ 0.004 left S1 unusable).
      e.s1[i] += (r.b - e.mean) * (r.ab[i] - r.a);
      e.st[i] += (r.a - r.ab[i]) * (r.a - r.ab[i]);
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    e.s1[i] = e.variance > 0.0 ? e.s1[i] / n / e.variance : kNaN;
    e.st[i] = e.variance > 0.0 ? e.st[i] / n / (2.0 * e.variance) : kNaN;
  }
  return e;
}

}  // namespace

std::vector<Point> sobol_design(std::size_t k, std::size_t n) {
  IL2SIM_ASSERT(k >= 1 && k <= 1000, "a Sobol' design has 1 to 1000 factors");
  // Boost's sequence starts at (1/2, ..., 1/2): the origin of the textbook sequence is not drawn.
  boost::random::sobol gen(static_cast<unsigned>(2 * k));
  std::vector<Point> points;
  points.reserve(n * (k + 2));
  Point coords(2 * k);
  for (std::size_t j = 0; j < n; ++j) {
    // A 64-bit Sobol' word is a binary fraction; its top 53 bits are exact in a double.
    for (auto& c : coords) c = static_cast<double>(gen() >> 11U) * 0x1.0p-53;
    const Point a(coords.begin(), coords.begin() + static_cast<std::ptrdiff_t>(k));
    const Point b(coords.begin() + static_cast<std::ptrdiff_t>(k), coords.end());
    points.push_back(a);
    points.push_back(b);
    for (std::size_t i = 0; i < k; ++i) {
      points.push_back(a);
      points.back()[i] = b[i];
    }
  }
  return points;
}

SobolResult sobol_indices(std::span<const double> f, std::size_t k, std::size_t n,
                          std::uint64_t seed, std::size_t resamples) {
  IL2SIM_ASSERT(f.size() == n * (k + 2), "one value per point of sobol_design(k, n)");
  SobolResult out;
  std::vector<Row> rows;
  for (std::size_t j = 0; j < n; ++j) {
    const auto v = f.subspan(j * (k + 2), k + 2);
    bool finite = true;
    for (const double x : v) finite = finite && std::isfinite(x);
    if (!finite) {
      ++out.rows_dropped;
      continue;
    }
    rows.push_back({v[0], v[1], std::vector<double>(v.begin() + 2, v.end())});
  }
  out.rows_used = rows.size();
  out.s1.assign(k, {kNaN, kNaN, kNaN});
  out.st.assign(k, {kNaN, kNaN, kNaN});
  if (rows.empty()) {
    out.mean = out.variance = kNaN;
    return out;
  }
  std::vector<std::size_t> all(rows.size());
  for (std::size_t j = 0; j < all.size(); ++j) all[j] = j;
  const Estimates e = estimate(rows, all, k);
  out.mean = e.mean;
  out.variance = e.variance;
  std::vector<std::vector<double>> boot_s1(k), boot_st(k);
  RandomStream rng(seed, 0, 0, Purpose::kSensitivityBootstrap);
  for (std::size_t b = 0; rows.size() > 1 && b < resamples; ++b) {
    std::vector<std::size_t> pick(rows.size());
    for (auto& j : pick) j = static_cast<std::size_t>(rng.below(rows.size()));
    const Estimates eb = estimate(rows, pick, k);
    for (std::size_t i = 0; i < k; ++i) {
      boot_s1[i].push_back(eb.s1[i]);
      boot_st[i].push_back(eb.st[i]);
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    out.s1[i].estimate = e.s1[i];
    out.st[i].estimate = e.st[i];
    percentile_interval(boot_s1[i], out.s1[i]);
    percentile_interval(boot_st[i], out.st[i]);
  }
  return out;
}

std::vector<double> evaluate(const std::vector<Point>& points,
                             const std::function<std::vector<double>(const Point&)>& f,
                             std::size_t output) {
  std::vector<double> out;
  out.reserve(points.size());
  for (const auto& p : points) out.push_back(f(p).at(output));
  return out;
}

void percentile_interval(std::vector<double> values, Interval& into) {
  if (values.size() < 2) {
    into.lower = into.upper = kNaN;
    return;
  }
  into.lower = core::quantile(values, 0.025);
  into.upper = core::quantile(std::move(values), 0.975);
}

}  // namespace il2sim::sensitivity
