#include "survival/cuminc.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <Eigen/Dense>
#include <boost/math/distributions/chi_squared.hpp>

#include "core/error.hpp"

namespace il2sim::survival {

namespace {

/// Aalen-Johansen estimate of one cause from time-sorted data (Gray's `cinc`): `failed` is 1 for an
/// event of any cause, `cause` 1 for an event of the cause of interest.
CumincCurve incidence(std::span<const double> y, std::span<const int> failed,
                      std::span<const int> cause) {
  CumincCurve c;
  const std::size_t n = y.size();
  double surv = 1;  // all-cause Kaplan-Meier just before the current time
  double v1 = 0, v2 = 0, v3 = 0;
  c.time.push_back(0);
  c.estimate.push_back(0);
  c.variance.push_back(0);
  double at_risk = static_cast<double>(n);
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    double d_cause = 0;
    double d_other = 0;
    for (; j < n && y[j] == y[i]; ++j) {
      d_cause += cause[j];
      d_other += failed[j] - cause[j];
    }
    const double d = d_cause + d_other;
    if (d > 0) {
      const double surv_next = surv * (at_risk - d) / at_risk;
      double f = c.estimate.back();
      if (d_cause > 0) {
        f += surv * d_cause / at_risk;
        c.estimate.push_back(c.estimate.back());
        c.estimate.push_back(f);
      }
      // Delta-method variance (Gray's cinc): three running sums combined with the current estimate.
      if (d_other > 0 && surv_next > 0) {
        const double tie = d_other > 1 ? 1 - (d_other - 1) / (at_risk - 1) : 1.0;
        const double w = surv * surv * tie * d_other / (at_risk * at_risk);
        const double inv = 1 / surv_next;
        const double ratio = f / surv_next;
        v1 += ratio * ratio * w;
        v2 += inv * ratio * w;
        v3 += inv * inv * w;
      }
      if (d_cause > 0) {
        const double tie = d_cause > 1 ? 1 - (d_cause - 1) / (at_risk - 1) : 1.0;
        const double w = surv * surv * tie * d_cause / (at_risk * at_risk);
        const double inv = surv_next > 0 ? 1 / surv_next : 0.0;
        const double term = 1 + inv * f;
        v1 += term * term * w;
        v2 += inv * term * w;
        v3 += inv * inv * w;
        c.time.push_back(y[i]);
        c.time.push_back(y[i]);
        c.variance.push_back(c.variance.back());
        c.variance.push_back(v1 + f * f * v3 - 2 * f * v2);
      }
      surv = surv_next;
    }
    at_risk = static_cast<double>(n - j);
    i = j;
  }
  c.time.push_back(y[n - 1]);
  c.estimate.push_back(c.estimate.back());
  c.variance.push_back(c.variance.back());
  return c;
}

/// Score and variance of Gray's test in one stratum (Gray 1988; cmprsk's `crst`). `m` is 0 for
/// censored, 1 for the cause of interest, 2 for another cause; `g` the 0-based group.
void gray_stratum(std::span<const double> y, std::span<const int> m, std::span<const int> g, int ng,
                  double rho, Eigen::VectorXd& score, Eigen::MatrixXd& var) {
  const std::size_t n = y.size();
  const auto k = static_cast<Eigen::Index>(ng);
  const Eigen::Index k1 = k - 1;
  Eigen::VectorXd rs = Eigen::VectorXd::Zero(k);
  for (std::size_t i = 0; i < n; ++i) rs(g[i]) += 1;
  Eigen::VectorXd f1m = Eigen::VectorXd::Zero(k), f1 = Eigen::VectorXd::Zero(k);
  Eigen::VectorXd skmm = Eigen::VectorXd::Ones(k), skm = Eigen::VectorXd::Ones(k);
  Eigen::VectorXd v3 = Eigen::VectorXd::Zero(k);
  Eigen::MatrixXd v2 = Eigen::MatrixXd::Zero(k1, k);
  Eigen::MatrixXd c = Eigen::MatrixXd::Zero(k, k);
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(k, k);
  Eigen::VectorXd s = Eigen::VectorXd::Zero(k1);
  Eigen::MatrixXd v = Eigen::MatrixXd::Zero(k1, k1);
  Eigen::MatrixXd d = Eigen::MatrixXd::Zero(3, k);
  double fm = 0;
  double f = 0;
  for (std::size_t lo = 0; lo < n;) {
    std::size_t hi = lo;
    d.setZero();
    for (; hi < n && y[hi] == y[lo]; ++hi) d(m[hi], g[hi]) += 1;
    const double nd1 = d.row(1).sum();
    const double nd2 = d.row(2).sum();
    if (nd1 > 0 || nd2 > 0) {
      double tr = 0;  // sum over groups of the risk set divided by the group's survival
      double tq = 0;  // the same weighted by 1 - F_group
      for (Eigen::Index i = 0; i < k; ++i) {
        if (rs(i) <= 0) continue;
        const double td = d(1, i) + d(2, i);
        skm(i) = skmm(i) * (rs(i) - td) / rs(i);
        f1(i) = f1m(i) + skmm(i) * d(1, i) / rs(i);
        tr += rs(i) / skmm(i);
        tq += rs(i) * (1 - f1m(i)) / skmm(i);
      }
      f = fm + nd1 / tr;
      const double fb = std::pow(1 - fm, rho);
      a.setZero();
      for (Eigen::Index i = 0; i < k; ++i) {
        if (rs(i) <= 0) continue;
        const double t1 = rs(i) / skmm(i);
        a(i, i) = fb * t1 * (1 - t1 / tr);
        c(i, i) += a(i, i) * nd1 / (tr * (1 - fm));
        for (Eigen::Index j = i + 1; j < k; ++j) {
          if (rs(j) <= 0) continue;
          a(i, j) = -fb * t1 * rs(j) / (skmm(j) * tr);
          c(i, j) += a(i, j) * nd1 / (tr * (1 - fm));
        }
      }
      for (Eigen::Index i = 1; i < k; ++i) {
        for (Eigen::Index j = 0; j < i; ++j) {
          a(i, j) = a(j, i);
          c(i, j) = c(j, i);
        }
      }
      for (Eigen::Index i = 0; i < k1; ++i) {
        if (rs(i) <= 0) continue;
        s(i) += fb * (d(1, i) - nd1 * rs(i) * (1 - f1m(i)) / (skmm(i) * tq));
      }
      if (nd1 > 0) {
        for (Eigen::Index q = 0; q < k; ++q) {
          if (rs(q) <= 0) continue;
          const double t4 = skm(q) > 0 ? 1 - (1 - f) / skm(q) : 1.0;
          const double t5 = nd1 > 1 ? 1 - (nd1 - 1) / (tr * skmm(q) - 1) : 1.0;
          const double t3 = t5 * skmm(q) * nd1 / (tr * rs(q));
          v3(q) += t4 * t4 * t3;
          for (Eigen::Index i = 0; i < k1; ++i) {
            const double t1 = a(i, q) - t4 * c(i, q);
            v2(i, q) += t1 * t4 * t3;
            for (Eigen::Index j = 0; j <= i; ++j) v(i, j) += t1 * (a(j, q) - t4 * c(j, q)) * t3;
          }
        }
      }
      if (nd2 > 0) {
        for (Eigen::Index q = 0; q < k; ++q) {
          if (skm(q) <= 0 || d(2, q) <= 0) continue;
          const double t4 = (1 - f) / skm(q);
          const double t5 = d(2, q) > 1 ? 1 - (d(2, q) - 1) / (rs(q) - 1) : 1.0;
          const double t3 = t5 * skmm(q) * skmm(q) * d(2, q) / (rs(q) * rs(q));
          v3(q) += t4 * t4 * t3;
          for (Eigen::Index i = 0; i < k1; ++i) {
            const double t1 = t4 * c(i, q);
            v2(i, q) -= t1 * t4 * t3;
            for (Eigen::Index j = 0; j <= i; ++j) v(i, j) += t1 * (t4 * c(j, q)) * t3;
          }
        }
      }
    }
    if (hi >= n) break;
    for (std::size_t i = lo; i < hi; ++i) rs(g[i]) -= 1;
    fm = f;
    f1m = f1;
    skmm = skm;
    lo = hi;
  }
  for (Eigen::Index i = 0; i < k1; ++i) {
    for (Eigen::Index j = 0; j <= i; ++j) {
      for (Eigen::Index q = 0; q < k; ++q) {
        v(i, j) += c(i, q) * c(j, q) * v3(q) + c(i, q) * v2(j, q) + c(j, q) * v2(i, q);
      }
    }
  }
  score += s;
  for (Eigen::Index i = 0; i < k1; ++i) {
    for (Eigen::Index j = 0; j <= i; ++j) {
      var(i, j) += v(i, j);
      if (i != j) var(j, i) += v(i, j);
    }
  }
}

}  // namespace

