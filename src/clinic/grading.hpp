#pragma once
/// @file grading.hpp
/// Toxicity grades from model states (model.md §3), by NCI CTC version.

#include <array>
#include <span>
#include <string_view>

#include "model/patient.hpp"
#include "scenario/settings.hpp"

namespace il2sim::clinic {

/// Toxicities the model grades.
enum class ToxTerm : std::size_t {
  kCapillaryLeak,     ///< capillary leak / weight gain, from W
  kHypotension,       ///< from W relative to the individual W_hyp
  kThrombocytopenia,  ///< from platelets P
  kFever,             ///< from effect-site IL-2 Ce relative to EC50_fever
  kCount
};
inline constexpr std::size_t kToxTermCount = static_cast<std::size_t>(ToxTerm::kCount);

[[nodiscard]] std::string_view to_string(ToxTerm term);
[[nodiscard]] bool is_haematologic(ToxTerm term);

/// Grade 0-4 of each term at one state.
struct Grades {
  std::array<int, kToxTermCount> grade{};
  [[nodiscard]] int operator[](ToxTerm t) const { return grade[static_cast<std::size_t>(t)]; }
};

/// Grading thresholds of one patient (individual W_hyp and EC50_fever).
class Grader {
 public:
  Grader(const scenario::ToxicitySettings& settings, const model::IndividualParameters& p);
  [[nodiscard]] Grades grade(double W, double P, double Ce) const;
  [[nodiscard]] int cls(double W) const;
  [[nodiscard]] int hypotension(double W) const;
  [[nodiscard]] int thrombocytopenia(double P) const;
  [[nodiscard]] int fever(double Ce) const;
  /// Platelet thresholds of grades 3 and 4 (10^9/L) in the chosen CTC version.
  [[nodiscard]] double platelets_grade3() const { return 50.0; }
  [[nodiscard]] double platelets_grade4() const;
  /// All threshold functions whose sign changes mark a change of grade: values at (W, P, Ce).
  static constexpr std::size_t kThresholdCount = 4 + 3 + 2 + 1;
  void thresholds(double W, double P, double Ce, std::span<double> g) const;

 private:
  scenario::ToxicitySettings settings_;
  double W_hyp_;
  double EC50_fever_;
};

}  // namespace il2sim::clinic
