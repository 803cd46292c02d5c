#include "sim/patient_sim.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include <fmt/format.h>

#include "core/error.hpp"
#include "solver/cvode.hpp"
#include "solver/dopri5.hpp"

namespace il2sim::sim {
namespace {

enum TumourRoot : std::size_t {
  kRootRelapse,
  kRootSymptomatic,
  kRootStoch,
  kRootMrd,
  kTumourRootCount
};

constexpr double kTimeEps = 1e-9;
/// Quiet mode starts no earlier: S relaxes from its day-0 value with t1/2 ln2/kSout (8 h by
/// default).
constexpr double kQuietFromDay = 5.0;
/// How often a segment without IL-2 that is not yet quiet re-checks whether it can be.
constexpr double kQuietRecheckDays = 5.0;

std::vector<double> absolute_tolerances() {
  std::vector<double> atol(model::kStateCount, 1e-8);
  atol[model::kA1] = 1e-3;
  atol[model::kA2] = 1e-3;
  atol[model::kAd] = 1e-3;
  atol[model::kCe] = 1e-6;
  atol[model::kW] = 1e-6;
  atol[model::kN] = 1e-6;
  atol[model::kE] = 1e-6;
  atol[model::kK] = 1e-6;
  atol[model::kP] = 1e-6;
  atol[model::kS] = 1e-4;
  atol[model::kElim] = 1.0;
  atol[model::kAuc] = 1e-6;
  atol[model::kGvhd] = 1e-6;
  return atol;
}

/// Whether the right-hand side is the same function under inputs a and b (the birth-death count,
/// which only the simulator's kill reads, aside).
bool same_rhs_inputs(const model::ModelInputs& a, const model::ModelInputs& b) {
  return a.infusion_rate == b.infusion_rate && a.tumour_ode == b.tumour_ode && a.pk == b.pk &&
         (a.pk != model::PkMode::kLinearTransient || a.pk_transient == b.pk_transient) &&
         a.gvhd_window == b.gvhd_window && a.quiet == b.quiet &&
         a.untreated_kill == b.untreated_kill && a.untreated_from == b.untreated_from &&
         a.untreated_N == b.untreated_N && a.untreated_E == b.untreated_E;
}

/// Whether y and the integrator's state agree in what the closed-form PK starts from: the amounts
/// A1, A2 and the pools that clear IL-2 (a dose or an infusion of LAK cells at a breakpoint changes
/// them; the closed form then starts again from the new state).
bool same_pk_state(std::span<const double> y, std::span<const double> integrator_state) {
  for (const auto i : {model::kA1, model::kA2, model::kN, model::kE, model::kK}) {
    if (y[i] != integrator_state[i]) return false;
  }
  return true;
}

/// Whether y and the integrator's state agree in every component the right-hand side reads under
/// inputs u (in quiet mode it does not read sIL-2Rα, which the simulator sets to its quasi-steady
/// value when read).
bool same_rhs_state(std::span<const double> y, std::span<const double> integrator_state,
                    const model::ModelInputs& u) {
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (y[i] != integrator_state[i] && !(u.quiet && i == model::kS)) return false;
  }
  return true;
}

}  // namespace

std::vector<double> output_grid(double horizon, double step) {
  std::vector<double> grid;
  const auto n = static_cast<long>(std::floor(horizon / step + 1e-9));
  grid.reserve(static_cast<std::size_t>(n) + 2);
  for (long i = 0; i <= n; ++i) grid.push_back(static_cast<double>(i) * step);
  if (grid.back() < horizon - 1e-9) grid.push_back(horizon);
  return grid;
}

// ---- PatientSimulator ---------------------------------------------------------------------------

PatientSimulator::PatientSimulator(const model::IndividualParameters& parameters,
                                   SimulationOptions options, std::uint32_t patient_id)
    : model_(parameters), options_(options), patient_id_(patient_id) {}

