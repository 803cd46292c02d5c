#pragma once
/// @file patient.hpp
/// A virtual patient as the model sees it: covariates, disease and transplant, and the individual
/// parameter values resolved from the population table (typical value × exp(eta), BSA scaling,
/// disease- and transplant-specific choices). Plain doubles: the right-hand side reads them in its
/// hot loop.

#include <array>
#include <string_view>

#include "model/parameters.hpp"
#include "model/structure.hpp"

namespace il2sim::model {

enum class Disease { kNhl, kHd, kAml, kAll };
/// The setting of day 0: an autologous or allogeneic transplant, or (no transplant) the end of
/// intensive consolidation chemotherapy (docs/model.md "Cohorts").
enum class Transplant { kAutologous, kAllogeneic, kChemotherapy };
enum class Sex { kMale, kFemale };

[[nodiscard]] std::string_view to_string(Disease d);
[[nodiscard]] std::string_view to_string(Transplant t);
[[nodiscard]] std::string_view to_string(Sex s);
[[nodiscard]] bool is_lymphoma(Disease d);

struct Covariates {
  double age_years = 45.0;
  Sex sex = Sex::kMale;
  double height_cm = 175.0;
  double weight_kg = 70.0;
  double bsa_m2 = 1.8;
};

/// Individual random effects: eta[i] is the log-deviation of parameter i from its typical value.
using Etas = std::array<double, kParamCount>;

/// Every individual value the model equations use (units as in the parameter table, BSA applied).
struct IndividualParameters {
  // PK
  double V1, V2, Q, CL_lin, CLcell0, Eref, KC, ka_sc, F_sc;
  // Immune
  double N0, E0, sN_inf, dN, tauN, pN, EC50pN, asN, EC50D, kD, kD_off;
  /// [model] nk = "il2_dependent": the IL-2-dependent NK pool Nb exists (Il2Model::rhs), with its
  /// extra death rate dNb without IL-2 and its survival EC50Nb. Under "single_pool" Nb stays 0.
  bool nk_il2_dependent;
  double dNb, EC50Nb;
  double sE_inf, dE, tauE, pE, EC50pE, Amax, EC50a, ka, kmarg, fmE, kret, EC50m, dK, kK;
  // Toxicity and biomarkers
  double ke0, kW, Wmax, EC50W, gW, W_hyp, EC50_fever;
  double Pss, kP, tauP, kPil2, EC50P, P0;
  double S0, kS0, kS, ES, EC50S, kSout;
  // Tumour
  /// kill_max: the saturating kill's maximum (1/day); +inf under [model] kill = "mass_action", the
  /// saturating form's limit, which is mass action exactly (Il2Model::kill_rate).
  double r, Kcap, Lsat, kN, kE, kill_max, fGVL, d0, L_rel, L_MRD, L_stoch;
  // GVHD
  double h0_gvhd, betaG, EC50G;
  // Observation
  double kappa_K, kappa_D, other_lymph;
  // Dosing-related
  double blood_volume_ul;  ///< whole-blood volume in µL (LAK dosing)
};

/// Resolves individual values: typical × exp(eta) for parameters with variability, BSA scaling, and
/// the disease/transplant-specific parameters (growth rate, relapse threshold, CD8 reconstitution,
/// GVL), under the structural variant `structure`.
[[nodiscard]] IndividualParameters resolve(const ParameterSet& population,
                                           const Covariates& covariates, Disease disease,
                                           Transplant transplant, const Etas& etas,
                                           const Structure& structure);

/// Zero random effects: the typical patient.
[[nodiscard]] Etas typical_etas();

}  // namespace il2sim::model
