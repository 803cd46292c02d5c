#include "core/input_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "core/error.hpp"

namespace il2sim::core {

std::string read_input_file(const std::string& path, std::string_view problem,
                            std::string_view allowed) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw UserError({path, std::nullopt, std::nullopt, ""},
                    fmt::format("{}: the path is a directory", problem),
                    allowed.empty() ? std::string("a file") : std::string(allowed));
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw UserError(
        {path, std::nullopt, std::nullopt, ""},
        errno != 0 ? fmt::format("{} ({})", problem, std::strerror(errno)) : std::string(problem),
        std::string(allowed));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    throw UserError({path, std::nullopt, std::nullopt, ""},
                    fmt::format("reading the file failed ({})", std::strerror(errno)),
                    std::string(allowed));
  }
  return buffer.str();
}

}  // namespace il2sim::core
