#pragma once
/// @file scenario.hpp
/// A scenario: everything a run needs, read from TOML (`format_version = 1`) and validated once at
/// the input edge. Built-in scenarios are embedded in the binary and also live as files in
/// scenarios/.

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dosing/bsa.hpp"
#include "dosing/regimen.hpp"
#include "model/parameters.hpp"
#include "model/patient.hpp"
#include "population/population.hpp"
#include "scenario/overrides.hpp"
#include "scenario/settings.hpp"
#include "scenario/stage.hpp"
#include "sim/patient_sim.hpp"

namespace il2sim::scenario {

/// The newest scenario format this build reads.
inline constexpr int kFormatVersion = 2;

/// A number of a cohort: given as a number, or as the name of a row of the parameter table, read
/// when a patient is drawn (so `--set parameters.X=...` and the calibration move it).
struct CohortValue {
  double number = 0.0;
  std::optional<model::ParamId> parameter;  ///< set: the value is this row of the parameter table
  [[nodiscard]] double value(const model::ParameterSet& parameters) const {
    return parameter ? parameters[*parameter] : number;
  }
};

/// A population of virtual patients (model.md §5; docs/model.md "Cohorts"): the built-in cohorts
/// (data/cohorts.toml, embedded at build time) and a scenario's own `[cohorts.NAME]` tables.
struct CohortSpec {
  std::string name;
  model::Disease disease = model::Disease::kNhl;
  /// autologous, allogeneic, or chemotherapy (no transplant: day 0 is the end of consolidation).
  model::Transplant transplant = model::Transplant::kAutologous;
  bool paediatric = false;
  std::string description;
  std::string remission;  ///< remission status at day 0, as the sources give it
  /// The age range; unset: the scenario's [population.adult] or [population.paediatric] range.
  std::optional<double> age_min;
  std::optional<double> age_max;
  /// Residual disease at day 0 (model.md §5): P(L0 = 0), and log10 L0 ~ N(mean, sd²) on [0, 10].
  CohortValue p_no_disease{0.0, model::ParamId::kPNoDisease};
  CohortValue log10_L0_mean{0.0, model::ParamId::kLog10L0Mean};
  CohortValue log10_L0_sd{0.0, model::ParamId::kLog10L0Sd};
  /// 1-year non-relapse mortality (Weibull with the shared nrm_shape).
  CohortValue nrm_1y{0.0, model::ParamId::kNrm1yAuto};
  /// Median survival after relapse (months; log-normal with the shared post_relapse_sigma).
  CohortValue post_relapse_median_months{0.0, model::ParamId::kPostRelapseMedianNhl};
  /// The fraction of relapsing patients salvaged (e.g. by a second transplant), whose survival
  /// after relapse has the median `salvage_median_months` instead (same sigma, same deviate).
  CohortValue salvage_fraction{0.0, std::nullopt};
  std::optional<CohortValue> salvage_median_months;  ///< given exactly when salvage_fraction is
  bool builtin = false;                              ///< from data/cohorts.toml
  /// A mixture cohort (`mix = { A = 0.4, B = 0.6 }`): its components (cohorts that are not
  /// mixtures) and their weights (> 0, summing to 1), in name order. Each patient is drawn from one
  /// component (its own stream, Purpose::kMixture) and is then exactly a patient of that component;
  /// a mixture has only a name, a description and `mix` (the fields above keep their defaults and
  /// are not used). Empty: not a mixture.
  std::vector<std::pair<std::string, double>> mix;
  [[nodiscard]] bool is_mixture() const { return !mix.empty(); }
};

/// The built-in cohorts, by name (data/cohorts.toml).
[[nodiscard]] const std::vector<CohortSpec>& builtin_cohorts();
/// A built-in cohort by name; a scenario's own cohorts are found with Scenario::find_cohort.
[[nodiscard]] const CohortSpec* find_cohort(std::string_view name);

struct ArmSpec {
  std::string name;
  std::string cohort;                  ///< a cohort name (built-in or the scenario's own)
  std::optional<std::string> regimen;  ///< key into Scenario::regimens; none = observation
};

/// Settings of the typical-patient trajectory (`il2sim trajectory --typical`).
struct TypicalSpec {
  double start_day = 46.0;  ///< first day of IL-2
  double bsa_m2 = 1.8;
  double L0 = 1e6;
};

struct Scenario {
  int format_version = kFormatVersion;
  std::string name;
  std::string description;
  std::uint64_t seed = 20261130;
  model::ParameterSet parameters;
  model::Structure structure;  ///< [model]: the structural variant (model/structure.hpp)
  dosing::BsaFormula bsa_formula = dosing::BsaFormula::kMosteller;
  population::PopulationSettings adults = population::adult_population();  ///< [population.adult]
  population::PopulationSettings children =
      population::paediatric_population();  ///< [population.paediatric]
  sim::SimulationOptions solver;
  std::map<std::string, dosing::Regimen> regimens;
  std::vector<CohortSpec> cohorts;  ///< the scenario's own [cohorts.NAME], in name order
  std::vector<ArmSpec> arms;
  TypicalSpec typical;
  ProtocolSettings protocol;
  ToxicitySettings toxicity;
  EventSettings events;
  AssaySettings assays;
  std::vector<StageSpec> stages;  ///< trial stages run by `il2sim run`, in order
  int replicates = 1;             ///< trial replicates (operating characteristics)

