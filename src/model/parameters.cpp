#include "model/parameters.hpp"

#include <algorithm>
#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"

namespace il2sim::model {
namespace {

using enum ParamId;
using enum BsaScaling;

constexpr double kDay = 1440.0;  // minutes per day: mL/min -> mL/day

// clang-format off
constexpr std::array<ParamSpec, kParamCount> kTable{{
  // ---- Pharmacokinetics -------------------------------------------------------------------------
  {kV1, "V1", "mL/m2", 1540.0, 0.2, 300.0, 6000.0, kPerM2, "central volume of IL-2 (plasma)",
   "C0 = 650 IU/mL per 10^6 IU/m2 bolus (Konrad 1990)"},
  // V2 and Q solve the 2-compartment model exactly for t1/2 alpha 12.9 min and beta 85 min with V1
  // from C0 and Konrad's clearance 120 mL/min at 1.8 m² (tools/reference/pk/konrad_2cmt.py);
  // model.md §6 rounds them to 1285 mL/m² and 23 mL/min.
  {kV2, "V2", "mL/m2", 1289.493, 0.3, 100.0, 10000.0, kPerM2, "peripheral volume of IL-2",
   "exact 2-compartment solution for t1/2 alpha 12.9 min, beta 85 min (Konrad 1990)"},
  {kQ, "Q", "mL/day", 23.49339 * kDay, 0.3, 1000.0, 500000.0, kNone, "intercompartmental clearance",
   "exact 2-compartment solution for t1/2 alpha 12.9 min, beta 85 min (Konrad 1990)"},
  {kCLlin, "CL_lin", "mL/day at BSA 1.8", 150.0 * kDay, 0.35, 10000.0, 2000000.0, kPerRefM2,
   "linear (renal) clearance", "Konrad 1990 120 mL/min; label 155-420 mL/min"},
  {kCLcell0, "CLcell0", "mL/day", 100.0 * kDay, 0.5, 0.0, 2000000.0, kNone,
   "maximal target-mediated clearance at Eref cells/uL", "clearance rises 2-2.5x during CIV (Schiphorst 1999)"},
  {kEref, "Eref", "cells/uL", 600.0, 0.0, 1.0, 10000.0, kNone, "reference lymphocyte count (NK + CD8)",
   "normal NK + CD8 counts"},
  {kKC, "KC", "IU/mL", 250.0, 0.5, 1.0, 10000.0, kNone, "half-saturation of cellular uptake",
   "beta-gamma IL-2R Kd ~ 1 nM"},
  {kKaSc, "ka_sc", "1/day", 0.2 * 24.0, 0.0, 0.1, 100.0, kNone, "SC absorption rate (0.2 /h)",
   "model.md 1"},
  {kFSc, "F_sc", "-", 0.35, 0.0, 0.01, 1.0, kNone, "SC bioavailability", "EU SmPC 31-47 %"},
  {kPotencyRoche, "potency_roche", "Chiron IU per Roche U", 3.0, 0.0, 3.0, 6.0, kNone,
   "biological potency of one Roche unit in Chiron IU", "Hank 1999: 3-6 Chiron IU per Roche IU"},
  // ---- Immune reconstitution and response --------------------------------------------------------
  {kN0, "N0", "cells/uL", 20.0, 0.5, 0.0, 1000.0, kNone, "NK pool at day 0", "graft-derived (assumption)"},
  {kE0, "E0", "cells/uL", 50.0, 0.5, 0.0, 2000.0, kNone, "CD8 pool at day 0", "graft-derived (assumption)"},
  {kSNinf, "sN_inf", "cells/uL/day", 15.0, 0.5, 0.1, 200.0, kNone, "NK production at full reconstitution",
   "NK production 15/uL/d (Zhang 2007)"},
  {kDN, "dN", "1/day", 0.05, 0.5, 0.001, 1.0, kNone, "NK loss rate", "loss 6.9 %/d (Zhang 2007)"},
  {kTauN, "tauN", "day", 10.0, 0.3, 0.5, 200.0, kNone, "NK reconstitution time constant",
   "NK normal by 1 month"},
  {kPN, "pN", "1/day", 0.25, 0.5, 0.0, 5.0, kNone, "maximal IL-2-driven NK proliferation",
   "calibrate: NK 2-4x by end of maintenance"},
  {kEC50pN, "EC50pN", "IU/mL", 30.0, 0.6, 0.1, 1000.0, kNone, "IL-2 for half-maximal NK proliferation",
   "beta-gamma receptor, Kd ~ 1 nM"},
  {kAsN, "asN", "-", 9.0, 0.5, 0.0, 100.0, kNone, "maximal gain of NK production by the high-affinity drive",
   "low-dose CIV: NK x5-40 (Soiffer 1992; Caligiuri 1993)"},
  // Lower bound 0.25 IU/mL (~1 pM): the signalling EC50 of the high-affinity receptor is not far below its
  // Kd (~10 pM); below that the drive would saturate at any detectable IL-2.
  {kEC50D, "EC50D", "IU/mL", 3.0, 0.6, 0.25, 100.0, kNone, "IL-2 for half-maximal high-affinity drive",
   "alpha-beta-gamma Kd ~ 10 pM ~ 2.5 IU/mL"},
  {kKD, "kD", "1/day", 1.0 / 14.0, 0.3, 0.001, 10.0, kNone, "rate of the high-affinity drive",
   "expansion after 4-6 weeks (Fehniger 2000)"},
  {kSEinf, "sE_inf", "cells/uL/day", 4.0, 0.5, 0.01, 100.0, kNone, "CD8 production at full reconstitution",
   "CD8 memory turnover (Macallan 2019)"},
  {kDE, "dE", "1/day", 0.008, 0.4, 0.0005, 1.0, kNone, "CD8 loss rate", "turnover 0.006-0.02/d (Macallan 2019)"},
  {kTauE, "tauE", "day", 60.0, 0.4, 1.0, 1000.0, kNone, "CD8 reconstitution time constant (autologous)",
   "assumption (model.md 6)"},
  {kTauEAllo, "tauE_allo", "day", 120.0, 0.4, 1.0, 1000.0, kNone,
   "CD8 reconstitution time constant (allogeneic)", "assumption (model.md 6)"},
  {kPE, "pE", "1/day", 0.12, 0.5, 0.0, 5.0, kNone, "maximal IL-2-driven CD8 proliferation",
   "calibrate: CD8 1.5-2x"},
  {kEC50pE, "EC50pE", "IU/mL", 50.0, 0.6, 0.1, 1000.0, kNone, "IL-2 for half-maximal CD8 proliferation",
   "assumption (model.md 6)"},
  {kRhoFitness, "rho_fitness", "-", 0.5, 0.0, -0.99, 0.99, kNone,
   "correlation of the log-IIV of sN_inf and sE_inf (shared immune fitness)", "model.md 5"},
  {kAmax, "Amax", "-", 3.0, 0.5, 0.0, 50.0, kNone, "maximal cytolytic activation above baseline",
   "assumption (model.md 6)"},
  {kEC50a, "EC50a", "IU/mL", 60.0, 0.5, 0.1, 1000.0, kNone, "IL-2 for half-maximal activation",
   "NK activation needs ~345 pM (Caligiuri 1993)"},
  {kKa, "ka", "1/day", 1.0, 0.3, 0.01, 100.0, kNone, "activation rate", "assumption (model.md 6)"},
  {kKmarg, "kmarg", "1/day", 10.0, 0.3, 0.0, 1000.0, kNone, "maximal margination rate of NK cells",
   "NK leave blood within hours of IL-2 (Salvo 1992; Soiffer 1996)"},
  {kFmE, "fmE", "-", 0.4, 0.3, 0.0, 1.0, kNone, "margination of CD8 relative to NK", "CD3+ less (Soiffer 1996)"},
  {kKret, "kret", "1/day", 0.5, 0.3, 0.01, 100.0, kNone, "return rate of marginated cells to blood",
   "counts peak ~3 d after stop, back by ~14 d (J Hematother 1995)"},
  {kEC50m, "EC50m", "IU/mL", 10.0, 0.3, 0.01, 1000.0, kNone, "IL-2 for half-maximal margination",
   "assumption (model.md 6)"},
  {kDK, "dK", "1/day", 0.5, 0.5, 0.01, 100.0, kNone, "loss rate of infused LAK cells", "assumption"},
  {kKKRel, "kK_rel", "-", 11.6099, 0.0, 0.0, 1000.0, kNone, "LAK kill per cell relative to NK (kK = kK_rel*kN)",
   "assumption (model.md 6)",
   "fit disease-restart (calibration/result): was 10"},
  {kBloodVolume, "blood_volume", "mL/kg", 70.0, 0.0, 40.0, 120.0, kNone,
   "blood volume for LAK dosing", "assumption (model.md 6)"},
  // ---- Toxicity and biomarkers ------------------------------------------------------------------
  {kKe0, "ke0", "1/day", 1.0, 0.4, 0.01, 100.0, kNone, "effect-site equilibration rate",
   "calibrate: 80 % complete induction at 9 MIU x 4 d"},
  {kKW, "kW", "1/day", 0.7, 0.4, 0.01, 100.0, kNone, "fluid retention rate", "calibrate (model.md 6)"},
  {kWmax, "Wmax", "% body weight", 15.0, 0.3, 0.0, 50.0, kNone, "maximal fluid retention",
   "calibrate (model.md 6)"},
  {kEC50W, "EC50W", "IU/mL", 47.0, 0.5, 0.1, 1000.0, kNone, "effect-site IL-2 for half-maximal retention",
   "calibrate: 10-12 MIU > MTD"},
  {kGW, "gW", "-", 2.0, 0.0, 0.5, 10.0, kNone, "Hill coefficient of fluid retention", "model.md 6"},
  {kWhyp, "W_hyp", "% body weight", 8.0, 0.5, 0.5, 50.0, kNone,
   "individual fluid retention at which hypotension reaches grade 2", "assumption (model.md 3)"},
  {kEC50Fever, "EC50_fever", "IU/mL", 45.9105, 0.8, 0.1, 1000.0, kNone,
   "effect-site IL-2 above which fever is grade >= 2", "assumption; calibrate to 57 % fever at the MTD",
   "fit study-flow (calibration/result): was 20"},
  {kPss, "Pss", "10^9/L", 250.0, 0.3, 10.0, 1000.0, kNone, "platelet steady state", "model.md 6"},
  {kKP, "kP", "1/day", 0.1, 0.3, 0.01, 10.0, kNone, "platelet turnover", "platelet life ~10 d"},
  {kTauP, "tauP", "day", 116.295, 0.3, 0.5, 500.0, kNone, "platelet recovery time constant", "model.md 6",
   "fit study-flow (calibration/result): was 20"},
  {kKPil2, "kPil2", "1/day", 0.939623, 0.3, 0.0, 10.0, kNone, "maximal IL-2-driven platelet loss",
   "thrombocytopenia in all on Roche induction (Benyunes 1993)",
   "fit study-flow (calibration/result): was 0.15"},
  {kEC50P, "EC50P", "IU/mL", 30.0, 0.3, 0.1, 1000.0, kNone, "IL-2 for half-maximal platelet loss",
   "model.md 6"},
  {kP0, "P0", "10^9/L", 20.0, 0.5, 0.1, 1000.0, kNone, "platelets at day 0", "post-conditioning nadir (assumption)"},
  {kS0, "S0", "pg/mL", 2700.0, 0.3, 10.0, 100000.0, kNone, "sIL-2Ralpha without IL-2 at the healthy steady state",
   "2669 pg/mL (Lange 2011)"},
  {kFS, "fS", "-", 0.75, 0.0, 0.0, 1.0, kNone, "cell-borne share of sIL-2Ralpha at baseline", "model.md 6"},
  {kES, "ES", "-", 8.0, 0.3, 0.0, 100.0, kNone, "maximal IL-2 stimulation of sIL-2Ralpha shedding",
   "2669 -> 15534 (d4) -> 10585 (d18) pg/mL (Lange 2011)"},
  {kEC50S, "EC50S", "IU/mL", 40.0, 0.0, 0.1, 1000.0, kNone, "IL-2 for half-maximal shedding", "model.md 6"},
  {kKSout, "kSout", "1/day", 2.0, 0.3, 0.01, 100.0, kNone, "sIL-2Ralpha elimination", "model.md 6"},
  // ---- Tumour -----------------------------------------------------------------------------------
  {kRNhl, "r_nhl", "1/day", 0.0285093, 0.45, 0.0, 1.0, kNone, "net tumour growth rate, NHL", "model.md 5",
   "fit disease-restart (calibration/result): was 0.035"},
  {kRHd, "r_hd", "1/day", 0.035, 0.45, 0.0, 1.0, kNone, "net tumour growth rate, Hodgkin disease",
   "assumption: as NHL"},
  {kRAml, "r_aml", "1/day", 0.045, 0.45, 0.0, 1.0, kNone, "net tumour growth rate, AML",
   "AML doubling 11-36 d (Ommen 2010)"},
  {kRAll, "r_all", "1/day", 0.05, 0.45, 0.0, 1.0, kNone, "net tumour growth rate, ALL", "model.md 5"},
  {kKcap, "Kcap", "cells", 1e12, 0.0, 1e9, 1e14, kNone, "tumour carrying capacity", "burden at diagnosis ~10^12"},
  {kLsat, "Lsat", "cells", 1e9, 1.0, 1e3, 1e14, kNone, "tumour burden halving the per-cell kill",
   "model.md 6"},
  {kKN, "kN", "1/(cells/uL)/day", 1.55094e-05, 1.0, 0.0, 1e-2, kNone, "tumour kill per NK cell/uL",
   "assumption; calibrate to relapse timing",
   "fit disease-restart (calibration/result): was 4e-05"},
  {kKE, "kE", "1/(cells/uL)/day", 1.22828e-05, 1.0, 0.0, 1e-2, kNone, "tumour kill per CD8 cell/uL",
   "assumption; calibrate to relapse timing",
   "fit disease-restart (calibration/result): was 1.5e-05"},
  {kFGvlAllo, "fGVL_allo", "-", 6.64341, 0.0, 1.0, 100.0, kNone,
   "graft-versus-leukaemia multiplier of CD8 kill after allogeneic transplant", "assumption (model.md 2)",
   "fit disease-restart (calibration/result): was 3"},
  {kD0, "d0", "1/day", 0.1, 0.0, 0.0, 10.0, kNone, "intrinsic death rate in the birth-death regime",
   "assumption (model.md 2)"},
  {kLRelLymphoma, "L_rel_lymphoma", "cells", 1e9, 0.0, 1e6, 1e13, kNone, "relapse threshold, lymphoma",
   "model.md 3"},
  {kLRelLeukaemia, "L_rel_leukaemia", "cells", 1e10, 0.0, 1e6, 1e13, kNone, "relapse threshold, leukaemia",
   "5 % blasts ~ 10^10-5x10^10 cells"},
  {kLMrd, "L_MRD", "cells", 1e7, 0.0, 1.0, 1e12, kNone, "MRD assay positivity threshold (~10^-5)",
   "model.md 2"},
  {kLStoch, "L_stoch", "cells", 1e3, 0.0, 10.0, 1e6, kNone, "below this the tumour is a birth-death process",
   "model.md 2"},
  {kPNoDisease, "p_no_disease", "-", 0.130455, 0.0, 0.0, 1.0, kNone,
   "probability of no residual clonogenic disease at transplant (L0 = 0)", "assumption (model.md 5)",
   "fit disease-restart (calibration/result): was 0.15"},
  {kLog10L0Mean, "log10_L0_mean", "log10 cells", 6.0, 0.0, 0.0, 10.0, kNone,
   "mean of log10 residual disease at transplant", "assumption (model.md 5)"},
  {kLog10L0Sd, "log10_L0_sd", "log10 cells", 2.73091, 0.0, 0.0, 5.0, kNone,
   "SD of log10 residual disease at transplant", "assumption (model.md 5)",
   "fit disease-restart (calibration/result): was 1.5"},
  // Cohorts whose remission status at transplant is reported draw their residual disease from their own
  // p_no_disease and log10_L0_mean (docs/model.md "Remission status"); the prior is the generic value.
  {kPNoDiseaseAmlCr1, "p_no_disease_aml_cr1", "-", 0.54644, 0.0, 0.0, 1.0, kNone,
   "probability of no residual clonogenic disease at transplant, AML in first CR (cohort adult-auto-aml-cr1)",
   "assumption: as p_no_disease",
   "fit disease-restart (calibration/result): was 0.15"},
  {kLog10L0MeanAmlCr1, "log10_L0_mean_aml_cr1", "log10 cells", 4.96618, 0.0, 0.0, 10.0, kNone,
   "mean of log10 residual disease at transplant, AML in first CR (cohort adult-auto-aml-cr1)",
   "assumption: as log10_L0_mean",
   "fit disease-restart (calibration/result): was 6"},
  {kPNoDiseaseAmlBeyondCr1, "p_no_disease_aml_beyond_cr1", "-", 0.689022, 0.0, 0.0, 1.0, kNone,
   "probability of no residual clonogenic disease at transplant, AML beyond first CR (cohort adult-auto-aml-beyond-cr1)",
   "assumption: as p_no_disease",
   "fit disease-restart (calibration/result): was 0.15"},
  {kLog10L0MeanAmlBeyondCr1, "log10_L0_mean_aml_beyond_cr1", "log10 cells", 8.71393, 0.0, 0.0, 10.0, kNone,
   "mean of log10 residual disease at transplant, AML beyond first CR (cohort adult-auto-aml-beyond-cr1)",
   "assumption: as log10_L0_mean",
   "fit disease-restart (calibration/result): was 6"},
  // ---- Observation model ------------------------------------------------------------------------
  // Lower bound 0.02: resting NK cells lyse K562 (>= ~10 % at 40:1 with a normal NK share of the blood).
  {kKappaK, "kappa_K", "-", 0.0449329, 0.0, 0.02, 10.0, kNone, "K562 lysis per effector:target unit",
   "~40 % K562 lysis at 40:1 for healthy PBMC (assumption)",
   "fit immune (calibration/result): was 0.1"},
  {kKappaD, "kappa_D", "-", 0.05, 0.0, 0.0, 10.0, kNone, "Daudi lysis per effector:target unit",
   "~50 % Daudi lysis at 40:1 when fully activated (assumption)"},
  {kOtherLymph, "other_lymph", "cells/uL", 600.0, 0.0, 0.0, 10000.0, kNone,
   "non-NK non-CD8 blood lymphocytes (marginate like CD8)", "assumption (model.md 2)"},
  {kCvCells, "cv_cells", "-", 0.10, 0.0, 0.0, 1.0, kNone, "assay CV of blood NK and CD8 counts", "model.md 2"},
  {kCvSil2ra, "cv_sil2ra", "-", 0.10, 0.0, 0.0, 1.0, kNone, "assay CV of sIL-2Ralpha", "model.md 2"},
  {kCvPlatelets, "cv_platelets", "-", 0.05, 0.0, 0.0, 1.0, kNone, "assay CV of platelets", "model.md 2"},
  {kCvIl2, "cv_il2", "-", 0.10, 0.0, 0.0, 1.0, kNone, "assay CV of IL-2 concentration", "assumption"},
  // ---- Clinical events --------------------------------------------------------------------------
  {kNrm1yAuto, "nrm_1y_auto", "-", 0.0856826, 0.0, 0.0, 0.9, kNone, "1-year non-relapse mortality, autologous",
   "assumption (S9438 lost 30/394 to fatal toxicity before randomization)",
   "fit study-flow (calibration/result): was 0.05"},
  {kNrm1yAllo, "nrm_1y_allo", "-", 0.15, 0.0, 0.0, 0.9, kNone, "1-year non-relapse mortality, allogeneic",
   "assumption (model.md 3)"},
  {kNrmShape, "nrm_shape", "-", 0.139524, 0.0, 0.05, 5.0, kNone, "Weibull shape of the NRM hazard", "model.md 3",
   "fit study-flow (calibration/result): was 0.5"},
  {kGvhdNrmFactor, "gvhd_nrm_factor", "-", 2.0, 0.0, 1.0, 20.0, kNone, "NRM hazard ratio after GVHD",
   "model.md 3"},
  {kPToxDeath, "p_tox_death", "-", 0.362341, 0.0, 0.0, 1.0, kNone, "fatal-event probability per grade-4 episode",
   "calibrate to 2/52 deaths Chiron phase II vs 0 in S9438",
   "fit study-flow (calibration/result): was 0.02"},
  // The fit's 28 months reflects S9438's mix of low-, intermediate- and high-grade NHL (facts.md §4): its
  // 4-year OS 52 % against PFS 34 % needs long survival after relapse for many patients.
  {kPostRelapseMedianNhl, "post_relapse_median_nhl", "month", 24.3907, 0.0, 0.1, 240.0, kNone,
   "median survival after relapse, NHL", "assumption (model.md 3)",
   "fit disease-restart (calibration/result): was 8"},
  {kPostRelapseMedianHd, "post_relapse_median_hd", "month", 8.0, 0.0, 0.1, 240.0, kNone,
   "median survival after relapse, Hodgkin disease", "assumption: as NHL"},
  {kPostRelapseMedianAml, "post_relapse_median_aml", "month", 5.0, 0.0, 0.1, 240.0, kNone,
   "median survival after relapse, AML", "assumption; AML 2-year OS after relapse ~14 %"},
  {kPostRelapseMedianAll, "post_relapse_median_all", "month", 6.0, 0.0, 0.1, 240.0, kNone,
   "median survival after relapse, ALL", "assumption (model.md 3)"},
  {kPostRelapseSigma, "post_relapse_sigma", "-", 0.8, 0.0, 0.05, 5.0, kNone,
   "log-normal sigma of survival after relapse", "assumption (model.md 3)"},
  {kH0Gvhd, "h0_gvhd", "1/day", 0.003, 0.5, 0.0, 1.0, kNone, "baseline acute GVHD (grade >= II) hazard",
   "assumption; calibrate to Robinson 1996"},
  {kBetaG, "betaG", "-", 10.0, 0.5, 0.0, 1000.0, kNone, "IL-2 and CD8 amplification of the GVHD hazard",
   "assumption; calibrate to Robinson 1996"},
  {kEC50G, "EC50G", "IU/mL", 30.0, 0.5, 0.1, 1000.0, kNone, "IL-2 for half-maximal GVHD amplification",
   "assumption; calibrate to Robinson 1996"},
  // ---- Appended last, so that the per-row IIV draws of the rows above do not move ----------------
  {kKDOff, "kD_off", "1/day", 1.0 / 14.0, 0.0, 0.001, 10.0, kNone,
   "decay rate of the high-affinity drive when IL-2 falls below its level (build-up: kD)",
   "assumption: as kD (model.md 2 has one rate)"},
  {kKillMax, "kill_max", "1/day", 0.1, 0.0, 1e-3, 10.0, kNone,
   "maximal per-cell tumour kill; read only under [model] kill = \"saturating\"",
   "assumption: 3.5 x r_nhl, so that the kill can exceed tumour growth; the posterior of the "
   "saturating variant (calibration/posterior-saturating) is its calibration"},
  {kDNb, "dNb", "1/day", 0.3, 0.0, 0.0, 10.0, kNone,
   "extra death rate of IL-2-dependent NK cells without IL-2 (total dN + dNb); read only under "
   "[model] nk = \"il2_dependent\"",
   "assumption: expanded NK back near baseline about 2 weeks after a 6-day CIV (J Hematother 1995)"},
  {kEC50Nb, "EC50Nb", "IU/mL", 2.5, 0.0, 0.01, 100.0, kNone,
   "IL-2 for half-maximal survival and high-affinity expansion of IL-2-dependent NK cells; read "
   "only under [model] nk = \"il2_dependent\"",
   "alpha-beta-gamma Kd ~ 10 pM ~ 2.5 IU/mL (as EC50D)"},
}};
// clang-format on

}  // namespace

std::span<const ParamSpec> parameter_table() {
  return kTable;
}

std::string_view scaling_text(BsaScaling s) {
  switch (s) {
    case BsaScaling::kNone:
      return "";
    case BsaScaling::kPerM2:
      return "x BSA";
    case BsaScaling::kPerRefM2:
      return "x BSA/1.8";
  }
  return "";
}

core::FieldTable<ParamSpec> parameter_fields() {
  using core::FieldType;
  using core::FieldValue;
  using P = const ParamSpec&;
  constexpr auto kReal = FieldType::kReal;
  constexpr auto kText = FieldType::kText;
  static constexpr std::array<core::Field<ParamSpec>, 10> kFields{{
      {"name", kText, "", "name, as written in scenarios and outputs",
       +[](P p) { return FieldValue(p.name); }},
      {"unit", kText, "", "unit of the default (before BSA scaling)",
       +[](P p) { return FieldValue(p.unit); }},
      {"default", kReal, "", "the shipped default, in the parameter's unit",
       +[](P p) { return FieldValue(p.default_value); }},
      {"omega", kReal, "", "SD of log(individual / typical); 0 = no variability",
       +[](P p) { return FieldValue(p.omega); }},
      {"lower", kReal, "", "smallest value a scenario or calibration may set",
       +[](P p) { return FieldValue(p.lower); }},
      {"upper", kReal, "", "largest value a scenario or calibration may set",
       +[](P p) { return FieldValue(p.upper); }},
      {"bsa_scaling", kText, "", "how the value scales with BSA: \"\", x BSA or x BSA/1.8",
       +[](P p) { return FieldValue(scaling_text(p.scaling)); }},
      {"description", kText, "", "what it is, in one line",
       +[](P p) { return FieldValue(p.description); }},
      {"source", kText, "", "where the default comes from",
       +[](P p) { return FieldValue(p.source); }},
      {"calibration", kText, "", "how `il2sim calibrate` moved the default, if it did",
       +[](P p) { return FieldValue(p.calibration); }},
  }};
  return kFields;
}

const ParamSpec& spec(ParamId id) {
  const auto index = static_cast<std::size_t>(id);
  IL2SIM_ASSERT(index < kParamCount, "parameter id out of range");
  return kTable[index];
}

std::optional<ParamId> find_parameter(std::string_view name) {
  for (const auto& row : kTable) {
    if (row.name == name) return row.id;
  }
  return std::nullopt;
}

std::string closest_parameter_name(std::string_view name) {
  std::vector<std::string_view> names;
  names.reserve(kTable.size());
  for (const auto& row : kTable) names.push_back(row.name);
  return core::closest_name(name, names);
}

std::string unknown_parameter(std::string_view name, bool quote_name) {
  std::string problem = "unknown parameter";
  if (quote_name) problem += " '" + std::string(name) + "'";
  const auto suggestion = closest_parameter_name(name);
  if (!suggestion.empty()) problem += "; did you mean '" + suggestion + "'?";
  return problem;
}

ParameterSet::ParameterSet() {
  for (const auto& row : kTable) values_[static_cast<std::size_t>(row.id)] = row.default_value;
}

bool ParameterSet::is_default(ParamId id) const {
  return (*this)[id] == spec(id).default_value;
}

}  // namespace il2sim::model
