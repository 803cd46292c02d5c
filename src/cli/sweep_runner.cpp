#include "cli/sweep_runner.hpp"

#include <algorithm>
#include <functional>
#include <optional>

#include <fmt/format.h>

#include "cli/interrupt.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"
#include "trial/programme.hpp"
#include "trial/summary.hpp"

namespace il2sim::cli {
namespace {

struct Produced {
  trial::ReplicateResult result;
  bool skipped = false;  ///< not run: interrupted
};

}  // namespace

std::vector<std::vector<output::SweepStage>> run_points(
    const std::vector<scenario::Scenario>& scenarios, unsigned threads, bool show_progress,
    const std::string& out) {
  // Work item k is replicate k - start[p] of point p, start[p] <= k < start[p + 1] (a grid over
  // `replicates` gives the points different counts).
  std::vector<std::size_t> start{0};
  for (const auto& s : scenarios)
    start.push_back(start.back() + static_cast<std::size_t>(s.replicates));
  const std::size_t n = start.back();
  const auto point_of = [&start](std::size_t k) {
    return static_cast<std::size_t>(std::upper_bound(start.begin(), start.end(), k) -
                                    start.begin()) -
           1;
  };
  const unsigned outer = n > 1 ? threads : 1;  // a single run parallelizes its patients instead
  const unsigned inner = n > 1 ? 1 : threads;
  const std::function<Produced(std::size_t)> produce = [&](std::size_t k) {
    Produced p;
    if (InterruptGuard::requested()) {
      p.skipped = true;
    } else {
      const std::size_t point = point_of(k);
      p.result = trial::run_replicate(scenarios[point],
                                      static_cast<std::uint32_t>(k - start[point]), false, inner);
    }
    return p;
  };
  std::vector<std::vector<output::SweepStage>> stages(scenarios.size());
  std::optional<trial::ProgrammeSummary> summary;
  std::size_t done = 0;
  core::Progress progress(static_cast<long>(n), "runs", core::progress_wanted(show_progress));
  const std::function<void(std::size_t, Produced&)> consume = [&](std::size_t k, Produced& p) {
    if (p.skipped) return;
    const std::size_t point = point_of(k);
    if (k == start[point]) summary.emplace(scenarios[point]);
    summary->add(p.result);
    progress.update(static_cast<long>(++done));
    if (k + 1 < start[point + 1]) return;
    const auto stats = trial::stage_summaries(*summary);
    for (std::size_t i = 0; i < stats.size(); ++i) {
      const auto& st = scenarios[point].stages[i];
      stages[point].push_back({st.name, output::stage_outputs(trial::stage_json(st, stats[i]))});
    }
    summary.reset();
  };
  core::ordered_parallel_for<Produced>(n, outer, produce, consume);
  progress.finish();
  if (done < n) {
    InterruptGuard::stop(
        fmt::format("interrupted after {} of {} runs; nothing was written to {}", done, n, out));
  }
  return stages;
}

}  // namespace il2sim::cli
