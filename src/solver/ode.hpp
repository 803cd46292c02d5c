#pragma once
/// @file ode.hpp
/// The solver grammar shared by every integrator (SUNDIALS style: create → set options → reset →
/// advance_to → stats). The solver knows nothing of the model: a problem is a right-hand side and
/// optional root functions over plain spans.

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace il2sim::solver {

/// dy/dt = f(t, y). Writes the derivative into `dydt`.
using RhsFunction =
    std::function<void(double t, std::span<const double> y, std::span<double> dydt)>;
/// g(t, y): the integrator stops where a component changes sign.
using RootFunction = std::function<void(double t, std::span<const double> y, std::span<double> g)>;

struct OdeProblem {
  std::size_t size = 0;
  RhsFunction rhs;
  std::size_t root_count = 0;
  RootFunction roots;  ///< may be empty when root_count == 0
};

struct SolverOptions {
  double rtol = 1e-6;
  std::vector<double> atol;   ///< one per state (absolute tolerance in the state's unit)
  long max_steps = 100000;    ///< per advance_to call
  double max_step = 0.0;      ///< 0 = unlimited
  double initial_step = 0.0;  ///< 0 = the integrator's own guess
};

/// Work counters, cumulative since construction.
struct SolverStats {
  long steps = 0;
  long failed_steps = 0;
  long rhs_evals = 0;  ///< including those spent on finite-difference Jacobians
  long jacobian_evals = 0;
  long root_evals = 0;
  long resets = 0;
  long resumes = 0;  ///< continuations that kept the step size (Integrator::resume)
};

enum class AdvanceStatus {
  kReached,  ///< the requested time was reached
  kRoot,     ///< stopped at a root of g; see AdvanceResult::roots
  kFailure   ///< numerical failure; see AdvanceResult::message
};

struct AdvanceResult {
  AdvanceStatus status = AdvanceStatus::kReached;
  double t = 0.0;
  std::vector<int> roots;  ///< per root function: +1 rising, -1 falling, 0 none (status kRoot)
  std::string message;     ///< what failed (status kFailure)
};

/// An ODE integrator. `advance_to` never integrates past `t_stop` (a discontinuity) and returns the
/// state at the requested time (interpolated where the method allows).
class Integrator {
 public:
  virtual ~Integrator() = default;
  /// Starts (or restarts after a discontinuity or a change of state) at t0 with y0.
  virtual void reset(double t0, std::span<const double> y0) = 0;
  /// Continues at t with y across a point where the right-hand side did not change and y differs
  /// from the integrator's state at most in components the right-hand side does not read: an
  /// integrator may keep its step size instead of starting afresh. The root functions are evaluated
  /// again at t (the caller's plan may have changed them). The default restarts.
  virtual void resume(double t, std::span<const double> y) { reset(t, y); }
  /// Integrates to `t_out` (> current time) without stepping past `t_stop` (>= t_out).
  virtual AdvanceResult advance_to(double t_out, double t_stop) = 0;
  [[nodiscard]] virtual double time() const = 0;
  [[nodiscard]] virtual std::span<const double> state() const = 0;
  [[nodiscard]] virtual SolverStats stats() const = 0;
};

}  // namespace il2sim::solver
