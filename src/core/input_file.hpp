#pragma once
/// @file input_file.hpp
/// Reading a user's input file whole (scenarios, calibration targets and plans, CSV data).

#include <string>
#include <string_view>

namespace il2sim::core {

/// The bytes of `path`.
/// @throws UserError naming the file, `problem` (e.g. "cannot open the scenario file") and what is
/// `allowed`, when it cannot be opened.
[[nodiscard]] std::string read_input_file(const std::string& path, std::string_view problem,
                                          std::string_view allowed = {});

}  // namespace il2sim::core
