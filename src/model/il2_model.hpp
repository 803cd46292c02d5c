#pragma once
/// @file il2_model.hpp
/// The ODE system of model.md §2 (PK, immune, toxicity, platelets, sIL-2Rα, tumour) and the
/// observation model. A right-hand side over plain spans; it knows nothing of solvers or protocols.

#include <array>
#include <span>
#include <string_view>

#include "model/patient.hpp"

namespace il2sim::model {

/// State vector layout.
enum State : std::size_t {
  kA1,    ///< IL-2 amount, central (IU)
  kA2,    ///< IL-2 amount, peripheral (IU)
  kAd,    ///< SC depot (IU)
  kCe,    ///< effect-site IL-2 (IU/mL)
  kW,     ///< fluid retention (% body weight)
  kAct,   ///< cytolytic activation index a (-)
  kD,     ///< high-affinity drive of NK differentiation (-)
  kBN,    ///< fraction of the NK pool in blood (-)
  kBE,    ///< fraction of the CD8 pool in blood (-)
  kN,     ///< NK body pool (cells/µL)
  kE,     ///< CD8 body pool (cells/µL)
  kK,     ///< infused LAK cells (cells/µL)
  kP,     ///< platelets (10^9/L)
  kS,     ///< soluble IL-2Rα (pg/mL)
  kLnL,   ///< ln(malignant cells); integrated only in the deterministic regime
  kElim,  ///< cumulative IL-2 eliminated (IU), for mass balance
  kAuc,   ///< cumulative area under the IL-2 concentration curve (IU·day/mL)
  kGvhd,  ///< cumulative GVHD drive ∫(1 + βG·H(C;EC50G)·E/Eref)dt over the GVHD window (days)
  /// IL-2-dependent NK pool (cells/µL): [model] nk = "il2_dependent" only, 0 otherwise; the NK
  /// count everywhere is N + Nb (nk_cells)
  kNb,
  kStateCount
};

inline constexpr std::array<std::string_view, kStateCount> kStateNames{
    "A1",  "A2",         "Ad", "Ce", "W", "a", "D",   "BN",
    "BE",  "N",          "E",  "K",  "P", "S", "lnL", "IL2_eliminated",
    "AUC", "GVHD_drive", "Nb"};
inline constexpr std::array<std::string_view, kStateCount> kStateUnits{
    "IU",        "IU", "IU",        "IU/mL",    "% body weight", "-",      "-",
    "-",         "-",  "cells/uL",  "cells/uL", "cells/uL",      "10^9/L", "pg/mL",
    "ln(cells)", "IU", "IU*day/mL", "day",      "cells/uL"};

/// All NK cells of the body pool, cells/µL: the resting (or only) pool N and the IL-2-dependent Nb.
[[nodiscard]] inline double nk_cells(std::span<const double> y) {
  return y[kN] + y[kNb];
}

/// How the PK is computed.
enum class PkMode {
  kDynamic,           ///< A1, A2 integrated (reference mode; bolus and SC in fast mode)
  kQuasiSteadyState,  ///< C from R = (CL_lin + CL_cell(C))·C; A1 = V1·C, A2 = V2·C (fast mode, CIV)
  /// Fast mode, just after a change of infusion rate: A1, A2 are their quasi-steady amounts
  /// (following the clearing pools) plus deviations that decay in closed form, from the
  /// two-compartment model linearised at the new steady state (PkTransient); the integrator only
  /// accumulates their derivatives, so the stiff PK no longer limits its step.
  kLinearTransient
};

/// The closed-form deviations of PkMode::kLinearTransient from day t0: with τ = t − t0,
/// A1(t) = V1·css(t) + c1[0]·e^(−alpha·τ) + c1[1]·e^(−beta·τ), A2 likewise with V2 and c2.
struct PkTransient {
  double t0 = 0.0;
  double alpha = 0.0;          ///< 1/day, the fast disposition rate
  double beta = 0.0;           ///< 1/day, the slow one
  std::array<double, 2> c1{};  ///< IU
  std::array<double, 2> c2{};  ///< IU

