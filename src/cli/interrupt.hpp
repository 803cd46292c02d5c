#pragma once
// SIGINT and SIGTERM during `run` and `cohort`: the handler only records the signal; the command
// stops starting new work, leaves no partial output, and exits 128 + the signal number (130 for
// SIGINT, 143 for SIGTERM) with one message saying what was kept.
#include <string>

namespace il2sim::cli {

/// Installs the SIGINT/SIGTERM handlers for its lifetime (the previous ones are restored).
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  /// A signal has arrived since the guard was installed.
  [[nodiscard]] static bool requested();

  /// Throws il2sim::Interrupted with `what` and the exit code of the signal received.
  [[noreturn]] static void stop(const std::string& what);

 private:
  void (*previous_int_)(int);
  void (*previous_term_)(int);
};

}  // namespace il2sim::cli
