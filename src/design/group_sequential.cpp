#include "design/group_sequential.hpp"

#include <cmath>
#include <limits>
#include <numbers>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/tools/roots.hpp>

#include "core/error.hpp"

namespace il2sim::design {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double norm_cdf(double x) {
  return 0.5 * std::erfc(-x / std::numbers::sqrt2);
}
double norm_sf(double x) {
  return 0.5 * std::erfc(x / std::numbers::sqrt2);
}
double norm_pdf(double x) {
  return std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi);
}
double norm_quantile(double p) {
  return boost::math::quantile(boost::math::normal_distribution<double>(0.0, 1.0), p);
}

/// Simpson-rule nodes and weights over the continuation region of one look.
struct Grid {
  std::vector<double> z;
  std::vector<double> w;
};

/// Jennison & Turnbull (2000) section 19.2: 6r - 1 points centred on the mean of Z_k, dense within
/// +-3 and thinning logarithmically out to about +-(3 + 4 ln r); points outside (lower, upper) are
/// replaced by the bound itself, and midpoints are added for Simpson's rule.
Grid make_grid(double mean, double lower, double upper, int r) {
  std::vector<double> x;
  x.reserve(6 * r - 1);
  const double rd = r;
  for (int i = 1; i <= 6 * r - 1; ++i) {
    double v;
    if (i <= r - 1) {
      v = -3.0 - 4.0 * std::log(rd / i);
    } else if (i <= 5 * r) {
      v = -3.0 + 3.0 * (i - rd) / (2.0 * rd);
    } else {
      v = 3.0 + 4.0 * std::log(rd / (6.0 * rd - i));
    }
    x.push_back(mean + v);
  }
  const double lo = std::max(lower, x.front());
  const double hi = std::min(upper, x.back());
  Grid g;
  if (!(lo < hi)) return g;  // empty continuation region (or all its mass is negligible)
  std::vector<double> y;
  y.push_back(lo);
  for (const double v : x) {
    if (v > lo && v < hi) y.push_back(v);
  }
  y.push_back(hi);
  const std::size_t m = y.size();
  g.z.resize(2 * m - 1);
  g.w.assign(2 * m - 1, 0.0);
  for (std::size_t i = 0; i < m; ++i) g.z[2 * i] = y[i];
  for (std::size_t i = 0; i + 1 < m; ++i) {
    const double d = y[i + 1] - y[i];
    g.z[2 * i + 1] = 0.5 * (y[i] + y[i + 1]);
    g.w[2 * i] += d / 6.0;
    g.w[2 * i + 1] += 4.0 * d / 6.0;
    g.w[2 * i + 2] += d / 6.0;
  }
  return g;
}

/// The (sub-)density of Z_k on the continuation region of look k, as weighted nodes: the integral
/// of f against it is sum_j mass[j] f(z[j]). Empty after a look with an empty continuation region.
struct Stage {
  double t = 0.0;  ///< information fraction of this look
  std::vector<double> z;
  std::vector<double> mass;
};

/// Walks through the looks under drift delta.
class Recursion {
 public:
  Recursion(double delta, int r) : delta_(delta), r_(r) {}

