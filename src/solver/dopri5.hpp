#pragma once
/// @file dopri5.hpp
/// Explicit Runge-Kutta 5(4) of Dormand and Prince (J Comput Appl Math 1980;6:19) with the
/// step-size control, initial-step heuristic and 4th-order dense output of Hairer, Nørsett &
/// Wanner, "Solving Ordinary Differential Equations I" (2nd ed., §II.4-II.6). Root functions are
/// located on the dense output by the Illinois method. Used by the fast mode, where the stiff PK is
/// in quasi-steady state and what remains is non-stiff.

#include <array>
#include <vector>

#include "solver/ode.hpp"

namespace il2sim::solver {

class Dopri5 final : public Integrator {
 public:
  Dopri5(OdeProblem problem, SolverOptions options);

  void reset(double t0, std::span<const double> y0) override;
  /// Keeps the proposed step size (and the first stage when y is the current state); restarts
  /// when t is not the end of the last step or a root found beyond it is pending.
  void resume(double t, std::span<const double> y) override;
  AdvanceResult advance_to(double t_out, double t_stop) override;
  [[nodiscard]] double time() const override { return t_out_; }
  [[nodiscard]] std::span<const double> state() const override { return y_out_; }
  [[nodiscard]] SolverStats stats() const override { return stats_; }

 private:
  void eval_rhs(double t, std::span<const double> y, std::span<double> dydt);
  void eval_roots(double t, std::span<const double> y, std::vector<double>& g);
  /// The root functions at (t, y_) and their signs: where sign changes are looked for from.
  void start_roots(double t);
  double initial_step(double t_stop);
  double error_norm() const;
  /// Dense output of the last accepted step at time t (within it) into `out`.
  void interpolate(double t, std::span<double> out);
  /// The dense output coefficients (rcont1..5) of the last accepted step, from its stages; valid
  /// until the next step overwrites the stages (advance_to computes them before, when they may be
  /// needed).
  void dense_coefficients();
  /// After an accepted step: finds the earliest root in (t_prev, t_]; truncates the step there.
  bool locate_roots(std::vector<int>& directions);

  OdeProblem problem_;
  SolverOptions options_;
  SolverStats stats_;
  std::size_t n_;

  double t_ = 0.0;       ///< internal time (end of the last accepted step)
  double t_prev_ = 0.0;  ///< start of the last accepted step
  double h_ = 0.0;       ///< next step size to try
  double h_last_ = 0.0;  ///< size of the last accepted step (dense output scale)
  bool have_step_ = false;
  bool dense_ready_ = false;  ///< dense_ holds the coefficients of the last accepted step
  bool fsal_valid_ = false;
  bool pending_root_ = false;
  std::vector<int> pending_directions_;

  std::vector<double> y_, y_new_, y_out_, err_, tmp_;
  std::array<std::vector<double>, 7> k_;
  std::array<std::vector<double>, 5> dense_;  ///< rcont1..5 of Hairer's DOPRI5
  std::vector<double> g_lo_, g_hi_, g_mid_, y_mid_;
  std::vector<int> g_sign_;  ///< last non-zero sign of each root function
  double t_out_ = 0.0;
};

}  // namespace il2sim::solver
