#pragma once
/// @file calibrate.hpp
/// What the `il2sim calibrate` command's two files share: its common inputs, `--posterior
/// abc-smc|prior` (docs/posterior.md: the posterior ensemble of chosen parameters given the
/// calibration targets, or the prior ensemble with its prior predictive check), and the reports'
/// number formats.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "calibration/plan.hpp"
#include "model/structure.hpp"
#include "scenario/scenario.hpp"

namespace il2sim::cli {

/// What every `calibrate` run reads: the options shared by --check, the fits, the plan and
/// --posterior.
struct CalibrateInputs {
  std::string scenario;  ///< starting values / values of what is not sampled (default: shipped)
  std::vector<std::string> sets;  ///< --set PATH=VALUE on that scenario (its [model] is the
                                  ///< structure every experiment is simulated under)
  std::string targets;            ///< targets file (default: the shipped one)
  std::string plan;               ///< plan (default: the shipped one)
  std::vector<std::string> parameters;
  std::vector<std::string> only;  ///< target ids
  unsigned threads = 1;
  double patients_scale = 1.0;
  std::string out;
  bool force = false;
  bool json = false;
  std::string likelihood = "range";  ///< --posterior, --profile: a name of likelihoods()
};

/// The options of --posterior alone. With it, `parameters` defaults to the plan's `disease` fit and
/// `only` to the targets of the plan's fits of those parameters; the plan's [priors] centre the
/// default prior.
struct PosteriorArgs {
  std::string method;               ///< "abc-smc" or "prior"
  std::vector<std::string> priors;  ///< NAME=LO:HI overrides
  double prior_factor = 4.0;
  std::size_t particles = 200;
  std::optional<int> max_moves;       ///< abc-smc only; default 8
  std::optional<std::uint64_t> seed;  ///< default 1
};

/// The sampled (posterior) or fitted-along (profile) parameters: --parameters, or else the plan's
/// `disease` fit and the parameters only the structure's forms read (kill_max under kill =
/// "saturating"). @throws UserError for a repeated name or one the structure does not read.
[[nodiscard]] std::vector<model::ParamId> sampled_parameters(const CalibrateInputs& in,
                                                             const calibration::Plan& plan,
                                                             const model::Structure& structure);

/// --only, or else the targets of every plan fit that fits one of `ids`.
[[nodiscard]] std::vector<std::string> selected_targets(const CalibrateInputs& in,
                                                        const calibration::Plan& plan,
                                                        const std::vector<model::ParamId>& ids);

/// The centre of a parameter's default prior or profile range: its value in the plan's [priors]
/// (before calibration), else `values`' (the scenario's).
[[nodiscard]] double prior_centre(const calibration::Plan& plan, const model::ParameterSet& values,
                                  model::ParamId id);

/// `calibrate --profile NAME`: the options of the profile alone (docs/posterior.md "Profile
/// likelihoods").
struct ProfileArgs {
  std::string parameter;  ///< NAME
  std::string range;      ///< LO:HI, empty: the plan's prior value ×/÷ 4
  int points = 9;
  int max_evals = 100;  ///< per grid value
  std::string optimizer = "neldermead";
};

/// Runs it and writes DIR/profile.csv and DIR/profile-report.{md,json}.
/// @throws UserError (exit 2, nothing written) for any setting it cannot honour.
void run_profile(const CalibrateInputs& in, const ProfileArgs& a);

/// Runs it and writes DIR/posterior.toml (prior: DIR/prior.toml) and
/// DIR/posterior-report.{md,json}.
/// @throws UserError (exit 2, nothing written) for any setting it cannot honour.
void run_posterior(const CalibrateInputs& in, const PosteriorArgs& a);

/// The scenario of `calibrate` (positional, default the shipped defaults) with its --set.
[[nodiscard]] scenario::Scenario start_scenario(const CalibrateInputs& in);
/// The start scenario of a command that follows a plan (the plan, --posterior, --profile): its
/// structure is the plan's `[model]` when the plan has one. @throws UserError (exit 2) when the
/// scenario or --set chose another non-default structure.
[[nodiscard]] scenario::Scenario start_scenario(const CalibrateInputs& in,
                                                const calibration::Plan& plan);

/// A number for the calibrate reports' JSON: null when not finite.
[[nodiscard]] nlohmann::json number_or_null(double x);
/// A number for the calibrate reports' Markdown: 4 significant digits, "NA", "inf" or "-inf".
[[nodiscard]] std::string fmt_value(double x);

}  // namespace il2sim::cli
