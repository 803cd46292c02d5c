#include "model/il2_model.hpp"

#include <cmath>
#include <limits>

namespace il2sim::model {

double hill(double x, double ec50, double h) {
  if (x <= 0.0) return 0.0;
  if (h == 1.0) return x / (ec50 + x);
  if (h == 2.0) return x * x / (ec50 * ec50 + x * x);
  const double xh = std::pow(x / ec50, h);
  return xh / (1.0 + xh);
}

std::array<double, kStateCount> Il2Model::initial_state(double L0) const {
  std::array<double, kStateCount> y{};
  y[kBN] = 1.0;
  y[kBE] = 1.0;
  y[kN] = p_.N0;
  y[kE] = p_.E0;
  y[kP] = p_.P0;
  y[kS] = p_.S0;
  y[kLnL] = L0 > 0.0 ? std::log(L0) : 0.0;
  return y;
}

double Il2Model::qss_concentration(double rate, double cells) const {
  if (rate <= 0.0) return 0.0;
  // R = CL_lin·C + CLc·KC·C/(KC + C) with CLc = CLcell0·cells/Eref  ⇒
  // CL_lin·C² + (CL_lin·KC + CLc·KC − R)·C − R·KC = 0; the positive root, in a cancellation-free
  // form.
  const double clc = p_.CLcell0 * cells / p_.Eref;
  const double a = p_.CL_lin;
  const double b = p_.CL_lin * p_.KC + clc * p_.KC - rate;
  const double c = -rate * p_.KC;
  const double disc = std::sqrt(b * b - 4.0 * a * c);
  return b >= 0.0 ? (-2.0 * c) / (b + disc) : (disc - b) / (2.0 * a);
}

double Il2Model::concentration(std::span<const double> y, const ModelInputs& u) const {
  if (u.pk == PkMode::kQuasiSteadyState) {
    // Depot absorption (SC) enters the central compartment like an infusion.
    return qss_concentration(u.infusion_rate + p_.ka_sc * y[kAd], nk_cells(y) + y[kE] + y[kK]);
  }
  return y[kA1] / p_.V1;
}

double Il2Model::clearance(double C, std::span<const double> y) const {
  const double cells = nk_cells(y) + y[kE] + y[kK];
  return p_.CL_lin + p_.CLcell0 * (cells / p_.Eref) * p_.KC / (p_.KC + std::max(C, 0.0));
}

double Il2Model::incremental_clearance(double C, double cells) const {
  // d(CL(C)·C)/dC with CL(C) = CL_lin + CLc·KC/(KC + C), CLc = CLcell0·cells/Eref.
  const double clc = p_.CLcell0 * cells / p_.Eref;
  const double f = p_.KC / (p_.KC + C);
  return p_.CL_lin + clc * f * f;
}

double Il2Model::qss_concentration_slope(double rate, double cells) const {
  if (rate <= 0.0) return 0.0;
  // Implicit differentiation of R = CL(C, cells)·C: dC/dcells = −(∂CL/∂cells)·C / (d(CL·C)/dC).
  const double C = qss_concentration(rate, cells);
  const double dcl_dcells = p_.CLcell0 / p_.Eref * p_.KC / (p_.KC + C);
  return -dcl_dcells * C / incremental_clearance(C, cells);
}

PkTransient Il2Model::linear_transient(double t0, std::span<const double> y, double rate) const {
  const double cells = nk_cells(y) + y[kE] + y[kK];
  const double css = qss_concentration(rate, cells);
  // The deviations from the quasi-steady amounts V1·css, V2·css follow the two-compartment model
  // linearised at css: elimination rate d(CL·C)/dC there.
  const double k10 = incremental_clearance(css, cells) / p_.V1;
  const double k12 = p_.Q / p_.V1;
  const double k21 = p_.Q / p_.V2;
  // Disposition rates: the roots of λ² − (k10 + k12 + k21)·λ + k10·k21 = 0 (Gibaldi & Perrier,
  // Pharmacokinetics, 2nd ed., ch. 2), beta from the product to avoid cancellation.
  const double sum = k10 + k12 + k21;
  const double alpha = 0.5 * (sum + std::sqrt(sum * sum - 4.0 * k10 * k21));
  const double beta = k10 * k21 / alpha;
  // With d = β − α: x1(τ) = [((k21 − α)·x1 + k21·x2)·e^(−ατ) − ((k21 − β)·x1 + k21·x2)·e^(−βτ)]/d
  // and x2(τ) = [(k12·x1 + (k10 + k12 − α)·x2)·e^(−ατ) − (k12·x1 + (k10 + k12 − β)·x2)·e^(−βτ)]/d.
  const double x1 = y[kA1] - p_.V1 * css;
  const double x2 = y[kA2] - p_.V2 * css;
  const double d = beta - alpha;
  PkTransient tr;
  tr.t0 = t0;
  tr.alpha = alpha;
  tr.beta = beta;
  tr.c1 = {((k21 - alpha) * x1 + k21 * x2) / d, -((k21 - beta) * x1 + k21 * x2) / d};
  tr.c2 = {(k12 * x1 + (k10 + k12 - alpha) * x2) / d, -(k12 * x1 + (k10 + k12 - beta) * x2) / d};
  return tr;
}

double Il2Model::tumour(std::span<const double> y, const ModelInputs& u) const {
  return u.tumour_ode ? std::exp(y[kLnL]) : u.tumour_cells;
}

namespace {

/// Solution at t of dX/dt = s_inf·(1 − exp(−t/tau)) − d·X with X(t0) = x0; exp_t0 = exp(−t0/tau).
double relax_without_il2(double x0, double s_inf, double tau, double d, double t0, double exp_t0,
                         double t) {
  const double dt = std::max(t - t0, 0.0);
  const double decay = std::exp(-d * dt);
  // ∫_0^dt exp(−d·(dt − u))·du = (1 − exp(−d·dt))/d
  const double constant_part = d > 0.0 ? -std::expm1(-d * dt) / d : dt;
  // ∫_{t0}^{t} exp(−d·(t − s))·exp(−s/tau)·ds = exp(−t0/tau)·exp(−d·dt)·(exp(c·dt) − 1)/c,
  // c = d − 1/tau
  const double c = d - 1.0 / tau;
  double transient = 0.0;
  if (c == 0.0) {
    transient = dt * decay;
  } else if (std::fabs(c * dt) < 1.0) {
    transient = decay * std::expm1(c * dt) / c;
  } else {
    transient = (std::exp(-dt / tau) - decay) / c;
  }
  return x0 * decay + s_inf * (constant_part - exp_t0 * transient);
}

}  // namespace

UntreatedPools Il2Model::untreated_pools(double t, const ModelInputs& u) const {
  const double t0 = u.untreated_from;
  return {
      relax_without_il2(u.untreated_N, p_.sN_inf, p_.tauN, p_.dN, t0, std::exp(-t0 / p_.tauN), t),
      relax_without_il2(u.untreated_E, p_.sE_inf, p_.tauE, p_.dE, t0, std::exp(-t0 / p_.tauE), t)};
}

double Il2Model::kill_rate(double t, std::span<const double> y, double L,
                           const ModelInputs& u) const {
  double z = 0.0;  // the effectors' kill capacity Z (model/structure.hpp)
  if (u.untreated_kill) {
    // Without IL-2: activation a = 0 and no LAK cells (K = 0); the pools as they would be.
    const auto pools = untreated_pools(t, u);
    z = p_.kN * pools.N + p_.kE * p_.fGVL * pools.E;
  } else {
    z = (p_.kN * nk_cells(y) + p_.kE * p_.fGVL * y[kE] + p_.kK * y[kK]) * (1.0 + y[kAct]);
  }
  if (p_.kill_max < std::numeric_limits<double>::infinity())
    z /= 1.0 + z / p_.kill_max;  // saturating
  return z / (1.0 + L / p_.Lsat);
}

void Il2Model::nk_derivatives(double sN, double C, std::span<const double> y,
                              std::span<double> dy) const {
  const double proliferation = p_.pN * hill(C, p_.EC50pN);
  if (!p_.nk_il2_dependent) {
    dy[kN] = sN * (1.0 + p_.asN * y[kD]) + (proliferation - p_.dN) * y[kN];
    dy[kNb] = 0.0;
    return;
  }
  // [model] nk = "il2_dependent": reconstitution feeds the resting pool only; the cells IL-2 adds
  // (the drive's extra production, while the high-affinity receptor is engaged, and the
  // proliferation of every NK cell) are IL-2-dependent and die at dN + dNb without it.
  const double h_survival = hill(C, p_.EC50Nb);
  dy[kN] = sN - p_.dN * y[kN];
  dy[kNb] = sN * p_.asN * y[kD] * h_survival + proliferation * (y[kN] + y[kNb]) -
            (p_.dN + p_.dNb * (1.0 - h_survival)) * y[kNb];
}

Il2Model::TimeTerms Il2Model::time_terms(double t) const {
  return {p_.sN_inf * (1.0 - std::exp(-t / p_.tauN)), p_.sE_inf * (1.0 - std::exp(-t / p_.tauE)),
          p_.kP * p_.Pss * (1.0 - std::exp(-t / p_.tauP))};
}

void Il2Model::rhs(double t, std::span<const double> y, std::span<double> dy,
                   const ModelInputs& u) const {
  const double C = std::max(concentration(y, u), 0.0);
  // PK (model.md §2)
  if (u.pk == PkMode::kDynamic) {
    const double cl = clearance(C, y);
    const double c2 = y[kA2] / p_.V2;
    dy[kA1] = u.infusion_rate + p_.ka_sc * y[kAd] - cl * C - p_.Q * C + p_.Q * c2;
    dy[kA2] = p_.Q * C - p_.Q * c2;
    dy[kElim] = cl * C;
  } else if (u.pk == PkMode::kQuasiSteadyState) {
    dy[kA1] = 0.0;
    dy[kA2] = 0.0;
    dy[kElim] =
        clearance(C, y) * C;  // = R + ka_sc·Ad: at quasi-steady state all input is eliminated
  }  // PkMode::kLinearTransient: below, from the derivatives of the pools that clear IL-2
  dy[kAuc] = C;
  dy[kGvhd] = u.gvhd_window ? 1.0 + p_.betaG * hill(C, p_.EC50G) * y[kE] / p_.Eref : 0.0;
  dy[kAd] = -p_.ka_sc * y[kAd];
  // Reconstitution and IL-2 response
  const auto tt = time_terms(t);
  const double sN = tt.sN;
  const double sE = tt.sE;
  const double h_marg = hill(C, p_.EC50m);
  // The drive builds up at kD and decays at kD_off (docs/model.md); the rate switches where the
  // difference is zero, so dD/dt stays continuous.
  const double h_drive = hill(C, p_.EC50D);
  dy[kD] = (h_drive >= y[kD] ? p_.kD : p_.kD_off) * (h_drive - y[kD]);
  nk_derivatives(sN, C, y, dy);
  dy[kBN] = u.quiet ? 0.0 : p_.kret * (1.0 - y[kBN]) - p_.kmarg * h_marg * y[kBN];
  dy[kBE] = u.quiet ? 0.0 : p_.kret * (1.0 - y[kBE]) - p_.fmE * p_.kmarg * h_marg * y[kBE];
  dy[kE] = sE + (p_.pE * hill(C, p_.EC50pE) - p_.dE) * y[kE];
  dy[kAct] = u.quiet ? 0.0 : p_.ka * (p_.Amax * hill(C, p_.EC50a) - y[kAct]);
  dy[kK] = u.quiet ? 0.0 : -p_.dK * y[kK];
  // Toxicity
  dy[kCe] = u.quiet ? 0.0 : p_.ke0 * (C - y[kCe]);
  dy[kW] = u.quiet ? 0.0 : p_.kW * (p_.Wmax * hill(std::max(y[kCe], 0.0), p_.EC50W, p_.gW) - y[kW]);
  // Platelets and sIL-2Rα
  dy[kP] = tt.platelet_production - p_.kP * y[kP] - p_.kPil2 * hill(C, p_.EC50P) * y[kP];
  dy[kS] = u.quiet ? 0.0
                   : p_.kS0 + p_.kS * (nk_cells(y) + y[kE]) * (1.0 + p_.ES * hill(C, p_.EC50S)) -
                         p_.kSout * y[kS];
  if (u.pk == PkMode::kLinearTransient) {
    // A1 = V1·css(cells) + the transient's exponentials, A2 = V2·css(cells) + its own: the
    // quasi-steady amounts follow the pools that clear IL-2 (which grow by several per cent a day
    // on IL-2), the deviations decay in closed form.
    const auto& tr = u.pk_transient;
    const double ea = std::exp(-tr.alpha * (t - tr.t0));
    const double eb = std::exp(-tr.beta * (t - tr.t0));
    const double dcss = qss_concentration_slope(u.infusion_rate, nk_cells(y) + y[kE] + y[kK]) *
                        (dy[kN] + dy[kNb] + dy[kE] + dy[kK]);
    dy[kA1] = p_.V1 * dcss - tr.alpha * tr.c1[0] * ea - tr.beta * tr.c1[1] * eb;
    dy[kA2] = p_.V2 * dcss - tr.alpha * tr.c2[0] * ea - tr.beta * tr.c2[1] * eb;
    dy[kElim] = u.infusion_rate - dy[kA1] - dy[kA2];  // what enters and does not stay
  }
  // Tumour: logistic growth minus immune kill, on the log scale
  if (u.tumour_ode) {
    const double L = std::exp(y[kLnL]);
    dy[kLnL] = p_.r * (1.0 - L / p_.Kcap) - kill_rate(t, y, L, u);
  } else {
    dy[kLnL] = 0.0;
  }
}

double Il2Model::quasi_steady_S(double t, std::span<const double> y) const {
  // a = kS0 + kS·(N + E) without IL-2; a' = kS·(dN/dt + dE/dt) from the same equations as rhs().
  const double sN = p_.sN_inf * (1.0 - std::exp(-t / p_.tauN));
  const double sE = p_.sE_inf * (1.0 - std::exp(-t / p_.tauE));
  std::array<double, kStateCount> d{};
  nk_derivatives(sN, 0.0, y, d);
  const double dN = d[kN] + d[kNb];
  const double dE = sE - p_.dE * y[kE];
  const double a = p_.kS0 + p_.kS * (nk_cells(y) + y[kE]);
  const double a_dot = p_.kS * (dN + dE);
  return a / p_.kSout - a_dot / (p_.kSout * p_.kSout);
}

bool Il2Model::at_rest(std::span<const double> y, double tolerance) {
  return std::fabs(y[kCe]) < tolerance && std::fabs(y[kW]) < tolerance &&
         std::fabs(y[kAct]) < tolerance && std::fabs(y[kBN] - 1.0) < tolerance &&
         std::fabs(y[kBE] - 1.0) < tolerance && std::fabs(y[kK]) < tolerance &&
         std::fabs(y[kA1]) < tolerance && std::fabs(y[kA2]) < tolerance &&
         std::fabs(y[kAd]) < tolerance;
}

namespace {

/// Lytic units (20 %) per 10^7 effectors for lysis 1 − exp(−k·x): 20 % at x20 = −ln(0.8)/k
/// effectors per target; one LU lyses 20 % of 10^4 targets, i.e. needs x20·10^4 effectors.
double lu20_per_1e7(double k) {
  if (k <= 0.0) return 0.0;
  const double x20 = -std::log(0.8) / k;
  return 1e7 / (x20 * 1e4);
}

}  // namespace

Observation observe(const Il2Model& model, const ModelInputs& u, std::span<const double> y) {
  const auto& p = model.parameters();
  Observation o;
  o.C = std::max(model.concentration(y, u), 0.0);
  o.NK_blood = nk_cells(y) * y[kBN];
  o.CD8_blood = y[kE] * y[kBE];
  o.lymph_blood = o.NK_blood + o.CD8_blood + p.other_lymph * y[kBE];
  const double phi = o.lymph_blood > 0.0 ? o.NK_blood / o.lymph_blood : 0.0;
  const double a = y[kAct];
  const double k_k562 = p.kappa_K * phi * (1.0 + a);
  const double k_daudi = p.kappa_D * phi * a;
  for (std::size_t i = 0; i < kEffectorTargetRatios.size(); ++i) {
    o.K562_lysis[i] = 100.0 * (1.0 - std::exp(-k_k562 * kEffectorTargetRatios[i]));
    o.Daudi_lysis[i] = 100.0 * (1.0 - std::exp(-k_daudi * kEffectorTargetRatios[i]));
  }
  o.K562_LU20 = lu20_per_1e7(k_k562);
  o.Daudi_LU20 = lu20_per_1e7(k_daudi);
  o.platelets = y[kP];
  o.sIL2Ra = y[kS];
  o.weight_gain = y[kW];
  o.L = model.tumour(y, u);
  o.mrd_positive = o.L >= p.L_MRD;
  o.clearance_ml_min = model.clearance(o.C, y) / 1440.0;
  return o;
}

}  // namespace il2sim::model
