#pragma once
/// @file journal.hpp
/// The run journal: each finished replicate's stage results, written atomically to
/// `<out>/.journal/replicate-NNNNNNN.json` as soon as it is reduced, so that `il2sim run --resume`
/// continues a run interrupted by SIGINT, SIGTERM or kill -9 without redoing finished replicates.
/// Doubles are written in shortest round-trip form (NaN and infinities as "nan", "inf", "-inf";
/// entries generated from the field tables of trial/result_fields.hpp), so a resumed run reduces
/// exactly the same numbers and ends with the same bytes.
///
/// An entry carries its replicate number and the hash of the run's resolved scenario (which holds
/// the seed and the replicate count). A resumed run uses an entry only when both match its file
/// name and the run, and its stages are those of the scenario; anything else (an entry copied over
/// another, one from a run with another seed, a truncated or edited file) is refused with a
/// UserError naming the file, the value found and the one expected, rather than reduced silently.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "scenario/scenario.hpp"
#include "trial/programme.hpp"

namespace il2sim::trial {

/// The replicate's fields (the MPI message between ranks).
[[nodiscard]] nlohmann::json to_json(const ReplicateResult& r);
/// @throws UserError naming the file when the entry is not one this build wrote.
[[nodiscard]] ReplicateResult replicate_from_json(const nlohmann::json& j,
                                                  const std::string& origin);

/// What a journal entry must match to be used by a run.
struct EntryExpected {
  std::uint32_t replicate = 0;     ///< the number in the entry's file name
  std::string_view scenario_hash;  ///< the run's (core::fnv1a_hex of the resolved scenario)
  const scenario::Scenario* scenario = nullptr;  ///< the run's, for the stages of the result
};

/// The text of the journal entry of `r`: its fields (to_json) and "scenario_hash".
[[nodiscard]] std::string journal_entry(const ReplicateResult& r, std::string_view scenario_hash);
/// Reads the journal entry `text` of file `origin`.
/// @throws UserError naming `origin`, the value found and the one expected, and what to do, when
/// the text is not a JSON entry of this build (truncated or edited), or its replicate, scenario
/// hash or stages differ from `expected`.
[[nodiscard]] ReplicateResult read_journal_entry(std::string_view text, const std::string& origin,
                                                 const EntryExpected& expected);

class Journal {
 public:
  /// `dir` is the run's output directory; `s` the run's scenario (kept by reference) and
  /// `scenario_hash` the hash of its resolved text.
  Journal(std::string dir, const scenario::Scenario& s, std::string scenario_hash);
  /// Creates the journal (a new run).
  void start() const;
  /// Checks that the journal belongs to this scenario. @throws UserError otherwise.
  void check_resumable() const;
  /// The journalled result of replicate `i`, if it finished.
  /// @throws UserError when its entry is not one of this run (read_journal_entry).
  [[nodiscard]] std::optional<ReplicateResult> load(std::uint32_t i) const;
  void save(const ReplicateResult& r) const;
  /// Removes the journal after the run's outputs are complete.
  void remove() const;

 private:
  [[nodiscard]] std::string path(std::uint32_t i) const;
  std::string dir_;
  const scenario::Scenario& s_;
  std::string hash_;
};

}  // namespace il2sim::trial
