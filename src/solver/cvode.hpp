#pragma once
/// @file cvode.hpp
/// SUNDIALS CVODE (BDF, Newton iteration with a dense direct linear solver and a finite-difference
/// Jacobian) behind the Integrator grammar: the reference mode of il2sim.

#include <memory>

#include "solver/ode.hpp"

namespace il2sim::solver {

class CvodeBdf final : public Integrator {
 public:
  CvodeBdf(OdeProblem problem, SolverOptions options);
  ~CvodeBdf() override;
  CvodeBdf(const CvodeBdf&) = delete;
  CvodeBdf& operator=(const CvodeBdf&) = delete;

  void reset(double t0, std::span<const double> y0) override;
  AdvanceResult advance_to(double t_out, double t_stop) override;
  [[nodiscard]] double time() const override;
  [[nodiscard]] std::span<const double> state() const override;
  [[nodiscard]] SolverStats stats() const override;

  struct Impl;  ///< public so that the C callbacks in cvode.cpp can reach it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace il2sim::solver
