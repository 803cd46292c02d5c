#include "cli/sweep_runner.hpp"

#include <fmt/format.h>

#include "api/commands.hpp"
#include "cli/interrupt.hpp"

namespace il2sim::cli {

std::vector<std::vector<output::SweepStage>> run_points(
    const std::vector<scenario::Scenario>& scenarios, unsigned threads, bool show_progress,
    const std::string& out) {
  std::size_t done = 0;
  auto stages = api::run_points(
      scenarios, threads, show_progress, [] { return InterruptGuard::requested(); }, done);
  std::size_t n = 0;
  for (const auto& s : scenarios) n += static_cast<std::size_t>(s.replicates);
  if (done < n) {
    InterruptGuard::stop(
        fmt::format("interrupted after {} of {} runs; nothing was written to {}", done, n, out));
  }
  return stages;
}

}  // namespace il2sim::cli
