#include "core/error.hpp"

#include <cstdio>

#include <fmt/format.h>

namespace il2sim {

std::string format_user_error(const InputLocation& location, const std::string& problem,
                              const std::string& allowed) {
  std::string out;
  if (!location.file.empty()) {
    out += location.file;
    if (location.line) {
      out += fmt::format(":{}", *location.line);
      if (location.column) out += fmt::format(":{}", *location.column);
    }
    out += ": ";
  }
  if (!location.key.empty()) out += location.key + ": ";
  out += problem;
  if (!allowed.empty()) out += " (allowed: " + allowed + ")";
  return out;
}

UserError::UserError(InputLocation location, std::string problem, std::string allowed)
    : std::runtime_error(format_user_error(location, problem, allowed)),
      location_(std::move(location)) {}

UserError::UserError(std::string message) : std::runtime_error(std::move(message)) {}

void assertion_failed(const char* expr, const char* file, int line, const char* message) {
  std::fprintf(stderr, "il2sim: internal error: %s:%d: assertion '%s' failed: %s\n", file, line,
               expr, message);
  std::abort();
}

}  // namespace il2sim
