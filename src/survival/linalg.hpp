#pragma once
/// @file linalg.hpp
/// The symmetric factorisation the Cox fit needs, with the survival package's rule for singular
/// (aliased) columns: an LDL' decomposition in which a pivot below `toler` times the largest
/// diagonal element marks its column as redundant; solves and the inverse then treat it as zero.

#include <Eigen/Dense>

namespace il2sim::survival {

/// LDL' factor of a symmetric matrix (only the lower triangle is read).
class SymmetricFactor {
 public:
  SymmetricFactor(const Eigen::MatrixXd& a, double toler);
  /// Number of non-redundant columns.
  [[nodiscard]] int rank() const { return rank_; }
  /// False when a pivot is clearly negative (the matrix is not positive semi-definite).
  [[nodiscard]] bool nonnegative() const { return nonneg_; }
  /// True if column i was found redundant.
  [[nodiscard]] bool singular(Eigen::Index i) const { return d_(i) == 0.0; }
  /// x with A x = b on the non-redundant columns; x_i = 0 for redundant i.
  [[nodiscard]] Eigen::VectorXd solve(const Eigen::VectorXd& b) const;
  /// The generalised inverse (zero rows and columns for redundant columns).
  [[nodiscard]] Eigen::MatrixXd inverse() const;

 private:
  Eigen::MatrixXd l_;  ///< unit lower triangular (diagonal not stored)
  Eigen::VectorXd d_;
  int rank_ = 0;
  bool nonneg_ = true;
};

}  // namespace il2sim::survival
