#pragma once
/// @file output_file.hpp
/// Outputs are written to a temporary name beside the target and renamed when complete, so that a
/// killed run never leaves a file that looks finished.

#include <string>
#include <string_view>

namespace il2sim::core {

/// Writes `content` to `path` atomically (temporary file + rename).
/// @throws UserError if the directory is missing or not writable.
void write_file_atomically(const std::string& path, std::string_view content);

}  // namespace il2sim::core
