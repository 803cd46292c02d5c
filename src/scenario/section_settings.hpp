#pragma once
/// @file section_settings.hpp
/// The setting tables of the plain scenario sections (setting_table.hpp): each setting's key, unit,
/// range, meaning and place, in the order the resolved scenario writes them. The parser
/// (scenario.cpp), the writer (serialize.cpp) and the scenario reference (reference.cpp) read
/// these and nothing else, so a new setting of these sections is one row here.

#include <span>

#include "population/population.hpp"
#include "scenario/scenario.hpp"
#include "scenario/setting_table.hpp"
#include "sim/patient_sim.hpp"

namespace il2sim::scenario {

[[nodiscard]] std::span<const Setting<sim::SimulationOptions>> solver_settings();
/// [model]: one choice per structural switch of model::structure_switches() (the resolved scenario
/// writes the section only when a switch is not at its default form, so that resolved v1 scenarios
/// keep their bytes).
[[nodiscard]] std::span<const Setting<model::Structure>> model_settings();
[[nodiscard]] std::span<const Setting<population::PopulationSettings>> population_settings();
[[nodiscard]] std::span<const Setting<TypicalSpec>> typical_settings();
[[nodiscard]] std::span<const Setting<ProtocolSettings>> protocol_settings();
[[nodiscard]] std::span<const Setting<ToxicitySettings>> toxicity_settings();
[[nodiscard]] std::span<const Setting<EventSettings>> event_settings();
[[nodiscard]] std::span<const Setting<AssaySettings>> assay_settings();

}  // namespace il2sim::scenario
