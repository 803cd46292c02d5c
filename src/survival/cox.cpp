#include "survival/cox.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>

#include "core/error.hpp"
#include "survival/linalg.hpp"

namespace il2sim::survival {

Ties parse_ties(std::string_view text) {
  if (text == "efron") return Ties::kEfron;
  if (text == "breslow") return Ties::kBreslow;
  throw UserError(InputLocation{{}, std::nullopt, std::nullopt, "--ties"},
                  fmt::format("unknown ties method '{}'", text), "efron, breslow");
}

Design build_design(const CsvTable& table, std::span<const std::size_t> columns,
                    std::span<const std::size_t> rows) {
  std::vector<Eigen::VectorXd> cols;
  Design d;
  const auto n = static_cast<Eigen::Index>(rows.size());
  for (auto c : columns) {
    const std::string& name = table.header[c];
    if (column_is_numeric(table, c, rows)) {
      const auto v = read_numbers(table, c, rows);
      cols.emplace_back(Eigen::Map<const Eigen::VectorXd>(v.data(), n));
      d.terms.push_back(name);
      continue;
    }
    const auto labels = read_labels(table, c, rows);
    const Factor f = make_factor(labels);
    if (f.levels.size() < 2) {
      throw UserError(InputLocation{table.file, std::nullopt, static_cast<long>(c) + 1, name},
                      fmt::format("covariate '{}' has a single level '{}' in the rows used", name,
                                  f.levels.empty() ? "" : f.levels[0]),
                      "a numeric column or a factor with at least two levels");
    }
    for (std::size_t level = 1; level < f.levels.size(); ++level) {
      Eigen::VectorXd dummy(n);
      for (Eigen::Index i = 0; i < n; ++i) {
        dummy(i) = f.codes[static_cast<std::size_t>(i)] == static_cast<int>(level) ? 1.0 : 0.0;
      }
      cols.push_back(std::move(dummy));
      d.terms.push_back(name + f.levels[level]);
    }
  }
  d.x.resize(n, static_cast<Eigen::Index>(cols.size()));
  for (std::size_t j = 0; j < cols.size(); ++j) d.x.col(static_cast<Eigen::Index>(j)) = cols[j];
  return d;
}

namespace {

/// survival's coxsafe: keeps exp() of a linear predictor finite during the iterations.
double clamp_eta(double eta) {
  return std::clamp(eta, -200.0, 22.0);
}

/// Data sorted by (stratum, time), covariates row-major, centred and scaled.
struct SortedData {
  std::size_t n = 0;
  std::size_t p = 0;
  std::vector<double> time;
  std::vector<int> event;
  std::vector<int> stratum;
  std::vector<double> x;  ///< n * p, row-major
};

/// log partial likelihood, score and information at beta (in the scaled parametrisation).
struct Evaluation {
  double loglik = 0;
  Eigen::VectorXd u;
  Eigen::MatrixXd imat;
};

class CoxLikelihood {
 public:
  CoxLikelihood(const SortedData& data, Ties ties) : d_(data), ties_(ties) {
    const auto p = static_cast<Eigen::Index>(d_.p);
    a_.resize(p);
    a2_.resize(p);
    xbar_.resize(p);
    cmat_.resize(p, p);
    cmat2_.resize(p, p);
    risk_.resize(d_.n);
    eta_.resize(d_.n);
  }

