#pragma once
/// @file bsa.hpp
/// Body-surface area formulas (m²) from height (cm) and weight (kg).

#include <string_view>

namespace il2sim::dosing {

enum class BsaFormula {
  kMosteller,  ///< sqrt(H·W/3600) — Mosteller RD, N Engl J Med 1987;317:1098 (the default)
  kDuBois,     ///< 0.007184·W^0.425·H^0.725 — Du Bois & Du Bois, Arch Intern Med 1916;17:863
  kHaycock     ///< 0.024265·W^0.5378·H^0.3964 — Haycock et al., J Pediatr 1978;93:62
};

/// Body-surface area in m². Height and weight must be positive (checked at the input edge).
[[nodiscard]] double body_surface_area(double height_cm, double weight_kg, BsaFormula formula);

[[nodiscard]] std::string_view to_string(BsaFormula formula);

}  // namespace il2sim::dosing
