#include "core/version.hpp"

#ifndef IL2SIM_VERSION
#error \
    "IL2SIM_VERSION comes from project(il2sim VERSION ...) in CMakeLists.txt (src/core/CMakeLists.txt)"
#endif

namespace il2sim {
const std::string_view kVersion = IL2SIM_VERSION;
}  // namespace il2sim