  /// P(Z_k >= b, still in the trial) at the next look with information t.
  [[nodiscard]] double upper(double t, double b) const {
    if (b == kInf) return 0.0;
    if (first_) return norm_sf(b - delta_ * std::sqrt(t));
    const double dt = t - stage_.t;
    const double sd = std::sqrt(dt);
    double sum = 0.0;
    for (std::size_t j = 0; j < stage_.z.size(); ++j) {
      sum += stage_.mass[j] *
             norm_sf((b * std::sqrt(t) - stage_.z[j] * std::sqrt(stage_.t) - delta_ * dt) / sd);
    }
    return sum;
  }
  /// P(Z_k <= a, still in the trial) at the next look with information t.
  [[nodiscard]] double lower(double t, double a) const {
    if (a == -kInf) return 0.0;
    if (first_) return norm_cdf(a - delta_ * std::sqrt(t));
    const double dt = t - stage_.t;
    const double sd = std::sqrt(dt);
    double sum = 0.0;
    for (std::size_t j = 0; j < stage_.z.size(); ++j) {
      sum += stage_.mass[j] *
             norm_cdf((a * std::sqrt(t) - stage_.z[j] * std::sqrt(stage_.t) - delta_ * dt) / sd);
    }
    return sum;
  }
  /// Moves to the next look with information t and continuation region (a, b).
  void advance(double t, double a, double b) {
    const Grid g = make_grid(delta_ * std::sqrt(t), a, b, r_);
    Stage next;
    next.t = t;
    next.z = g.z;
    next.mass.resize(g.z.size());
    const double dt = t - stage_.t;
    const double sd = std::sqrt(dt);
    for (std::size_t i = 0; i < g.z.size(); ++i) {
      double density;
      if (first_) {
        density = norm_pdf(g.z[i] - delta_ * std::sqrt(t));
      } else {
        density = 0.0;
        for (std::size_t j = 0; j < stage_.z.size(); ++j) {
          density +=
              stage_.mass[j] *
              norm_pdf((g.z[i] * std::sqrt(t) - stage_.z[j] * std::sqrt(stage_.t) - delta_ * dt) /
                       sd);
        }
        density *= std::sqrt(t) / sd;
      }
      next.mass[i] = g.w[i] * density;
    }
    stage_ = std::move(next);
    first_ = false;
  }

 private:
  double delta_;
  int r_;
  bool first_ = true;
  Stage stage_;
};

/// Root of a monotone f on [lo, hi] (f(lo), f(hi) of opposite signs) to 1e-11.
template <class F>
double solve(F f, double lo, double hi) {
  std::uintmax_t iterations = 200;
  const auto tol = [](double a, double b) { return std::fabs(a - b) < 1e-11; };
  const auto [a, b] = boost::math::tools::toms748_solve(f, lo, hi, tol, iterations);
  return 0.5 * (a + b);
}

/// Efficacy bounds under H0 without futility (non-binding): b_k spends alpha(t_k) - alpha(t_{k-1}).
std::vector<double> efficacy_bounds(const GsdSettings& s) {
  Recursion rec(0.0, s.grid_r);
  std::vector<double> bounds;
  double previous = 0.0;
  for (std::size_t k = 0; k < s.info.size(); ++k) {
    const double t = s.info[k];
    const double cumulative = spent(s.spending, s.alpha, t);
    const double increment = cumulative - previous;
    double b = kInf;
    if (increment > 0.0) {
      b = solve([&](double x) { return rec.upper(t, x) - increment; }, -20.0, 40.0);
    }
    bounds.push_back(b);
    previous = cumulative;
    if (k + 1 < s.info.size()) rec.advance(t, -kInf, b);
  }
  return bounds;
}

struct UnderDrift {
  std::vector<double> futility;   ///< a_k (-inf where none)
  std::vector<double> cum_beta;   ///< cumulative P(stop for futility or fail at the end)
  std::vector<double> cum_power;  ///< cumulative P(reject)
};

/// Walks the looks under drift delta with efficacy bounds b and, if `fut` is set, futility bounds
/// spending beta; the last look's futility bound is b_K.
UnderDrift under_drift(const GsdSettings& s, const std::vector<double>& b, double delta,
                       std::optional<Spending> fut) {
  Recursion rec(delta, s.grid_r);
  UnderDrift out;
  double beta_prev = 0.0;
  double cum_beta = 0.0;
  double cum_power = 0.0;
  const std::size_t K = s.info.size();
  for (std::size_t k = 0; k < K; ++k) {
    const double t = s.info[k];
    double a = -kInf;
    if (k + 1 == K) {
      a = b[k];
    } else if (fut) {
      const double target = spent(*fut, *s.beta, t) - beta_prev;
      if (target > 0.0) {
        if (rec.lower(t, b[k]) <= target) {
          a = b[k];  // the futility bound may not cross the efficacy bound
        } else {
          a = solve([&](double x) { return rec.lower(t, x) - target; }, -40.0, b[k]);
        }
      }
      beta_prev = spent(*fut, *s.beta, t);
    }
    cum_beta += rec.lower(t, a);
    cum_power += rec.upper(t, b[k]);
    out.futility.push_back(a);
    out.cum_beta.push_back(cum_beta);
    out.cum_power.push_back(cum_power);
    if (k + 1 < K) rec.advance(t, a, b[k]);
  }
  return out;
}

}  // namespace

