#include "survival/linalg.hpp"

#include <cmath>

namespace il2sim::survival {

SymmetricFactor::SymmetricFactor(const Eigen::MatrixXd& a, double toler) {
  const Eigen::Index n = a.rows();
  Eigen::MatrixXd m = a.triangularView<Eigen::Lower>();
  double eps = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) eps = std::max(eps, m(i, i));
  eps = eps == 0.0 ? toler : eps * toler;
  d_ = Eigen::VectorXd::Zero(n);
  l_ = Eigen::MatrixXd::Identity(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double pivot = m(i, i);
    if (!std::isfinite(pivot) || pivot < eps) {
      if (pivot < -8 * eps) nonneg_ = false;
      continue;  // redundant column: d_ stays 0, its L column stays zero
    }
    ++rank_;
    d_(i) = pivot;
    for (Eigen::Index j = i + 1; j < n; ++j) {
      const double t = m(j, i) / pivot;
      l_(j, i) = t;
      m(j, j) -= t * t * pivot;
      for (Eigen::Index k = j + 1; k < n; ++k) m(k, j) -= t * m(k, i);
    }
  }
}

Eigen::VectorXd SymmetricFactor::solve(const Eigen::VectorXd& b) const {
  const Eigen::Index n = b.size();
  Eigen::VectorXd y = b;
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < i; ++j) y(i) -= l_(i, j) * y(j);
  }
  for (Eigen::Index i = 0; i < n; ++i) y(i) = d_(i) == 0.0 ? 0.0 : y(i) / d_(i);
  for (Eigen::Index i = n - 1; i >= 0; --i) {
    for (Eigen::Index j = i + 1; j < n; ++j) y(i) -= l_(j, i) * y(j);
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    if (d_(i) == 0.0) y(i) = 0.0;
  }
  return y;
}

Eigen::MatrixXd SymmetricFactor::inverse() const {
  const Eigen::Index n = d_.size();
  Eigen::MatrixXd inv(n, n);
  for (Eigen::Index j = 0; j < n; ++j) {
    Eigen::VectorXd e = Eigen::VectorXd::Zero(n);
    e(j) = 1.0;
    inv.col(j) = solve(e);
  }
  for (Eigen::Index j = 0; j < n; ++j) {
    if (d_(j) == 0.0) {
      inv.row(j).setZero();
      inv.col(j).setZero();
    }
  }
  return inv;
}

}  // namespace il2sim::survival
