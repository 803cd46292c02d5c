#pragma once
// Output directories of `run` and `cohort`: created if missing, refused when non-empty without
// --force.
#include <string>

namespace il2sim::cli {

/// @throws UserError when `dir` exists, is not empty and `force` is false, or cannot be created.
void prepare_output_dir(const std::string& dir, bool force);

}  // namespace il2sim::cli
