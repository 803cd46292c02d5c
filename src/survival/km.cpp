#include "survival/km.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>
#include <boost/math/distributions/normal.hpp>

#include "core/error.hpp"

namespace il2sim::survival {

namespace {
constexpr double kNA = std::numeric_limits<double>::quiet_NaN();
}

ConfType parse_conf_type(std::string_view text) {
  if (text == "log") return ConfType::kLog;
  if (text == "log-log") return ConfType::kLogLog;
  if (text == "plain") return ConfType::kPlain;
  throw UserError(InputLocation{{}, std::nullopt, std::nullopt, "--conf-type"},
                  fmt::format("unknown confidence interval type '{}'", text),
                  "log, log-log, plain");
}

std::string_view to_string(ConfType type) {
  switch (type) {
    case ConfType::kLog:
      return "log";
    case ConfType::kLogLog:
      return "log-log";
    case ConfType::kPlain:
      return "plain";
  }
  return "";
}

double survival_median(std::span<const double> time, std::span<const double> curve) {
  // survival:::survmean's `minmin`: among points not NA and below 0.5 + tol, the first; if that one
  // is 0.5 (within tol) and the curve later drops below it, the midpoint to where it drops.
  const double tol = std::sqrt(std::numeric_limits<double>::epsilon());
  std::size_t first = time.size();
  for (std::size_t i = 0; i < time.size(); ++i) {
    if (!is_na(curve[i]) && curve[i] < 0.5 + tol) {
      first = i;
      break;
    }
  }
  if (first == time.size()) return kNA;
  if (std::abs(curve[first] - 0.5) < tol) {
    for (std::size_t i = first + 1; i < time.size(); ++i) {
      if (!is_na(curve[i]) && curve[i] < 0.5 + tol && curve[i] < curve[first]) {
        return (time[first] + time[i]) / 2;
      }
    }
  }
  return time[first];
}

KmCurve kaplan_meier(std::span<const double> time, std::span<const int> event,
                     const KmOptions& options, std::string group) {
  IL2SIM_ASSERT(time.size() == event.size(), "time and event differ in length");
  KmCurve c;
  c.group = std::move(group);
  const std::size_t n = time.size();
  c.n = static_cast<long>(n);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return time[a] < time[b]; });

  const double z = boost::math::quantile(boost::math::normal(), 1 - (1 - options.conf_level) / 2);
  long at_risk = static_cast<long>(n);
  double surv = 1.0;
  double greenwood = 0.0;
  for (std::size_t i = 0; i < n;) {
    const double t = time[order[i]];
    long d = 0;
    long cens = 0;
    for (; i < n && time[order[i]] == t; ++i) {
      if (event[order[i]] != 0) {
        ++d;
      } else {
        ++cens;
      }
    }
    if (d > 0) {
      surv *= static_cast<double>(at_risk - d) / static_cast<double>(at_risk);
      greenwood += at_risk > d ? static_cast<double>(d) / (static_cast<double>(at_risk) *
                                                           static_cast<double>(at_risk - d))
                               : std::numeric_limits<double>::infinity();
    }
    const double se = std::sqrt(greenwood);
    c.time.push_back(t);
    c.n_risk.push_back(at_risk);
    c.n_event.push_back(d);
    c.n_censor.push_back(cens);
    c.surv.push_back(surv);
    c.cumhaz_se.push_back(se);
    const double se_s = surv * se;  // 0 * Inf is NaN: R's NA where S(t) = 0
    c.std_err.push_back(std::isfinite(se_s) ? se_s : kNA);
    // survival:::survfit_confint, with se on the log scale.
    double lo = kNA;
    double hi = kNA;
    switch (options.conf_type) {
      case ConfType::kPlain: {
        const double w = se * surv * z;
        if (std::isfinite(w)) {
          lo = std::max(surv - w, 0.0);
          hi = std::min(surv + w, 1.0);
        }
        break;
      }
      case ConfType::kLog:
        if (surv > 0) {
          lo = std::exp(std::log(surv) - z * se);
          hi = std::min(std::exp(std::log(surv) + z * se), 1.0);
        }
        break;
      case ConfType::kLogLog:
        if (surv > 0 && surv < 1) {
          const double w = z * se / std::log(surv);
          lo = std::exp(-std::exp(std::log(-std::log(surv)) - w));
          hi = std::exp(-std::exp(std::log(-std::log(surv)) + w));
        }
        break;
    }
    c.lower.push_back(lo);
    c.upper.push_back(hi);
    c.events += d;
    at_risk -= d + cens;
  }
  c.median = survival_median(c.time, c.surv);
  c.median_lower = survival_median(c.time, c.lower);
  c.median_upper = survival_median(c.time, c.upper);

  if (options.rmean_tau) {
    // survival:::survmean: area under S from min(0, first time) to tau, and its SE
    // sum_i h_i (area after t_i)^2 with h_i = d_i / (n_i (n_i - d_i)).
    const double tau = *options.rmean_tau;
    const double start = c.time.empty() ? 0.0 : std::min(0.0, c.time.front());
    std::vector<double> t_keep;
    std::vector<double> s_keep;
    std::vector<double> h_keep;
    for (std::size_t i = 0; i < c.time.size() && c.time[i] <= tau; ++i) {
      t_keep.push_back(c.time[i]);
      s_keep.push_back(c.surv[i]);
      const long nd = c.n_risk[i] - c.n_event[i];
      h_keep.push_back(nd == 0 ? 0.0
                               : static_cast<double>(c.n_event[i]) /
                                     (static_cast<double>(c.n_risk[i]) * static_cast<double>(nd)));
    }
    t_keep.push_back(tau);
    s_keep.push_back(s_keep.empty() ? 1.0 : s_keep.back());
    h_keep.push_back(0.0);
    const std::size_t m = t_keep.size();
    std::vector<double> rect(m);
    double prev_t = start;
    for (std::size_t i = 0; i < m; ++i) {
      rect[i] = (t_keep[i] - prev_t) * (i == 0 ? 1.0 : s_keep[i - 1]);
      prev_t = t_keep[i];
    }
    double mean = start;
    for (double r : rect) mean += r;
    double var = 0.0;
    double tail = 0.0;
    for (std::size_t i = m - 1; i >= 1; --i) {
      tail += rect[i];
      var += tail * tail * h_keep[i - 1];
    }
    c.rmean = mean;
    c.rmean_se = std::sqrt(var);
    c.rmean_tau = tau;
  }
  return c;
}

std::vector<KmCurve> kaplan_meier(std::span<const double> time, std::span<const int> event,
                                  const Factor& group, const KmOptions& options) {
  std::vector<KmCurve> out;
  for (std::size_t g = 0; g < group.levels.size(); ++g) {
    std::vector<double> t;
    std::vector<int> e;
    for (std::size_t i = 0; i < time.size(); ++i) {
      if (group.codes[i] == static_cast<int>(g)) {
        t.push_back(time[i]);
        e.push_back(event[i]);
      }
    }
    if (t.empty()) continue;
    out.push_back(kaplan_meier(t, e, options, group.levels[g]));
  }
  return out;
}

double survival_at(const KmCurve& curve, double t) {
  if (curve.time.empty() || t > curve.time.back()) return std::numeric_limits<double>::quiet_NaN();
  double s = 1.0;
  for (std::size_t i = 0; i < curve.time.size() && curve.time[i] <= t; ++i) s = curve.surv[i];
  return s;
}

}  // namespace il2sim::survival
