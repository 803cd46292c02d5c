#include "solver/dopri5.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/error.hpp"

namespace il2sim::solver {
namespace {

// Butcher tableau of DOPRI5 (Hairer, Nørsett & Wanner, Table II.5.2).
constexpr double c2 = 1.0 / 5, c3 = 3.0 / 10, c4 = 4.0 / 5, c5 = 8.0 / 9;
constexpr double a21 = 1.0 / 5;
constexpr double a31 = 3.0 / 40, a32 = 9.0 / 40;
constexpr double a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9;
constexpr double a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561,
                 a54 = -212.0 / 729;
constexpr double a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176,
                 a65 = -5103.0 / 18656;
constexpr double a71 = 35.0 / 384, a73 = 500.0 / 1113, a74 = 125.0 / 192, a75 = -2187.0 / 6784,
                 a76 = 11.0 / 84;
// Error estimate: 5th minus 4th order solution.
constexpr double e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920, e5 = -17253.0 / 339200,
                 e6 = 22.0 / 525, e7 = -1.0 / 40;
// Dense output (Hairer's dopri5.f, CONTD5).
constexpr double d1 = -12715105075.0 / 11282082432, d3 = 87487479700.0 / 32700410799,
                 d4 = -10690763975.0 / 1880347072, d5 = 701980252875.0 / 199316789632,
                 d6 = -1453857185.0 / 822651844, d7 = 69997945.0 / 29380423;

constexpr double kSafety = 0.9;
constexpr double kFacMin = 0.2;
constexpr double kFacMax = 10.0;

}  // namespace

Dopri5::Dopri5(OdeProblem problem, SolverOptions options)
    : problem_(std::move(problem)), options_(std::move(options)), n_(problem_.size) {
  IL2SIM_ASSERT(options_.atol.size() == n_, "one absolute tolerance per state");
  for (auto* v : {&y_, &y_new_, &y_out_, &err_, &tmp_, &y_mid_}) v->assign(n_, 0.0);
  for (auto& k : k_) k.assign(n_, 0.0);
  for (auto& d : dense_) d.assign(n_, 0.0);
  g_lo_.assign(problem_.root_count, 0.0);
  g_hi_.assign(problem_.root_count, 0.0);
  g_mid_.assign(problem_.root_count, 0.0);
  g_sign_.assign(problem_.root_count, 0);
}

void Dopri5::eval_rhs(double t, std::span<const double> y, std::span<double> dydt) {
  ++stats_.rhs_evals;
  problem_.rhs(t, y, dydt);
}

void Dopri5::eval_roots(double t, std::span<const double> y, std::vector<double>& g) {
  ++stats_.root_evals;
  problem_.roots(t, y, g);
}

void Dopri5::reset(double t0, std::span<const double> y0) {
  IL2SIM_ASSERT(y0.size() == n_, "state size mismatch");
  std::copy(y0.begin(), y0.end(), y_.begin());
  std::copy(y0.begin(), y0.end(), y_out_.begin());
  t_ = t_prev_ = t_out_ = t0;
  h_ = 0.0;
  have_step_ = false;
  fsal_valid_ = false;
  pending_root_ = false;
  ++stats_.resets;
  start_roots(t0);
}

void Dopri5::start_roots(double t) {
  if (problem_.root_count == 0) return;
  eval_roots(t, y_, g_lo_);
  for (std::size_t i = 0; i < g_lo_.size(); ++i) {
    g_sign_[i] = g_lo_[i] > 0 ? 1 : (g_lo_[i] < 0 ? -1 : 0);
  }
}

void Dopri5::resume(double t, std::span<const double> y) {
  IL2SIM_ASSERT(y.size() == n_, "state size mismatch");
  if (!have_step_ || pending_root_ || t != t_ || h_ <= 0.0) {
    reset(t, y);
    return;
  }
  if (!std::equal(y.begin(), y.end(), y_.begin())) {
    std::copy(y.begin(), y.end(), y_.begin());
    fsal_valid_ = false;
  }
  std::copy(y.begin(), y.end(), y_out_.begin());
  t_prev_ = t_out_ = t;
  have_step_ = false;  // no dense output across the resumption
  ++stats_.resumes;
  start_roots(t);
}

double Dopri5::error_norm() const {
  double sum = 0.0;
  for (std::size_t i = 0; i < n_; ++i) {
    const double scale =
        options_.atol[i] + options_.rtol * std::max(std::fabs(y_[i]), std::fabs(y_new_[i]));
    const double r = err_[i] / scale;
    sum += r * r;
  }
  return std::sqrt(sum / static_cast<double>(n_));
}

double Dopri5::initial_step(double t_stop) {
  if (options_.initial_step > 0.0) return options_.initial_step;
  // Hairer, Nørsett & Wanner §II.4 "Starting step size".
  auto& f0 = k_[0];
  double dnf = 0.0;
  double dny = 0.0;
  for (std::size_t i = 0; i < n_; ++i) {
    const double sk = options_.atol[i] + options_.rtol * std::fabs(y_[i]);
    dnf += (f0[i] / sk) * (f0[i] / sk);
    dny += (y_[i] / sk) * (y_[i] / sk);
  }
  double h = (dnf <= 1e-10 || dny <= 1e-10) ? 1e-6 : std::sqrt(dny / dnf) * 0.01;
  h = std::min(h, t_stop - t_);
  for (std::size_t i = 0; i < n_; ++i) tmp_[i] = y_[i] + h * f0[i];
  eval_rhs(t_ + h, tmp_, k_[1]);
  double der2 = 0.0;
  for (std::size_t i = 0; i < n_; ++i) {
    const double sk = options_.atol[i] + options_.rtol * std::fabs(y_[i]);
    const double d = (k_[1][i] - f0[i]) / sk;
    der2 += d * d;
  }
  der2 = std::sqrt(der2 / static_cast<double>(n_)) / h;
  const double der12 = std::max(std::fabs(der2), std::sqrt(dnf / static_cast<double>(n_)));
  const double h1 =
      der12 <= 1e-15 ? std::max(1e-6, std::fabs(h) * 1e-3) : std::pow(0.01 / der12, 0.2);
  h = std::min(100.0 * std::fabs(h), h1);
  if (options_.max_step > 0.0) h = std::min(h, options_.max_step);
  return h;
}

void Dopri5::dense_coefficients() {
  // After an accepted step y_ and y_new_ were swapped (y_new_ holds the start of the step) and so
  // were k_[0] and k_[6] (FSAL: k_[6] holds the first stage, k_[0] the last).
  const double h = h_last_;
  const auto& y0 = y_new_;
  const auto& y1 = y_;
  const auto& k1 = k_[6];
  const auto &k3 = k_[2], &k4 = k_[3], &k5 = k_[4], &k6 = k_[5], &k7 = k_[0];
  for (std::size_t i = 0; i < n_; ++i) {
    const double ydiff = y1[i] - y0[i];
    const double bspl = h * k1[i] - ydiff;
    dense_[0][i] = y0[i];
    dense_[1][i] = ydiff;
    dense_[2][i] = bspl;
    dense_[3][i] = ydiff - h * k7[i] - bspl;
    dense_[4][i] =
        h * (d1 * k1[i] + d3 * k3[i] + d4 * k4[i] + d5 * k5[i] + d6 * k6[i] + d7 * k7[i]);
  }
  dense_ready_ = true;
}

void Dopri5::interpolate(double t, std::span<double> out) {
  if (!dense_ready_) dense_coefficients();
  const double theta = (t - t_prev_) / h_last_;
  const double theta1 = 1.0 - theta;
  for (std::size_t i = 0; i < n_; ++i) {
    out[i] = dense_[0][i] +
             theta * (dense_[1][i] +
                      theta1 * (dense_[2][i] + theta * (dense_[3][i] + theta1 * dense_[4][i])));
  }
}

bool Dopri5::locate_roots(std::vector<int>& directions) {
  eval_roots(t_, y_, g_hi_);
  const std::size_t m = problem_.root_count;
  // Which functions changed sign over the step (from their last non-zero sign)?
  double t_root = std::numeric_limits<double>::infinity();
  bool any = false;
  const double t_tol = 1e-10 * std::max(1.0, std::fabs(t_));
  for (std::size_t i = 0; i < m; ++i) {
    const int s_hi = g_hi_[i] > 0 ? 1 : (g_hi_[i] < 0 ? -1 : 0);
    if (g_sign_[i] == 0 || s_hi == 0 || s_hi == g_sign_[i]) continue;
    // Illinois method on [lo, hi] with g(lo) of sign g_sign_[i], g(hi) = g_hi_[i].
    double lo = t_prev_;
    double hi = t_;
    double g_lo = g_lo_[i];
    double g_hi = g_hi_[i];
    if ((g_lo > 0) == (g_hi > 0) || g_lo == 0)
      g_lo = -g_hi;  // start of step was on the root itself
    int side = 0;
    for (int iter = 0; iter < 100 && hi - lo > t_tol; ++iter) {
      double t_mid = hi - g_hi * (hi - lo) / (g_hi - g_lo);
      if (!(t_mid > lo && t_mid < hi)) t_mid = 0.5 * (lo + hi);
      interpolate(t_mid, y_mid_);
      eval_roots(t_mid, y_mid_, g_mid_);
      const double gm = g_mid_[i];
      if ((gm > 0) == (g_hi > 0) && gm != 0) {
        hi = t_mid;
        g_hi = gm;
        if (side == 1) g_lo *= 0.5;
        side = 1;
      } else {
        lo = t_mid;
        g_lo = gm;
        if (side == -1) g_hi *= 0.5;
        side = -1;
        if (gm == 0) {
          hi = t_mid;
          break;
        }
      }
    }
    if (hi < t_root) t_root = hi;
    any = true;
  }
  if (!any) {
    for (std::size_t i = 0; i < m; ++i) {
      if (g_hi_[i] != 0) g_sign_[i] = g_hi_[i] > 0 ? 1 : -1;
    }
    std::swap(g_lo_, g_hi_);
    return false;
  }
  // Truncate the step at the root; report every function that has changed sign by then.
  interpolate(t_root, y_);
  t_ = t_root;
  fsal_valid_ = false;
  eval_roots(t_, y_, g_hi_);
  directions.assign(m, 0);
  for (std::size_t i = 0; i < m; ++i) {
    const int s = g_hi_[i] > 0 ? 1 : (g_hi_[i] < 0 ? -1 : 0);
    if (g_sign_[i] != 0 && s != 0 && s != g_sign_[i]) directions[i] = s;
    if (s != 0) g_sign_[i] = s;
  }
  std::swap(g_lo_, g_hi_);
  return true;
}

AdvanceResult Dopri5::advance_to(double t_out, double t_stop) {
  IL2SIM_ASSERT(t_stop >= t_out, "t_stop before t_out");
  AdvanceResult result;
  std::vector<int> directions;
  if (pending_root_) {
    if (t_out >= t_) {
      pending_root_ = false;
      t_out_ = t_;
      std::copy(y_.begin(), y_.end(), y_out_.begin());
      result.status = AdvanceStatus::kRoot;
      result.t = t_;
      result.roots = pending_directions_;
      return result;
    }
    interpolate(t_out, y_out_);
    t_out_ = t_out;
    result.t = t_out;
    return result;
  }
  if (have_step_ && t_out <= t_) {  // inside the last step: dense output only
    interpolate(t_out, y_out_);
    t_out_ = t_out;
    result.t = t_out;
    return result;
  }
  long steps_this_call = 0;
  bool rejected_last = false;
  while (t_ < t_out) {
    if (!fsal_valid_) {
      eval_rhs(t_, y_, k_[0]);
      fsal_valid_ = true;
    }
    if (h_ <= 0.0) h_ = initial_step(t_stop);
    if (options_.max_step > 0.0) h_ = std::min(h_, options_.max_step);
    bool last = false;
    if (t_ + h_ >= t_stop || t_ + 1.01 * h_ >= t_stop) {
      h_ = t_stop - t_;
      last = true;
    }
    if (++steps_this_call > options_.max_steps) {
      result.status = AdvanceStatus::kFailure;
      result.t = t_;
      result.message =
          fmt::format("more than {} steps before day {:.4g}", options_.max_steps, t_out);
      have_step_ = false;  // reset() before further use
      return result;
    }
    if (h_ < 1e-13 * std::max(1.0, std::fabs(t_))) {
      result.status = AdvanceStatus::kFailure;
      result.t = t_;
      result.message = fmt::format("step size underflow at day {:.6g}", t_);
      have_step_ = false;  // reset() before further use
      return result;
    }
    const double h = h_;
    const auto& k1 = k_[0];
    auto &k2 = k_[1], &k3 = k_[2], &k4 = k_[3], &k5 = k_[4], &k6 = k_[5], &k7 = k_[6];
    for (std::size_t i = 0; i < n_; ++i) tmp_[i] = y_[i] + h * a21 * k1[i];
    eval_rhs(t_ + c2 * h, tmp_, k2);
    for (std::size_t i = 0; i < n_; ++i) tmp_[i] = y_[i] + h * (a31 * k1[i] + a32 * k2[i]);
    eval_rhs(t_ + c3 * h, tmp_, k3);
    for (std::size_t i = 0; i < n_; ++i)
      tmp_[i] = y_[i] + h * (a41 * k1[i] + a42 * k2[i] + a43 * k3[i]);
    eval_rhs(t_ + c4 * h, tmp_, k4);
    for (std::size_t i = 0; i < n_; ++i) {
      tmp_[i] = y_[i] + h * (a51 * k1[i] + a52 * k2[i] + a53 * k3[i] + a54 * k4[i]);
    }
    eval_rhs(t_ + c5 * h, tmp_, k5);
    for (std::size_t i = 0; i < n_; ++i) {
      tmp_[i] = y_[i] + h * (a61 * k1[i] + a62 * k2[i] + a63 * k3[i] + a64 * k4[i] + a65 * k5[i]);
    }
    const double t_new = last ? t_stop : t_ + h;
    eval_rhs(t_new, tmp_, k6);
    for (std::size_t i = 0; i < n_; ++i) {
      y_new_[i] = y_[i] + h * (a71 * k1[i] + a73 * k3[i] + a74 * k4[i] + a75 * k5[i] + a76 * k6[i]);
    }
    eval_rhs(t_new, y_new_, k7);
    for (std::size_t i = 0; i < n_; ++i) {
      err_[i] = h * (e1 * k1[i] + e3 * k3[i] + e4 * k4[i] + e5 * k5[i] + e6 * k6[i] + e7 * k7[i]);
    }
    double err = error_norm();
    if (!std::isfinite(err)) err = 1e10;
    if (err > 1.0) {
      ++stats_.failed_steps;
      h_ = h * std::max(kFacMin, kSafety * std::pow(err, -0.2));
      rejected_last = true;
      continue;
    }
    ++stats_.steps;
    // The dense output coefficients of [t_, t_new] are computed from the stages only when a root or
    // an output time falls inside the step (dense_coefficients()); until then the stages stay
    // untouched.
    t_prev_ = t_;
    h_last_ = h;
    have_step_ = true;
    dense_ready_ = false;
    t_ = t_new;
    std::swap(y_, y_new_);
    std::swap(k_[0], k_[6]);  // first stage of the next step (FSAL)
    double fac = kSafety * std::pow(std::max(err, 1e-10), -0.2);
    fac = std::clamp(fac, kFacMin, rejected_last ? 1.0 : kFacMax);
    h_ = h * fac;
    rejected_last = false;
    bool stopped_at_root = false;
    if (problem_.root_count > 0) stopped_at_root = locate_roots(directions);
    if (stopped_at_root) {
      if (t_ <= t_out) {
        t_out_ = t_;
        std::copy(y_.begin(), y_.end(), y_out_.begin());
        result.status = AdvanceStatus::kRoot;
        result.t = t_;
        result.roots = directions;
        return result;
      }
      pending_root_ = true;
      pending_directions_ = directions;
      break;
    }
    for (std::size_t i = 0; i < n_; ++i) {
      if (!std::isfinite(y_[i])) {
        result.status = AdvanceStatus::kFailure;
        result.t = t_;
        result.message = fmt::format("non-finite state (component {}) at day {:.6g}", i, t_);
        have_step_ = false;  // reset() before further use
        return result;
      }
    }
  }
  if (t_out == t_) {
    std::copy(y_.begin(), y_.end(), y_out_.begin());
  } else {
    interpolate(t_out, y_out_);
  }
  t_out_ = t_out;
  result.t = t_out;
  return result;
}

}  // namespace il2sim::solver
