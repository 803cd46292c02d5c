#include "sim/patient_sim.hpp"

#include <algorithm>
#include <array>
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
  atol[model::kNb] = 1e-6;
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

// ---- One run ----------------------------------------------------------------------------------

namespace {

/// What a step of the driver tells the loop that runs it.
struct StepOutcome {
  bool stop = false;       ///< the run has ended (outcome final)
  bool restart = false;    ///< the right-hand side changed within the segment: reset the integrator
  bool resegment = false;  ///< the controller's plan may have changed: begin a new segment
};

/// A stretch of time with constant inputs, up to the controller's next breakpoint or earlier.
struct Segment {
  double breakpoint = kNever;    ///< the controller's breakpoint the segment runs to
  double end = 0.0;              ///< where the segment ends (breakpoint, horizon or a PK window)
  double next_planned = kNever;  ///< controller.next_breakpoint(t) at the last query
};

/// One patient's simulation from day 0: the state that PatientSimulator::run's steps share. The
/// inputs of the current segment live here; the model only reads them.
class PatientRun {
 public:
  PatientRun(const model::Il2Model& model, const SimulationOptions& options,
             std::uint32_t patient_id, Controller& controller, RandomStream& tumour_stream,
             std::span<const double> output_times, const Observer& observer);
  PatientRun(const PatientRun&) = delete;  // the problem's functions point to this object
  PatientRun& operator=(const PatientRun&) = delete;

  /// Runs [0, horizon] from L0 malignant cells; call once.
  PatientOutcome run(double L0);

 private:
  // The functions returning bool return false when the run has ended (the outcome is final).
  void simulate(double L0);
  // Setting up
  void start_tumour(double L0);
  [[nodiscard]] std::unique_ptr<solver::Integrator> make_integrator();
  void tumour_roots(std::span<const double> y, std::span<double> g) const;
  [[nodiscard]] bool start(double L0);
  // A segment of constant inputs
  void mark_first_treatment();
  void choose_inputs();
  [[nodiscard]] Segment plan_segment() const;
  void start_integrator();
  [[nodiscard]] bool integrate_segment(Segment& segment);
  [[nodiscard]] bool end_segment(const Segment& segment);
  // Within a segment
  [[nodiscard]] StepOutcome on_tumour_roots(std::span<const int> roots);
  [[nodiscard]] StepOutcome on_controller_roots(std::span<const int> roots);
  [[nodiscard]] StepOutcome birth_death_slice(double t_start, double kill_rate);
  [[nodiscard]] bool tumour_event(double day, TumourEvent event);
  void on_bolus();
  // Outputs and the end
  void refresh_S();
  void emit_outputs_until(double time);
  void finish(double day);
  void fail(double day, const std::string& what);

  const model::Il2Model& model_;
  const model::IndividualParameters& p_;
  const SimulationOptions& options_;
  const bool fast_;
  const std::uint32_t patient_id_;
  Controller& controller_;
  const std::size_t controller_roots_;
  /// ln of the tumour thresholds, per TumourRoot: L_rel, 10·L_rel, L_stoch, L_MRD.
  const std::array<double, kTumourRootCount> ln_thresholds_;
  RandomStream& tumour_stream_;
  std::span<const double> output_times_;
  const Observer& observer_;

