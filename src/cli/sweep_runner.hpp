#pragma once
/// @file sweep_runner.hpp
/// The point runner of `sweep` and `sensitivity`: every (point, replicate) of a list of scenarios
/// run on a pool of threads, each point's stages reduced to their outputs (output/sweep.hpp) in
/// replicate order, so the results do not depend on the thread count.

#include <string>
#include <vector>

#include "output/sweep.hpp"
#include "scenario/scenario.hpp"

namespace il2sim::cli {

/// Runs each scenario's replicates (a single run parallelizes its patients instead) and returns
/// each point's stages with their outputs, in point order. The progress bar counts runs (points ×
/// replicates). On SIGINT/SIGTERM (an InterruptGuard must be active) it stops with exit 130/143,
/// saying that nothing was written to `out`.
[[nodiscard]] std::vector<std::vector<output::SweepStage>> run_points(
    const std::vector<scenario::Scenario>& scenarios, unsigned threads, bool progress,
    const std::string& out);

}  // namespace il2sim::cli
