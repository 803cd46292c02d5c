#pragma once
/// @file json_number.hpp
/// A double as JSON: the number, or null where it is NaN or infinite (JSON has neither). The one
/// rule of every JSON writer. Header-only: the layers that write JSON link nlohmann_json; the core
/// library itself does not.

#include <cmath>

#include <nlohmann/json.hpp>

namespace il2sim::core {

[[nodiscard]] inline nlohmann::json json_number(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

}  // namespace il2sim::core
