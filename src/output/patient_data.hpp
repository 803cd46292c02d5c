#pragma once
/// @file patient_data.hpp
/// The patient-level data of `il2sim run`: which replicates are written (`--patient-data`), the
/// rows of a replicate's stage patients, and the CSV views of an output directory written as the
/// replicates arrive (streamed: a run's patient data can exceed memory).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/output_file.hpp"
#include "output/patient_fields.hpp"
#include "output/views.hpp"
#include "trial/programme.hpp"

namespace il2sim::output {

/// Which replicates' patient records a run writes (CSV views and results.sqlite's patient tables).
struct PatientDataChoice {
  enum class Kind {
    kFirst,  ///< for each stage, the first replicate in which it ran (the default)
    kAll,    ///< every replicate
    kList,   ///< the listed replicates
  };
  Kind kind = Kind::kFirst;
  std::vector<std::uint32_t> replicates;  ///< kList: 0-based, ascending, distinct
};

/// Parses `--patient-data`: `first`, `all`, or 0-based replicate numbers `N,M,...` below
/// `replicates` (the REPLICATE column's numbering).
/// @throws UserError naming the option, the value and what is allowed.
[[nodiscard]] PatientDataChoice parse_patient_data(std::string_view text, int replicates);

/// Calls add(result) for each replicate whose patient data `choice` names, with its patient
/// records: `first` (the example replicates, already run with their patients) for kFirst; any other
/// replicate is run again by `run` with its patient records, which gives the same numbers as in the
/// run (every draw is keyed by seed, replicate and patient). before(r) is called before replicate r
/// is run (the CLI stops there on an interrupt).
template <class Add, class Before>
void for_each_chosen_replicate(const scenario::Scenario& s, const PatientDataChoice& choice,
                               const trial::ReplicateResult& first,
                               const trial::ReplicateRunner& run, unsigned threads, Add&& add,
                               Before&& before) {
  if (choice.kind == PatientDataChoice::Kind::kFirst) {
    add(first);
    return;
  }
  std::vector<std::uint32_t> chosen = choice.replicates;
  if (choice.kind == PatientDataChoice::Kind::kAll) {
    for (int r = 0; r < s.replicates; ++r) chosen.push_back(static_cast<std::uint32_t>(r));
  }
  for (const auto r : chosen) {
    before(r);
    add(run(r, true, threads));
  }
}

/// Calls f(const PatientRow&) for every kept patient of `r`, stage by stage in scenario order:
/// the one place a stage patient's row context (study, replicate, origin, product, stage, trial
/// calendar) is made.
template <class F>
void for_each_patient_row(const scenario::Scenario& s, const trial::ReplicateResult& r, F&& f) {
  for (std::size_t i = 0; i < r.patients.size(); ++i) {
    const std::string& stage = s.stages[i].name;
    for (const auto& p : r.patients[i]) {
      RowContext c{stage, r.replicate_of(i), p.origin, p.product, stage, i};
      c.calendar = p.calendar ? &*p.calendar : nullptr;
      const std::string id = usubjid(stage, p.record.id);
      f(PatientRow{c, p.record, id});
    }
  }
}

/// The patient-level CSV views (views.hpp: view_files()) of an output directory, written as rows
/// arrive. Nothing appears under the views' names before commit(); destroyed without it (an error
/// or an interrupt), the temporary files are removed.
class ViewFiles {
 public:
  explicit ViewFiles(const std::string& dir);
  /// Appends each view's rows (the text of each view, in view_files() order).
  void write(const PatientViews& rows);
  /// Appends the rows of one patient to each view.
  void write(const PatientRow& p);
  void commit();

 private:
  std::vector<std::unique_ptr<core::OutputFile>> files_;
  PatientViews rows_;  ///< reused row buffers of write(PatientRow)
};

}  // namespace il2sim::output
