#pragma once
/// @file isotonic.hpp
/// Weighted isotonic (non-decreasing) regression by the pool-adjacent-violators algorithm
/// (Barlow, Bartholomew, Bremner & Brunk 1972; Robertson, Wright & Dykstra 1988, ch. 1).

#include <span>
#include <vector>

namespace il2sim::design {

/// The non-decreasing sequence m minimising sum_i w_i (y_i - m_i)^2. Weights must be positive and
/// have the size of `y`. Adjacent violators are pooled into their weighted mean until none remain.
[[nodiscard]] std::vector<double> isotonic_regression(std::span<const double> y,
                                                      std::span<const double> w);

}  // namespace il2sim::design
