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

/// A population of virtual patients (model.md §5).
struct CohortSpec {
  std::string name;
  model::Disease disease = model::Disease::kNhl;
  model::Transplant transplant = model::Transplant::kAutologous;
  bool paediatric = false;
  std::string description;
  std::string remission;  ///< remission status at transplant, as the sources give it
  /// The parameters of the residual disease at transplant (model.md §5): the generic ones, or the
  /// cohort's own where its remission status sets it apart (docs/model.md "Remission status").
  model::ParamId p_no_disease = model::ParamId::kPNoDisease;
  model::ParamId log10_L0_mean = model::ParamId::kLog10L0Mean;
};

/// The built-in cohorts, by name.
[[nodiscard]] const std::vector<CohortSpec>& builtin_cohorts();
[[nodiscard]] const CohortSpec* find_cohort(std::string_view name);

struct ArmSpec {
  std::string name;
  std::string cohort;                  ///< a built-in cohort name
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
  dosing::BsaFormula bsa_formula = dosing::BsaFormula::kMosteller;
  population::PopulationSettings adults = population::adult_population();  ///< [population.adult]
  population::PopulationSettings children =
      population::paediatric_population();  ///< [population.paediatric]
  sim::SimulationOptions solver;
  std::map<std::string, dosing::Regimen> regimens;
  std::vector<ArmSpec> arms;
  TypicalSpec typical;
  ProtocolSettings protocol;
  ToxicitySettings toxicity;
  EventSettings events;
  AssaySettings assays;
  std::vector<StageSpec> stages;  ///< trial stages run by `il2sim run`, in order
  int replicates = 1;             ///< trial replicates (operating characteristics)

  [[nodiscard]] const ArmSpec* find_arm(std::string_view arm) const;
};

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