PatientOutcome PatientSimulator::run(Controller& controller, double L0, RandomStream& tumour_stream,
                                     std::span<const double> output_times,
                                     const Observer& observer) {
  const auto& p = model_.parameters();
  const bool fast = options_.mode == SolverMode::kFast;
  const double horizon = options_.horizon_days;
  PatientOutcome outcome;
  auto& u = model_.inputs();
  u = model::ModelInputs{};

  // ---- Tumour regime ---------------------------------------------------------------------------
  std::uint64_t cells = 0;  // birth-death count
  bool stochastic = false;
  const bool tumour_at_start = L0 > 0.0;
  if (tumour_at_start && options_.stochastic_tumour && L0 < p.L_stoch) {
    stochastic = true;
    cells = static_cast<std::uint64_t>(std::llround(L0));
  }
  u.tumour_ode = tumour_at_start && !stochastic;
  u.tumour_cells = stochastic ? static_cast<double>(cells) : 0.0;
  bool was_mrd_positive = tumour_at_start && L0 >= p.L_MRD;

  // ---- Problem and integrator ------------------------------------------------------------------
  const std::size_t controller_roots = controller.root_count();
  solver::OdeProblem problem;
  problem.size = model::kStateCount;
  problem.rhs = [this](double t, std::span<const double> y, std::span<double> dy) {
    model_.rhs(t, y, dy);
  };
  problem.root_count = kTumourRootCount + controller_roots;
  const double ln_rel = std::log(p.L_rel);
  const double ln_sym = std::log(10.0 * p.L_rel);
  const double ln_stoch = std::log(p.L_stoch);
  const double ln_mrd = std::log(p.L_MRD);
  const bool use_stoch = options_.stochastic_tumour;
  problem.roots = [&, ln_rel, ln_sym, ln_stoch, ln_mrd, use_stoch](
                      double t, std::span<const double> y, std::span<double> g) {
    if (model_.inputs().tumour_ode) {
      const double lnL = y[model::kLnL];
      g[kRootRelapse] = lnL - ln_rel;
      g[kRootSymptomatic] = lnL - ln_sym;
      g[kRootStoch] = use_stoch ? lnL - ln_stoch : 1.0;
      g[kRootMrd] = lnL - ln_mrd;
    } else {
      std::fill(g.begin(), g.begin() + kTumourRootCount, -1.0);
    }
    if (controller_roots > 0) controller.roots(t, y, model_, g.subspan(kTumourRootCount));
  };
  solver::SolverOptions opts;
  opts.rtol = options_.rtol > 0.0 ? options_.rtol : (fast ? 1e-5 : 1e-8);
  opts.atol = absolute_tolerances();
  opts.max_steps = options_.max_steps;
  std::unique_ptr<solver::Integrator> integrator;
  if (fast) {
    integrator = std::make_unique<solver::Dopri5>(problem, opts);
  } else {
    integrator = std::make_unique<solver::CvodeBdf>(problem, opts);
  }

  auto y0 = model_.initial_state(tumour_at_start ? L0 : 0.0);
  std::vector<double> y(y0.begin(), y0.end());
  std::vector<double> y_report(y.size());
  double t = 0.0;
  std::size_t next_out = 0;
  // Quiet mode: y[kS] is the quasi-steady value at (t, y), computed only when y is read (outputs,
  // the controller, a restart of the integrator), not after every birth-death slice.
  bool s_stale = false;
  auto refresh_S = [&] {
    if (s_stale) {
      y[model::kS] = model_.quasi_steady_S(t, y);
      s_stale = false;
    }
  };

  // State as reported: in QSS mode the central amount is the quasi-steady-state one.
  auto emit_outputs_until = [&](double time, std::span<const double> state) {
    while (next_out < output_times.size() && output_times[next_out] <= time + kTimeEps) {
      if (std::fabs(output_times[next_out] - time) < kTimeEps && observer) {
        refresh_S();
        std::copy(state.begin(), state.end(), y_report.begin());
        if (u.pk == model::PkMode::kQuasiSteadyState) {
          const double C = model_.concentration(state);
          y_report[model::kA1] = p.V1 * C;
          y_report[model::kA2] = p.V2 * C;
        }
        observer(time, y_report, model_);
      }
      ++next_out;
    }
  };
  auto finish = [&](double day) {
    outcome.end_day = day;
    outcome.stats = integrator->stats();
    return outcome;
  };
  auto fail = [&](double day, const std::string& what) {
    outcome.failed = true;
    outcome.failure_day = day;
    outcome.failure =
        fmt::format("patient {}, day {:.2f}: {}; raise solver.max_steps or loosen solver.rtol",
                    patient_id_, day, what);
    return finish(day);
  };
  // A tumour event goes to the controller; returns true when the controller stops the simulation.
  bool controller_acted = false;  // inner loop: since the last next_breakpoint query
  auto tumour_event = [&](double day, TumourEvent e) {
    controller_acted = true;
    return controller.at_tumour_event(day, e).stop;
  };

  bool integrated = false;         // the integrator has been started
  model::ModelInputs last_inputs;  // the inputs of the last segment
  double dynamic_until = -1.0;     // fast mode: dynamic PK before this day
  double bolus_until = -1.0;       // fast mode: a bolus is washing out before this day
  double rate = 0.0;
  {
    const auto d = controller.at_breakpoint(0.0, y, model_);
    if (d.stop) {
      emit_outputs_until(0.0, y);
      return finish(0.0);
    }
    if (d.bolus) dynamic_until = bolus_until = options_.bolus_washout_days;
  }
  // A tumour already at or above a threshold at day 0 has no crossing for root-finding to find: it
  // is in relapse from day 0 (and symptomatic at 10·L_rel).
  if (u.tumour_ode && L0 >= p.L_rel) {
    outcome.relapse_day = 0.0;
    if (tumour_event(0.0, TumourEvent::kRelapseCrossing)) return finish(0.0);
    if (L0 >= 10.0 * p.L_rel) {
      outcome.symptomatic_day = 0.0;
      if (tumour_event(0.0, TumourEvent::kSymptomaticCrossing)) return finish(0.0);
    }
  }
  while (t < horizon - kTimeEps) {
    // ---- Inputs of the next segment; a change of rate opens a PK transient window (fast mode)
    // ----
    const double new_rate = controller.infusion_rate(t);
    if (new_rate != rate) dynamic_until = std::max(dynamic_until, t + options_.pk_transient_days);
    rate = new_rate;
    if (!options_.treatment_kill && !u.untreated_kill &&
        (rate > 0.0 || y[model::kA1] > 0.0 || y[model::kAd] > 0.0 || y[model::kK] > 0.0)) {
      // The first IL-2 or LAK: until now the states are the untreated ones; from here the kill uses
      // the effectors of the same patient without treatment.
      u.untreated_kill = true;
      u.untreated_from = t;
      u.untreated_N = y[model::kN];
      u.untreated_E = y[model::kE];
    }
    const bool dynamic_pk = !fast || t < dynamic_until - kTimeEps;
    // Fast mode, a window opened by a change of infusion rate (no bolus washing out, no SC depot):
    // the closed-form linear PK instead of the stiff dynamic one.
    const bool linear_pk =
        fast && dynamic_pk && !(t < bolus_until - kTimeEps) && y[model::kAd] == 0.0;
    const double C_before = model_.concentration(y);
    const auto pk_before = u.pk;
    const bool qss_before = pk_before == model::PkMode::kQuasiSteadyState;
    const bool rate_changed = rate != u.infusion_rate;
    u.infusion_rate = rate;
    u.gvhd_window = controller.gvhd_window(t);
    u.pk = !dynamic_pk ? model::PkMode::kQuasiSteadyState
                       : (linear_pk ? model::PkMode::kLinearTransient : model::PkMode::kDynamic);
    const bool was_quiet = u.quiet;
    u.quiet = fast && options_.quiet_tolerance > 0.0 && rate == 0.0 && !dynamic_pk &&
              t >= kQuietFromDay && model::Il2Model::at_rest(y, options_.quiet_tolerance);
    if (u.quiet) {
      y[model::kCe] = y[model::kW] = y[model::kAct] = y[model::kK] = 0.0;
      y[model::kBN] = y[model::kBE] = 1.0;
      y[model::kS] = model_.quasi_steady_S(t, y);
    } else if (was_quiet) {
      y[model::kS] = model_.quasi_steady_S(t, y);  // S continues from its quasi-steady value
    }
    if (qss_before && dynamic_pk) {
      y[model::kA1] = p.V1 * C_before;
      y[model::kA2] = p.V2 * C_before;
    } else if (!dynamic_pk) {
      y[model::kA1] = 0.0;
      y[model::kA2] = 0.0;
    }
    // The closed form starts afresh where the rate changes or the mode begins; within its window it
    // goes on unchanged across breakpoints that change nothing else.
    if (linear_pk && (rate_changed || pk_before != model::PkMode::kLinearTransient ||
                      !same_pk_state(y, integrator->state()))) {
      u.pk_transient = model_.linear_transient(t, y, rate);
    }
    double breakpoint = controller.next_breakpoint(t);
    double seg_end = std::min(horizon, breakpoint);
    if (fast && dynamic_pk) seg_end = std::min(seg_end, dynamic_until);
    // Not yet quiet only because the resting states are still relaxing: look again in a few days.
    if (fast && options_.quiet_tolerance > 0.0 && rate == 0.0 && !u.quiet) {
      seg_end = std::min(seg_end, std::max(t, kQuietFromDay) + kQuietRecheckDays);
    }
    emit_outputs_until(t, y);
    // Fast mode: a breakpoint that changed neither the inputs nor a state the right-hand side reads
    // (a visit without a dose, a quiet-state recheck) continues the integration with its step size
    // instead of restarting it.
    if (fast && integrated && same_rhs_inputs(u, last_inputs) &&
        same_rhs_state(y, integrator->state(), u)) {
      integrator->resume(t, y);
    } else {
      integrator->reset(t, y);
    }
    integrated = true;
    last_inputs = u;

    bool resegment = false;
    double next_planned = breakpoint;  // controller.next_breakpoint(t) at the last query
    controller_acted = false;
    while (t < seg_end - kTimeEps && !resegment) {
      double target = seg_end;
      if (next_out < output_times.size()) target = std::min(target, output_times[next_out]);
      if (stochastic) target = std::min(target, t + options_.birth_death_slice);
      const double kill_now = stochastic ? model_.kill_rate(t, y, static_cast<double>(cells)) : 0.0;
      const double t_start = t;
      const auto result = integrator->advance_to(target, seg_end);
      if (result.status == solver::AdvanceStatus::kFailure) return fail(result.t, result.message);
      t = result.t;
      const auto state = integrator->state();
      std::copy(state.begin(), state.end(), y.begin());
      s_stale = u.quiet;
      bool restart = false;
      if (result.status == solver::AdvanceStatus::kRoot) {
        const auto& r = result.roots;
        if (r[kRootRelapse] > 0 && !outcome.relapse_day) {
          outcome.relapse_day = t;
          if (tumour_event(t, TumourEvent::kRelapseCrossing)) return finish(t);
        }
        if (r[kRootSymptomatic] > 0 && !outcome.symptomatic_day) {
          outcome.symptomatic_day = t;
          if (tumour_event(t, TumourEvent::kSymptomaticCrossing)) return finish(t);
        }
        if (r[kRootMrd] > 0) {
          was_mrd_positive = true;
          if (tumour_event(t, TumourEvent::kMrdPositive)) return finish(t);
        }
        if (r[kRootMrd] < 0 && was_mrd_positive && !outcome.mrd_negative_day) {
          outcome.mrd_negative_day = t;
          if (tumour_event(t, TumourEvent::kMrdNegative)) return finish(t);
        }
        if (r[kRootStoch] < 0) {
          // Enter the birth-death regime with the nearest whole number of cells.
          stochastic = true;
          cells = static_cast<std::uint64_t>(std::llround(std::exp(y[model::kLnL])));
          u.tumour_ode = false;
          u.tumour_cells = static_cast<double>(cells);
          restart = true;
        }
        if (controller_roots > 0) {
          const std::span<const int> dirs(r.data() + kTumourRootCount, controller_roots);
          if (std::any_of(dirs.begin(), dirs.end(), [](int v) { return v != 0; })) {
            refresh_S();
            const auto d = controller.at_roots(t, y, model_, dirs);
            controller_acted = true;
            emit_outputs_until(t, y);
            if (d.stop) return finish(t);
            if (d.bolus) {
              bolus_until = t + options_.bolus_washout_days;
              dynamic_until = std::max(dynamic_until, bolus_until);
            }
            resegment = true;  // the plan may have changed
          }
        }
      }
      if (stochastic && !restart && t > t_start) {
        // Linear birth-death over [t_start, t] with rates held at their slice-start values,
        // simulated exactly (Gillespie): birth r + d0, death d0 + kill.
        const double birth = p.r + p.d0;
        const double death = p.d0 + kill_now;
        double s = t_start;
        while (cells > 0) {
          const double total = static_cast<double>(cells) * (birth + death);
          s += tumour_stream.exponential() / total;
          if (s > t) break;
          ++outcome.birth_death_events;
          if (tumour_stream.uniform() * (birth + death) < birth) {
            ++cells;
          } else {
            --cells;
          }
          if (static_cast<double>(cells) >= p.L_stoch) break;
        }
        u.tumour_cells = static_cast<double>(cells);
        if (cells == 0) {
          stochastic = false;
          outcome.cure_day = t;
          if (tumour_event(t, TumourEvent::kCure)) return finish(t);
          if (was_mrd_positive && !outcome.mrd_negative_day) outcome.mrd_negative_day = t;
        } else if (static_cast<double>(cells) >= p.L_stoch) {
          stochastic = false;
          u.tumour_ode = true;
          y[model::kLnL] = std::log(static_cast<double>(cells));
          restart = true;
        }
      }
      // A tumour event may have given the controller an earlier breakpoint (e.g. the assessment
      // that records a relapse): end the segment so that the breakpoint is not stepped over. One
      // due exactly at seg_end (a segment cut short for the quiet-state recheck) must still be
      // processed there: it becomes this segment's breakpoint.
      // The controller's plan changes only when it acts; until then its next breakpoint stays the
      // earliest planned time after the last query, as long as that is still ahead of t.
      if (!(next_planned > t + kTimeEps) || controller_acted) {
        next_planned = controller.next_breakpoint(t);
        controller_acted = false;
      }
      if (!resegment && next_planned < seg_end - kTimeEps) resegment = true;
      breakpoint = std::min(breakpoint, next_planned);
      emit_outputs_until(t, y);
      if (restart && !resegment && t < seg_end - kTimeEps) {
        refresh_S();
        integrator->reset(t, y);
      }
    }
    refresh_S();
    if (std::fabs(t - breakpoint) < kTimeEps) {
      const auto d = controller.at_breakpoint(t, y, model_);
      if (d.stop) {
        emit_outputs_until(t, y);
        return finish(t);
      }
      if (d.bolus) {
        bolus_until = t + options_.bolus_washout_days;
        dynamic_until = std::max(dynamic_until, bolus_until);
      }
    }
  }
  emit_outputs_until(t, y);
  return finish(t);
}

}  // namespace il2sim::sim
