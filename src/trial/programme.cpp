#include "trial/programme.hpp"

#include <algorithm>
#include <map>

namespace il2sim::trial {

ReplicateResult run_replicate(const scenario::Scenario& s, std::uint32_t replicate,
                              bool keep_patients, unsigned threads) {
  ReplicateResult out;
  out.replicate = replicate;
  std::map<std::string, std::optional<int>> mtds;
  for (std::size_t i = 0; i < s.stages.size(); ++i) {
    const auto& st = s.stages[i];
    std::vector<StagePatient> kept;
    auto* keep = keep_patients ? &kept : nullptr;
    std::optional<int> mtd;
    if (!st.dose_from.empty()) {
      mtd = mtds[st.dose_from];
      if (!mtd) {
        // No dose was selected: the later stage cannot be run with the carried-forward dose.
        out.skipped.push_back(st.name);
        out.stages.emplace_back(std::in_place_type<SingleArmResult>);
        out.patients.emplace_back();
        continue;
      }
    }
    switch (st.type) {
      case scenario::StageType::kDoseEscalation: {
        auto r = run_dose_escalation(s, i, replicate, keep);
        mtds[st.name] = r.mtd;
        out.stages.emplace_back(std::move(r));
        break;
      }
      case scenario::StageType::kSingleArm:
        out.stages.emplace_back(run_single_arm(s, i, replicate, mtd, keep));
        break;
      case scenario::StageType::kRandomized:
        out.stages.emplace_back(run_randomized(s, i, replicate, mtd, keep, threads));
        break;
    }
    out.patients.push_back(std::move(kept));
  }
  return out;
}

ReplicateResult example_replicates(const scenario::Scenario& s, const ProgrammeSummary& summary,
                                   ReplicateResult already, unsigned threads,
                                   const ReplicateRunner& run) {
  const auto& results = summary.results();
  std::vector<std::uint32_t> chosen(s.stages.size(), 0);
  for (std::size_t i = 0; i < s.stages.size(); ++i) {
    for (std::size_t r = 0; r < results.size(); ++r) {
      const auto* a = std::get_if<SingleArmResult>(&results[r][i]);
      if (a == nullptr ||
          a->planned_n >= 0) {  // planned_n < 0 marks a stage not run (ProgrammeSummary::add)
        chosen[i] = static_cast<std::uint32_t>(r);
        break;
      }
    }
  }
  std::map<std::uint32_t, ReplicateResult> runs;
  for (const auto r : chosen) {
    if (runs.count(r) > 0) continue;
    runs.emplace(r, r == already.replicate && !already.patients.empty() ? std::move(already)
                    : run                                               ? run(r, true, threads)
                          : run_replicate(s, r, true, threads));
  }
  ReplicateResult out;
  out.stage_replicates = chosen;
  for (std::size_t i = 0; i < s.stages.size(); ++i) {
    auto& from = runs.at(chosen[i]);
    out.stages.push_back(from.stages[i]);
    out.patients.push_back(std::move(from.patients[i]));
    if (std::find(from.skipped.begin(), from.skipped.end(), s.stages[i].name) !=
        from.skipped.end()) {
      out.skipped.push_back(s.stages[i].name);
    }
  }
  return out;
}

ProgrammeSummary::ProgrammeSummary(const scenario::Scenario& s) : s_(s) {}

void ProgrammeSummary::add(const ReplicateResult& r) {
  ++replicates_;
  std::vector<StageResult> compact = r.stages;
  for (std::size_t i = 0; i < compact.size(); ++i) {
    const bool skipped =
        std::find(r.skipped.begin(), r.skipped.end(), s_.stages[i].name) != r.skipped.end();
    if (skipped) compact[i] = SingleArmResult{-1};  // planned_n = -1 marks "not run"
    if (auto* e = std::get_if<EscalationResult>(&compact[i])) e->patients.shrink_to_fit();
    if (auto* a = std::get_if<SingleArmResult>(&compact[i]))
      a->samples = {};  // the example's KM data
  }
  kept_.push_back(std::move(compact));
}

}  // namespace il2sim::trial
