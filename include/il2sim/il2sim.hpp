#pragma once
/// @file il2sim/il2sim.hpp
/// The public C++ API of il2sim (the header set the R and Python bindings call in-process;
/// installed under include/il2sim/ by `cmake --install`). Every function runs the same library code
/// as the CLI subcommand of the same name and gives the same numbers for the same scenario, options
/// and seed. Errors are thrown as il2sim::api::Error carrying the CLI's message (the one it prints
/// after "il2sim: error: "); nothing is written to disk.
///
/// Implemented in src/api (component il2sim_api); the bindings link the shared library libil2sim.so
/// (CMake target il2sim_shared). The CLI calls the same functions of src/api for what they share
/// (option checks, scenario loading with overrides, the cohort's set-up, the trajectory, the
/// sweep's grid and point runner), so there is one home for each.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace il2sim::api {

/// A user error (bad scenario, unknown --set path, option out of range): the CLI's message.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One typed column. Exactly one of reals/integers/texts is filled (by `type`); `missing[i]` is 1
/// where the CLI writes "NA" (R: NA, pandas: NaN/None).
struct Column {
  enum class Type { real, integer, text };
  std::string name;   ///< the CSV column name (ADaM-style upper case for the views)
  std::string label;  ///< the field table's description
  std::string unit;   ///< the field table's unit ("" when none)
  Type type = Type::real;
  std::vector<double> reals;
  std::vector<std::int64_t> integers;
  std::vector<std::string> texts;
  std::vector<std::uint8_t> missing;
};

/// A data frame: columns of equal length, in the CSV view's column order.
struct Table {
  std::vector<Column> columns;
  [[nodiscard]] std::size_t rows() const;
};

/// Where a scenario comes from: a built-in name or a TOML file path (as `il2sim run NAME|FILE`),
/// TOML text, or JSON text of the same tree (objects are tables, arrays of objects arrays of
/// tables: how an R list / Python dict is passed).
struct ScenarioInput {
  enum class Kind { name_or_file, toml, json };
  Kind kind = Kind::name_or_file;
  std::string text;  ///< "" with name_or_file: the built-in default scenario
};

/// `--set PATH=VALUE` overrides, in order (VALUE as on the command line).
using Overrides = std::vector<std::pair<std::string, std::string>>;

struct RunOptions {
  std::optional<std::uint64_t> seed;
  std::optional<long> replicates;
  Overrides set;
  unsigned threads = 1;
  std::string patient_data = "first";  ///< as --patient-data: first, all, or N,M,...
};

struct RunResult {
  Table
      summary;  ///< operating characteristics: stage, output, value, mc_se (as sweep.csv's columns)
  Table adsl, adtte, adlb, adae, ex;  ///< the CSV views, same rows and values as the files
  Table adtte_cuts;                   ///< adtte_cuts.csv: ADTTE at each look's data cut
  std::string summary_json;           ///< summary.json, byte for byte
  std::string scenario_toml;          ///< the resolved scenario.toml, byte for byte
};

/// `il2sim run`.
[[nodiscard]] RunResult run(const ScenarioInput& scenario, const RunOptions& options = {});

struct CohortOptions {
  std::string arm;  ///< required unless the scenario has one arm
  long patients = 100;
  std::optional<double> days;
  std::optional<std::uint64_t> seed;
  Overrides set;
  unsigned threads = 1;
};
struct CohortResult {
  Table adsl, adtte, adlb, adae, ex;
  std::string summary_json;
};
/// `il2sim cohort`.
[[nodiscard]] CohortResult cohort(const ScenarioInput& scenario, const CohortOptions& options);

struct TrajectoryOptions {
  std::string arm;
  std::optional<long> patient;  ///< nullopt with typical
  bool typical = false;
  std::optional<double> days, step;
  std::optional<std::uint64_t> seed;
  Overrides set;
  std::optional<std::string> mode;  ///< as --mode: reference or fast (default as the CLI's)
};
/// `il2sim trajectory`: the rows and columns of its CSV (the CSV rounds day to 10 and the other
/// columns to 8 significant digits; the table holds the full doubles).
[[nodiscard]] Table trajectory(const ScenarioInput& scenario, const TrajectoryOptions& options);

/// `il2sim params`: the parameter table (name, unit, default, IIV, range, source, ...).
[[nodiscard]] Table params();

struct SweepOptions {
  std::vector<std::pair<std::string, std::vector<std::string>>> grid;  ///< PATH -> values
  std::optional<std::uint64_t> seed;
  std::optional<long> replicates;
  Overrides set;
  unsigned threads = 1;
};
/// `il2sim sweep`: the rows of sweep.csv (swept PATH columns, then stage, output, value, mc_se).
[[nodiscard]] Table sweep(const ScenarioInput& scenario, const SweepOptions& options);

/// The engine's version (as `il2sim --version`).
[[nodiscard]] std::string version();

/// A seed given as text (how a binding passes a number its language may not hold exactly): the
/// integers 0 to 2^63 - 1 in decimal, as `--seed`. @throws Error with the CLI's message otherwise.
[[nodiscard]] std::uint64_t parse_seed(const std::string& text);

}  // namespace il2sim::api
