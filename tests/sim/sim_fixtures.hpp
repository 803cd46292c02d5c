#pragma once
// Shared helpers of the sim tests: a patient with chosen parameters, run with an optional regimen.
#include <vector>

#include "model/patient.hpp"
#include "sim/dose_feed.hpp"
#include "sim/patient_sim.hpp"
#include "sim/trajectory.hpp"

namespace il2sim::sim::testing {

inline model::IndividualParameters adult(const model::ParameterSet& pop, double bsa = 1.8) {
  model::Covariates cov;
  cov.bsa_m2 = bsa;
  return model::resolve(pop, cov, model::Disease::kNhl, model::Transplant::kAutologous,
                        model::typical_etas(), model::Structure{});
}

struct Run {
  PatientOutcome outcome;
  TrajectoryRecorder trajectory;
};

inline Run simulate(const model::IndividualParameters& p,
                    const std::vector<dosing::DoseRecord>& doses, double L0, double horizon,
                    double step, SolverMode mode, bool stochastic = false) {
  SimulationOptions o;
  o.mode = mode;
  o.horizon_days = horizon;
  o.stochastic_tumour = stochastic;
  PatientSimulator s(p, o, 1);
  RandomStream stream(1, 0, 1, Purpose::kTumourBirthDeath);
  Run run;
  run.outcome =
      play(s, p, doses, L0, stream, output_grid(horizon, step), run.trajectory.observer());
  return run;
}

}  // namespace il2sim::sim::testing
