// Writes a Scenario back as TOML with every default made explicit (the `scenario.toml` of a run).
#include <fmt/format.h>

#include "core/text.hpp"
#include "scenario/scenario.hpp"
#include "scenario/section_settings.hpp"

namespace il2sim::scenario {
namespace {

/// A TOML basic string. TOML forbids raw control characters in one (only tab is allowed), so a
/// name or description that came from a multi-line or escaped string is written with escapes.
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if ((byte < 0x20 && c != '\t') || byte == 0x7F) {
          out += fmt::format("\\u{:04X}", byte);
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string unit_text(const dosing::Phase& phase) {
  const bool per_day = phase.route == dosing::Route::kCiv;
  const std::string suffix = per_day ? "/day" : "";
  switch (phase.unit) {
    case dosing::DoseUnit::kPerM2PerDay:
      return "U/m2" + suffix;
    case dosing::DoseUnit::kPerDay:
      return per_day ? "U/day" : "U";
    case dosing::DoseUnit::kPerKgPerDay:
      return "U/kg" + suffix;
  }
  return "U/m2" + suffix;
}

std::string_view spending_text(SpendingFamily f) {
  switch (f) {
    case SpendingFamily::kObrienFleming:
      return "obf";
    case SpendingFamily::kPocock:
      return "pocock";
    case SpendingFamily::kNone:
      return "none";
  }
  return "obf";
}

std::string strings(const std::vector<std::string>& v) {
  std::string text = "[";
  for (std::size_t i = 0; i < v.size(); ++i) text += (i ? ", " : "") + quoted(v[i]);
  return text + "]";
}

template <typename T>
std::string numbers(const std::vector<T>& v) {
  std::string text = "[";
  for (std::size_t i = 0; i < v.size(); ++i)
    text += fmt::format("{}{}", i ? ", " : "", core::format_double(static_cast<double>(v[i])));
  return text + "]";
}

std::string stage_toml(const StageSpec& st) {
  using core::format_double;
  std::string out = "\n[[stages]]\n";
  out += fmt::format("name = {}\n", quoted(st.name));
  switch (st.type) {
    case StageType::kDoseEscalation: {
      out += "type = \"dose_escalation\"\n";
      const char* method = st.method == EscalationMethod::kThreePlusThree ? "3+3"
                           : st.method == EscalationMethod::kBoin         ? "boin"
                                                                          : "crm";
      out += fmt::format("method = \"{}\"\ncohort = {}\nregimen = {}\nescalated_phase = {}\n",
                         method, quoted(st.cohort), quoted(st.regimen), quoted(st.escalated_phase));
      out += "levels = [";
      for (std::size_t i = 0; i < st.levels.size(); ++i) {
        out += i ? ", " : "";
        out += st.levels[i].days
                   ? fmt::format("{{ dose = {}, days = {} }}", format_double(st.levels[i].dose),
                                 format_double(*st.levels[i].days))
                   : fmt::format("{{ dose = {} }}", format_double(st.levels[i].dose));
      }
      out += "]\n";
      out += fmt::format(
          "start_level = {}\ncohort_size = {}\nmax_patients = {}\ntarget = {}\ndlt_followup_days = "
          "{}\n",
          st.start_level, st.cohort_size, st.max_patients, format_double(st.target),
          format_double(st.dlt_followup_days));
      if (!st.skeleton.empty()) out += fmt::format("skeleton = {}\n", numbers(st.skeleton));
      break;
    }
    case StageType::kSingleArm:
      out += "type = \"single_arm\"\n";
      out += fmt::format("cohort = {}\nregimen = {}\nescalated_phase = {}\n", quoted(st.cohort),
                         quoted(st.regimen), quoted(st.escalated_phase));
      if (!st.dose_from.empty()) out += fmt::format("dose_from = {}\n", quoted(st.dose_from));
      out += fmt::format(
          "simon = {}\npatients = {}\np0 = {}\np1 = {}\nalpha = {}\nbeta = {}\nresponse_days = {}\n"
          "historical_patients = {}\ncomparison_days = {}\nhorizon_days = {}\n",
          st.simon ? "true" : "false", st.patients, format_double(st.p0), format_double(st.p1),
          format_double(st.alpha), format_double(st.beta), format_double(st.response_days),
          st.historical_patients, format_double(st.comparison_days),
          format_double(st.horizon_days));
      // Written only when on, so that the resolved scenarios of runs without it keep their bytes.
      if (st.selection_bias) out += "selection_bias = true\n";
      break;
    case StageType::kRandomized:
      out += "type = \"randomized\"\n";
      if (!st.dose_from.empty())
        out += fmt::format("dose_from = {}\nescalated_phase = {}\n", quoted(st.dose_from),
                           quoted(st.escalated_phase));
      out += fmt::format(
          "arms = {}\nallocation = {}\nregistered = {}\naccrual_per_month = {}\nblock_size = "
          "{}\nstrata = {}\n"
          "age_cutoff = {}\ndropout_per_year = {}\nmin_follow_up_months = {}\nmax_follow_up_months "
          "= {}\ntarget_events = {}\n"
          "design_hr = {}\none_sided_alpha = {}\npower = {}\nlooks = {}\nspending = "
          "\"{}\"\nhorizon_days = {}\n",
          strings(st.arms), numbers(st.allocation), st.registered,
          format_double(st.accrual_per_month), st.block_size, strings(st.strata),
          format_double(st.age_cutoff), format_double(st.dropout_per_year),
          format_double(st.min_follow_up_months), format_double(st.max_follow_up_months),
          st.target_events, format_double(st.design_hr), format_double(st.one_sided_alpha),
          format_double(st.power), numbers(st.looks), spending_text(st.spending),
          format_double(st.horizon_days));
      if (st.futility) out += fmt::format("futility = \"{}\"\n", spending_text(*st.futility));
      break;
  }
  return out;
}

}  // namespace

std::string to_toml(const Scenario& s) {
  using core::format_double;
  std::string out;
  out += fmt::format("format_version = {}\n", s.format_version);
  out += fmt::format("name = {}\n", quoted(s.name));
  if (!s.description.empty()) out += fmt::format("description = {}\n", quoted(s.description));
  out += fmt::format("seed = {}\n", s.seed);
  out += fmt::format("replicates = {}\n\n", s.replicates);
  out += "[solver]\n" + write_settings(solver_settings(), s.solver) + "\n";
  out += "[population]\n";
  out += fmt::format("bsa_formula = \"{}\"\n\n", dosing::to_string(s.bsa_formula));
  for (const auto& [key, ps] :
       {std::pair<const char*, const population::PopulationSettings*>{"adult", &s.adults},
        std::pair<const char*, const population::PopulationSettings*>{"paediatric", &s.children}}) {
    out +=
        fmt::format("[population.{}]\n", key) + write_settings(population_settings(), *ps) + "\n";
  }
  out += "[typical]\n" + write_settings(typical_settings(), s.typical) + "\n";
  out += "[protocol]\n" + write_settings(protocol_settings(), s.protocol) + "\n";
  out += "[toxicity]\n" + write_settings(toxicity_settings(), s.toxicity) + "\n";
  out += "[events]\n" + write_settings(event_settings(), s.events) + "\n";
  out += "[assays]\n" + write_settings(assay_settings(), s.assays) + "\n";
  out += "[parameters]\n";
  for (const auto& p : model::parameter_table()) {
    out += fmt::format("{} = {}  # {}\n", p.name, format_double(s.parameters[p.id]), p.unit);
  }
  for (const auto& [name, regimen] : s.regimens) {
    out += fmt::format("\n[regimens.{}]\nproduct = \"{}\"\nphases = [\n", quoted(name),
                       dosing::to_string(regimen.product));
    for (const auto& ph : regimen.phases) {
      out += fmt::format(
          "  {{ name = {}, role = \"{}\", route = \"{}\", dose = {}, unit = \"{}\", days = {}, "
          "setting = \"{}\", interval_hours = {}, lak_infusion = {}, apheresis = {} }},\n",
          quoted(ph.name), dosing::to_string(ph.role), dosing::to_string(ph.route),
          format_double(ph.dose), unit_text(ph), format_double(ph.days),
          dosing::to_string(ph.setting), format_double(ph.interval_hours),
          ph.lak_infusion ? "true" : "false", ph.apheresis ? "true" : "false");
    }
    out += "]\n";
  }
  for (const auto& arm : s.arms) {
    out +=
        fmt::format("\n[[arms]]\nname = {}\ncohort = {}\n", quoted(arm.name), quoted(arm.cohort));
    if (arm.regimen) out += fmt::format("regimen = {}\n", quoted(*arm.regimen));
  }
  for (const auto& st : s.stages) out += stage_toml(st);
  return out;
}

}  // namespace il2sim::scenario
