#pragma once
/// @file patient_sim.hpp
/// Drives one virtual patient through time: the controller's infusion plan as piecewise-constant
/// inputs (every change of rate restarts the integrator), the hybrid tumour (ODE on ln L above
/// L_stoch, a linear birth-death process below it), root-finding on the tumour thresholds and on
/// the controller's functions, and observers that record. The driver never touches solver
/// internals, and a numerical failure is an outcome, not an exception.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "dosing/regimen.hpp"
#include "model/il2_model.hpp"
#include "sim/controller.hpp"
#include "solver/ode.hpp"

namespace il2sim::sim {

/// Two event times (days) closer than this are the same instant: a dose, a visit and a segment end
/// that meet at a day boundary are not split by rounding.
inline constexpr double kTimeEps = 1e-9;

enum class SolverMode {
  kReference,  ///< CVODE BDF on the full system, rtol 1e-8
  kFast        ///< Dormand-Prince 5(4); PK in quasi-steady state away from rate changes and boluses
};

struct SimulationOptions {
  SolverMode mode = SolverMode::kFast;
  double rtol = 0.0;            ///< 0 = the mode's default (reference 1e-8, fast 1e-5)
  long max_steps = 200000;      ///< per integrator call
  double horizon_days = 730.0;  ///< simulate [0, horizon]
  bool stochastic_tumour =
      true;  ///< birth-death regime below L_stoch (false: ODE down to extinction)
  double birth_death_slice = 0.05;  ///< day; rates are held constant over a slice (model.md §2)
  /// Fast mode: the PK is integrated dynamically for this long after every change of infusion rate
  /// and quasi-steady elsewhere. Half a day is 4 beta half-lives (85 min): immune counts then agree
  /// with the reference mode to 0.04 % on the Chiron regimen (0.8 % with a quarter day).
  double pk_transient_days = 0.5;
  double bolus_washout_days = 2.0;  ///< fast mode: dynamic PK for this long after a bolus
  /// Fast mode: without IL-2, once Ce, W, a, BN, BE and K are within this of rest (and from day 5,
  /// when S has forgotten its initial value), they are held at rest and S is in quasi-steady state:
  /// their fast relaxation no longer limits the explicit method's step. 0 disables it.
  double quiet_tolerance = 1e-6;
  /// false (selection-bias analysis): from the patient's first IL-2 or LAK on, the tumour kill uses
  /// the effectors the patient would have without it (model::ModelInputs::untreated_kill), while
  /// PK, immune counts, labs, toxicity and the clinic see the real IL-2. Not a scenario key of
  /// [solver]: a single-arm stage with `selection_bias = true` sets it for its counterfactual run.
  bool treatment_kill = true;
};

/// Called at each output time with the state (units of model::State), the model and the inputs.
using Observer =
    std::function<void(double t, std::span<const double> y, const ModelContext& context)>;

/// What happened to the tumour and the integration.
struct PatientOutcome {
  std::optional<double> relapse_day;       ///< first crossing of L_rel (true crossing)
  std::optional<double> symptomatic_day;   ///< first crossing of 10·L_rel
  std::optional<double> cure_day;          ///< extinction of the birth-death process
  std::optional<double> mrd_negative_day;  ///< first time below L_MRD after being above it
  double end_day = 0.0;  ///< where the simulation ended (horizon, or a controller stop)
  bool failed = false;
  double failure_day = 0.0;
  std::string failure;  ///< "patient K, day D: ...; <setting to change>"
  solver::SolverStats stats;
  long birth_death_events = 0;
};

/// Simulates one patient. `tumour_stream` feeds the birth-death regime
/// (Purpose::kTumourBirthDeath).
class PatientSimulator {
 public:
  PatientSimulator(const model::IndividualParameters& parameters, SimulationOptions options,
                   std::uint32_t patient_id);

  /// Runs [0, horizon] under `controller` with initial tumour L0, calling `observer` (may be empty)
  /// at every time in `output_times` (sorted) until the simulation ends.
  PatientOutcome run(Controller& controller, double L0, RandomStream& tumour_stream,
                     std::span<const double> output_times, const Observer& observer);

  [[nodiscard]] const model::Il2Model& model() const { return model_; }

 private:
  model::Il2Model model_;
  SimulationOptions options_;
  std::uint32_t patient_id_;
};

/// Output grid 0, step, 2·step, …, horizon (horizon included).
[[nodiscard]] std::vector<double> output_grid(double horizon, double step);

}  // namespace il2sim::sim
