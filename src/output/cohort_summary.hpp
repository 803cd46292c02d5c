#pragma once
/// @file cohort_summary.hpp
/// Operating figures of one arm of virtual patients (summary.json of `il2sim cohort`): Kaplan–Meier
/// relapse-free, progression-free and overall survival at 1, 2 and 4 years with medians, cumulative
/// incidence of relapse and of non-relapse mortality, attrition before IL-2, toxicity by CTC grade,
/// completion of induction and maintenance, and blood NK/CD8 fold changes.

#include <array>
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "clinic/record.hpp"

namespace il2sim::output {

/// Accumulates compact per-patient facts (bounded memory: no labs or AE lists are kept).
class CohortSummary {
 public:
  /// `fold_offset`: the visit (days from IL-2 start) whose NK/CD8 is compared with baseline.
  explicit CohortSummary(double fold_offset) : fold_offset_(fold_offset) {}
  void add(const clinic::PatientRecord& r);
  /// The summary; time origin of the survival figures is transplant (day 0).
  [[nodiscard]] nlohmann::json to_json() const;

 private:
  struct Item {
    double pfs, os, relapse, nrm;
    int pfs_event, os_event, relapse_event, nrm_event;
    bool treated, completed_induction, completed_maintenance, dlt, failed;
    clinic::NotTreatedReason not_treated;
    std::array<int, clinic::kToxTermCount> max_grade;
    int grade4_episodes;
    double start_day;          ///< NaN if none
    double nk_fold, cd8_fold;  ///< NaN if not measured
    bool toxic_death;
  };
  void add_attrition(nlohmann::json& j) const;
  void add_survival(nlohmann::json& j) const;
  void add_treatment(nlohmann::json& j) const;

  double fold_offset_;
  std::vector<Item> items_;
};

}  // namespace il2sim::output
