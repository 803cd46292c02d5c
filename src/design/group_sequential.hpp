#pragma once
/// @file group_sequential.hpp
/// One-sided group-sequential boundaries from error-spending functions (Lan & DeMets 1983),
/// computed by the recursive numerical integration of Armitage, McPherson & Rowe (1969) on the grid
/// of Jennison & Turnbull (2000), Group Sequential Methods, ch. 19.
///
/// Canonical model: Z_1..Z_K at information fractions t_1 < ... < t_K = 1 are jointly normal with
/// Cov(Z_j, Z_k) = sqrt(t_j / t_k) and E[Z_k] = delta sqrt(t_k), delta the drift at full
/// information. Efficacy: reject H0 at the first look with Z_k >= b_k; b_k spends alpha(t_k) -
/// alpha(t_{k-1}) under H0, ignoring any futility bound (non-binding futility, as rpact and
/// gsDesign). Futility (optional, non-binding): stop at the first look with Z_k <= a_k; a_k spends
/// beta(t_k) - beta(t_{k-1}) under the drift delta that makes a_K = b_K (so that the power is
/// exactly 1 - beta); a_k is capped at b_k.

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace il2sim::design {

/// Error-spending families (Lan & DeMets 1983; Kim & DeMets 1987), for a total error e:
enum class Spending {
  kOBrienFleming,  ///< e(t) = 2 - 2 Phi(z_{1 - e/2} / sqrt(t))
  kPocock,         ///< e(t) = e ln(1 + (exp(1) - 1) t)
  kNone,           ///< e(t) = 0 for t < 1, e(1) = e: no stopping before the last look
};

/// Parses "obf", "pocock", "none"; nothing otherwise.
[[nodiscard]] std::optional<Spending> parse_spending(std::string_view name);
[[nodiscard]] std::string_view spending_name(Spending s);

/// Cumulative error spent by information fraction t in [0, 1] for total error `total`.
[[nodiscard]] double spent(Spending s, double total, double t);

struct GsdSettings {
  std::vector<double> info;  ///< information fractions, increasing, last = 1
  double alpha = 0.025;      ///< one-sided type I error
  Spending spending = Spending::kOBrienFleming;
  std::optional<double> beta;  ///< type II error; needed for futility and the drift
  std::optional<Spending>
      futility_spending;  ///< beta-spending family of a non-binding futility bound
  int grid_r = 32;        ///< grid density r of Jennison & Turnbull ch. 19 (about 6r points)
};

struct GsdLook {
  double info = 0.0;
  std::optional<double> efficacy_z;  ///< nothing when no alpha is spent at this look
  double cumulative_alpha = 0.0;     ///< alpha spent up to this look (under H0)
  std::optional<double> futility_z;  ///< nothing without futility or at the last look
  double cumulative_beta = 0.0;      ///< beta spent up to this look (with futility)
  double cumulative_power = 0.0;     ///< P(reject by this look) under the drift (with beta)
};

struct GsdResult {
  std::vector<GsdLook> looks;
  std::optional<double> drift;             ///< delta at full information giving power 1 - beta
  std::optional<double> inflation_factor;  ///< (delta / (z_{1-alpha} + z_{1-beta}))^2
};

/// Boundaries for the settings (preconditions: checked info, alpha and beta in (0, 1),
/// alpha + beta < 1, futility only with beta).
[[nodiscard]] GsdResult group_sequential_design(const GsdSettings& s);

/// P(Z_k >= upper_k for some k, first crossing; continuing while lower_k < Z_k < upper_k) and the
/// analogous lower-crossing probabilities, per look, under drift delta. Bounds may be +-infinity.
struct CrossingProbabilities {
  std::vector<double> upper;
  std::vector<double> lower;
};
[[nodiscard]] CrossingProbabilities crossing_probabilities(std::span<const double> info,
                                                           std::span<const double> upper,
                                                           std::span<const double> lower,
                                                           double delta, int grid_r = 32);

}  // namespace il2sim::design
