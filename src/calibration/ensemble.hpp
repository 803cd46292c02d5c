#pragma once
/// @file ensemble.hpp
/// The ensemble file (`posterior.toml`, docs/ensemble.md): N weighted sets of model parameters and
/// the metadata of the method that produced them. The one module that reads and writes the format,
/// and that decides which set a replicate of `il2sim run --ensemble` uses.
///
///     [ensemble]
///     method = "history-matching"   # required; any other key is metadata, kept verbatim
///     [[sets]]
///     weight = 2.0                  # optional, default 1; weights are normalised
///     kN = 2.1e-5                   # names of `il2sim params`, within the table's bounds
///     model = { kill = "saturating" }   # optional: the structure the set was calibrated under
///
/// Every set names the same parameters, apart from those its `model` does not read (a mixture of
/// structural variants, `il2sim ensemble mix`). Either every set gives `model` or none does.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/parameters.hpp"
#include "model/structure.hpp"
#include "scenario/overrides.hpp"
#include "scenario/scenario.hpp"

namespace il2sim::calibration {

struct EnsembleSet {
  double weight = 1.0;  ///< as written (> 0, finite); normalised by the draw
  /// One per Ensemble::parameters, in that order; NaN for a parameter the set's model does not
  /// read (and so does not name).
  std::vector<double> values;
  /// The set's `model = {...}`: replaces the scenario's [model] in the replicates that use the
  /// set; none: the scenario's applies.
  std::optional<model::Structure> structure;
};

struct Ensemble {
  std::string method;  ///< [ensemble] method
  /// The parameters the sets give, in the order first named (a set omits those its model does not
  /// read).
  std::vector<model::ParamId> parameters;
  std::vector<EnsembleSet> sets;  ///< at least one
  std::string text;               ///< the file's bytes (copied verbatim with a run's outputs)
  std::string hash;               ///< core::fnv1a_hex(text), as the scenario's hash
  [[nodiscard]] bool sets_parameter(model::ParamId id) const;
  /// Whether the sets' structures differ (a mixture of structural variants).
  [[nodiscard]] bool mixes_structures() const;
};

/// Parses an ensemble file's text. `origin` names the file in error messages.
/// @throws UserError naming origin:line, the key, the value and what is allowed: a key other than
/// `ensemble` and `sets`, a missing or non-string `method`, no sets, a weight that is not a finite
/// number > 0, an unknown parameter (did-you-mean), a value that is not a number or outside the
/// parameter table's bounds, a set naming other parameters than the first (apart from those its
/// model does not read), a `model` that is not a table of [model] switches, a set naming a
/// parameter its model does not read, `model` in some sets only.
[[nodiscard]] Ensemble parse_ensemble(std::string_view text, const std::string& origin);

/// Reads and parses the file at `path`. @throws UserError as parse_ensemble, or when it cannot be
/// read.
[[nodiscard]] Ensemble read_ensemble(const std::string& path);

/// The ensemble as TOML text that parse_ensemble reads back to the same sets (shortest round-trip
/// numbers); `metadata` holds extra `key = value` lines of the [ensemble] table, written verbatim.
[[nodiscard]] std::string ensemble_to_toml(const Ensemble& e, std::string_view metadata = {});

/// The set replicate `replicate` of a run with `seed` uses: index k with probability
/// weight_k / sum(weights), from the stream (seed, replicate, 0, Purpose::kEnsembleSet), so it does
/// not depend on threads, ranks or --resume, and no other stream moves (common random numbers).
[[nodiscard]] std::uint32_t draw_set(const Ensemble& e, std::uint64_t seed,
                                     std::uint32_t replicate);

/// The quantile q in [0, 1] of the ensemble's values of its `index`-th parameter (over the sets
/// that give it): with equal weights R's type 7 (core::quantile), otherwise the weighted inverse
/// distribution function (the least value whose cumulative normalised weight reaches q).
[[nodiscard]] double ensemble_quantile(const Ensemble& e, std::size_t index, double q);

/// Writes set `k`'s values and its structure (if it gives one) into `scenario`.
void apply_set(const Ensemble& e, std::uint32_t k, scenario::Scenario& scenario);

/// Refuses (UserError naming the file and the set, exit 2) an ensemble whose sets have no `model`
/// and name a parameter the scenario's model does not read: the value would be ignored.
void check_structure(const Ensemble& e, const std::string& origin,
                     const scenario::Scenario& scenario);

/// Refuses (UserError naming `--set`, exit 2) a `--set parameters.NAME=...` on a parameter the
/// ensemble sets: the ensemble's value would silently replace it.
void check_overrides(const Ensemble& e, const std::string& origin,
                     std::span<const scenario::Override> overrides);

}  // namespace il2sim::calibration
