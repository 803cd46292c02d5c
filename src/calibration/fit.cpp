#include "calibration/fit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <nlopt.hpp>

#include "core/error.hpp"

namespace il2sim::calibration {
namespace {

nlopt::algorithm algorithm_of(const std::string& name) {
  if (name == "bobyqa") return nlopt::LN_BOBYQA;
  if (name == "neldermead") return nlopt::LN_NELDERMEAD;
  if (name == "sbplx") return nlopt::LN_SBPLX;
  throw UserError({"", std::nullopt, std::nullopt, "--optimizer"},
                  fmt::format("unknown optimizer '{}'", name), "bobyqa, neldermead, sbplx");
}

std::string_view result_text(nlopt::result r) {
  switch (r) {
    case nlopt::SUCCESS:
      return "success";
    case nlopt::STOPVAL_REACHED:
      return "objective reached the stop value";
    case nlopt::FTOL_REACHED:
      return "objective tolerance reached";
    case nlopt::XTOL_REACHED:
      return "parameter tolerance reached";
    case nlopt::MAXEVAL_REACHED:
      return "maximum number of evaluations reached";
    case nlopt::MAXTIME_REACHED:
      return "maximum time reached";
    default:
      return "stopped";
  }
}

}  // namespace

const std::vector<std::string_view>& algorithm_names() {
  static const std::vector<std::string_view> names{"bobyqa", "neldermead", "sbplx"};
  return names;
}

FitResult fit(const Evaluator& evaluator, const model::ParameterSet& start,
              const FitOptions& options) {
  const auto algorithm = algorithm_of(options.algorithm);
  const std::size_t n = options.parameters.size();
  IL2SIM_ASSERT(n > 0, "fit needs at least one parameter");
  FitResult result;
  result.parameters = options.parameters;
  result.algorithm = options.algorithm;
  std::vector<double> x(n), lo(n), hi(n), step(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& sp = model::spec(options.parameters[i]);
    if (!(sp.upper > 0.0)) {
      throw UserError(
          {"", std::nullopt, std::nullopt, "--parameters"},
          fmt::format("parameter '{}' has upper bound {} and cannot be fitted on a log scale",
                      sp.name, sp.upper));
    }
    // A zero lower bound becomes 10^-3 of the starting value (at least 10^-6 of the upper bound)
    // on the log scale: tied to where the fit starts, not to the shipped default, so that a fit
    // from the same start follows the same path after the defaults have been calibrated.
    const double from = start[options.parameters[i]];
    const double lower = sp.lower > 0.0 ? sp.lower : 1e-3 * std::max(from, 1e-3 * sp.upper);
    const double value = std::clamp(from, lower, sp.upper);
    result.start.push_back(value);
    result.lower.push_back(lower);
    result.upper.push_back(sp.upper);
    x[i] = std::log(value);
    lo[i] = std::log(lower);
    hi[i] = std::log(sp.upper);
    step[i] = std::min(options.initial_step, 0.25 * (hi[i] - lo[i]));
  }
  struct Context {
    const Evaluator* evaluator;
    const FitOptions* options;
    int count = 0;
    double first = 0.0;
    double best = std::numeric_limits<double>::infinity();
    std::vector<double> best_x;
  } context{&evaluator, &options, 0, 0.0, std::numeric_limits<double>::infinity(), x};
  const auto objective = [](const std::vector<double>& lx, std::vector<double>& /*grad*/,
                            void* data) -> double {
    auto& c = *static_cast<Context*>(data);
    ParameterPatch patch = c.options->fixed;
    std::vector<double> values;
    for (std::size_t i = 0; i < lx.size(); ++i) {
      values.push_back(std::exp(lx[i]));
      patch.emplace_back(c.options->parameters[i], values.back());
    }
    const auto ev = c.evaluator->evaluate(patch);
    const double f = c.options->objective ? c.options->objective(ev) : ev.objective;
    if (++c.count == 1) c.first = f;  // every algorithm here evaluates the starting point first
    if (f < c.best) {
      c.best = f;
      c.best_x = lx;
    }
    if (c.options->on_evaluation) c.options->on_evaluation(c.count, values, f);
    return f;
  };
  nlopt::opt opt(algorithm, static_cast<unsigned>(n));
  opt.set_lower_bounds(lo);
  opt.set_upper_bounds(hi);
  opt.set_min_objective(objective, &context);
  opt.set_maxeval(options.max_evaluations);
  opt.set_xtol_rel(options.xtol_rel);
  opt.set_ftol_abs(options.ftol_abs);
  opt.set_stopval(0.0);  // every target inside its range: nothing left to improve
  opt.set_initial_step(step);
  double fmin = 0.0;
  nlopt::result r = nlopt::FAILURE;
  try {
    r = opt.optimize(x, fmin);
    result.stop_reason = std::string(result_text(r));
  } catch (const nlopt::roundoff_limited&) {
    result.stop_reason = "stopped by roundoff";
  } catch (const nlopt::forced_stop&) {
    result.stop_reason = "forced stop";
  }
  result.evaluations = context.count;
  result.objective = context.best;
  for (std::size_t i = 0; i < n; ++i) {
    // The starting point itself, exactly, when nothing better was found (no exp(log(x)) rounding).
    result.best.push_back(context.best_x[i] == std::log(result.start[i])
                              ? result.start[i]
                              : std::exp(context.best_x[i]));
  }
  result.start_objective = context.first;
  return result;
}

}  // namespace il2sim::calibration
