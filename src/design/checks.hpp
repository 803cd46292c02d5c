#pragma once
/// @file checks.hpp
/// Named input checks for design settings (style: check once, at the edge, then trust). Each throws
/// UserError naming the setting (`key`: a CLI flag such as "--p0" or a scenario key path), the
/// value and what is allowed. The design functions themselves only assert their preconditions.

#include <span>
#include <string_view>

namespace il2sim::design {

/// 0 < value < 1.
void check_open_unit(std::string_view key, double value);
/// lower < value < upper (both exclusive), finite.
void check_between(std::string_view key, double value, double lower, double upper);
/// value is an integer in [lower, upper].
void check_int_range(std::string_view key, long value, long lower, long upper);
/// Values strictly increasing, each in (0, 1], last equal to 1 (information fractions).
void check_information_fractions(std::string_view key, std::span<const double> info);
/// Each value in (0, 1) and the list not empty.
void check_probabilities(std::string_view key, std::span<const double> p);
/// Each value in (0, 1), non-decreasing with dose: true DLT probabilities per dose, which every
/// escalation design assumes monotone (a decreasing curve is a typing error more often than a
/// design question, and the 3+3's operating characteristics would silently describe it).
void check_dose_toxicity(std::string_view key, std::span<const double> p);
/// Each value in (0, 1), strictly increasing (a dose-toxicity skeleton).
void check_skeleton(std::string_view key, std::span<const double> skeleton);

}  // namespace il2sim::design