std::optional<Spending> parse_spending(std::string_view name) {
  if (name == "obf") return Spending::kOBrienFleming;
  if (name == "pocock") return Spending::kPocock;
  if (name == "none") return Spending::kNone;
  return std::nullopt;
}

std::string_view spending_name(Spending s) {
  switch (s) {
    case Spending::kOBrienFleming:
      return "obf";
    case Spending::kPocock:
      return "pocock";
    case Spending::kNone:
      return "none";
  }
  return "";
}

double spent(Spending s, double total, double t) {
  if (t <= 0.0) return 0.0;
  if (t >= 1.0) return total;
  switch (s) {
    case Spending::kOBrienFleming:
      return 2.0 - 2.0 * norm_cdf(norm_quantile(1.0 - total / 2.0) / std::sqrt(t));
    case Spending::kPocock:
      return total * std::log(1.0 + (std::numbers::e - 1.0) * t);
    case Spending::kNone:
      return 0.0;
  }
  return 0.0;
}

CrossingProbabilities crossing_probabilities(std::span<const double> info,
                                             std::span<const double> upper,
                                             std::span<const double> lower, double delta,
                                             int grid_r) {
  IL2SIM_ASSERT(info.size() == upper.size() && info.size() == lower.size(),
                "crossing_probabilities: sizes differ");
  Recursion rec(delta, grid_r);
  CrossingProbabilities out;
  for (std::size_t k = 0; k < info.size(); ++k) {
    out.upper.push_back(rec.upper(info[k], upper[k]));
    out.lower.push_back(rec.lower(info[k], lower[k]));
    if (k + 1 < info.size()) rec.advance(info[k], lower[k], upper[k]);
  }
  return out;
}

GsdResult group_sequential_design(const GsdSettings& s) {
  IL2SIM_ASSERT(!s.info.empty() && s.info.back() == 1.0, "information fractions must end at 1");
  IL2SIM_ASSERT(s.alpha > 0.0 && s.alpha < 1.0, "alpha in (0, 1)");
  IL2SIM_ASSERT(!s.futility_spending || s.beta, "futility spending needs beta");
  IL2SIM_ASSERT(!s.beta || (*s.beta > 0.0 && s.alpha + *s.beta < 1.0), "beta in (0, 1 - alpha)");

  const std::vector<double> b = efficacy_bounds(s);
  GsdResult result;
  for (std::size_t k = 0; k < s.info.size(); ++k) {
    GsdLook look;
    look.info = s.info[k];
    if (std::isfinite(b[k])) look.efficacy_z = b[k];
    look.cumulative_alpha = spent(s.spending, s.alpha, s.info[k]);
    result.looks.push_back(look);
  }
  if (!s.beta) return result;

  // The drift with power 1 - beta: with futility, where the type II error spent is exactly beta
  // (equivalently a_K = b_K); without, where the efficacy bounds alone give power 1 - beta.
  const double fixed = norm_quantile(1.0 - s.alpha) + norm_quantile(1.0 - *s.beta);
  const auto type2 = [&](double delta) {
    return under_drift(s, b, delta, s.futility_spending).cum_beta.back() - *s.beta;
  };
  const auto power_gap = [&](double delta) {
    return under_drift(s, b, delta, std::nullopt).cum_power.back() - (1.0 - *s.beta);
  };
  const double delta = s.futility_spending ? solve(type2, 0.0, 4.0 * fixed + 10.0)
                                           : solve(power_gap, 0.0, 4.0 * fixed + 10.0);
  const UnderDrift d = under_drift(s, b, delta, s.futility_spending);
  result.drift = delta;
  result.inflation_factor = (delta / fixed) * (delta / fixed);
  for (std::size_t k = 0; k < s.info.size(); ++k) {
    GsdLook& look = result.looks[k];
    look.cumulative_power = d.cum_power[k];
    if (s.futility_spending) {
      look.cumulative_beta = d.cum_beta[k];
      if (k + 1 < s.info.size() && std::isfinite(d.futility[k])) look.futility_z = d.futility[k];
    }
  }
  return result;
}

}  // namespace il2sim::design
