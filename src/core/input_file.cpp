#include "core/input_file.hpp"

#include <fstream>
#include <optional>
#include <sstream>

#include "core/error.hpp"

namespace il2sim::core {

std::string read_input_file(const std::string& path, std::string_view problem,
                            std::string_view allowed) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw UserError({path, std::nullopt, std::nullopt, ""}, std::string(problem),
                    std::string(allowed));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace il2sim::core
