#pragma once
/// @file statistics.hpp
/// Small descriptive statistics shared by the summaries (cohort, trial, report).

#include <vector>

namespace il2sim::core {

/// Quantile of type 7 (R's default `quantile(x, q)`) of the finite values; NaN when there are none.
[[nodiscard]] double quantile(std::vector<double> values, double q);

}  // namespace il2sim::core
