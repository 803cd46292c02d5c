#pragma once
/// @file controller.hpp
/// What happens to a patient while the ODEs run, apart from the dynamics: the infusion plan, extra
/// threshold functions (toxicity grades, holds), and changes of state at scheduled times (bolus,
/// LAK cells, apheresis). The simulator asks the controller; the controller never touches the
/// solver.

#include <limits>
#include <span>

#include "model/il2_model.hpp"

namespace il2sim::sim {

inline constexpr double kNever = std::numeric_limits<double>::infinity();

/// Tumour events found by the simulator's own root functions.
enum class TumourEvent {
  kRelapseCrossing,      ///< L crosses L_rel upwards (the true relapse)
  kSymptomaticCrossing,  ///< L crosses 10·L_rel upwards
  kMrdPositive,          ///< L crosses L_MRD upwards
  kMrdNegative,          ///< L falls below L_MRD
  kCure                  ///< the birth-death process went extinct
};

/// What a controller or an observer may read of the simulation: the patient's model and the inputs
/// of the current segment (read-only; both outlive the callback only as long as the run).
struct ModelContext {
  const model::Il2Model& model;
  const model::ModelInputs& inputs;

  [[nodiscard]] const model::IndividualParameters& parameters() const { return model.parameters(); }
  /// What a lab would report at state y.
  [[nodiscard]] model::Observation observe(std::span<const double> y) const {
    return model::observe(model, inputs, y);
  }
  /// IL-2 concentration (IU/mL) at state y.
  [[nodiscard]] double concentration(std::span<const double> y) const {
    return model.concentration(y, inputs);
  }
};

/// What a controller's callback asks of the simulator.
struct Directive {
  bool stop =
      false;  ///< end the simulation here (death, end of follow-up, nothing left to simulate)
  bool bolus = false;  ///< a bolus was given into the central compartment (fast mode: dynamic PK)
};

class Controller {
 public:
  virtual ~Controller() = default;
  /// Infusion rate (IU/day) on [t, next_breakpoint(t)).
  [[nodiscard]] virtual double infusion_rate(double t) const = 0;
  /// Whether the allogeneic GVHD window is open on [t, next_breakpoint(t)).
  [[nodiscard]] virtual bool gvhd_window(double /*t*/) const { return false; }
  /// The next time after t at which the controller wants control; kNever if none. The earliest of
  /// its planned times later than t + 1e-9; the plan changes only in at_breakpoint, at_roots and
  /// at_tumour_event (the simulator reuses the answer until one of them is called).
  [[nodiscard]] virtual double next_breakpoint(double t) const = 0;
  /// Called at each breakpoint (and at t = 0); may change `y` (doses, cells) and the plan.
  virtual Directive at_breakpoint(double t, std::span<double> y, const ModelContext& context) = 0;
  /// Number of extra root functions.
  [[nodiscard]] virtual std::size_t root_count() const { return 0; }
  /// g_k(t, y); the simulator stops where one changes sign.
  virtual void roots(double /*t*/, std::span<const double> /*y*/, const ModelContext& /*context*/,
                     std::span<double> /*g*/) const {}
  /// Called when the controller's root functions fire (+1 rising, -1 falling, 0 not this one).
  virtual Directive at_roots(double /*t*/, std::span<double> /*y*/, const ModelContext& /*context*/,
                             std::span<const int> /*directions*/) {
    return {};
  }
  /// Called for every tumour event.
  virtual Directive at_tumour_event(double /*t*/, TumourEvent /*event*/) { return {}; }
};

}  // namespace il2sim::sim