  model::ModelInputs u_;  ///< the inputs of the current segment
  const ModelContext context_{model_, u_};
  model::ModelInputs last_inputs_;  ///< those of the last segment integrated
  std::unique_ptr<solver::Integrator> integrator_;
  bool integrated_ = false;  ///< the integrator has been started
  std::vector<double> y_;
  std::vector<double> y_report_;
  double t_ = 0.0;
  std::size_t next_out_ = 0;
  /// Quiet mode: y[kS] is the quasi-steady value at (t, y), computed only when y is read (outputs,
  /// the controller, a restart of the integrator), not after every birth-death slice.
  bool s_stale_ = false;
  bool controller_acted_ = false;  ///< since the last next_breakpoint query
  // PK mode (fast mode)
  double rate_ = 0.0;
  double dynamic_until_ = -1.0;  ///< dynamic PK before this day
  double bolus_until_ = -1.0;    ///< a bolus is washing out before this day
  // Tumour regime
  std::uint64_t cells_ = 0;  ///< birth-death count
  bool stochastic_ = false;
  bool was_mrd_positive_ = false;
  PatientOutcome outcome_;
};

PatientRun::PatientRun(const model::Il2Model& model, const SimulationOptions& options,
                       std::uint32_t patient_id, Controller& controller,
                       RandomStream& tumour_stream, std::span<const double> output_times,
                       const Observer& observer)
    : model_(model),
      p_(model.parameters()),
      options_(options),
      fast_(options.mode == SolverMode::kFast),
      patient_id_(patient_id),
      controller_(controller),
      controller_roots_(controller.root_count()),
      ln_thresholds_{std::log(p_.L_rel), std::log(10.0 * p_.L_rel), std::log(p_.L_stoch),
                     std::log(p_.L_MRD)},
      tumour_stream_(tumour_stream),
      output_times_(output_times),
      observer_(observer),
      integrator_(make_integrator()),
      y_report_(model::kStateCount) {}

void PatientRun::start_tumour(double L0) {
  const bool tumour_at_start = L0 > 0.0;
  if (tumour_at_start && options_.stochastic_tumour && L0 < p_.L_stoch) {
    stochastic_ = true;
    cells_ = static_cast<std::uint64_t>(std::llround(L0));
  }
  u_.tumour_ode = tumour_at_start && !stochastic_;
  u_.tumour_cells = stochastic_ ? static_cast<double>(cells_) : 0.0;
  was_mrd_positive_ = tumour_at_start && L0 >= p_.L_MRD;
  const auto y0 = model_.initial_state(tumour_at_start ? L0 : 0.0);
  y_.assign(y0.begin(), y0.end());
}

std::unique_ptr<solver::Integrator> PatientRun::make_integrator() {
  solver::OdeProblem problem;
  problem.size = model::kStateCount;
  problem.rhs = [this](double t, std::span<const double> y, std::span<double> dy) {
    model_.rhs(t, y, dy, u_);
  };
  problem.root_count = kTumourRootCount + controller_roots_;
  problem.roots = [this](double t, std::span<const double> y, std::span<double> g) {
    tumour_roots(y, g);
    if (controller_roots_ > 0) controller_.roots(t, y, context_, g.subspan(kTumourRootCount));
  };
  solver::SolverOptions opts;
  opts.rtol = options_.rtol > 0.0 ? options_.rtol : (fast_ ? 1e-5 : 1e-8);
  opts.atol = absolute_tolerances();
  opts.max_steps = options_.max_steps;
  if (fast_) return std::make_unique<solver::Dopri5>(std::move(problem), opts);
  return std::make_unique<solver::CvodeBdf>(std::move(problem), opts);
}

void PatientRun::tumour_roots(std::span<const double> y, std::span<double> g) const {
  if (!u_.tumour_ode) {
    std::fill(g.begin(), g.begin() + kTumourRootCount, -1.0);
    return;
  }
  const double lnL = y[model::kLnL];
  g[kRootRelapse] = lnL - ln_thresholds_[kRootRelapse];
  g[kRootSymptomatic] = lnL - ln_thresholds_[kRootSymptomatic];
  g[kRootStoch] = options_.stochastic_tumour ? lnL - ln_thresholds_[kRootStoch] : 1.0;
  g[kRootMrd] = lnL - ln_thresholds_[kRootMrd];
}

void PatientRun::finish(double day) {
  outcome_.end_day = day;
  outcome_.stats = integrator_->stats();
}

void PatientRun::fail(double day, const std::string& what) {
  outcome_.failed = true;
  outcome_.failure_day = day;
  outcome_.failure =
      fmt::format("patient {}, day {:.2f}: {}; raise solver.max_steps or loosen solver.rtol",
                  patient_id_, day, what);
  finish(day);
}

void PatientRun::refresh_S() {
  if (s_stale_) {
    y_[model::kS] = model_.quasi_steady_S(t_, y_);
    s_stale_ = false;
  }
}

void PatientRun::emit_outputs_until(double time) {
  while (next_out_ < output_times_.size() && output_times_[next_out_] <= time + kTimeEps) {
    if (std::fabs(output_times_[next_out_] - time) < kTimeEps && observer_) {
      refresh_S();
      // The state as reported: in QSS mode the amounts are the quasi-steady ones.
      std::copy(y_.begin(), y_.end(), y_report_.begin());
      if (u_.pk == model::PkMode::kQuasiSteadyState) {
        const double C = model_.concentration(y_, u_);
        y_report_[model::kA1] = p_.V1 * C;
        y_report_[model::kA2] = p_.V2 * C;
      }
      observer_(time, y_report_, context_);
    }
    ++next_out_;
  }
}

bool PatientRun::tumour_event(double day, TumourEvent event) {
  controller_acted_ = true;
  return controller_.at_tumour_event(day, event).stop;
}

void PatientRun::on_bolus() {
  bolus_until_ = t_ + options_.bolus_washout_days;
  dynamic_until_ = std::max(dynamic_until_, bolus_until_);
}

bool PatientRun::start(double L0) {
  const auto d = controller_.at_breakpoint(0.0, y_, context_);
  if (d.stop) {
    emit_outputs_until(0.0);
    finish(0.0);
    return false;
  }
  if (d.bolus) on_bolus();
  // A tumour already at or above a threshold at day 0 has no crossing for root-finding to find: it
  // is in relapse from day 0 (and symptomatic at 10·L_rel).
  if (u_.tumour_ode && L0 >= p_.L_rel) {
    outcome_.relapse_day = 0.0;
    if (tumour_event(0.0, TumourEvent::kRelapseCrossing)) {
      finish(0.0);
      return false;
    }
    if (L0 >= 10.0 * p_.L_rel) {
      outcome_.symptomatic_day = 0.0;
      if (tumour_event(0.0, TumourEvent::kSymptomaticCrossing)) {
        finish(0.0);
        return false;
      }
    }
  }
  return true;
}

void PatientRun::mark_first_treatment() {
  if (options_.treatment_kill || u_.untreated_kill) return;
  if (rate_ > 0.0 || y_[model::kA1] > 0.0 || y_[model::kAd] > 0.0 || y_[model::kK] > 0.0) {
    // The first IL-2 or LAK: until now the states are the untreated ones; from here the kill uses
    // the effectors of the same patient without treatment.
    u_.untreated_kill = true;
    u_.untreated_from = t_;
    u_.untreated_N = y_[model::kN];
    u_.untreated_E = y_[model::kE];
  }
}

void PatientRun::choose_inputs() {
  // A change of rate opens a PK transient window (fast mode).
  const double new_rate = controller_.infusion_rate(t_);
  if (new_rate != rate_) dynamic_until_ = std::max(dynamic_until_, t_ + options_.pk_transient_days);
  rate_ = new_rate;
  mark_first_treatment();
  auto& y = y_;
  const bool dynamic_pk = !fast_ || t_ < dynamic_until_ - kTimeEps;
  // Fast mode, a window opened by a change of infusion rate (no bolus washing out, no SC depot):
  // the closed-form linear PK instead of the stiff dynamic one.
  const bool linear_pk =
      fast_ && dynamic_pk && !(t_ < bolus_until_ - kTimeEps) && y[model::kAd] == 0.0;
  const double C_before = model_.concentration(y, u_);
  const auto pk_before = u_.pk;
  const bool rate_changed = rate_ != u_.infusion_rate;
  u_.infusion_rate = rate_;
  u_.gvhd_window = controller_.gvhd_window(t_);
  u_.pk = !dynamic_pk ? model::PkMode::kQuasiSteadyState
                      : (linear_pk ? model::PkMode::kLinearTransient : model::PkMode::kDynamic);
  const bool was_quiet = u_.quiet;
  u_.quiet = fast_ && options_.quiet_tolerance > 0.0 && rate_ == 0.0 && !dynamic_pk &&
             t_ >= kQuietFromDay && model::Il2Model::at_rest(y, options_.quiet_tolerance);
  if (u_.quiet) {
    y[model::kCe] = y[model::kW] = y[model::kAct] = y[model::kK] = 0.0;
    y[model::kBN] = y[model::kBE] = 1.0;
    y[model::kS] = model_.quasi_steady_S(t_, y);
  } else if (was_quiet) {
    y[model::kS] = model_.quasi_steady_S(t_, y);  // S continues from its quasi-steady value
  }
  if (pk_before == model::PkMode::kQuasiSteadyState && dynamic_pk) {
    y[model::kA1] = p_.V1 * C_before;
    y[model::kA2] = p_.V2 * C_before;
  } else if (!dynamic_pk) {
    y[model::kA1] = 0.0;
    y[model::kA2] = 0.0;
  }
  // The closed form starts afresh where the rate changes or the mode begins; within its window it
  // goes on unchanged across breakpoints that change nothing else.
  if (linear_pk && (rate_changed || pk_before != model::PkMode::kLinearTransient ||
                    !same_pk_state(y, integrator_->state()))) {
    u_.pk_transient = model_.linear_transient(t_, y, rate_);
  }
}

Segment PatientRun::plan_segment() const {
  Segment segment;
  segment.breakpoint = controller_.next_breakpoint(t_);
  segment.next_planned = segment.breakpoint;
  segment.end = std::min(options_.horizon_days, segment.breakpoint);
  if (u_.pk != model::PkMode::kQuasiSteadyState && fast_) {
    segment.end = std::min(segment.end, dynamic_until_);
  }
  // Not yet quiet only because the resting states are still relaxing: look again in a few days.
  if (fast_ && options_.quiet_tolerance > 0.0 && rate_ == 0.0 && !u_.quiet) {
    segment.end = std::min(segment.end, std::max(t_, kQuietFromDay) + kQuietRecheckDays);
  }
  return segment;
}

void PatientRun::start_integrator() {
  // Fast mode: a breakpoint that changed neither the inputs nor a state the right-hand side reads
  // (a visit without a dose, a quiet-state recheck) continues the integration with its step size
  // instead of restarting it.
  if (fast_ && integrated_ && same_rhs_inputs(u_, last_inputs_) &&
      same_rhs_state(y_, integrator_->state(), u_)) {
    integrator_->resume(t_, y_);
  } else {
    integrator_->reset(t_, y_);
  }
  integrated_ = true;
  last_inputs_ = u_;
}

StepOutcome PatientRun::on_tumour_roots(std::span<const int> r) {
  StepOutcome step;
  const double t = t_;
  if (r[kRootRelapse] > 0 && !outcome_.relapse_day) {
    outcome_.relapse_day = t;
    if ((step.stop = tumour_event(t, TumourEvent::kRelapseCrossing))) return step;
  }
  if (r[kRootSymptomatic] > 0 && !outcome_.symptomatic_day) {
    outcome_.symptomatic_day = t;
    if ((step.stop = tumour_event(t, TumourEvent::kSymptomaticCrossing))) return step;
  }
  if (r[kRootMrd] > 0) {
    was_mrd_positive_ = true;
    if ((step.stop = tumour_event(t, TumourEvent::kMrdPositive))) return step;
  }
  if (r[kRootMrd] < 0 && was_mrd_positive_ && !outcome_.mrd_negative_day) {
    outcome_.mrd_negative_day = t;
    if ((step.stop = tumour_event(t, TumourEvent::kMrdNegative))) return step;
  }
  if (r[kRootStoch] < 0) {
    // Enter the birth-death regime with the nearest whole number of cells.
    stochastic_ = true;
    cells_ = static_cast<std::uint64_t>(std::llround(std::exp(y_[model::kLnL])));
    u_.tumour_ode = false;
    u_.tumour_cells = static_cast<double>(cells_);
    step.restart = true;
  }
  return step;
}

StepOutcome PatientRun::on_controller_roots(std::span<const int> dirs) {
  StepOutcome step;
  if (std::none_of(dirs.begin(), dirs.end(), [](int v) { return v != 0; })) return step;
  refresh_S();
  const auto d = controller_.at_roots(t_, y_, context_, dirs);
  controller_acted_ = true;
  emit_outputs_until(t_);
  if (d.stop) {
    step.stop = true;
    return step;
  }
  if (d.bolus) on_bolus();
  step.resegment = true;  // the plan may have changed
  return step;
}

StepOutcome PatientRun::birth_death_slice(double t_start, double kill_rate) {
  // Linear birth-death over [t_start, t] with rates held at their slice-start values, simulated
  // exactly (Gillespie): birth r + d0, death d0 + kill.
  StepOutcome step;
  const double birth = p_.r + p_.d0;
  const double death = p_.d0 + kill_rate;
  double s = t_start;
  while (cells_ > 0) {
    const double total = static_cast<double>(cells_) * (birth + death);
    s += tumour_stream_.exponential() / total;
    if (s > t_) break;
    ++outcome_.birth_death_events;
    if (tumour_stream_.uniform() * (birth + death) < birth) {
      ++cells_;
    } else {
      --cells_;
    }
    if (static_cast<double>(cells_) >= p_.L_stoch) break;
  }
  u_.tumour_cells = static_cast<double>(cells_);
  if (cells_ == 0) {
    stochastic_ = false;
    outcome_.cure_day = t_;
    if ((step.stop = tumour_event(t_, TumourEvent::kCure))) return step;
    if (was_mrd_positive_ && !outcome_.mrd_negative_day) outcome_.mrd_negative_day = t_;
  } else if (static_cast<double>(cells_) >= p_.L_stoch) {
    stochastic_ = false;
    u_.tumour_ode = true;
    y_[model::kLnL] = std::log(static_cast<double>(cells_));
    step.restart = true;
  }
  return step;
}

bool PatientRun::integrate_segment(Segment& segment) {
  bool resegment = false;
  controller_acted_ = false;
  while (t_ < segment.end - kTimeEps && !resegment) {
    double target = segment.end;
    if (next_out_ < output_times_.size()) target = std::min(target, output_times_[next_out_]);
    if (stochastic_) target = std::min(target, t_ + options_.birth_death_slice);
    const double kill_now =
        stochastic_ ? model_.kill_rate(t_, y_, static_cast<double>(cells_), u_) : 0.0;
    const double t_start = t_;
    const auto result = integrator_->advance_to(target, segment.end);
    if (result.status == solver::AdvanceStatus::kFailure) {
      fail(result.t, result.message);
      return false;
    }
    t_ = result.t;
    const auto state = integrator_->state();
    std::copy(state.begin(), state.end(), y_.begin());
    s_stale_ = u_.quiet;
    StepOutcome step;
    if (result.status == solver::AdvanceStatus::kRoot) {
      const std::span<const int> r(result.roots);
      step = on_tumour_roots(r.first(kTumourRootCount));
      if (!step.stop && controller_roots_ > 0) {
        const auto c = on_controller_roots(r.subspan(kTumourRootCount, controller_roots_));
        step.stop = c.stop;
        step.resegment = c.resegment;
      }
      if (step.stop) {
        finish(t_);
        return false;
      }
    }
    if (stochastic_ && !step.restart && t_ > t_start) {
      const auto slice = birth_death_slice(t_start, kill_now);
      if (slice.stop) {
        finish(t_);
        return false;
      }
      step.restart = slice.restart;
    }
    // A tumour event may have given the controller an earlier breakpoint (e.g. the assessment
    // that records a relapse): end the segment so that the breakpoint is not stepped over. One
    // due exactly at the segment's end (a segment cut short for the quiet-state recheck) must still
    // be processed there: it becomes this segment's breakpoint. The controller's plan changes only
    // when it acts; until then its next breakpoint stays the earliest planned time after the last
    // query, as long as that is still ahead of t.
    if (!(segment.next_planned > t_ + kTimeEps) || controller_acted_) {
      segment.next_planned = controller_.next_breakpoint(t_);
      controller_acted_ = false;
    }
    resegment = step.resegment || segment.next_planned < segment.end - kTimeEps;
    segment.breakpoint = std::min(segment.breakpoint, segment.next_planned);
    emit_outputs_until(t_);
    if (step.restart && !resegment && t_ < segment.end - kTimeEps) {
      refresh_S();
      integrator_->reset(t_, y_);
    }
  }
  return true;
}

bool PatientRun::end_segment(const Segment& segment) {
  refresh_S();
  if (!(std::fabs(t_ - segment.breakpoint) < kTimeEps)) return true;
  const auto d = controller_.at_breakpoint(t_, y_, context_);
  if (d.stop) {
    emit_outputs_until(t_);
    finish(t_);
    return false;
  }
  if (d.bolus) on_bolus();
  return true;
}

void PatientRun::simulate(double L0) {
  start_tumour(L0);
  if (!start(L0)) return;
  while (t_ < options_.horizon_days - kTimeEps) {
    choose_inputs();
    auto segment = plan_segment();
    emit_outputs_until(t_);
    start_integrator();
    if (!integrate_segment(segment) || !end_segment(segment)) return;
  }
  emit_outputs_until(t_);
  finish(t_);
}

PatientOutcome PatientRun::run(double L0) {
  simulate(L0);
  return std::move(outcome_);
}

}  // namespace

// ---- PatientSimulator ---------------------------------------------------------------------------

PatientSimulator::PatientSimulator(const model::IndividualParameters& parameters,
                                   SimulationOptions options, std::uint32_t patient_id)
    : model_(parameters), options_(options), patient_id_(patient_id) {}

PatientOutcome PatientSimulator::run(Controller& controller, double L0, RandomStream& tumour_stream,
                                     std::span<const double> output_times,
                                     const Observer& observer) {
  PatientRun run(model_, options_, patient_id_, controller, tumour_stream, output_times, observer);
  return run.run(L0);
}

}  // namespace il2sim::sim