  bool operator==(const PkTransient&) const = default;
};

/// Inputs that are piecewise constant between discontinuities. The driver owns them and passes them
/// to every function of the model that depends on them; the model keeps none.
struct ModelInputs {
  double infusion_rate = 0.0;  ///< R, IU/day into the central compartment
  bool tumour_ode = true;      ///< integrate ln L; false in the birth-death regime or when L = 0
  double tumour_cells = 0.0;   ///< L when tumour_ode is false (for the kill's saturation term)
  PkMode pk = PkMode::kDynamic;
  PkTransient pk_transient;  ///< PkMode::kLinearTransient only
  bool gvhd_window = false;  ///< allogeneic: on IL-2 or within 30 days of it (model.md §3)
  /// Fast mode, no IL-2 for a while: Ce, W, a, BN, BE, K are at rest and held there, and S, which
  /// only the observation model reads, is in quasi-steady state (quasi_steady_S) instead of
  /// integrated.
  bool quiet = false;
  /// Selection-bias analysis (the treatment's effect on tumour kill removed): when set, the kill
  /// uses the effectors the patient would have without IL-2 from `untreated_from` on, i.e. no
  /// activation, no LAK cells and the NK and CD8 pools relaxing from (untreated_N, untreated_E)
  /// under reconstitution alone (untreated_pools). The driver sets it at the first IL-2 (or LAK) of
  /// a patient; before that, the actual states are the untreated ones.
  bool untreated_kill = false;
  double untreated_from = 0.0;  ///< day of the first IL-2 or LAK
  double untreated_N = 0.0;     ///< NK pool at that day, cells/µL
  double untreated_E = 0.0;     ///< CD8 pool at that day, cells/µL
};

/// NK and CD8 body pools (cells/µL) without IL-2, from n0, e0 on day t0 to day t: the solution of
/// dN/dt = sN_inf·(1 − exp(−t/tauN)) − dN·N (and E alike), in closed form (model.md §2 with C = 0,
/// D = 0).
struct UntreatedPools {
  double N = 0.0;
  double E = 0.0;
};

/// Hill function H(x; EC50, h) = x^h / (EC50^h + x^h), x >= 0.
[[nodiscard]] inline double hill(double x, double ec50) {
  return x > 0.0 ? x / (ec50 + x) : 0.0;
}
[[nodiscard]] double hill(double x, double ec50, double h);

/// The model for one patient: the individual parameters and nothing else. Every function that
/// depends on the inputs takes them, so one model serves any number of simulations at once (from
/// several threads, too: it has no mutable state).
class Il2Model {
 public:
  explicit Il2Model(const IndividualParameters& p) : p_(p) {}

  [[nodiscard]] const IndividualParameters& parameters() const { return p_; }

  /// Initial state at day 0 with L0 malignant cells (L0 = 0: no disease).
  [[nodiscard]] std::array<double, kStateCount> initial_state(double L0) const;

  /// dy/dt at (t, y) under inputs u.
  void rhs(double t, std::span<const double> y, std::span<double> dydt, const ModelInputs& u) const;

