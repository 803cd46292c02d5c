#include "dosing/bsa.hpp"

#include <cmath>

namespace il2sim::dosing {

double body_surface_area(double height_cm, double weight_kg, BsaFormula formula) {
  switch (formula) {
    case BsaFormula::kMosteller:
      return std::sqrt(height_cm * weight_kg / 3600.0);
    case BsaFormula::kDuBois:
      return 0.007184 * std::pow(weight_kg, 0.425) * std::pow(height_cm, 0.725);
    case BsaFormula::kHaycock:
      return 0.024265 * std::pow(weight_kg, 0.5378) * std::pow(height_cm, 0.3964);
  }
  return std::sqrt(height_cm * weight_kg / 3600.0);
}

std::string_view to_string(BsaFormula formula) {
  switch (formula) {
    case BsaFormula::kMosteller:
      return "mosteller";
    case BsaFormula::kDuBois:
      return "dubois";
    case BsaFormula::kHaycock:
      return "haycock";
  }
  return "mosteller";
}

}  // namespace il2sim::dosing
