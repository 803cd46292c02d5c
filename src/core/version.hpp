#pragma once
#include <string_view>

namespace il2sim {
/// Tool version, written into every manifest.
inline constexpr std::string_view kVersion = "0.1.0";
}  // namespace il2sim
