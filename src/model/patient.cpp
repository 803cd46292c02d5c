#include "model/patient.hpp"

#include <cmath>
#include <limits>

namespace il2sim::model {

std::string_view to_string(Disease d) {
  switch (d) {
    case Disease::kNhl:
      return "NHL";
    case Disease::kHd:
      return "HD";
    case Disease::kAml:
      return "AML";
    case Disease::kAll:
      return "ALL";
  }
  return "NHL";
}

std::string_view to_string(Transplant t) {
  switch (t) {
    case Transplant::kAutologous:
      return "autologous";
    case Transplant::kAllogeneic:
      return "allogeneic";
    case Transplant::kChemotherapy:
      return "chemotherapy";
  }
  return "autologous";
}

std::string_view to_string(Sex s) {
  return s == Sex::kMale ? "M" : "F";
}

bool is_lymphoma(Disease d) {
  return d == Disease::kNhl || d == Disease::kHd;
}

Etas typical_etas() {
  Etas e{};
  e.fill(0.0);
  return e;
}

IndividualParameters resolve(const ParameterSet& pop, const Covariates& cov, Disease disease,
                             Transplant transplant, const Etas& etas, const Structure& structure) {
  using enum ParamId;
  // Individual value: typical × exp(eta) × BSA scaling.
  auto v = [&](ParamId id) {
    const auto i = static_cast<std::size_t>(id);
    double value = pop[id] * std::exp(etas[i]);
    switch (spec(id).scaling) {
      case BsaScaling::kNone:
        break;
      case BsaScaling::kPerM2:
        value *= cov.bsa_m2;
        break;
      case BsaScaling::kPerRefM2:
        value *= cov.bsa_m2 / 1.8;
        break;
    }
    return value;
  };
  IndividualParameters p{};
  p.V1 = v(kV1);
  p.V2 = v(kV2);
  p.Q = v(kQ);
  p.CL_lin = v(kCLlin);
  p.CLcell0 = v(kCLcell0);
  p.Eref = v(kEref);
  p.KC = v(kKC);
  p.ka_sc = v(kKaSc);
  p.F_sc = v(kFSc);
  p.N0 = v(kN0);
  p.E0 = v(kE0);
  p.sN_inf = v(kSNinf);
  p.dN = v(kDN);
  p.tauN = v(kTauN);
  p.pN = v(kPN);
  p.EC50pN = v(kEC50pN);
  p.asN = v(kAsN);
  p.EC50D = v(kEC50D);
  p.kD = v(kKD);
  p.kD_off = v(kKDOff);
  p.nk_il2_dependent = structure.nk == NkForm::kIl2Dependent;
  p.dNb = p.nk_il2_dependent ? v(kDNb) : 0.0;
  p.EC50Nb = p.nk_il2_dependent ? v(kEC50Nb) : 0.0;
  p.sE_inf = v(kSEinf);
  p.dE = v(kDE);
  p.tauE = transplant == Transplant::kAllogeneic ? v(kTauEAllo) : v(kTauE);
  p.pE = v(kPE);
  p.EC50pE = v(kEC50pE);
  p.Amax = v(kAmax);
  p.EC50a = v(kEC50a);
  p.ka = v(kKa);
  p.kmarg = v(kKmarg);
  p.fmE = std::min(1.0, v(kFmE));
  p.kret = v(kKret);
  p.EC50m = v(kEC50m);
  p.dK = v(kDK);
  p.ke0 = v(kKe0);
  p.kW = v(kKW);
  p.Wmax = v(kWmax);
  p.EC50W = v(kEC50W);
  p.gW = v(kGW);
  p.W_hyp = v(kWhyp);
  p.EC50_fever = v(kEC50Fever);
  p.Pss = v(kPss);
  p.kP = v(kKP);
  p.tauP = v(kTauP);
  p.kPil2 = v(kKPil2);
  p.EC50P = v(kEC50P);
  p.P0 = v(kP0);
  p.S0 = v(kS0);
  p.ES = v(kES);
  p.EC50S = v(kEC50S);
  p.kSout = v(kKSout);
  // sIL-2Ralpha production, derived (model.md §6): S = S0 at the healthy steady state without IL-2,
  // a share fS of it cell-borne.
  const double fS = v(kFS);
  const double healthy_cells = p.sN_inf / p.dN + p.sE_inf / p.dE;
  p.kS0 = (1.0 - fS) * p.kSout * p.S0;
  p.kS = fS * p.kSout * p.S0 / healthy_cells;
  switch (disease) {
    case Disease::kNhl:
      p.r = v(kRNhl);
      break;
    case Disease::kHd:
      p.r = v(kRHd);
      break;
    case Disease::kAml:
      p.r = v(kRAml);
      break;
    case Disease::kAll:
      p.r = v(kRAll);
      break;
  }
  p.Kcap = v(kKcap);
  p.Lsat = v(kLsat);
  p.kN = v(kKN);
  p.kE = v(kKE);
  p.kill_max = structure.kill == KillForm::kSaturating ? v(kKillMax)
                                                       : std::numeric_limits<double>::infinity();
  p.kK = pop[kKKRel] * p.kN;
  p.fGVL = transplant == Transplant::kAllogeneic ? v(kFGvlAllo) : 1.0;
  p.d0 = v(kD0);
  p.L_rel = is_lymphoma(disease) ? v(kLRelLymphoma) : v(kLRelLeukaemia);
  p.L_MRD = v(kLMrd);
  p.L_stoch = v(kLStoch);
  p.h0_gvhd = v(kH0Gvhd);
  p.betaG = v(kBetaG);
  p.EC50G = v(kEC50G);
  p.kappa_K = v(kKappaK);
  p.kappa_D = v(kKappaD);
  p.other_lymph = v(kOtherLymph);
  p.blood_volume_ul = pop[kBloodVolume] * cov.weight_kg * 1000.0;
  return p;
}

}  // namespace il2sim::model
