#pragma once
/// @file typical.hpp
/// The typical patient of an arm (interfaces.md, `il2sim trajectory --typical`): typical parameter
/// values of the arm's cohort (no inter-individual variability), the scenario's typical BSA and L0,
/// a deterministic tumour, no clinical events, and the arm's regimen from the typical start day.

#include "scenario/scenario.hpp"
#include "sim/trajectory.hpp"

namespace il2sim::clinic {

struct TypicalRun {
  sim::PatientOutcome outcome;
  sim::TrajectoryRecorder trajectory;
  std::vector<dosing::DoseRecord> doses;
};

/// Individual parameters of the typical patient of `arm`.
[[nodiscard]] model::IndividualParameters typical_parameters(const scenario::Scenario& scenario,
                                                             const scenario::ArmSpec& arm);

/// Simulates the typical patient over [0, days], recording every `step` days.
[[nodiscard]] TypicalRun simulate_typical(const scenario::Scenario& scenario,
                                          const scenario::ArmSpec& arm, double days, double step,
                                          sim::SolverMode mode);

}  // namespace il2sim::clinic
