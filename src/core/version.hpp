#pragma once
#include <string_view>

namespace il2sim {
/// Tool version, written into every manifest: the project's VERSION in CMakeLists.txt, its one
/// home (core/version.cpp is compiled with it).
extern const std::string_view kVersion;
}  // namespace il2sim
