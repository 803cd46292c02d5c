#include "cli/output_dir.hpp"

#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "core/error.hpp"

namespace il2sim::cli {

void prepare_output_dir(const std::string& dir, bool force) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) {
      throw UserError({dir, std::nullopt, std::nullopt, "--out"}, "exists and is not a directory",
                      "a new or empty directory");
    }
    if (!fs::is_empty(dir, ec) && !force) {
      throw UserError({dir, std::nullopt, std::nullopt, "--out"}, "directory is not empty",
                      "a new or empty directory, or --force to overwrite");
    }
    return;
  }
  fs::create_directories(dir, ec);
  if (ec) {
    throw UserError({dir, std::nullopt, std::nullopt, "--out"},
                    fmt::format("cannot create the directory ({})", ec.message()));
  }
}

}  // namespace il2sim::cli
