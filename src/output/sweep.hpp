#pragma once
/// @file sweep.hpp
/// The tidy table of `il2sim sweep` (interfaces.md, Version 2 contracts): one row per grid point
/// and stage output, with the swept values as columns named by their scenario path, then `stage`,
/// `output`, `value` and `mc_se`; written as sweep.csv, sweep.sqlite (tables `sweep`, `points`,
/// `runs`), sweep.html (a plot of each output against the swept values) and the `--json` object.
///
/// The outputs of a stage are not a hand list: they are every numeric leaf of the stage's
/// summary.json object (trial::stage_json, itself generated from the typed summaries' field
/// tables), named as in results.sqlite's operating_characteristics (json_leaves.hpp:
/// `arms[0].pfs_median_months`). A leaf `X_mc_se` is the Monte Carlo SE of the leaf `X` beside it:
/// it fills X's `mc_se` and is not an output of its own.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/fields.hpp"
#include "scenario/scenario.hpp"
#include "trial/summary.hpp"

namespace il2sim::output {

/// One output of one stage at one grid point. NaN is a missing value (CSV empty, SQL NULL, JSON
/// null).
struct SweepOutput {
  std::string name;  ///< dotted key path in the stage's summary.json object
  double value = 0.0;
  double mc_se = 0.0;
};

/// Every numeric leaf of a stage's summary.json object as an output, in the object's key order
/// (arrays by index); `X_mc_se` leaves fill the mc_se of `X` (NaN when there is none).
[[nodiscard]] std::vector<SweepOutput> stage_outputs(const nlohmann::json& stage_object);

/// One swept value: the text given on the command line and its typed value (the TOML value the
/// scenario received: a number, a boolean, a string, or an array or table of them).
struct GridValue {
  std::string text;
  nlohmann::json value;
};

/// The outputs of one stage at one grid point.
struct SweepStage {
  std::string name;
  std::vector<SweepOutput> outputs;
};

/// Every stage of `s` with its outputs (stage_outputs of its summary.json object), in stage order.
[[nodiscard]] std::vector<SweepStage> sweep_stages(const scenario::Scenario& s,
                                                   const std::vector<trial::StageSummary>& stats);

/// One row of the tidy table after the swept values: a stage and one of its outputs.
struct SweepRow {
  const SweepStage& stage;
  const SweepOutput& output;
};
/// The columns `stage, output, value, mc_se` of sweep.csv (and of the operating characteristics
/// the API returns from a run); a NaN value or SE is missing.
[[nodiscard]] core::FieldTable<SweepRow> sweep_row_fields();

struct SweepPoint {
  std::vector<GridValue> set;  ///< one per grid path, in the order of SweepTable::paths
  std::string scenario_hash;   ///< of the point's resolved scenario
  std::uint64_t seed = 0;
  long replicates = 0;
  std::vector<SweepStage> stages;
};

/// The facts of a sweep that are a function of the build and the command line (no timings: the
/// outputs have the same bytes for identical sweeps).
struct SweepFacts {
  std::string version;
  std::string scenario;               ///< its name
  std::optional<std::uint64_t> seed;  ///< none when a grid over `seed` varies it
  std::optional<long> replicates;     ///< none when a grid over `replicates` varies it
  std::vector<std::string> sets;      ///< the --set texts, in order
};

struct SweepTable {
  std::vector<std::string> paths;  ///< the grid paths, first varying slowest
  std::vector<SweepPoint> points;  ///< the cartesian product of the grid values, in order
  SweepFacts facts;
};

/// Gives every point the same stages and outputs in the same order: the union over the points (a
/// name one point lacks goes before the next name it shares with the others, so names sorted at
/// every point stay sorted); an output a point lacks (an MTD no replicate selected there) is NaN.
void align_outputs(SweepTable& table);

/// sweep.csv: header `PATH..., stage, output, value, mc_se`; numbers in their shortest round-trip
/// text; a missing value empty.
[[nodiscard]] std::string sweep_csv(const SweepTable& table);

/// `{"points":[{"set":{PATH:value,...},"stages":{NAME:{OUTPUT:{"value":x,"mc_se":x}}}}]}`.
[[nodiscard]] nlohmann::json sweep_json(const SweepTable& table);

/// sweep.sqlite (tables `sweep`; `points`: point, the grid values, scenario_hash, seed and
/// replicates unless they are grid paths;
/// `runs`: the facts, seed and replicates NULL when they vary), built in `<path>.partial` in one
/// transaction and renamed into place.
/// @throws UserError if the file cannot be created or written.
void write_sweep_db(const std::string& path, const SweepTable& table);

/// sweep.html: a self-contained page with the run facts, the grid, and per stage output a plot of
/// value against the first swept value, one line per value of the other paths, error bars of
/// ± 2 mc_se where there is one.
[[nodiscard]] std::string sweep_html(const SweepTable& table);

}  // namespace il2sim::output
