#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "solver/cvode.hpp"
#include "solver/dopri5.hpp"

namespace il2sim::solver {
namespace {

// Harmonic oscillator y'' = -y: y = cos t, y' = -sin t (closed form); root of y at t = pi/2.
OdeProblem oscillator() {
  OdeProblem p;
  p.size = 2;
  p.rhs = [](double, std::span<const double> y, std::span<double> dy) {
    dy[0] = y[1];
    dy[1] = -y[0];
  };
  p.root_count = 1;
  p.roots = [](double, std::span<const double> y, std::span<double> g) { g[0] = y[0]; };
  return p;
}

SolverOptions tight() {
  SolverOptions o;
  o.rtol = 1e-10;
  o.atol = {1e-12, 1e-12};
  return o;
}

std::unique_ptr<Integrator> make(bool cvode, OdeProblem p, SolverOptions o) {
  if (cvode) return std::make_unique<CvodeBdf>(std::move(p), std::move(o));
  return std::make_unique<Dopri5>(std::move(p), std::move(o));
}

}  // namespace

class BothSolvers : public ::testing::TestWithParam<bool> {};

// Dense output at many points between steps matches cos t.
TEST_P(BothSolvers, DenseOutputMatchesClosedForm) {
  auto problem = oscillator();
  problem.root_count = 0;
  auto s = make(GetParam(), problem, tight());
  const double y0[] = {1.0, 0.0};
  s->reset(0.0, y0);
  for (int i = 1; i <= 100; ++i) {
    const double t = 0.1 * i;
    const auto r = s->advance_to(t, 100.0);
    ASSERT_EQ(r.status, AdvanceStatus::kReached);
    EXPECT_NEAR(s->state()[0], std::cos(t), 1e-7) << "t=" << t;
    EXPECT_NEAR(s->state()[1], -std::sin(t), 1e-7) << "t=" << t;
  }
  EXPECT_GT(s->stats().steps, 0);
  EXPECT_GT(s->stats().rhs_evals, s->stats().steps);
}

// Roots of cos t at pi/2 (falling) and 3pi/2 (rising), located to 1e-8.
TEST_P(BothSolvers, RootsAreLocatedWithDirection) {
  auto s = make(GetParam(), oscillator(), tight());
  const double y0[] = {1.0, 0.0};
  s->reset(0.0, y0);
  auto r = s->advance_to(10.0, 10.0);
  ASSERT_EQ(r.status, AdvanceStatus::kRoot);
  EXPECT_NEAR(r.t, M_PI / 2, 1e-8);
  EXPECT_EQ(r.roots[0], -1);
  r = s->advance_to(10.0, 10.0);
  ASSERT_EQ(r.status, AdvanceStatus::kRoot);
  EXPECT_NEAR(r.t, 3 * M_PI / 2, 1e-8);
  EXPECT_EQ(r.roots[0], 1);
}

// A root beyond the requested output time is reported on the next call, not lost.
TEST_P(BothSolvers, RootAfterOutputTimeIsNotLost) {
  auto s = make(GetParam(), oscillator(), tight());
  const double y0[] = {1.0, 0.0};
  s->reset(0.0, y0);
  auto r = s->advance_to(1.5, 10.0);
  ASSERT_EQ(r.status, AdvanceStatus::kReached);
  EXPECT_NEAR(s->state()[0], std::cos(1.5), 1e-7);
  r = s->advance_to(2.0, 10.0);
  ASSERT_EQ(r.status, AdvanceStatus::kRoot);
  EXPECT_NEAR(r.t, M_PI / 2, 1e-8);
}

// Never steps past t_stop: a right-hand side that is invalid beyond t = 1 is never evaluated there.
TEST_P(BothSolvers, NeverStepsPastStopTime) {
  OdeProblem p;
  p.size = 1;
  double t_max = 0.0;
  p.rhs = [&t_max](double t, std::span<const double>, std::span<double> dy) {
    t_max = std::max(t_max, t);
    dy[0] = 1.0;
  };
  SolverOptions o;
  o.atol = {1e-10};
  auto s = make(GetParam(), p, o);
  const double y0[] = {0.0};
  s->reset(0.0, y0);
  const auto r = s->advance_to(1.0, 1.0);
  ASSERT_EQ(r.status, AdvanceStatus::kReached);
  EXPECT_LE(t_max, 1.0);
  EXPECT_NEAR(s->state()[0], 1.0, 1e-9);
}

// Integrator::resume across stop times where nothing changes: the solution stays cos t, and the
// root functions are evaluated afresh (here the caller's root, y − shift, moves at t = 1).
TEST_P(BothSolvers, ResumeContinuesTheSameProblem) {
  double shift = 2.0;  // no root (g < 0) until the caller moves it
  auto problem = oscillator();
  problem.roots = [&shift](double, std::span<const double> y, std::span<double> g) {
    g[0] = y[0] - shift;
  };
  auto s = make(GetParam(), problem, tight());
  const double y0[] = {1.0, 0.0};
  s->reset(0.0, y0);
  for (int i = 1; i <= 10; ++i) {
    const double t = 0.1 * i;
    ASSERT_EQ(s->advance_to(t, t).status, AdvanceStatus::kReached);
    EXPECT_NEAR(s->state()[0], std::cos(t), 1e-8) << "t=" << t;
    if (i == 10) shift = 0.0;  // from t = 1: the root of cos t at pi/2
    const double y[] = {s->state()[0], s->state()[1]};
    s->resume(t, y);
  }
  const auto r = s->advance_to(3.0, 3.0);
  ASSERT_EQ(r.status, AdvanceStatus::kRoot);
  EXPECT_NEAR(r.t, M_PI / 2, 1e-8);
  EXPECT_EQ(r.roots[0], -1);
}

// DOPRI5 keeps its step size across a resumption: fewer right-hand side evaluations than restarting
// at every stop time, the same solution.
TEST(Dopri5, ResumeKeepsTheStepSize) {
  auto problem = oscillator();
  problem.root_count = 0;
  long evals[2];
  for (int resume = 0; resume < 2; ++resume) {
    Dopri5 s(problem, tight());
    const double y0[] = {1.0, 0.0};
    s.reset(0.0, y0);
    for (int i = 1; i <= 50; ++i) {
      const double t = 0.2 * i;
      ASSERT_EQ(s.advance_to(t, t).status, AdvanceStatus::kReached);
      EXPECT_NEAR(s.state()[0], std::cos(t), 1e-8) << "t=" << t;
      const double y[] = {s.state()[0], s.state()[1]};
      if (resume == 1) {
        s.resume(t, y);
      } else {
        s.reset(t, y);
      }
    }
    evals[resume] = s.stats().rhs_evals;
    EXPECT_EQ(s.stats().resumes, resume == 1 ? 50 : 0);
  }
  EXPECT_LT(evals[1], evals[0]);
}

INSTANTIATE_TEST_SUITE_P(CvodeAndDopri5, BothSolvers, ::testing::Values(true, false),
                         [](const auto& param_info) {
                           return param_info.param ? "cvode" : "dopri5";
                         });

// DOPRI5 is 5th order: halving a fixed step divides the global error by about 2^5 = 32.
TEST(Dopri5, FifthOrderConvergence) {
  auto problem = oscillator();
  problem.root_count = 0;
  double errors[2];
  for (int k = 0; k < 2; ++k) {
    SolverOptions o;
    o.rtol = 1.0;  // accept every step: fixed step size
    o.atol = {1e6, 1e6};
    o.initial_step = 0.2 / (1 << k);
    o.max_step = o.initial_step;
    Dopri5 s(problem, o);
    const double y0[] = {1.0, 0.0};
    s.reset(0.0, y0);
    ASSERT_EQ(s.advance_to(4.0, 4.0).status, AdvanceStatus::kReached);
    errors[k] = std::fabs(s.state()[0] - std::cos(4.0));
  }
  const double order = std::log2(errors[0] / errors[1]);
  EXPECT_NEAR(order, 5.0, 0.3);
}

}  // namespace il2sim::solver
