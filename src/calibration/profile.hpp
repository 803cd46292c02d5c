#pragma once
/// @file profile.hpp
/// Profile likelihoods (`il2sim calibrate --profile NAME`, docs/posterior.md "Profile
/// likelihoods"): one parameter held at each value of a grid while the others are fitted to the
/// targets by maximum likelihood (a likelihood of likelihood.hpp), warm-started from the
/// neighbouring grid value, outward from the grid value nearest the starting point. The deviance
/// 2·(−log L − min −log L) against χ²₁ gives the profile's 95 % interval (Venzon & Moolgavkar 1988
/// by grid and linear interpolation).

#include <vector>

#include "calibration/fit.hpp"
#include "calibration/likelihood.hpp"
#include "calibration/smc.hpp"

namespace il2sim::calibration {

/// χ²₁ quantile 0.95 (qchisq(0.95, 1) in R): the deviance threshold of a 95 % profile interval.
inline constexpr double kChiSquare1At95 = 3.841458820694124;

struct ProfilePoint {
  double value = 0.0;               ///< the profiled parameter's value
  double neg_log_likelihood = 0.0;  ///< at the others' optimum
  double deviance = 0.0;            ///< 2·(neg_log_likelihood − its minimum over the grid)
  std::vector<double> others;       ///< the other parameters' optimum (FitResult::best)
  int met = 0, counted = 0;         ///< targets met there
  int evaluations = 0;
  std::string stop_reason;
};

struct Profile {
  model::ParamId parameter{};
  std::vector<model::ParamId> others;
  std::vector<ProfilePoint> points;             ///< in grid order (ascending)
  double ci_lower = 0.0, ci_upper = 0.0;        ///< where the deviance crosses kChiSquare1At95
  bool lower_open = false, upper_open = false;  ///< the deviance stays below at that grid edge
  int evaluations = 0;
};

/// `points` values over `range` (log-spaced when range.log_scale), ascending, both ends included.
[[nodiscard]] std::vector<double> profile_grid(const PriorRange& range, int points);

/// The profile of `parameter` over `grid` with `fit.parameters` (not containing it) refitted at
/// each value by fit() under `fit`'s settings, minimising −log L under `likelihood`
/// (fit.objective is replaced).
/// `start` gives the starting values of the first fit. `on_point` (optional) reports each point.
[[nodiscard]] Profile profile_likelihood(
    const Evaluator& evaluator, const model::ParameterSet& start, model::ParamId parameter,
    const std::vector<double>& grid, FitOptions fit, Likelihood likelihood,
    const std::function<void(const ProfilePoint&)>& on_point = {});

/// The interval where the deviance of `points` (ascending values) is at most `threshold`, by
/// linear interpolation of the deviance between grid values around its minimum; an end whose
/// deviance stays at or below the threshold up to the grid's edge is that edge, flagged open.
void profile_interval(Profile& p, double threshold = kChiSquare1At95);

}  // namespace il2sim::calibration
