#pragma once
/// @file trajectory.hpp
/// An observer that records every state and observation of one patient at output times, and writes
/// them as CSV (`il2sim trajectory`). Column names are the documented ones (docs/trajectory.md).

#include <string>
#include <string_view>
#include <vector>

#include "sim/patient_sim.hpp"

namespace il2sim::sim {

struct TrajectoryColumn {
  std::string_view name;
  std::string_view unit;
  std::string_view description;
};

/// Columns in output order (after `day`).
[[nodiscard]] const std::vector<TrajectoryColumn>& trajectory_columns();

class TrajectoryRecorder {
 public:
  /// The observer to pass to PatientSimulator::run.
  [[nodiscard]] Observer observer();
  [[nodiscard]] const std::vector<double>& days() const { return days_; }
  /// Row-major values, trajectory_columns().size() per day.
  [[nodiscard]] const std::vector<double>& values() const { return values_; }
  /// Value of the named column at row i.
  [[nodiscard]] double at(std::size_t row, std::string_view column) const;
  [[nodiscard]] std::string to_csv() const;

 private:
  std::vector<double> days_;
  std::vector<double> values_;
};

}  // namespace il2sim::sim
