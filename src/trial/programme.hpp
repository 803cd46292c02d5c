#pragma once
/// @file programme.hpp
/// A scenario's stages run in order for one replicate (the MTD of a dose-escalation stage carried
/// into the stages that name it in `dose_from`), and the operating characteristics over replicates.

#include <functional>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "trial/stages.hpp"

namespace il2sim::trial {

using StageResult = std::variant<EscalationResult, SingleArmResult, RandomizedResult>;

struct ReplicateResult {
  std::uint32_t replicate = 0;
  std::vector<StageResult> stages;
  std::vector<std::string> skipped;  ///< stage names not run (e.g. no MTD to carry forward)
  /// Patient records per stage (only when asked: the replicates whose CSV views are written).
  std::vector<std::vector<StagePatient>> patients;
  /// For an example result assembled per stage (example_replicates): the replicate each stage's
  /// result and patients come from. Empty for an ordinary replicate (all stages from `replicate`).
  std::vector<std::uint32_t> stage_replicates;
  [[nodiscard]] std::uint32_t replicate_of(std::size_t stage) const {
    return stage < stage_replicates.size() ? stage_replicates[stage] : replicate;
  }
};

/// Runs every stage of `s` for one replicate. `threads` parallelizes patients inside a stage.
[[nodiscard]] ReplicateResult run_replicate(const scenario::Scenario& s, std::uint32_t replicate,
                                            bool keep_patients, unsigned threads);

/// The replicate results of a run, kept compact (memory per replicate: a few numbers) for the
/// operating characteristics (trial/summary.hpp: stage_summaries) and the per-replicate tables.
class ProgrammeSummary {
 public:
  explicit ProgrammeSummary(const scenario::Scenario& s);
  void add(const ReplicateResult& r);
  [[nodiscard]] long replicates() const { return replicates_; }
  /// Per-replicate stage results (patients dropped), in replicate order: results[r][stage].
  [[nodiscard]] const std::vector<std::vector<StageResult>>& results() const { return kept_; }
  [[nodiscard]] const scenario::Scenario& scenario() const { return s_; }
  /// A run over a parameter ensemble: the set each replicate used, in replicate order
  /// (summary.json then holds the ensemble's assurance and variance split).
  void set_ensemble_sets(std::vector<std::uint32_t> sets) { ensemble_sets_ = std::move(sets); }
  [[nodiscard]] const std::vector<std::uint32_t>& ensemble_sets() const { return ensemble_sets_; }
  [[nodiscard]] bool ensemble() const { return !ensemble_sets_.empty(); }

 private:
  std::vector<std::uint32_t> ensemble_sets_;
  const scenario::Scenario& s_;
  long replicates_ = 0;
  std::vector<std::vector<StageResult>>
      kept_;  ///< compact per-replicate results (patients dropped)
};

/// Runs replicate `replicate` as run_replicate does, possibly with that replicate's own scenario
/// (`run --ensemble`: the scenario with the replicate's parameter set).
using ReplicateRunner =
    std::function<ReplicateResult(std::uint32_t replicate, bool keep_patients, unsigned threads)>;

/// The patient-level example of a run: for each stage, the first replicate (in replicate order) in
/// which it ran, re-simulated with its patient records (the same bytes as in the run: every draw is
/// keyed by seed, replicate and patient). `already` is a result with patients that may be reused
/// (replicate 0). `run` runs a replicate (empty: run_replicate of `s`).
[[nodiscard]] ReplicateResult example_replicates(const scenario::Scenario& s,
                                                 const ProgrammeSummary& summary,
                                                 ReplicateResult already, unsigned threads,
                                                 const ReplicateRunner& run = {});

}  // namespace il2sim::trial