  /// IL-2 concentration (IU/mL) at state y under inputs u (QSS or A1/V1).
  [[nodiscard]] double concentration(std::span<const double> y, const ModelInputs& u) const;
  /// Quasi-steady-state concentration for infusion rate R (IU/day) and cell count (cells/µL).
  [[nodiscard]] double qss_concentration(double rate, double cells) const;
  /// Total IL-2 clearance (mL/day) at concentration C and state y.
  [[nodiscard]] double clearance(double C, std::span<const double> y) const;
  /// d(CL(C)·C)/dC (mL/day): the elimination rate of a small change of concentration at C.
  [[nodiscard]] double incremental_clearance(double C, double cells) const;
  /// d qss_concentration(rate, cells) / d cells ((IU/mL)/(cells/µL)).
  [[nodiscard]] double qss_concentration_slope(double rate, double cells) const;
  /// The closed-form PK from (t0, y) under infusion rate `rate` (PkMode::kLinearTransient): the
  /// deviations of A1 = y[kA1], A2 = y[kA2] from the quasi-steady amounts under the two-compartment
  /// model linearised there (it ends where the quasi-steady state begins).
  [[nodiscard]] PkTransient linear_transient(double t0, std::span<const double> y,
                                             double rate) const;
  /// Per-cell kill rate (1/day) at day t and state y for tumour size L under inputs u (with
  /// u.untreated_kill: the kill of the untreated effectors, untreated_pools).
  [[nodiscard]] double kill_rate(double t, std::span<const double> y, double L,
                                 const ModelInputs& u) const;
  /// The NK and CD8 pools without IL-2 at day t >= u.untreated_from (see ModelInputs).
  [[nodiscard]] UntreatedPools untreated_pools(double t, const ModelInputs& u) const;
  /// sIL-2Rα in quasi-steady state without IL-2: S = a/kSout − a'/kSout² with a = kS0 + kS·(N + E),
  /// the first two terms of the expansion in 1/kSout (the lag of S behind its production). It reads
  /// no input: it is the value of quiet mode, where there is no IL-2.
  [[nodiscard]] double quasi_steady_S(double t, std::span<const double> y) const;
  /// Whether the quiet-mode states are at rest (within `tolerance`).
  [[nodiscard]] static bool at_rest(std::span<const double> y, double tolerance);
  /// Tumour size at state y under inputs u (exp(lnL) or the birth-death count).
  [[nodiscard]] double tumour(std::span<const double> y, const ModelInputs& u) const;

 private:
  /// The time-only terms of rhs(): reconstitution sources sN(t), sE(t) and the platelet production
  /// kP·Pss·(1 − e^(−t/τP)).
  struct TimeTerms {
    double sN = 0.0;
    double sE = 0.0;
    double platelet_production = 0.0;
  };
  [[nodiscard]] TimeTerms time_terms(double t) const;
  /// dN/dt and dNb/dt into dy at reconstitution source sN and concentration C, under the NK form
  /// of the structure ([model] nk; model/structure.hpp).
  void nk_derivatives(double sN, double C, std::span<const double> y, std::span<double> dy) const;

  IndividualParameters p_;
};

/// Effector:target ratios of the cytotoxicity assays (model.md §2).
inline constexpr std::array<double, 4> kEffectorTargetRatios{40.0, 20.0, 10.0, 5.0};

/// What a lab would report, without assay error (expected values).
struct Observation {
  double C = 0.0;                       ///< IL-2, IU/mL
  double NK_blood = 0.0;                ///< cells/µL
  double CD8_blood = 0.0;               ///< cells/µL
  double lymph_blood = 0.0;             ///< NK + CD8 + other lymphocytes, cells/µL
  std::array<double, 4> K562_lysis{};   ///< % specific lysis at 40:1, 20:1, 10:1, 5:1
  std::array<double, 4> Daudi_lysis{};  ///< idem for Daudi
  double K562_LU20 = 0.0;               ///< lytic units (20 %) per 10^7 effector cells
  double Daudi_LU20 = 0.0;
  double platelets = 0.0;    ///< 10^9/L
  double sIL2Ra = 0.0;       ///< pg/mL
  double weight_gain = 0.0;  ///< % body weight
  double L = 0.0;            ///< malignant cells
  bool mrd_positive = false;
  double clearance_ml_min = 0.0;  ///< total IL-2 clearance, mL/min
};

/// The observation at state y of a simulation under inputs u.
[[nodiscard]] Observation observe(const Il2Model& model, const ModelInputs& u,
                                  std::span<const double> y);

}  // namespace il2sim::model