CumincResult cuminc(std::span<const double> time, std::span<const int> status,
                    const std::vector<std::string>& causes, const Factor& group,
                    const Factor& strata, double rho) {
  const std::size_t n = time.size();
  IL2SIM_ASSERT(status.size() == n && group.codes.size() == n && strata.codes.size() == n,
                "column lengths differ");
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return time[a] < time[b]; });
  const int ng = static_cast<int>(group.levels.size());
  CumincResult res;
  for (std::size_t cause = 0; cause < causes.size(); ++cause) {
    for (int gi = 0; gi < ng; ++gi) {
      std::vector<double> y;
      std::vector<int> failed, this_cause;
      for (auto i : order) {
        if (group.codes[i] != gi) continue;
        y.push_back(time[i]);
        failed.push_back(status[i] >= 0 ? 1 : 0);
        this_cause.push_back(status[i] == static_cast<int>(cause) ? 1 : 0);
      }
      if (y.empty()) continue;
      CumincCurve c = incidence(y, failed, this_cause);
      c.group = group.levels[static_cast<std::size_t>(gi)];
      c.cause = causes[cause];
      res.curves.push_back(std::move(c));
    }
    if (ng > 1) {
      Eigen::VectorXd score = Eigen::VectorXd::Zero(ng - 1);
      Eigen::MatrixXd var = Eigen::MatrixXd::Zero(ng - 1, ng - 1);
      for (std::size_t st = 0; st < strata.levels.size(); ++st) {
        std::vector<double> y;
        std::vector<int> m, g;
        for (auto i : order) {
          if (strata.codes[i] != static_cast<int>(st)) continue;
          y.push_back(time[i]);
          m.push_back(status[i] < 0 ? 0 : (status[i] == static_cast<int>(cause) ? 1 : 2));
          g.push_back(group.codes[i]);
        }
        if (!y.empty()) gray_stratum(y, m, g, ng, rho, score, var);
      }
      GrayTest t;
      t.cause = causes[cause];
      t.df = ng - 1;
      const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(var);
      if (qr.rank() == var.cols()) {
        const double stat = score.dot(qr.solve(score));
        t.stat = stat;
        t.p = boost::math::cdf(
            boost::math::complement(boost::math::chi_squared(t.df), std::max(stat, 0.0)));
      }
      res.tests.push_back(t);
    }
  }
  return res;
}

}  // namespace il2sim::survival
