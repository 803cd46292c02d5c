#pragma once
/// @file targets.hpp
/// Calibration targets as data (calibration/targets.toml, embedded in the binary): named simulation
/// experiments (typical patient, population trajectories without the clinic, or a clinic cohort)
/// and targets, each a statistic of one experiment with a target value, a range and a weight. The
/// rows of the targets table of calibration-targets.md; n/N rows carry their counts and their range
/// is the Wilson 95 % interval computed here.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calibration/statistics.hpp"
#include "dosing/regimen.hpp"

namespace il2sim::calibration {

/// How an experiment's virtual patients are simulated.
enum class ExperimentKind {
  kTypical,     ///< one typical patient (no IIV, deterministic tumour, no clinic), reference solver
  kPopulation,  ///< virtual patients with IIV on a fixed dose schedule from start_day, no clinic
  kCohort       ///< virtual patients through the clinic (protocol, toxicity, events, assays)
};
[[nodiscard]] std::string_view to_string(ExperimentKind kind);

struct Experiment {
  std::string name;
  ExperimentKind kind = ExperimentKind::kCohort;
  std::string scenario;  ///< built-in scenario (or file) giving protocol and settings
  std::string cohort;    ///< a built-in cohort
  std::optional<dosing::Regimen> regimen;  ///< none = no IL-2 (observation)
  double start_day = 46.0;                 ///< typical/population: first day of the regimen
  int patients = 1;                        ///< population/cohort
  double days = 1826.0;                    ///< horizon from transplant
  double step = 0.01;                      ///< typical/population: output grid (days)
  long line = 0;                           ///< line in the targets file
};

/// One statistic, from the closed vocabulary of statistic_names().
struct StatisticSpec {
  std::string name;
  std::string column;     ///< trajectory column (typical/population statistics)
  std::string paramcd;    ///< lab (cohort lab statistics)
  std::string term;       ///< toxicity term or "any", "any_nonhaematologic"
  std::string endpoint;   ///< PFS, OS, RELAPSE
  std::string cause;      ///< not-treated cause or "any"
  std::string kind;       ///< GVHD: "acute" or "chronic"
  std::string parameter;  ///< parameter name (doubling_time)
  std::string
      population;  ///< cohort statistics: "registered" or "treated" (empty: the statistic's own)
  std::string aggregate = "median";  ///< population: "median" or "quantile"
  double p = 0.5;                    ///< quantile
  double day = 0.0;       ///< time of evaluation (days from the experiment's origin, see statistic)
  double ref_day = -1.0;  ///< reference time of fold changes (days from start)
  double from = 0.0, to = 0.0;  ///< window (days from start)
  double near = 0.25;       ///< return_day: "near baseline" = within this fraction of the reference
  double et_ratio = 0.0;    ///< lysis assays: effector:target ratio
  double scale = 1.0;       ///< multiplies the value (unit conversion)
  int grade = 1;            ///< fraction_with_grade: at least this grade
  bool complement = false;  ///< km_at: 1 − S(day) (cumulative incidence of the endpoint)
};

/// The scale of a statistic (statistics.hpp's table); kOther for a name that is not a statistic.
[[nodiscard]] StatisticScale statistic_scale(std::string_view statistic);

/// The source's data behind a target, as `calibrate --likelihood binomial` reads them
/// (docs/posterior.md "The binomial likelihood"): a proportion `observed` among `patients`
/// (successes/trials, or a percentage or Kaplan–Meier estimate with its number of patients), or
/// `observed` events per patient among `patients` (Poisson). scale kOther: no evidence, the target
/// is its range only.
struct Evidence {
  StatisticScale scale = StatisticScale::kOther;
  double observed = 0.0;
  double patients = 0.0;
};

struct Target {
  std::string id;  ///< as in calibration-targets.md, with a suffix for rows with two numbers
  std::string description;
  std::string source;
  std::string experiment;
  StatisticSpec statistic;
  double target = 0.0;
  double lower = 0.0;
  double upper = 0.0;  ///< may be +inf (one-sided "at least" ranges)
  double weight = 1.0;
  std::optional<int> successes, trials;  ///< n/N rows: the range is the Wilson 95 % interval
  Evidence evidence;  ///< from successes/trials or the `evidence` table; none for a range only
  bool informational = false;  ///< reported, never counted in met_fraction or the objective
  std::string unit;
  /// Why the shipped defaults do not meet this target (structure, conflicting sources…); printed in
  /// the fit report and --check when the target is unmet. Empty when it is met.
  std::string unmet_note;
  long line = 0;
};

struct TargetSet {
  std::uint64_t seed =
      0;  ///< common random numbers: every evaluation draws the same virtual patients
  std::map<std::string, Experiment> experiments;
  std::vector<Target> targets;
  std::string origin;  ///< file name (or "built-in")
  std::string text;    ///< the TOML text it was read from
};

/// The names of the statistics this build implements (statistics.hpp's table, in its order).
[[nodiscard]] const std::vector<std::string_view>& statistic_names();

/// Wilson score interval for `successes` of `trials` at 95 % (z = 1.959964).
struct Interval {
  double lower, upper;
};
[[nodiscard]] Interval wilson_interval(int successes, int trials);

/// Parses and validates a targets file. @throws UserError naming origin:line, the key and what is
/// allowed.
[[nodiscard]] TargetSet parse_targets(std::string_view toml_text, const std::string& origin);
/// Reads a targets file from disk. @throws UserError
[[nodiscard]] TargetSet load_targets_file(const std::string& path);
/// The shipped targets (calibration/targets.toml, embedded at build time).
[[nodiscard]] TargetSet builtin_targets();
[[nodiscard]] std::string_view builtin_targets_text();

/// FNV-1a 64-bit hash of a text, as 16 hex digits (provenance of a fit).
[[nodiscard]] std::string text_hash(std::string_view text);

}  // namespace il2sim::calibration
