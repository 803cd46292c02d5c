#pragma once
/// @file run_data.hpp
/// Everything a finished `il2sim run` hands to its writers (summary.json, CSV views,
/// results.sqlite, report.html): the resolved scenario, the run facts of the manifest, the
/// per-replicate stage results, the operating characteristics computed from them (the typed objects
/// summary.json is generated from), and the patient records of the first replicate.

#include <string>

#include <vector>

#include "calibration/ensemble.hpp"
#include "trial/programme.hpp"
#include "trial/summary.hpp"

namespace il2sim::output {

/// The facts of a run that are a function of the build and the scenario. Timings (start, end,
/// wall time) and the execution layout (threads, ranks) are written only to manifest.json, so that
/// results.sqlite and report.html have the same bytes for identical runs.
struct RunFacts {
  std::string version;
  std::string scenario_hash;
};

struct RunData {
  const scenario::Scenario& scenario;
  const std::string& resolved_toml;        ///< scenario.toml as written
  const trial::ProgrammeSummary& summary;  ///< per-replicate results: summary.results()[r][stage]
  const std::vector<trial::StageSummary>& stats;  ///< operating characteristics, per stage
  const trial::ReplicateResult& first;            ///< replicate 0, with patient records per stage
  RunFacts facts;
  /// `run --ensemble`: the ensemble and its file as given (nullptr: a run without one). The set of
  /// each replicate is summary.ensemble_sets().
  const calibration::Ensemble* ensemble;
  std::string ensemble_file;
};

}  // namespace il2sim::output
