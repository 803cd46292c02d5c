#include "solver/cvode.hpp"

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

#include <fmt/format.h>

#include "core/error.hpp"

namespace il2sim::solver {

struct CvodeBdf::Impl {
  OdeProblem problem;
  SolverOptions options;
  SUNContext context = nullptr;
  void* mem = nullptr;
  N_Vector y = nullptr;
  N_Vector atol = nullptr;
  SUNMatrix matrix = nullptr;
  SUNLinearSolver linear_solver = nullptr;
  double t = 0.0;
  bool initialized = false;
  long resets = 0;
  SolverStats before_reinit;  ///< CVodeReInit zeroes CVODE's counters; totals carry over here
  std::string last_error;
};

namespace {

int rhs_callback(sunrealtype t, N_Vector y, N_Vector ydot, void* user_data) {
  auto* impl = static_cast<CvodeBdf::Impl*>(user_data);
  const std::size_t n = impl->problem.size;
  impl->problem.rhs(t, std::span<const double>(N_VGetArrayPointer(y), n),
                    std::span<double>(N_VGetArrayPointer(ydot), n));
  return 0;
}

int root_callback(sunrealtype t, N_Vector y, sunrealtype* gout, void* user_data) {
  auto* impl = static_cast<CvodeBdf::Impl*>(user_data);
  impl->problem.roots(t, std::span<const double>(N_VGetArrayPointer(y), impl->problem.size),
                      std::span<double>(gout, impl->problem.root_count));
  return 0;
}

void error_handler(int /*error_code*/, const char* /*module*/, const char* /*function*/, char* msg,
                   void* user_data) {
  static_cast<CvodeBdf::Impl*>(user_data)->last_error = msg;
}

void check(int flag, const char* what) {
  IL2SIM_ASSERT(flag >= 0, what);
}

}  // namespace

CvodeBdf::CvodeBdf(OdeProblem problem, SolverOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->problem = std::move(problem);
  impl_->options = std::move(options);
  const auto n = static_cast<sunindextype>(impl_->problem.size);
  IL2SIM_ASSERT(impl_->options.atol.size() == impl_->problem.size,
                "one absolute tolerance per state");
  check(SUNContext_Create(nullptr, &impl_->context), "SUNContext_Create");
  impl_->y = N_VNew_Serial(n, impl_->context);
  impl_->atol = N_VNew_Serial(n, impl_->context);
  for (sunindextype i = 0; i < n; ++i) {
    NV_Ith_S(impl_->atol, i) = impl_->options.atol[static_cast<std::size_t>(i)];
  }
  impl_->mem = CVodeCreate(CV_BDF, impl_->context);
  IL2SIM_ASSERT(impl_->mem != nullptr, "CVodeCreate");
  impl_->matrix = SUNDenseMatrix(n, n, impl_->context);
  impl_->linear_solver = SUNLinSol_Dense(impl_->y, impl_->matrix, impl_->context);
}

CvodeBdf::~CvodeBdf() {
  if (impl_->mem != nullptr) CVodeFree(&impl_->mem);
  if (impl_->linear_solver != nullptr) SUNLinSolFree(impl_->linear_solver);
  if (impl_->matrix != nullptr) SUNMatDestroy(impl_->matrix);
  if (impl_->y != nullptr) N_VDestroy(impl_->y);
  if (impl_->atol != nullptr) N_VDestroy(impl_->atol);
  if (impl_->context != nullptr) SUNContext_Free(&impl_->context);
}

void CvodeBdf::reset(double t0, std::span<const double> y0) {
  IL2SIM_ASSERT(y0.size() == impl_->problem.size, "state size mismatch");
  double* data = N_VGetArrayPointer(impl_->y);
  std::copy(y0.begin(), y0.end(), data);
  impl_->t = t0;
  ++impl_->resets;
  if (!impl_->initialized) {
    check(CVodeInit(impl_->mem, rhs_callback, t0, impl_->y), "CVodeInit");
    check(CVodeSetUserData(impl_->mem, impl_.get()), "CVodeSetUserData");
    check(CVodeSVtolerances(impl_->mem, impl_->options.rtol, impl_->atol), "CVodeSVtolerances");
    check(CVodeSetLinearSolver(impl_->mem, impl_->linear_solver, impl_->matrix),
          "CVodeSetLinearSolver");
    check(CVodeSetMaxNumSteps(impl_->mem, impl_->options.max_steps), "CVodeSetMaxNumSteps");
    check(CVodeSetErrHandlerFn(impl_->mem, error_handler, impl_.get()), "CVodeSetErrHandlerFn");
    if (impl_->options.max_step > 0)
      check(CVodeSetMaxStep(impl_->mem, impl_->options.max_step), "max step");
    if (impl_->options.initial_step > 0) {
      check(CVodeSetInitStep(impl_->mem, impl_->options.initial_step), "CVodeSetInitStep");
    }
    if (impl_->problem.root_count > 0) {
      check(CVodeRootInit(impl_->mem, static_cast<int>(impl_->problem.root_count), root_callback),
            "CVodeRootInit");
    }
    impl_->initialized = true;
  } else {
    impl_->before_reinit = stats();
    check(CVodeReInit(impl_->mem, t0, impl_->y), "CVodeReInit");
  }
}

AdvanceResult CvodeBdf::advance_to(double t_out, double t_stop) {
  AdvanceResult result;
  check(CVodeSetStopTime(impl_->mem, t_stop), "CVodeSetStopTime");
  double t_reached = impl_->t;
  const int flag = CVode(impl_->mem, t_out, impl_->y, &t_reached, CV_NORMAL);
  impl_->t = t_reached;
  result.t = t_reached;
  if (flag == CV_ROOT_RETURN) {
    std::vector<int> found(impl_->problem.root_count, 0);
    check(CVodeGetRootInfo(impl_->mem, found.data()), "CVodeGetRootInfo");
    result.status = AdvanceStatus::kRoot;
    result.roots = std::move(found);
  } else if (flag < 0) {
    result.status = AdvanceStatus::kFailure;
    result.message =
        impl_->last_error.empty() ? fmt::format("CVODE error {}", flag) : impl_->last_error;
  }
  return result;
}

double CvodeBdf::time() const {
  return impl_->t;
}

std::span<const double> CvodeBdf::state() const {
  return {N_VGetArrayPointer(impl_->y), impl_->problem.size};
}

SolverStats CvodeBdf::stats() const {
  SolverStats s = impl_->before_reinit;
  s.resets = impl_->resets;
  if (!impl_->initialized) return s;
  long v = 0;
  CVodeGetNumSteps(impl_->mem, &v);
  s.steps += v;
  CVodeGetNumErrTestFails(impl_->mem, &v);
  s.failed_steps += v;
  CVodeGetNumRhsEvals(impl_->mem, &v);
  s.rhs_evals += v;
  CVodeGetNumLinRhsEvals(impl_->mem, &v);
  s.rhs_evals += v;
  CVodeGetNumJacEvals(impl_->mem, &v);
  s.jacobian_evals += v;
  CVodeGetNumGEvals(impl_->mem, &v);
  s.root_evals += v;
  return s;
}

}  // namespace il2sim::solver
