#include "calibration/profile.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "calibration/posterior.hpp"
#include "core/error.hpp"

namespace il2sim::calibration {

std::vector<double> profile_grid(const PriorRange& range, int points) {
  IL2SIM_ASSERT(points >= 2 && range.lower < range.upper, "a grid of two or more values");
  std::vector<double> out;
  const double a = range.log_scale ? std::log(range.lower) : range.lower;
  const double b = range.log_scale ? std::log(range.upper) : range.upper;
  for (int k = 0; k < points; ++k) {
    const double x = a + (b - a) * k / (points - 1);
    out.push_back(k == 0            ? range.lower
                  : k == points - 1 ? range.upper
                  : range.log_scale ? std::exp(x)
                                    : x);
  }
  return out;
}

namespace {

/// One grid value: the others fitted from `from` with the profiled parameter fixed at `value`.
ProfilePoint fit_point(const Evaluator& evaluator, const model::ParameterSet& from,
                       model::ParamId parameter, double value, const FitOptions& base,
                       Likelihood likelihood) {
  FitOptions o = base;
  o.fixed.emplace_back(parameter, value);
  const auto result = fit(evaluator, from, o);
  ParameterPatch patch = o.fixed;
  for (std::size_t i = 0; i < result.parameters.size(); ++i)
    patch.emplace_back(result.parameters[i], result.best[i]);
  const auto ev = evaluator.evaluate(patch);
  return {value,
          0.0 - log_likelihood(evaluator.targets(), ev, likelihood),
          0.0,
          result.best,
          ev.met,
          ev.counted,
          result.evaluations + 1,
          result.stop_reason};
}

}  // namespace

Profile profile_likelihood(const Evaluator& evaluator, const model::ParameterSet& start,
                           model::ParamId parameter, const std::vector<double>& grid,
                           FitOptions fit, Likelihood likelihood,
                           const std::function<void(const ProfilePoint&)>& on_point) {
  IL2SIM_ASSERT(std::is_sorted(grid.begin(), grid.end()) && !grid.empty(), "an ascending grid");
  const auto& set = evaluator.targets();
  fit.objective = [&set, likelihood](const Evaluation& ev) {
    return 0.0 - log_likelihood(set, ev, likelihood);
  };
  Profile p{parameter, fit.parameters, std::vector<ProfilePoint>(grid.size()), 0, 0, false, false,
            0};
  // The first fit at the grid value nearest the starting value, then outward, each from its
  // neighbour's optimum (a continuation: the optimum moves smoothly with the fixed value).
  const double s0 = start[parameter];
  const auto distance = [s0](double x) {
    return s0 > 0.0 && x > 0.0 ? std::fabs(std::log(x / s0)) : std::fabs(x - s0);
  };
  std::size_t first = 0;
  for (std::size_t k = 1; k < grid.size(); ++k) {
    if (distance(grid[k]) < distance(grid[first])) first = k;
  }
  const auto from = [&](std::size_t neighbour) {
    model::ParameterSet s = start;
    for (std::size_t i = 0; i < fit.parameters.size(); ++i)
      s.set(fit.parameters[i], p.points[neighbour].others[i]);
    return s;
  };
  const auto run = [&](std::size_t k, const model::ParameterSet& s) {
    p.points[k] = fit_point(evaluator, s, parameter, grid[k], fit, likelihood);
    p.evaluations += p.points[k].evaluations;
    if (on_point) on_point(p.points[k]);
  };
  run(first, start);
  for (std::size_t k = first + 1; k < grid.size(); ++k) run(k, from(k - 1));
  for (std::size_t k = first; k-- > 0;) run(k, from(k + 1));
  double best = p.points.front().neg_log_likelihood;
  for (const auto& q : p.points) best = std::min(best, q.neg_log_likelihood);
  for (auto& q : p.points) q.deviance = 2.0 * (q.neg_log_likelihood - best);
  profile_interval(p);
  return p;
}

void profile_interval(Profile& p, double threshold) {
  const auto& q = p.points;
  std::size_t m = 0;
  for (std::size_t k = 1; k < q.size(); ++k) {
    if (q[k].deviance < q[m].deviance) m = k;
  }
  // Linear interpolation of the deviance between q[a] (below) and q[b] (above the threshold).
  const auto cross = [&](std::size_t a, std::size_t b) {
    const double t = (threshold - q[a].deviance) / (q[b].deviance - q[a].deviance);
    return q[a].value + t * (q[b].value - q[a].value);
  };
  std::size_t lo = m;
  while (lo > 0 && q[lo - 1].deviance <= threshold) --lo;
  p.lower_open = lo == 0;
  p.ci_lower = p.lower_open ? q.front().value : cross(lo, lo - 1);
  std::size_t hi = m;
  while (hi + 1 < q.size() && q[hi + 1].deviance <= threshold) ++hi;
  p.upper_open = hi + 1 == q.size();
  p.ci_upper = p.upper_open ? q.back().value : cross(hi, hi + 1);
}

}  // namespace il2sim::calibration
