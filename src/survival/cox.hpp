#pragma once
/// @file cox.hpp
/// Cox proportional-hazards regression as R's `coxph` (survival::coxph.fit and its C routine
/// coxfit6): Efron or Breslow ties, strata, Newton-Raphson from beta = 0 with step halving,
/// convergence when |1 - loglik_old / loglik_new| <= eps (1e-9) after a full step, at most 20
/// iterations, covariates centred and scaled internally, linear predictors clamped to [-200, 22].
/// Each iteration is O(n p^2) after one sort: risk-set sums are accumulated from the last time
/// back. Times are compared exactly: R's `timefix` (merging times that differ only by rounding
/// error) is not applied, so times R would merge must already be equal in the input.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Dense>

#include "survival/data.hpp"

namespace il2sim::survival {

enum class Ties { kEfron, kBreslow };

/// "efron" or "breslow". @throws UserError for anything else.
[[nodiscard]] Ties parse_ties(std::string_view text);

struct CoxOptions {
  Ties ties = Ties::kEfron;
  double eps = 1e-9;         ///< coxph.control(eps)
  int iter_max = 20;         ///< coxph.control(iter.max)
  double toler_chol = 0;     ///< 0: .Machine$double.eps^0.75 as coxph.control
  double toler_inf = 0;      ///< 0: sqrt(eps) as coxph.control
  double conf_level = 0.95;  ///< for the hazard-ratio interval
};

/// One coefficient. All NaN (NA) when the column is redundant (aliased).
struct CoxTerm {
  std::string term;
  double coef = 0, se = 0, z = 0, p = 0, hr = 0, hr_lower = 0, hr_upper = 0;
};

struct CoxTest {
  double chisq = 0;
  int df = 0;
  double p = 1;
};

struct CoxResult {
  std::vector<CoxTerm> terms;
  double loglik_null = 0;  ///< at beta = 0
  double loglik = 0;       ///< at the estimate
  CoxTest lr, wald, score;
  long n = 0, n_event = 0, n_dropped = 0;
  int iterations = 0;
  bool converged = true;
  std::vector<std::string> warnings;  ///< as R's warnings (e.g. a coefficient may be infinite)
  Eigen::MatrixXd variance;
};

/// A model matrix: one column per term.
struct Design {
  Eigen::MatrixXd x;
  std::vector<std::string> terms;
};

/// The model matrix of the named covariate columns over `rows`: a numeric column is one term; any
/// other column is a factor with treatment contrasts against its first level (Factor's order),
/// terms named `<column><level>` as R. @throws UserError for a factor with a single level.
[[nodiscard]] Design build_design(const CsvTable& table, std::span<const std::size_t> columns,
                                  std::span<const std::size_t> rows);

/// Fits the model. `x` has one row per observation. @throws UserError when there is no event.
[[nodiscard]] CoxResult cox_fit(std::span<const double> time, std::span<const int> event,
                                const Design& design, const Factor& strata,
                                const CoxOptions& options);

}  // namespace il2sim::survival
