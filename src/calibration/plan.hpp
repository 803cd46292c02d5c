#pragma once
/// @file plan.hpp
/// The calibration plan (calibration/plan.toml): how the shipped defaults were calibrated, as data.
/// It gives the prior value of every parameter the calibration moved (model.md's default or the
/// source's) and the fits to run in order, each fitting some parameters to some targets, starting
/// from the priors and the results of the fits before it. `il2sim calibrate --out DIR` without
/// --parameters runs it, so the shipped defaults can be reproduced by one command.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/parameters.hpp"
#include "model/structure.hpp"

namespace il2sim::calibration {

struct PlannedFit {
  std::string name;                        ///< also the folder of its outputs
  std::vector<std::string> targets;        ///< target ids of the targets file
  std::vector<model::ParamId> parameters;  ///< fitted, in this order
  std::string optimizer = "neldermead";
  int max_evaluations = 100;
  std::string why;  ///< one sentence: what the fit is for
  /// Values set before the fit starts (a starting point found by hand where the objective is flat
  /// at the priors, e.g. no event at all); `why` says how it was found. Fitted or fixed alike.
  std::vector<std::pair<model::ParamId, double>> start;
  long line = 0;  ///< of its [[fits]] table, for messages
};

struct Plan {
  /// The plan's `[model]`: the structure every fit and the final report simulate under (model v2's
  /// plans); unset for a plan of the default structure, which then takes the scenario's.
  std::optional<model::Structure> structure;
  std::vector<std::pair<model::ParamId, double>> priors;  ///< starting values, in file order
  std::vector<PlannedFit> fits;
  std::string origin;  ///< file name (or "calibration/plan.toml" when built in)
};

/// Parses and validates a plan. @throws UserError naming origin:line, the key and what is allowed.
[[nodiscard]] Plan parse_plan(std::string_view toml_text, const std::string& origin);
/// @throws UserError
[[nodiscard]] Plan load_plan_file(const std::string& path);
/// The shipped plan (calibration/plan.toml, embedded at build time).
[[nodiscard]] Plan builtin_plan();
[[nodiscard]] std::string_view builtin_plan_text();

}  // namespace il2sim::calibration
