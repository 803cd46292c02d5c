#pragma once
/// @file error.hpp
/// The two error channels of il2sim (see src/README.md):
///  - UserError: bad input from a user. Carries where (file:line, key path or column), what (the
///  value)
///    and what is allowed. Formatted in one place (format_user_error) and mapped to exit code 2.
///  - Programming errors are assertions (IL2SIM_ASSERT) and abort.
/// Numerical failure of one virtual patient is neither: it is an outcome (see sim/outcome.hpp).

#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>

namespace il2sim {

/// Process exit codes, the only table of them.
enum class ExitCode : int {
  kOk = 0,
  kFailure = 1,        ///< internal error (a bug): should never happen
  kUserError = 2,      ///< bad input: file, key, value or flag
  kInterrupted = 130,  ///< SIGINT (128 + 2): stopped cleanly, a run can be resumed
  kTerminated = 143    ///< SIGTERM (128 + 15): the same, as the shell reports a terminated job
};

/// Where a bad input value was found. Every field is optional; format_user_error prints what is
/// set.
struct InputLocation {
  std::string file;            ///< path as the user gave it
  std::optional<long> line;    ///< 1-based line in file
  std::optional<long> column;  ///< 1-based column in file
  std::string key;             ///< key path (e.g. "regimens.chiron.phases[0].dose") or CSV column
};

/// An error in the user's input. `what()` is the complete one-line message.
class UserError : public std::runtime_error {
 public:
  /// @param location  where the bad value is (file, line, key)
  /// @param problem   what is wrong, including the offending value
  /// @param allowed   what is allowed instead (range, set of values, the setting to change); may be
  /// empty
  UserError(InputLocation location, std::string problem, std::string allowed = {});
  /// A user error with no file behind it (a command-line flag, say).
  explicit UserError(std::string message);

  [[nodiscard]] const InputLocation& location() const { return location_; }

 private:
  InputLocation location_;
};

/// "file:line:col: key: problem (allowed: ...)" — the one place user-facing errors are formatted.
[[nodiscard]] std::string format_user_error(const InputLocation& location,
                                            const std::string& problem, const std::string& allowed);

/// The user interrupted a command (SIGINT/SIGTERM); `what()` says what was kept and how to resume.
/// The exit code is 128 + the signal: ExitCode::kInterrupted or ExitCode::kTerminated.
class Interrupted : public std::runtime_error {
 public:
  explicit Interrupted(const std::string& what, int exit_code = 130)
      : std::runtime_error(what), exit_code_(exit_code) {}
  [[nodiscard]] int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

[[noreturn]] void assertion_failed(const char* expr, const char* file, int line,
                                   const char* message);

}  // namespace il2sim

/// Programming-error check, active in every build type: a violated invariant is a bug, never user
/// input.
#define IL2SIM_ASSERT(expr, message)                                             \
  do {                                                                           \
    if (!(expr)) ::il2sim::assertion_failed(#expr, __FILE__, __LINE__, message); \
  } while (false)
