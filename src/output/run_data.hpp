#pragma once
/// @file run_data.hpp
/// Everything a finished `il2sim run` hands to its writers (summary.json, CSV views,
/// results.sqlite, report.html): the resolved scenario, the run facts of the manifest, the
/// per-replicate stage results, and the patient records of the first replicate.

#include <string>

#include <nlohmann/json.hpp>

#include "trial/programme.hpp"

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
  const nlohmann::json& summary_json;      ///< summary.json as written
  const trial::ReplicateResult& first;     ///< replicate 0, with patient records per stage
  RunFacts facts;
};

}  // namespace il2sim::output