  Evaluation evaluate(const Eigen::VectorXd& beta) {
    const std::size_t n = d_.n;
    const std::size_t p = d_.p;
    const auto pp = static_cast<Eigen::Index>(p);
    Evaluation ev;
    ev.u = Eigen::VectorXd::Zero(pp);
    ev.imat = Eigen::MatrixXd::Zero(pp, pp);
    for (std::size_t i = 0; i < n; ++i) {
      double eta = 0;
      const double* xi = &d_.x[i * p];
      for (std::size_t j = 0; j < p; ++j) eta += beta(static_cast<Eigen::Index>(j)) * xi[j];
      eta_[i] = clamp_eta(eta);
      risk_[i] = std::exp(eta_[i]);
    }
    double denom = 0;
    a_.setZero();
    cmat_.setZero();
    // Backwards over time: the risk set at t is everyone in the stratum with time >= t.
    for (std::size_t end = n; end > 0;) {
      const std::size_t last = end - 1;
      if (last == n - 1 || d_.stratum[last] != d_.stratum[last + 1]) {
        denom = 0;
        a_.setZero();
        cmat_.setZero();
      }
      const double t = d_.time[last];
      std::size_t begin = end;
      double ndead = 0;
      double denom2 = 0;
      a2_.setZero();
      cmat2_.setZero();
      while (begin > 0 && d_.time[begin - 1] == t && d_.stratum[begin - 1] == d_.stratum[last]) {
        --begin;
        const double r = risk_[begin];
        const double* xi = &d_.x[begin * p];
        denom += r;
        for (std::size_t j = 0; j < p; ++j) {
          const auto jj = static_cast<Eigen::Index>(j);
          a_(jj) += r * xi[j];
          for (std::size_t k = 0; k <= j; ++k)
            cmat_(jj, static_cast<Eigen::Index>(k)) += r * xi[j] * xi[k];
        }
        if (d_.event[begin] != 0) {
          ndead += 1;
          denom2 += r;
          ev.loglik += eta_[begin];
          for (std::size_t j = 0; j < p; ++j) {
            const auto jj = static_cast<Eigen::Index>(j);
            ev.u(jj) += xi[j];
            a2_(jj) += r * xi[j];
            for (std::size_t k = 0; k <= j; ++k) {
              cmat2_(jj, static_cast<Eigen::Index>(k)) += r * xi[j] * xi[k];
            }
          }
        }
      }
      if (ndead > 0) {
        if (ties_ == Ties::kBreslow || ndead == 1) {
          ev.loglik -= ndead * std::log(denom);
          xbar_ = a_ / denom;
          ev.u -= ndead * xbar_;
          for (Eigen::Index j = 0; j < pp; ++j) {
            for (Eigen::Index k = 0; k <= j; ++k) {
              ev.imat(j, k) += ndead * (cmat_(j, k) / denom - xbar_(j) * xbar_(k));
            }
          }
        } else {
          // Efron: the k-th of the tied deaths sees the risk set less k/ndead of the deaths'
          // weight.
          for (int m = 0; m < static_cast<int>(ndead); ++m) {
            const double frac = m / ndead;
            const double d2 = denom - frac * denom2;
            ev.loglik -= std::log(d2);
            xbar_ = (a_ - frac * a2_) / d2;
            ev.u -= xbar_;
            for (Eigen::Index j = 0; j < pp; ++j) {
              for (Eigen::Index k = 0; k <= j; ++k) {
                ev.imat(j, k) += (cmat_(j, k) - frac * cmat2_(j, k)) / d2 - xbar_(j) * xbar_(k);
              }
            }
          }
        }
      }
      end = begin;
    }
    ev.imat.triangularView<Eigen::StrictlyUpper>() = ev.imat.transpose();
    return ev;
  }

