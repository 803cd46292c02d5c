#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "model/il2_model.hpp"
#include "model/parameters.hpp"

namespace il2sim::model {

// The table is the single source of parameter facts: order, uniqueness, provenance, ranges.
TEST(ParameterTable, RowsAreInIdOrderUniqueSourcedAndInRange) {
  const auto table = parameter_table();
  ASSERT_EQ(table.size(), kParamCount);
  std::set<std::string> names;
  for (std::size_t i = 0; i < table.size(); ++i) {
    const auto& p = table[i];
    EXPECT_EQ(static_cast<std::size_t>(p.id), i) << p.name;
    EXPECT_TRUE(names.insert(std::string(p.name)).second) << "duplicate " << p.name;
    EXPECT_FALSE(p.unit.empty()) << p.name;
    EXPECT_FALSE(p.source.empty()) << p.name;
    EXPECT_FALSE(p.description.empty()) << p.name;
    EXPECT_LE(p.lower, p.default_value) << p.name;
    EXPECT_GE(p.upper, p.default_value) << p.name;
    EXPECT_GE(p.omega, 0.0) << p.name;
  }
}

TEST(ParameterTable, LookupAndSuggestion) {
  EXPECT_EQ(find_parameter("kmarg"), ParamId::kKmarg);
  EXPECT_FALSE(find_parameter("kmrag").has_value());
  EXPECT_EQ(closest_parameter_name("kmrag"), "kmarg");
  EXPECT_EQ(closest_parameter_name("EC50_fevr"), "EC50_fever");
}

// Derived sIL-2Ralpha production (model.md §6): at the healthy steady state without IL-2, dS/dt = 0
// at S0.
TEST(IndividualParameters, SolubleReceptorSteadyStateIsS0) {
  const ParameterSet pop;
  const auto p = resolve(pop, Covariates{}, Disease::kNhl, Transplant::kAutologous, typical_etas(),
                         Structure{});
  const double healthy = p.sN_inf / p.dN + p.sE_inf / p.dE;
  EXPECT_NEAR(p.kS0 + p.kS * healthy - p.kSout * p.S0, 0.0, 1e-9 * p.kSout * p.S0);
}

// BSA scaling (model.md §6): V1 = 1540·BSA mL; CL_lin = 150·1440·BSA/1.8 mL/day.
TEST(IndividualParameters, BsaScaling) {
  const ParameterSet pop;
  Covariates cov;
  cov.bsa_m2 = 2.0;
  const auto p =
      resolve(pop, cov, Disease::kAml, Transplant::kAllogeneic, typical_etas(), Structure{});
  EXPECT_DOUBLE_EQ(p.V1, 1540.0 * 2.0);
  EXPECT_DOUBLE_EQ(p.CL_lin, 150.0 * 1440.0 * 2.0 / 1.8);
  EXPECT_DOUBLE_EQ(p.r, 0.045);     // AML growth rate
  EXPECT_DOUBLE_EQ(p.L_rel, 1e10);  // leukaemia relapse threshold
  EXPECT_DOUBLE_EQ(p.tauE, 120.0);  // allogeneic CD8 reconstitution
  EXPECT_DOUBLE_EQ(p.fGVL,
                   pop[ParamId::kFGvlAllo]);  // allogeneic GVL multiplier (the table's default)
}

// QSS concentration solves R = (CL_lin + CL_cell(C))·C (model.md §7).
TEST(Il2Model, QuasiSteadyStateSolvesTheClearanceEquation) {
  const ParameterSet pop;
  const auto p = resolve(pop, Covariates{}, Disease::kNhl, Transplant::kAutologous, typical_etas(),
                         Structure{});
  Il2Model m(p);
  for (const double rate : {1e4, 1.6e6 * 1.8, 9e6 * 1.8, 1e9}) {
    for (const double cells : {0.0, 300.0, 3000.0}) {
      const double C = m.qss_concentration(rate, cells);
      const double cl = p.CL_lin + p.CLcell0 * cells / p.Eref * p.KC / (p.KC + C);
      EXPECT_NEAR(cl * C, rate, 1e-10 * rate);
    }
  }
}

// High-affinity drive (docs/model.md, departures): dD/dt = kD·(H − D) while H >= D and
// kD_off·(H − D) once H < D; the expectations are that equation evaluated by hand at the state
// below.
TEST(Il2Model, DriveBuildsUpAtKdAndDecaysAtKdOff) {
  ParameterSet pop;
  pop.set(ParamId::kKD, 0.05);
  pop.set(ParamId::kKDOff, 0.5);
  const auto p = resolve(pop, Covariates{}, Disease::kNhl, Transplant::kAutologous, typical_etas(),
                         Structure{});
  const Il2Model m(p);
  ModelInputs u;
  u.pk = PkMode::kDynamic;
  auto y = m.initial_state(0.0);
  std::array<double, kStateCount> dy{};
  y[kD] = 0.4;
  y[kA1] = 10.0 * p.V1;  // C = 10 IU/mL: H = 10/(EC50D + 10) > 0.4 with the default EC50D
  const double h = 10.0 / (p.EC50D + 10.0);
  ASSERT_GT(h, 0.4);
  m.rhs(50.0, y, dy, u);
  EXPECT_NEAR(dy[kD], 0.05 * (h - 0.4), 1e-12);
  y[kA1] = 0.0;  // no IL-2: H = 0 < D
  m.rhs(50.0, y, dy, u);
  EXPECT_NEAR(dy[kD], -0.5 * 0.4, 1e-12);
}

}  // namespace il2sim::model

