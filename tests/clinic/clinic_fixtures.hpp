#pragma once
// Shared helpers of the clinic tests: the default scenario with chosen settings, a typical virtual
// patient with chosen parameters, a patient's trajectory under a fixed dose schedule, and small
// statistics (binomial tolerance, sample moments).
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "clinic/patient.hpp"
#include "scenario/scenario.hpp"
#include "sim/dose_feed.hpp"
#include "sim/patient_sim.hpp"
#include "sim/trajectory.hpp"

namespace il2sim::clinic::testing {

/// The built-in default scenario (chiron-regimen); tests change the settings they need in the
/// struct.
inline scenario::Scenario default_scenario() {
  return scenario::load_scenario("");
}

inline const scenario::ArmSpec& arm(const scenario::Scenario& s, const std::string& name) {
  const auto* a = s.find_arm(name);
  if (a == nullptr) throw std::runtime_error("no arm " + name);
  return *a;
}

/// A typical adult (BSA 1.8 m², no IIV) of the NHL autologous cohort with no residual disease, no
/// scheduling delay, no refusal and event draws that never fire; tests change what they need.
inline VirtualPatient typical_patient(const scenario::Scenario& s) {
  VirtualPatient v;
  v.id = 1;
  v.covariates.bsa_m2 = 1.8;
  v.parameters = model::resolve(s.parameters, v.covariates, model::Disease::kNhl,
                                model::Transplant::kAutologous, model::typical_etas(), s.structure);
  v.L0 = 0.0;
  v.scheduling_delay_days = 0;
  v.refuses = false;
  v.lak_cells = 0.0;
  v.nrm_draw = std::numeric_limits<double>::infinity();
  v.agvhd_draw = std::numeric_limits<double>::infinity();
  v.cgvhd_draw = std::numeric_limits<double>::infinity();
  v.post_relapse_z = 0.0;
  // The event settings of the NHL autologous cohort, as make_patient sets them.
  const auto& cohort = *scenario::find_cohort("adult-auto-nhl");
  v.nrm_1y = cohort.nrm_1y.value(s.parameters);
  v.post_relapse_median_days =
      cohort.post_relapse_median_months.value(s.parameters) * 365.25 / 12.0;
  v.streams = {s.seed, 0, v.id, std::nullopt};
  return v;
}

/// The patient's states on a grid under a fixed dose schedule (no clinic), in the scenario's solver
/// mode.
inline sim::TrajectoryRecorder trajectory(const scenario::Scenario& s, const VirtualPatient& v,
                                          const std::vector<dosing::DoseRecord>& doses,
                                          double horizon, double step) {
  sim::SimulationOptions o = s.solver;
  o.horizon_days = horizon;
  sim::PatientSimulator simulator(v.parameters, o, v.id);
  RandomStream tumour(s.seed, 0, v.id, Purpose::kTumourBirthDeath);
  sim::TrajectoryRecorder recorder;
  (void)sim::play(simulator, v.parameters, doses, v.L0, tumour, sim::output_grid(horizon, step),
                  recorder.observer());
  return recorder;
}

/// First time at or after `from` where the named column crosses `level` (upwards when `rising`,
/// downwards otherwise), linearly interpolated between grid points; NaN if it never does.
inline double crossing(const sim::TrajectoryRecorder& r, std::string_view column, double from,
                       double level, bool rising) {
  const auto& days = r.days();
  for (std::size_t i = 1; i < days.size(); ++i) {
    if (days[i] <= from) continue;
    const double a = r.at(i - 1, column) - level;
    const double b = r.at(i, column) - level;
    const bool crossed = rising ? (a < 0.0 && b >= 0.0) : (a > 0.0 && b <= 0.0);
    if (crossed) return days[i - 1] + (days[i] - days[i - 1]) * a / (a - b);
  }
  return std::numeric_limits<double>::quiet_NaN();
}

/// Index of the grid row at day `t` (the first row at or after it).
inline std::size_t row_at(const sim::TrajectoryRecorder& r, double t) {
  const auto& days = r.days();
  std::size_t i = 0;
  while (i + 1 < days.size() && days[i] < t - 1e-9) ++i;
  return i;
}

/// A tolerance of k binomial standard errors around p for n draws.
inline double binomial_tolerance(double p, std::size_t n, double k = 4.0) {
  return k * std::sqrt(p * (1.0 - p) / static_cast<double>(n));
}

inline double mean(const std::vector<double>& x) {
  return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

inline double sd(const std::vector<double>& x) {
  const double m = mean(x);
  double ss = 0.0;
  for (const double v : x) ss += (v - m) * (v - m);
  return std::sqrt(ss / static_cast<double>(x.size() - 1));
}

}  // namespace il2sim::clinic::testing
