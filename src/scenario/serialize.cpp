// Writes a Scenario back as TOML with every default made explicit (the `scenario.toml` of a run).
#include <fmt/format.h>

#include "core/text.hpp"
#include "scenario/scenario.hpp"

namespace il2sim::scenario {
namespace {

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string unit_text(const dosing::Phase& phase) {
  const bool per_day = phase.route == dosing::Route::kCiv;
  const std::string suffix = per_day ? "/day" : "";
  switch (phase.unit) {
    case dosing::DoseUnit::kPerM2PerDay: return "U/m2" + suffix;
    case dosing::DoseUnit::kPerDay: return per_day ? "U/day" : "U";
    case dosing::DoseUnit::kPerKgPerDay: return "U/kg" + suffix;
  }
  return "U/m2" + suffix;
}

}  // namespace

std::string to_toml(const Scenario& s) {
  using core::format_double;
  std::string out;
  out += fmt::format("format_version = {}\n", s.format_version);
  out += fmt::format("name = {}\n", quoted(s.name));
  if (!s.description.empty()) out += fmt::format("description = {}\n", quoted(s.description));
  out += fmt::format("seed = {}\n\n", s.seed);
  out += "[solver]\n";
  out += fmt::format("mode = \"{}\"\n", s.solver.mode == sim::SolverMode::kFast ? "fast" : "reference");
  if (s.solver.rtol > 0) out += fmt::format("rtol = {}\n", format_double(s.solver.rtol));
  out += fmt::format("max_steps = {}\n", s.solver.max_steps);
  out += fmt::format("stochastic_tumour = {}\n", s.solver.stochastic_tumour ? "true" : "false");
  out += fmt::format("birth_death_slice = {}\n", format_double(s.solver.birth_death_slice));
  out += fmt::format("pk_transient_days = {}\n\n", format_double(s.solver.pk_transient_days));
  out += "[population]\n";
  out += fmt::format("bsa_formula = \"{}\"\n\n", dosing::to_string(s.bsa_formula));
  out += "[typical]\n";
  out += fmt::format("start_day = {}\nbsa_m2 = {}\nL0 = {}\n\n", format_double(s.typical.start_day),
                     format_double(s.typical.bsa_m2), format_double(s.typical.L0));
  out += "[parameters]\n";
  for (const auto& p : model::parameter_table()) {
    out += fmt::format("{} = {}  # {}\n", p.name, format_double(s.parameters[p.id]), p.unit);
  }
  for (const auto& [name, regimen] : s.regimens) {
    out += fmt::format("\n[regimens.{}]\nproduct = \"{}\"\nphases = [\n", quoted(name), dosing::to_string(regimen.product));
    for (const auto& ph : regimen.phases) {
      out += fmt::format(
          "  {{ name = {}, route = \"{}\", dose = {}, unit = \"{}\", days = {}, setting = \"{}\", "
          "interval_hours = {}, lak_infusion = {}, apheresis = {} }},\n",
          quoted(ph.name), dosing::to_string(ph.route), format_double(ph.dose), unit_text(ph),
          format_double(ph.days), dosing::to_string(ph.setting), format_double(ph.interval_hours),
          ph.lak_infusion ? "true" : "false", ph.apheresis ? "true" : "false");
    }
    out += "]\n";
  }
  for (const auto& arm : s.arms) {
    out += fmt::format("\n[[arms]]\nname = {}\ncohort = {}\n", quoted(arm.name), quoted(arm.cohort));
    if (arm.regimen) out += fmt::format("regimen = {}\n", quoted(*arm.regimen));
  }
  return out;
}

}  // namespace il2sim::scenario
