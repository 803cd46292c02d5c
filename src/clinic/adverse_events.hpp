#pragma once
/// @file adverse_events.hpp
/// Toxicity grading over time and the adverse-event log of one patient: the grades at the start of
/// IL-2 (baseline), episodes of each term at grade >= 1 (ADAE), the worst treatment-emergent grade
/// per term, time at grade 4. It reports what the protocol and the DLT rules act on (a grade-4
/// onset, a non-haematologic grade reaching the DLT grade) and decides nothing itself.

#include <array>
#include <optional>
#include <span>
#include <vector>

#include "clinic/grading.hpp"
#include "clinic/record.hpp"

namespace il2sim::clinic {

/// A change of grade that matters to the rules.
struct GradeEvent {
  ToxTerm term = ToxTerm::kCapillaryLeak;
  int grade = 0;
  bool grade4_onset = false;  ///< the term reached grade 4 now
  bool dlt = false;           ///< a non-haematologic grade >= the DLT grade above baseline
};

class AdverseEventLog {
 public:
  AdverseEventLog(const scenario::ToxicitySettings& settings, const model::IndividualParameters& p,
                  PatientRecord& record);

  /// The grades at state y (W, P, Ce).
  [[nodiscard]] Grades grade(std::span<const double> y) const;
  /// Threshold functions of the grades (for root-finding).
  void thresholds(std::span<const double> y, std::span<double> g) const;
  /// Opens the recording window at the start of IL-2 (t = start_day) with the baseline grades.
  void open(double start_day, std::span<const double> y);
  /// Grades at t; updates episodes and maximum grades. `dlt_window`: whether t is in the DLT
  /// window (a DLT candidate is reported only then).
  [[nodiscard]] std::vector<GradeEvent> update(double t, std::span<const double> y,
                                               bool dlt_window);
  /// Closes the episodes still open at t (the end of the window, or of the simulation).
  void close(double t, bool ongoing);
  [[nodiscard]] bool window_open() const { return open_; }
  /// Current grades (as of the last update).
  [[nodiscard]] const Grades& grades() const { return grades_; }

 private:
  void keep_if_emergent(std::size_t k, const AdverseEvent& e);

  const scenario::ToxicitySettings& settings_;
  Grader grader_;
  PatientRecord& record_;
  double start_day_ = 0.0;
  bool open_ = false;
  Grades baseline_{};
  Grades grades_{};
  std::array<std::optional<AdverseEvent>, kToxTermCount> episodes_{};
  std::array<double, kToxTermCount> grade4_since_{};
};

}  // namespace il2sim::clinic
