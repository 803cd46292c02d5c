#pragma once
/// @file patient.hpp
/// Virtual patients of a cohort and their course through one arm of the clinic.
/// Every draw comes from the patient's own streams keyed by (seed, replicate, patient, purpose), so
/// the same virtual patient has the same covariates, parameters, disease and event draws in every
/// arm (common random numbers), and adding a patient or an arm changes nobody else.

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>

#include "clinic/record.hpp"
#include "core/random.hpp"
#include "scenario/scenario.hpp"
#include "sim/patient_sim.hpp"

namespace il2sim::clinic {

/// The random streams of one virtual patient: one per purpose, keyed by (seed, replicate, patient,
/// purpose). `perturbed` is a test seam: that purpose's stream is keyed by another seed, so a test
/// can show that changing one purpose's draws changes no other purpose's values.
struct PatientStreams {
  std::uint64_t seed = 0;
  std::uint32_t replicate = 0;
  std::uint32_t patient = 0;
  std::optional<Purpose> perturbed;
  [[nodiscard]] RandomStream operator()(Purpose purpose) const;
};

/// Everything drawn for a patient at registration (day 0).
struct VirtualPatient {
  std::uint32_t id = 0;
  std::uint32_t replicate = 0;
  /// The cohort the patient was made from: the component drawn for a patient of a mixture cohort,
  /// else the cohort itself.
  std::string cohort;
  model::Covariates covariates;
  model::Disease disease = model::Disease::kNhl;
  model::Transplant transplant = model::Transplant::kAutologous;
  model::IndividualParameters parameters{};
  double L0 = 0.0;  ///< malignant cells at transplant (0 = no residual disease)
  int scheduling_delay_days = 0;
  bool refuses = false;
  bool other_attrition = false;  ///< does not start for another reason (protocol setting)
  /// Randomized to IL-2 but does not start (set by a randomized stage from its
  /// never_start_probability; never drawn here).
  bool never_starts = false;
  double lak_cells = 0.0;       ///< LAK cells this patient would receive (LAK arms)
  double nrm_draw = 0.0;        ///< Exp(1): NRM when the cumulative NRM hazard reaches it
  double agvhd_draw = 0.0;      ///< Exp(1): acute GVHD when h0·G reaches it
  double cgvhd_draw = 0.0;      ///< Exp(1): chronic GVHD
  double post_relapse_z = 0.0;  ///< N(0,1): survival after relapse, log-normal
  // The cohort's event settings, read when the patient is drawn (NaN: not set; the clinic asserts).
  double nrm_1y = std::numeric_limits<double>::quiet_NaN();  ///< 1-year NRM of the setting
  bool salvaged = false;  ///< a relapse would be salvaged (cohort salvage_fraction)
  /// Median survival after relapse (days): the cohort's, or the salvaged's when `salvaged`.
  double post_relapse_median_days = std::numeric_limits<double>::quiet_NaN();
  PatientStreams streams;  ///< for the draws made during the course (toxic death, assays)
};

/// Draws patient `id` of `cohort` (replicate `replicate`) from the scenario's population (the
/// cohort's own age range where it has one). `cohort` is a built-in one or one of the scenario's
/// own (Scenario::find_cohort). A mixture cohort's patient first draws its component (its own
/// stream, Purpose::kMixture, with the mixture's weights) and is then exactly patient `id` of that
/// component (same covariates, parameters, disease and event draws).
/// `perturbed`: the test seam of PatientStreams (empty in every real run).
[[nodiscard]] VirtualPatient make_patient(const scenario::Scenario& scenario,
                                          const scenario::CohortSpec& cohort,
                                          std::uint32_t replicate, std::uint32_t id,
                                          std::optional<Purpose> perturbed = std::nullopt);

/// Runs one virtual patient through `arm` from transplant to `horizon_days` (or death).
/// `observer`, when given, sees the state at each of `output_times` (`trajectory --patient`); it
/// changes nothing of the course.
[[nodiscard]] PatientRecord simulate_patient(const scenario::Scenario& scenario,
                                             const scenario::ArmSpec& arm,
                                             const VirtualPatient& patient, double horizon_days,
                                             std::span<const double> output_times = {},
                                             const sim::Observer& observer = {});

/// Weibull scale (days) giving cumulative probability `p_one_year` at 365.25 days with shape k.
[[nodiscard]] double weibull_scale_for_one_year(double p_one_year, double shape);

}  // namespace il2sim::clinic
