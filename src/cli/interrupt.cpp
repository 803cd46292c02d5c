#include "cli/interrupt.hpp"

#include <atomic>
#include <csignal>

#include "core/error.hpp"

namespace il2sim::cli {

namespace {

/// The signal received (0: none). Lock-free, so the handler may set it.
std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void on_signal(int signal) {
  g_signal.store(signal);
}

}  // namespace

InterruptGuard::InterruptGuard()
    : previous_int_(std::signal(SIGINT, on_signal)),
      previous_term_(std::signal(SIGTERM, on_signal)) {
  g_signal.store(0);
}

InterruptGuard::~InterruptGuard() {
  std::signal(SIGINT, previous_int_);
  std::signal(SIGTERM, previous_term_);
}

bool InterruptGuard::requested() {
  return g_signal.load() != 0;
}

void InterruptGuard::stop(const std::string& what) {
  const int signal = g_signal.load();
  throw Interrupted(what, 128 + (signal != 0 ? signal : SIGINT));
}

}  // namespace il2sim::cli