namespace il2sim::model {

// The saturating kill (model/structure.hpp, docs/model.md "Structural variants"): per-cell kill
// = Z / (1 + Z / kill_max) / (1 + L / Lsat) with Z the mass-action kill capacity; closed form at
// a state with Z set by hand: Z = kill_max gives half of kill_max, and mass action is its limit.
TEST(Il2Model, SaturatingKillIsMichaelisMentenInTheMassActionKill) {
  ParameterSet pop;
  pop.set(ParamId::kKN, 1e-4);
  pop.set(ParamId::kKE, 0.0);
  pop.set(ParamId::kLsat, 1e14);
  const auto mass = resolve(pop, Covariates{}, Disease::kNhl, Transplant::kAutologous,
                            typical_etas(), Structure{});
  Structure saturating{KillForm::kSaturating};
  pop.set(ParamId::kKillMax, 0.05);
  const auto sat = resolve(pop, Covariates{}, Disease::kNhl, Transplant::kAutologous,
                           typical_etas(), saturating);
  EXPECT_DOUBLE_EQ(sat.kill_max, 0.05);
  EXPECT_TRUE(std::isinf(mass.kill_max));  // mass action: the saturating form's limit
  ModelInputs u;
  auto y = Il2Model(mass).initial_state(1e6);
  y[kE] = 0.0;
  y[kK] = 0.0;
  y[kAct] = 0.0;
  y[kN] = 500.0;  // Z = 1e-4 · 500 = 0.05 = kill_max
  const double lsat = 1.0 + 1e6 / 1e14;
  EXPECT_NEAR(Il2Model(mass).kill_rate(60.0, y, 1e6, u), 0.05 / lsat, 1e-15);
  EXPECT_NEAR(Il2Model(sat).kill_rate(60.0, y, 1e6, u), 0.025 / lsat, 1e-15);
  y[kAct] = 1.0;  // Z = 0.1: 0.1 / (1 + 2) = 0.0333...
  EXPECT_NEAR(Il2Model(sat).kill_rate(60.0, y, 1e6, u), 0.1 / 3.0 / lsat, 1e-15);
  // kill_max far above Z: within Z/kill_max (relative) of mass action.
  pop.set(ParamId::kKillMax, 10.0);
  const auto wide = resolve(pop, Covariates{}, Disease::kNhl, Transplant::kAutologous,
                            typical_etas(), saturating);
  const double z = Il2Model(mass).kill_rate(60.0, y, 1e6, u);
  EXPECT_NEAR(Il2Model(wide).kill_rate(60.0, y, 1e6, u), z, z * 0.1 / 10.0);
}

// The switch table: kill_max is read only by kill = "saturating", dNb and EC50Nb only by
// nk = "il2_dependent"; every other parameter by every structure.
TEST(Structure, EachFormReadsOnlyItsOwnParameters) {
  const Structure v1{}, sat{KillForm::kSaturating};
  const Structure two_pool{KillForm::kMassAction, NkForm::kIl2Dependent};
  EXPECT_FALSE(uses_parameter(v1, ParamId::kKillMax));
  EXPECT_TRUE(uses_parameter(sat, ParamId::kKillMax));
  for (const auto id : {ParamId::kDNb, ParamId::kEC50Nb}) {
    EXPECT_FALSE(uses_parameter(v1, id));
    EXPECT_FALSE(uses_parameter(sat, id));
    EXPECT_TRUE(uses_parameter(two_pool, id));
    EXPECT_EQ(form_reading(id), "nk = \"il2_dependent\"");
  }
  for (const auto& p : parameter_table()) {
    if (p.id == ParamId::kKillMax || p.id == ParamId::kDNb || p.id == ParamId::kEC50Nb) continue;
    EXPECT_TRUE(uses_parameter(v1, p.id) && uses_parameter(sat, p.id) &&
                uses_parameter(two_pool, p.id))
        << p.name;
  }
  EXPECT_EQ(form_reading(ParamId::kKillMax), "kill = \"saturating\"");
  EXPECT_EQ(set_reading(ParamId::kKillMax), "model.kill=saturating");
  EXPECT_EQ(set_reading(ParamId::kDNb), "model.nk=il2_dependent");
  EXPECT_EQ(form_reading(ParamId::kKN), "");
  EXPECT_EQ(describe(sat), "kill = \"saturating\", nk = \"single_pool\"");
  ASSERT_NE(find_switch("kill"), nullptr);
  EXPECT_EQ(find_form(*find_switch("kill"), "saturating"), 1);
  EXPECT_FALSE(find_form(*find_switch("kill"), "linear").has_value());
  ASSERT_NE(find_switch("nk"), nullptr);
  EXPECT_EQ(find_form(*find_switch("nk"), "il2_dependent"), 1);
}

// The NK forms' right-hand sides (docs/model.md "IL-2-dependent NK survival"), against their
// closed forms at states set by hand. nk = "single_pool" is model.md §2's
// dN/dt = sN·(1 + asN·D) + (pN·H(C;EC50pN) − dN)·N with Nb held at 0; nk = "il2_dependent" feeds
// the resting pool by reconstitution only, dN/dt = sN − dN·N, and the IL-2-dependent pool by the
// drive (gated by H(C;EC50Nb)) and by the proliferation of all NK cells:
// dNb/dt = sN·asN·D·H(C;EC50Nb) + pN·H(C;EC50pN)·(N + Nb) − (dN + dNb·(1 − H(C;EC50Nb)))·Nb.
TEST(Il2Model, NkFormsFollowTheirEquations) {
  ParameterSet pop;
  pop.set(ParamId::kDNb, 0.3);
  pop.set(ParamId::kEC50Nb, 2.0);
  const auto v1 = resolve(pop, Covariates{}, Disease::kNhl, Transplant::kAutologous, typical_etas(),
                          Structure{});
  const auto v2 = resolve(pop, Covariates{}, Disease::kNhl, Transplant::kAutologous, typical_etas(),
                          Structure{KillForm::kMassAction, NkForm::kIl2Dependent});
  EXPECT_FALSE(v1.nk_il2_dependent);
  EXPECT_TRUE(v2.nk_il2_dependent);
  const double t = 1000.0;  // sN = sN_inf·(1 − e^(−t/tauN)) = sN_inf to double precision
  const double sN = v1.sN_inf * (1.0 - std::exp(-t / v1.tauN));
  ModelInputs u;
  u.tumour_ode = false;
  auto y = Il2Model(v1).initial_state(0.0);
  y[kN] = 300.0;
  y[kNb] = 0.0;
  y[kD] = 0.4;
  const double C = 2.0;  // = EC50Nb: H(C;EC50Nb) = 1/2
  y[kA1] = C * v1.V1;
  std::array<double, kStateCount> dy{};
  Il2Model(v1).rhs(t, y, dy, u);
  const double prolif = v1.pN * C / (v1.EC50pN + C);
  EXPECT_NEAR(dy[kN], sN * (1.0 + v1.asN * 0.4) + (prolif - v1.dN) * 300.0, 1e-9);
  EXPECT_EQ(dy[kNb], 0.0);
  y[kNb] = 500.0;
  Il2Model(v2).rhs(t, y, dy, u);
  EXPECT_NEAR(dy[kN], sN - v2.dN * 300.0, 1e-9);
  EXPECT_NEAR(dy[kNb], sN * v2.asN * 0.4 * 0.5 + prolif * 800.0 - (v2.dN + 0.3 * 0.5) * 500.0,
              1e-9);
  // Without IL-2 neither the drive nor proliferation adds cells: Nb decays at dN + dNb.
  y[kA1] = 0.0;
  y[kA2] = 0.0;
  Il2Model(v2).rhs(t, y, dy, u);
  EXPECT_NEAR(dy[kNb], -(v2.dN + 0.3) * 500.0, 1e-9);
  // Every NK count reads N + Nb: the blood count, the cells that clear IL-2, the kill.
  const auto o = observe(Il2Model(v2), u, y);
  EXPECT_NEAR(o.NK_blood, 800.0 * y[kBN], 1e-9);
  auto y1 = y;
  y1[kN] = 800.0;
  y1[kNb] = 0.0;
  EXPECT_EQ(Il2Model(v2).clearance(10.0, y), Il2Model(v2).clearance(10.0, y1));
  EXPECT_EQ(Il2Model(v2).kill_rate(t, y, 1e3, u), Il2Model(v2).kill_rate(t, y1, 1e3, u));
}

}  // namespace il2sim::model