  [[nodiscard]] const ArmSpec* find_arm(std::string_view arm) const;
  /// The scenario's own cohort of that name, else the built-in one; nullptr if neither.
  [[nodiscard]] const CohortSpec* find_cohort(std::string_view cohort) const;
};

/// The population a cohort's patients are drawn from: the scenario's adult or paediatric settings,
/// with the cohort's age range where it gives one.
[[nodiscard]] population::PopulationSettings cohort_population(const Scenario& scenario,
                                                               const CohortSpec& cohort);

/// The embedded text of data/cohorts.toml (the built-in cohorts).
[[nodiscard]] std::string_view builtin_cohorts_toml();

/// The cohorts of `[cohorts.NAME]` tables in a TOML text with no other keys (the built-in cohorts'
/// file). @throws UserError naming `origin`, line, key, value and what is allowed.
[[nodiscard]] std::vector<CohortSpec> parse_cohorts_file(std::string_view toml_text,
                                                         const std::string& origin);

/// One cohort as a `[cohorts.NAME]` table (every field; values given as parameter names stay
/// names).
[[nodiscard]] std::string cohort_to_toml(const CohortSpec& cohort);

/// Parses TOML text, applies the `--set` overrides to its document (overrides.hpp), then validates.
/// `origin` names the file in error messages.
/// @throws UserError naming file:line (or `--set`), the key, the value and what is allowed.
[[nodiscard]] Scenario parse_scenario(std::string_view toml_text, const std::string& origin,
                                      std::span<const Override> overrides = {});

/// Reads and parses a scenario file. @throws UserError (missing or unreadable file, bad content).
[[nodiscard]] Scenario load_scenario_file(const std::string& path,
                                          std::span<const Override> overrides = {});

/// A built-in scenario by name, or a file path (anything ending in .toml or containing '/'), with
/// the overrides applied. An empty name is the default scenario. @throws UserError for an unknown
/// name.
[[nodiscard]] Scenario load_scenario(const std::string& name_or_path,
                                     std::span<const Override> overrides = {});

/// Built-in scenarios: name and TOML text (embedded from scenarios/*.toml at build time).
struct BuiltinScenario {
  std::string_view name;
  std::string_view toml;
};
[[nodiscard]] std::span<const BuiltinScenario> builtin_scenarios();
inline constexpr std::string_view kDefaultScenario = "programme";

/// The fully resolved scenario as TOML (every parameter written out); parse_scenario reads it back.
[[nodiscard]] std::string to_toml(const Scenario& scenario);

}  // namespace il2sim::scenario
