#pragma once
/// @file journal.hpp
/// The run journal: each finished replicate's stage results, written atomically to
/// `<out>/.journal/replicate-NNNNNNN.json` as soon as it is reduced, so that `il2sim run --resume`
/// continues a run interrupted by SIGINT, SIGTERM or kill -9 without redoing finished replicates.
/// Doubles are written in shortest round-trip form (NaN and infinities as "nan", "inf", "-inf";
/// entries generated from the field tables of trial/result_fields.hpp), so a resumed run reduces
/// exactly the same numbers and ends with the same bytes.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "trial/programme.hpp"

namespace il2sim::trial {

[[nodiscard]] nlohmann::json to_json(const ReplicateResult& r);
/// @throws UserError naming the file when the entry is not one this build wrote.
[[nodiscard]] ReplicateResult replicate_from_json(const nlohmann::json& j,
                                                  const std::string& origin);

class Journal {
 public:
  /// `dir` is the run's output directory; `scenario_hash` identifies the resolved scenario.
  Journal(std::string dir, std::string scenario_hash);
  /// Creates the journal (a new run).
  void start() const;
  /// Checks that the journal belongs to this scenario. @throws UserError otherwise.
  void check_resumable() const;
  /// The journalled result of replicate `i`, if it finished.
  [[nodiscard]] std::optional<ReplicateResult> load(std::size_t i) const;
  void save(const ReplicateResult& r) const;
  /// Removes the journal after the run's outputs are complete.
  void remove() const;

 private:
  [[nodiscard]] std::string path(std::size_t i) const;
  std::string dir_;
  std::string hash_;
};

}  // namespace il2sim::trial
