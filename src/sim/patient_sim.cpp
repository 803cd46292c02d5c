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

using model::State;

enum Root : std::size_t { kRootRelapse, kRootSymptomatic, kRootStoch, kRootMrd, kRootCount };

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
  return atol;
}

/// Piecewise-constant input over [start, end).
struct Segment {
  double start;
  double end;
  double rate;             ///< total infusion rate, IU/day
  bool dynamic_pk;         ///< integrate A1/A2 (bolus washout or reference mode)
};

}  // namespace

std::vector<double> output_grid(double horizon, double step) {
  std::vector<double> grid;
  const auto n = static_cast<long>(std::floor(horizon / step + 1e-9));
  grid.reserve(static_cast<std::size_t>(n) + 2);
  for (long i = 0; i <= n; ++i) grid.push_back(static_cast<double>(i) * step);
  if (grid.back() < horizon - 1e-9) grid.push_back(horizon);
  return grid;
}

PatientSimulator::PatientSimulator(const model::IndividualParameters& parameters,
                                   SimulationOptions options, std::uint32_t patient_id)
    : model_(parameters), options_(options), patient_id_(patient_id) {}

PatientOutcome PatientSimulator::run(std::span<const dosing::DoseRecord> doses, double L0,
                                     RandomStream& tumour_stream, std::span<const double> output_times,
                                     const Observer& observer) {
  const auto& p = model_.parameters();
  const bool fast = options_.mode == SolverMode::kFast;
  const double horizon = options_.horizon_days;
  PatientOutcome outcome;

  // ---- Breakpoints: every change of input is a discontinuity --------------------------------------
  // Fast mode: windows after each change of input during which the PK transient is integrated.
  std::vector<std::pair<double, double>> transients;
  if (fast) {
    for (const auto& d : doses) {
      if (d.duration > 0.0) {
        transients.emplace_back(d.time, d.time + options_.pk_transient_days);
        transients.emplace_back(d.time + d.duration, d.time + d.duration + options_.pk_transient_days);
      } else if (d.amount_iu > 0.0 && d.compartment == dosing::Compartment::kCentral) {
        transients.emplace_back(d.time, d.time + options_.bolus_washout_days);
      }
    }
  }
  std::vector<double> breaks{0.0, horizon};
  for (const auto& d : doses) {
    if (d.time >= horizon) continue;
    breaks.push_back(d.time);
    if (d.duration > 0.0) breaks.push_back(std::min(d.time + d.duration, horizon));
  }
  for (const auto& [from, to] : transients) {
    if (from < horizon) breaks.push_back(std::min(to, horizon));
  }
  std::sort(breaks.begin(), breaks.end());
  breaks.erase(std::unique(breaks.begin(), breaks.end(),
                           [](double a, double b) { return std::fabs(a - b) < 1e-12; }),
               breaks.end());
  std::vector<Segment> segments;
  for (std::size_t i = 0; i + 1 < breaks.size(); ++i) {
    Segment s{breaks[i], breaks[i + 1], 0.0, !fast};
    for (const auto& d : doses) {
      if (d.duration > 0.0 && d.time <= s.start + 1e-12 && d.time + d.duration >= s.end - 1e-12) {
        s.rate += d.rate_iu_per_day;
      }
    }
    for (const auto& [from, to] : transients) {
      if (from <= s.start + 1e-12 && to >= s.end - 1e-12) s.dynamic_pk = true;
    }
    segments.push_back(s);
  }

  // ---- Tumour regime ---------------------------------------------------------------------------
  auto& u = model_.inputs();
  std::uint64_t cells = 0;  // birth-death count
  bool stochastic = false;
  bool tumour_gone = !(L0 > 0.0);
  if (!tumour_gone && options_.stochastic_tumour && L0 < p.L_stoch) {
    stochastic = true;
    cells = static_cast<std::uint64_t>(std::llround(L0));
  }
  u.tumour_ode = !tumour_gone && !stochastic;
  u.tumour_cells = stochastic ? static_cast<double>(cells) : 0.0;
  bool was_mrd_positive = !tumour_gone && L0 >= p.L_MRD;

  // ---- Problem and integrator ------------------------------------------------------------------
  solver::OdeProblem problem;
  problem.size = model::kStateCount;
  problem.rhs = [this](double t, std::span<const double> y, std::span<double> dy) { model_.rhs(t, y, dy); };
  problem.root_count = kRootCount;
  const double ln_rel = std::log(p.L_rel);
  const double ln_sym = std::log(10.0 * p.L_rel);
  const double ln_stoch = std::log(p.L_stoch);
  const double ln_mrd = std::log(p.L_MRD);
  const bool use_stoch = options_.stochastic_tumour;
  problem.roots = [this, ln_rel, ln_sym, ln_stoch, ln_mrd, use_stoch](double, std::span<const double> y,
                                                                       std::span<double> g) {
    if (!model_.inputs().tumour_ode) {
      std::fill(g.begin(), g.end(), -1.0);
      return;
    }
    const double lnL = y[model::kLnL];
    g[kRootRelapse] = lnL - ln_rel;
    g[kRootSymptomatic] = lnL - ln_sym;
    g[kRootStoch] = use_stoch ? lnL - ln_stoch : 1.0;
    g[kRootMrd] = lnL - ln_mrd;
  };
  solver::SolverOptions opts;
  opts.rtol = options_.rtol > 0.0 ? options_.rtol : (fast ? 1e-6 : 1e-8);
  opts.atol = absolute_tolerances();
  opts.max_steps = options_.max_steps;
  std::unique_ptr<solver::Integrator> integrator;
  if (fast) {
    integrator = std::make_unique<solver::Dopri5>(problem, opts);
  } else {
    integrator = std::make_unique<solver::CvodeBdf>(problem, opts);
  }

  auto y0 = model_.initial_state(tumour_gone ? 0.0 : L0);
  std::vector<double> y(y0.begin(), y0.end());
  std::vector<double> y_report(y.size());
  double t = 0.0;
  std::size_t next_out = 0;
  std::size_t next_bolus = 0;
  std::vector<dosing::DoseRecord> boluses;
  for (const auto& d : doses) {
    if (d.amount_iu > 0.0) boluses.push_back(d);
  }
  std::sort(boluses.begin(), boluses.end(),
            [](const dosing::DoseRecord& a, const dosing::DoseRecord& b) { return a.time < b.time; });

  // State as reported: in QSS mode the PK amounts are the quasi-steady-state ones.
  auto report = [&](double time, std::span<const double> state) {
    std::copy(state.begin(), state.end(), y_report.begin());
    if (u.pk == model::PkMode::kQuasiSteadyState) {
      const double C = model_.concentration(state);
      y_report[model::kA1] = p.V1 * C;
      y_report[model::kA2] = p.V2 * C;
    }
    if (observer) observer(time, y_report, model_);
  };
  auto fail = [&](double day, const std::string& what) {
    outcome.failed = true;
    outcome.failure_day = day;
    outcome.failure = fmt::format("patient {}, day {:.2f}: {}; raise solver.max_steps or loosen solver.rtol",
                                  patient_id_, day, what);
    outcome.stats = integrator->stats();
  };
  auto emit_outputs_until = [&](double time, std::span<const double> state) {
    while (next_out < output_times.size() && output_times[next_out] <= time + 1e-12) {
      if (std::fabs(output_times[next_out] - time) < 1e-9) report(time, state);
      ++next_out;
    }
  };

  for (const auto& seg : segments) {
    // Inputs of this segment; PK mode switch keeps the concentration continuous.
    const double C_before = model_.concentration(y);
    const bool qss_before = u.pk == model::PkMode::kQuasiSteadyState;
    u.infusion_rate = seg.rate;
    u.pk = seg.dynamic_pk ? model::PkMode::kDynamic : model::PkMode::kQuasiSteadyState;
    if (qss_before && seg.dynamic_pk) {
      y[model::kA1] = p.V1 * C_before;
      y[model::kA2] = p.V2 * C_before;
    } else if (!seg.dynamic_pk) {
      y[model::kA1] = 0.0;
      y[model::kA2] = 0.0;
    }
    while (next_bolus < boluses.size() && boluses[next_bolus].time <= seg.start + 1e-12) {
      const auto& b = boluses[next_bolus++];
      if (b.compartment == dosing::Compartment::kDepot) {
        y[model::kAd] += p.F_sc * b.amount_iu;
      } else {
        y[model::kA1] += b.amount_iu;
      }
    }
    emit_outputs_until(t, y);
    integrator->reset(t, y);
    while (t < seg.end) {
      double target = seg.end;
      if (next_out < output_times.size()) target = std::min(target, output_times[next_out]);
      if (stochastic) target = std::min(target, t + options_.birth_death_slice);
      const double kill_now = stochastic ? model_.kill_rate(y, static_cast<double>(cells)) : 0.0;
      const double t_start = t;
      const auto result = integrator->advance_to(target, seg.end);
      if (result.status == solver::AdvanceStatus::kFailure) {
        fail(result.t, result.message);
        return outcome;
      }
      t = result.t;
      const auto state = integrator->state();
      std::copy(state.begin(), state.end(), y.begin());
      bool restart = false;
      if (result.status == solver::AdvanceStatus::kRoot) {
        if (result.roots[kRootRelapse] > 0 && !outcome.relapse_day) outcome.relapse_day = t;
        if (result.roots[kRootSymptomatic] > 0 && !outcome.symptomatic_day) outcome.symptomatic_day = t;
        if (result.roots[kRootMrd] > 0) was_mrd_positive = true;
        if (result.roots[kRootMrd] < 0 && was_mrd_positive && !outcome.mrd_negative_day) {
          outcome.mrd_negative_day = t;
        }
        if (result.roots[kRootStoch] < 0) {
          // Enter the birth-death regime with the nearest whole number of cells.
          stochastic = true;
          cells = static_cast<std::uint64_t>(std::llround(std::exp(y[model::kLnL])));
          u.tumour_ode = false;
          u.tumour_cells = static_cast<double>(cells);
          restart = true;
        }
      }
      if (stochastic && !restart && t > t_start) {
        // Linear birth-death over [t_start, t] with rates held at their slice-start values, simulated
        // exactly (Gillespie): birth r + d0, death d0 + kill.
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
          tumour_gone = true;
          outcome.cure_day = t;
          if (was_mrd_positive && !outcome.mrd_negative_day) outcome.mrd_negative_day = t;
        } else if (static_cast<double>(cells) >= p.L_stoch) {
          stochastic = false;
          u.tumour_ode = true;
          y[model::kLnL] = std::log(static_cast<double>(cells));
          restart = true;
        }
      }
      emit_outputs_until(t, y);
      if (restart && t < seg.end) integrator->reset(t, y);
    }
  }
  outcome.stats = integrator->stats();
  return outcome;
}

}  // namespace il2sim::sim