 private:
  const SortedData& d_;
  Ties ties_;
  Eigen::VectorXd a_, a2_, xbar_;
  Eigen::MatrixXd cmat_, cmat2_;
  std::vector<double> risk_, eta_;
};

CoxTest chi_square_test(double chisq, int df) {
  CoxTest t;
  t.chisq = chisq;
  t.df = df;
  t.p = df > 0 ? boost::math::cdf(
                     boost::math::complement(boost::math::chi_squared(df), std::max(chisq, 0.0)))
               : 1.0;
  return t;
}

}  // namespace

CoxResult cox_fit(std::span<const double> time, std::span<const int> event, const Design& design,
                  const Factor& strata, const CoxOptions& options) {
  const std::size_t n = time.size();
  const std::size_t p = static_cast<std::size_t>(design.x.cols());
  IL2SIM_ASSERT(event.size() == n && static_cast<std::size_t>(design.x.rows()) == n &&
                    strata.codes.size() == n,
                "column lengths differ");
  const auto pp = static_cast<Eigen::Index>(p);
  CoxResult res;
  res.n = static_cast<long>(n);
  res.n_event = std::count_if(event.begin(), event.end(), [](int e) { return e != 0; });
  if (res.n_event == 0) {
    throw UserError(
        "cox: there are no events in the rows used, so no coefficient can be estimated");
  }
  if (p == 0) throw UserError("cox: no covariates given (use --covariates A,B,...)");
  const double toler_chol = options.toler_chol > 0
                                ? options.toler_chol
                                : std::pow(std::numeric_limits<double>::epsilon(), 0.75);
  const double toler_inf = options.toler_inf > 0 ? options.toler_inf : std::sqrt(options.eps);

  // Centre and scale (coxfit6): scale = n / sum |x - mean|, 1 for a constant column.
  Eigen::VectorXd mean = design.x.colwise().mean();
  Eigen::VectorXd scale(pp);
  for (Eigen::Index j = 0; j < pp; ++j) {
    const double s = (design.x.col(j).array() - mean(j)).abs().sum();
    scale(j) = s > 0 ? static_cast<double>(n) / s : 1.0;
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (strata.codes[a] != strata.codes[b]) return strata.codes[a] < strata.codes[b];
    return time[a] < time[b];
  });
  SortedData data;
  data.n = n;
  data.p = p;
  data.time.resize(n);
  data.event.resize(n);
  data.stratum.resize(n);
  data.x.resize(n * p);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t src = order[i];
    data.time[i] = time[src];
    data.event[i] = event[src];
    data.stratum[i] = strata.codes[src];
    for (std::size_t j = 0; j < p; ++j) {
      const auto jj = static_cast<Eigen::Index>(j);
      data.x[i * p + j] = (design.x(static_cast<Eigen::Index>(src), jj) - mean(jj)) * scale(jj);
    }
  }

  CoxLikelihood lik(data, options.ties);
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(pp);
  Evaluation ev = lik.evaluate(beta);
  res.loglik_null = ev.loglik;
  double best = ev.loglik;
  Eigen::VectorXd newbeta;
  {
    const SymmetricFactor f(ev.imat, toler_chol);
    const Eigen::VectorXd step = f.solve(ev.u);
    res.score = chi_square_test(step.dot(ev.u), f.rank());
    newbeta = beta + step;
  }
  bool halving = false;
  res.converged = false;
  int iter = 1;
  for (; iter <= options.iter_max; ++iter) {
    ev = lik.evaluate(newbeta);
    if (std::abs(1 - best / ev.loglik) <= options.eps && !halving) {
      res.converged = true;
      break;
    }
    if (iter == options.iter_max) break;
    if (ev.loglik < best) {
      halving = true;  // not improving: halve the step
      newbeta = (newbeta + beta) / 2;
    } else {
      halving = false;
      best = ev.loglik;
      const SymmetricFactor f(ev.imat, toler_chol);
      beta = newbeta;
      newbeta = newbeta + f.solve(ev.u);
    }
  }
  if (!res.converged) res.warnings.push_back("Ran out of iterations and did not converge");
  res.iterations = std::min(iter, options.iter_max);
  res.loglik = ev.loglik;
  const SymmetricFactor final_factor(ev.imat, toler_chol);
  Eigen::MatrixXd var = final_factor.inverse();
  // Back to the covariates' own scale.
  Eigen::VectorXd coef = newbeta.cwiseProduct(scale);
  Eigen::VectorXd u = ev.u.cwiseQuotient(scale);
  var = scale.asDiagonal() * var * scale.asDiagonal();
  res.variance = var;

  if (options.iter_max > 1 && res.converged) {
    const Eigen::VectorXd infs = (u.transpose() * var).transpose().cwiseAbs();
    std::string which;
    for (Eigen::Index j = 0; j < pp; ++j) {
      if (!std::isfinite(u(j)) ||
          (infs(j) > options.eps && infs(j) > toler_inf * std::abs(coef(j)))) {
        which += (which.empty() ? "" : ",") + std::to_string(j + 1);
      }
    }
    if (!which.empty()) {
      res.warnings.push_back(
          fmt::format("Loglik converged before variable {}; coefficient may be infinite", which));
    }
  }

  const double z = boost::math::quantile(boost::math::normal(), 1 - (1 - options.conf_level) / 2);
  const double na = std::numeric_limits<double>::quiet_NaN();
  std::vector<Eigen::Index> used;
  for (Eigen::Index j = 0; j < pp; ++j) {
    CoxTerm t;
    t.term = design.terms[static_cast<std::size_t>(j)];
    if (final_factor.singular(j)) {
      t.coef = t.se = t.z = t.p = t.hr = t.hr_lower = t.hr_upper = na;
      res.warnings.push_back(
          fmt::format("term {} is redundant (aliased); its coefficient is NA", t.term));
    } else {
      used.push_back(j);
      t.coef = coef(j);
      t.se = std::sqrt(var(j, j));
      // A standard error of 0 (a variance that underflowed or a term with no information) gives
      // no test: z and p are NA, as R's coxph reports them, not p = 0 from z = coef / 0.
      t.z = t.se > 0 ? t.coef / t.se : na;
      t.p = std::isfinite(t.z) ? 2 * boost::math::cdf(boost::math::normal(), -std::abs(t.z)) : na;
      t.hr = std::exp(t.coef);
      t.hr_lower = std::exp(t.coef - z * t.se);
      t.hr_upper = std::exp(t.coef + z * t.se);
    }
    res.terms.push_back(t);
  }
  const int df = static_cast<int>(used.size());
  res.lr = chi_square_test(2 * (res.loglik - res.loglik_null), df);
  // Wald: b' V^-1 b over the non-redundant terms (coxph.wtest).
  Eigen::VectorXd b(df);
  Eigen::MatrixXd v(df, df);
  for (int a = 0; a < df; ++a) {
    b(a) = coef(used[static_cast<std::size_t>(a)]);
    for (int c = 0; c < df; ++c)
      v(a, c) = var(used[static_cast<std::size_t>(a)], used[static_cast<std::size_t>(c)]);
  }
  const SymmetricFactor vf(v, toler_chol);
  res.wald = chi_square_test(b.dot(vf.solve(b)), vf.rank());
  return res;
}

}  // namespace il2sim::survival
