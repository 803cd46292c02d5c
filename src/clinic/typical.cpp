#include "clinic/typical.hpp"

#include <cmath>

#include "core/error.hpp"
#include "sim/dose_feed.hpp"

namespace il2sim::clinic {

model::IndividualParameters typical_parameters(const scenario::Scenario& s,
                                               const scenario::ArmSpec& arm) {
  const auto* cohort = s.find_cohort(arm.cohort);
  IL2SIM_ASSERT(cohort != nullptr && !cohort->is_mixture(),
                "the typical patient's cohort is one cohort (`trajectory` refuses a mixture)");
  model::Covariates cov;
  cov.bsa_m2 = s.typical.bsa_m2;
  // Weight consistent with the BSA for a 175 cm adult (Mosteller), used only for per-kg doses and
  // LAK.
  cov.height_cm = 175.0;
  cov.weight_kg = s.typical.bsa_m2 * s.typical.bsa_m2 * 3600.0 / cov.height_cm;
  return model::resolve(s.parameters, cov, cohort->disease, cohort->transplant,
                        model::typical_etas(), s.structure);
}

TypicalRun simulate_typical(const scenario::Scenario& s, const scenario::ArmSpec& arm, double days,
                            double step, sim::SolverMode mode) {
  TypicalRun run;
  const auto parameters = typical_parameters(s, arm);
  if (arm.regimen) {
    // The typical patient receives the median LAK cell dose in a LAK phase.
    const dosing::DosingSubject subject{s.typical.bsa_m2,
                                        s.typical.bsa_m2 * s.typical.bsa_m2 * 3600.0 / 175.0,
                                        s.protocol.lak_cells_median};
    run.doses = dosing::expand(s.regimens.at(*arm.regimen), s.typical.start_day, subject,
                               s.parameters[model::ParamId::kPotencyRoche]);
  }
  sim::SimulationOptions options = s.solver;
  options.mode = mode;
  options.horizon_days = days;
  options.stochastic_tumour = false;
  if (mode == sim::SolverMode::kReference && s.solver.mode != sim::SolverMode::kReference)
    options.rtol = 0.0;
  sim::PatientSimulator simulator(parameters, options, 0);
  RandomStream unused_stream(s.seed, 0, 0,
                             Purpose::kTumourBirthDeath);  // deterministic tumour: never drawn
  const auto grid = sim::output_grid(days, step);
  run.outcome = sim::play(simulator, parameters, run.doses, s.typical.L0, unused_stream, grid,
                          run.trajectory.observer());
  return run;
}

}  // namespace il2sim::clinic
