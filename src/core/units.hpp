#pragma once
/// @file units.hpp
/// Calendar units shared by every layer: the one home of the days in a month and a year (the
/// Julian year of 365.25 days, as survival analyses in months and years use).

namespace il2sim::core {

inline constexpr double kDaysPerYear = 365.25;
inline constexpr double kDaysPerMonth = kDaysPerYear / 12.0;

}  // namespace il2sim::core
