#include "core/output_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "core/error.hpp"

namespace il2sim::core {

void write_file_atomically(const std::string& path, std::string_view content) {
  const std::string tmp = path + ".partial";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      throw UserError({path, std::nullopt, std::nullopt, ""},
                      fmt::format("cannot write the output file ({})", std::strerror(errno)),
                      "a path in an existing, writable directory");
    }
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) {
      std::remove(tmp.c_str());
      throw UserError({path, std::nullopt, std::nullopt, ""},
                      "writing the output file failed (disk full?)");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw UserError(
        {path, std::nullopt, std::nullopt, ""},
        fmt::format("cannot rename the finished output into place ({})", std::strerror(errno)));
  }
}

}  // namespace il2sim::core
