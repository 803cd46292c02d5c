#pragma once
/// @file commands.hpp
/// What the CLI's subcommands (src/cli) and the public API (include/il2sim/il2sim.hpp) share, in
/// one home: the checks of their options, a run's scenario, a cohort's arm and row context and its
/// summary.json, a trajectory, and a sweep's grid, points and point runner. Errors are UserError
/// with the CLI's messages; the CLI prints them, the API rethrows them as api::Error.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "clinic/patient.hpp"
#include "output/cohort_summary.hpp"
#include "output/patient_fields.hpp"
#include "output/sweep.hpp"
#include "scenario/overrides.hpp"
#include "scenario/scenario.hpp"
#include "sim/trajectory.hpp"

namespace il2sim::api {

/// Defaults of the options (the CLI shows them in --help).
inline constexpr double kCohortDays = 1826.0;
inline constexpr double kTrajectoryDays = 730.0;
inline constexpr double kTrajectoryStep = 0.25;
/// The largest virtual patient number of `trajectory --patient K` (K from 1).
inline constexpr std::uint32_t kMaxPatient = 100'000'000;
/// The most grid points one sweep runs: the product of the value counts above it is refused
/// before anything runs (a typo such as a 50-value list on three paths is 125,000 runs).
inline constexpr std::size_t kMaxGridPoints = 1000;

/// Loads the scenario of a command with the given overrides (a built-in name or file, or text).
using ScenarioLoader =
    std::function<scenario::Scenario(std::span<const scenario::Override> overrides)>;

/// @throws UserError unless 1 <= threads <= 1024 (`--threads`).
void check_threads(unsigned threads);
/// @throws UserError unless 1 <= replicates <= 1000000 (`--replicates`).
void check_replicates(const std::optional<long>& replicates);
/// The largest seed: the scenario's `seed` is a TOML integer (signed 64-bit), so a seed given on
/// the command line must fit there too, or the resolved scenario.toml written with the outputs
/// could not be run again.
inline constexpr std::uint64_t kMaxSeed = 9223372036854775807ULL;  // 2^63 - 1
/// Empty when `text` is a seed (the integers 0..2^63-1 in decimal); otherwise what is wrong.
[[nodiscard]] std::string seed_problem(const std::string& text);
/// @throws UserError naming `--seed` for a seed above kMaxSeed.
void check_seed(const std::optional<std::uint64_t>& seed);

/// The scenario of `run`: the threads and replicates checked, the scenario loaded, the seed and
/// replicates applied, `--patient-data` checked and trial stages required.
[[nodiscard]] scenario::Scenario run_scenario(const ScenarioLoader& load,
                                              std::span<const scenario::Override> sets,
                                              const std::optional<std::uint64_t>& seed,
                                              const std::optional<long>& replicates,
                                              unsigned threads, std::string_view patient_data);

/// A cohort's scenario, arm and what its rows and summary need.
struct CohortSetup {
  scenario::Scenario scenario;
  std::string arm;      ///< the arm's name
  std::string product;  ///< the arm's IL-2 product ("" without a regimen)
  /// NK/CD8 fold change: the day after the last planned infusion of the first IL-2 regimen.
  double fold_offset = 19.0;
  [[nodiscard]] const scenario::ArmSpec& arm_spec() const;
  [[nodiscard]] const scenario::CohortSpec& cohort() const;
  /// A cohort has no stage: STAGE and STAGE_INDEX are missing; STUDYID is the scenario.
  [[nodiscard]] output::RowContext context() const;
  /// Virtual patient i + 1 of the arm (replicate 0) through the clinic for `days`.
  [[nodiscard]] clinic::PatientRecord simulate(std::size_t i, double days) const;
};

/// `cohort`: the options checked, the scenario loaded with its seed, the arm found (`arm` empty:
/// the scenario's only arm). @throws UserError with the CLI's messages.
[[nodiscard]] CohortSetup cohort_setup(const ScenarioLoader& load,
                                       std::span<const scenario::Override> sets,
                                       const std::string& arm, long patients, double days,
                                       const std::optional<std::uint64_t>& seed, unsigned threads);

/// The counts a cohort gathers besides its CohortSummary.
struct CohortTotals {
  long patients = 0;
  double days = 0.0;
  long rhs_evals = 0;
  std::vector<std::string> failures;  ///< numerical failure messages, in patient order
  /// Counts patient `r` (call in patient order).
  void add(const clinic::PatientRecord& r);
};
/// summary.json of `cohort`.
[[nodiscard]] nlohmann::json cohort_json(const CohortSetup& c, const output::CohortSummary& s,
                                         const CohortTotals& t);

/// `trajectory`'s options.
struct TrajectorySettings {
  std::string arm;                       ///< "" : the first arm
  std::optional<std::uint32_t> patient;  ///< none: the typical patient
  std::optional<std::uint64_t> seed;
  double days = kTrajectoryDays;
  double step = kTrajectoryStep;
  std::optional<std::string> mode;  ///< reference or fast
};
/// The trajectory of `trajectory`. @throws UserError with the CLI's messages.
[[nodiscard]] sim::TrajectoryRecorder trajectory_of(const ScenarioLoader& load,
                                                    std::span<const scenario::Override> sets,
                                                    const TrajectorySettings& t);

/// One `--grid`: a scenario path and its values, in the order given.
struct Grid {
  std::string path;
  std::vector<output::GridValue> values;
};
/// A grid value: the text and the TOML value the scenario receives for it, as JSON.
[[nodiscard]] output::GridValue grid_value(const std::string& text);

/// `sweep`'s options besides the grid.
struct SweepSettings {
  std::optional<std::uint64_t> seed;
  std::optional<long> replicates;
  unsigned threads = 1;
  std::vector<scenario::Override> sets;
  std::vector<std::string> set_texts;  ///< as given (sweep.sqlite's run facts)
};
/// Checks the grids against each other, --set, --seed and --replicates and the size of the grid.
void check_grids(const std::vector<Grid>& grids, const SweepSettings& s);
/// Every grid point's scenario, validated before anything runs; fills `table`'s points (values,
/// hash, seed, replicates), paths and facts.
[[nodiscard]] std::vector<scenario::Scenario> sweep_scenarios(const ScenarioLoader& load,
                                                              const SweepSettings& s,
                                                              const std::vector<Grid>& grids,
                                                              output::SweepTable& table);

/// Runs each scenario's replicates on `threads` threads (a single run parallelizes its patients
/// instead) and returns each point's stages with their outputs, in point order (the same for any
/// thread count). `stop` is asked before each run; `done` counts the runs made.
[[nodiscard]] std::vector<std::vector<output::SweepStage>> run_points(
    const std::vector<scenario::Scenario>& scenarios, unsigned threads, bool progress,
    const std::function<bool()>& stop, std::size_t& done);

}  // namespace il2sim::api
