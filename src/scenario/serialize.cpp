// Writes a Scenario back as TOML with every default made explicit (the `scenario.toml` of a run).
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/text.hpp"
#include "scenario/scenario.hpp"
#include "scenario/section_settings.hpp"

namespace il2sim::scenario {
namespace {

/// A TOML basic string. TOML forbids raw control characters in one (only tab is allowed), so a
/// name or description that came from a multi-line or escaped string is written with escapes.
std::string toml_quoted(std::string_view s) {
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

/// The custom products the regimens use (a product no regimen uses is not kept).
std::string products_toml(const Scenario& s) {
  std::map<std::string, double> products;
  for (const auto& [unused, r] : s.regimens) {
    if (r.product.kind == dosing::Product::kCustom)
      products.emplace(r.product.name, r.product.chiron_iu_per_unit);
  }
  std::string out;
  for (const auto& [name, potency] : products) {
    out += fmt::format("\n[products.{}]\nchiron_iu_per_unit = {}\n", toml_quoted(name),
                       core::format_double(potency));
  }
  return out;
}

/// A phase reference of a cycle: its name when no other phase has it, else its index.
std::string phase_ref(const dosing::Regimen& r, std::size_t i) {
  const auto same = std::count_if(r.phases.begin(), r.phases.end(),
                                  [&](const auto& ph) { return ph.name == r.phases[i].name; });
  return same == 1 ? toml_quoted(r.phases[i].name) : fmt::format("{}", i);
}

/// `repeat = [...]` (nothing without cycles).
std::string repeats_toml(const dosing::Regimen& r) {
  if (r.repeats.empty()) return {};
  std::string out = "repeat = [\n";
  for (const auto& rep : r.repeats) {
    std::string phases;
    for (std::size_t k = 0; k < rep.count; ++k)
      phases += (k ? ", " : "") + phase_ref(r, rep.first + k);
    out += fmt::format("  {{ phases = [{}], times = {}, every_days = {}", phases, rep.times,
                       core::format_double(rep.every_days));
    if (!rep.cycle_doses.empty()) {
      std::string doses;
      for (std::size_t k = 0; k < rep.cycle_doses.size(); ++k)
        doses += (k ? ", " : "") + core::format_double(rep.cycle_doses[k]);
      out += fmt::format(", cycle_doses = [{}]", doses);
    }
    out += " },\n";
  }
  return out + "]\n";
}

/// `[regimens.NAME.rules]` with the regimen's own rules (nothing when it has none).
std::string rules_toml(const std::string& name, const dosing::RuleOverrides& o) {
  if (o.empty()) return {};
  std::string out = fmt::format("\n[regimens.{}.rules]\n", toml_quoted(name));
  const auto integer = [&](const char* key, const std::optional<int>& v) {
    if (v) out += fmt::format("{} = {}\n", key, *v);
  };
  const auto number = [&](const char* key, const std::optional<double>& v) {
    if (v) out += fmt::format("{} = {}\n", key, core::format_double(*v));
  };
  integer("hold_cls_grade", o.hold_cls_grade);
  integer("hold_hypotension_grade", o.hold_hypotension_grade);
  number("hold_platelets", o.hold_platelets);
  number("resume_platelets", o.resume_platelets);
  integer("resume_grade", o.resume_grade);
  number("resume_fraction", o.resume_fraction);
  integer("max_holds", o.max_holds);
  if (o.on_hold) out += fmt::format("on_hold = \"{}\"\n", dosing::to_string(*o.on_hold));
  number("early_stop_per_month", o.early_stop_per_month);
  return out;
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
  for (std::size_t i = 0; i < v.size(); ++i) text += (i ? ", " : "") + toml_quoted(v[i]);
  return text + "]";
}

template <typename T>
std::string numbers(const std::vector<T>& v) {
  std::string text = "[";
  for (std::size_t i = 0; i < v.size(); ++i)
    text += fmt::format("{}{}", i ? ", " : "", core::format_double(static_cast<double>(v[i])));
  return text + "]";
}

/// The version-2 keys of a randomized stage, each written only when it differs from its default,
/// so that the resolved scenarios of version-1 stages keep their bytes.
std::string randomized_v2_toml(const StageSpec& st) {
  using core::format_double;
  const StageSpec d;
  std::string out;
  if (st.randomized != d.randomized) out += fmt::format("randomized = {}\n", st.randomized);
  if (st.randomize_at != d.randomize_at) {
    out += fmt::format("randomize_at = \"{}\"\n",
                       st.randomize_at == RandomizeAt::kTransplant ? "transplant" : "registration");
  }
  if (st.registration_lead_days != d.registration_lead_days)
    out += fmt::format("registration_lead_days = {}\n", format_double(st.registration_lead_days));
  if (st.never_start_probability != d.never_start_probability) {
    out += fmt::format("never_start_probability = {}\n", format_double(st.never_start_probability));
  }
  if (st.population != d.population) out += "population = \"treated\"\n";
  if (st.analysis != d.analysis) {
    out +=
        fmt::format("analysis = \"calendar\"\nanalysis_months = {}\n", numbers(st.analysis_months));
  }
  // Always written: its default depends on the format version (true from version 2).
  out += fmt::format("inflate_events = {}\n", st.inflate_events ? "true" : "false");
  if (st.landmark_years != d.landmark_years)
    out += fmt::format("landmark_years = {}\n", numbers(st.landmark_years));
  return out;
}

std::string stage_toml(const StageSpec& st) {
  using core::format_double;
  std::string out = "\n[[stages]]\n";
  out += fmt::format("name = {}\n", toml_quoted(st.name));
  switch (st.type) {
    case StageType::kDoseEscalation: {
      out += "type = \"dose_escalation\"\n";
      const char* method = st.method == EscalationMethod::kThreePlusThree ? "3+3"
                           : st.method == EscalationMethod::kBoin         ? "boin"
                                                                          : "crm";
      out += fmt::format("method = \"{}\"\ncohort = {}\nregimen = {}\nescalated_phase = {}\n",
                         method, toml_quoted(st.cohort), toml_quoted(st.regimen),
                         toml_quoted(st.escalated_phase));
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
      out +=
          fmt::format("cohort = {}\nregimen = {}\nescalated_phase = {}\n", toml_quoted(st.cohort),
                      toml_quoted(st.regimen), toml_quoted(st.escalated_phase));
      if (!st.dose_from.empty()) out += fmt::format("dose_from = {}\n", toml_quoted(st.dose_from));
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
        out += fmt::format("dose_from = {}\nescalated_phase = {}\n", toml_quoted(st.dose_from),
                           toml_quoted(st.escalated_phase));
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
      out += randomized_v2_toml(st);
      break;
  }
  return out;
}

std::string_view disease_key(model::Disease d) {
  switch (d) {
    case model::Disease::kNhl:
      return "nhl";
    case model::Disease::kHd:
      return "hd";
    case model::Disease::kAml:
      return "aml";
    case model::Disease::kAll:
      return "all";
  }
  return "nhl";
}

/// A cohort number as given: the parameter's name, or the number.
std::string cohort_value(const CohortValue& v) {
  return v.parameter ? toml_quoted(model::spec(*v.parameter).name) : core::format_double(v.number);
}

}  // namespace

std::string cohort_to_toml(const CohortSpec& c) {
  if (c.is_mixture()) {
    std::string parts;
    for (const auto& [component, weight] : c.mix) {
      parts += fmt::format("{}{} = {}", parts.empty() ? "" : ", ", toml_quoted(component),
                           core::format_double(weight));
    }
    return fmt::format("[cohorts.{}]\ndescription = {}\nmix = {{ {} }}\n", toml_quoted(c.name),
                       toml_quoted(c.description), parts);
  }
  std::string out = fmt::format(
      "[cohorts.{}]\ndescription = {}\ndisease = \"{}\"\nremission = {}\nsetting = \"{}\"\n"
      "population = \"{}\"\n",
      toml_quoted(c.name), toml_quoted(c.description), disease_key(c.disease),
      toml_quoted(c.remission), model::to_string(c.transplant),
      c.paediatric ? "paediatric" : "adult");
  if (c.age_min) out += fmt::format("age_min = {}\n", core::format_double(*c.age_min));
  if (c.age_max) out += fmt::format("age_max = {}\n", core::format_double(*c.age_max));
  out += fmt::format(
      "p_no_disease = {}\nlog10_L0_mean = {}\nlog10_L0_sd = {}\nnrm_1y = {}\n"
      "post_relapse_median_months = {}\nsalvage_fraction = {}\n",
      cohort_value(c.p_no_disease), cohort_value(c.log10_L0_mean), cohort_value(c.log10_L0_sd),
      cohort_value(c.nrm_1y), cohort_value(c.post_relapse_median_months),
      cohort_value(c.salvage_fraction));
  if (c.salvage_median_months) {
    out += fmt::format("salvage_median_months = {}\n", cohort_value(*c.salvage_median_months));
  }
  return out;
}

std::string to_toml(const Scenario& s) {
  using core::format_double;
  std::string out;
  out += fmt::format("format_version = {}\n", s.format_version);
  out += fmt::format("name = {}\n", toml_quoted(s.name));
  if (!s.description.empty()) out += fmt::format("description = {}\n", toml_quoted(s.description));
  out += fmt::format("seed = {}\n", s.seed);
  out += fmt::format("replicates = {}\n\n", s.replicates);
  out += "[solver]\n" + write_settings(solver_settings(), s.solver) + "\n";
  if (s.structure != model::Structure{}) {
    out += "[model]\n" + write_settings(model_settings(), s.structure) + "\n";
  }
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
    if (!model::uses_parameter(s.structure, p.id))
      continue;  // the scenario's model does not read it
    out += fmt::format("{} = {}  # {}\n", p.name, format_double(s.parameters[p.id]), p.unit);
  }
  out += products_toml(s);
  for (const auto& [name, regimen] : s.regimens) {
    out += fmt::format("\n[regimens.{}]\nproduct = {}\nphases = [\n", toml_quoted(name),
                       toml_quoted(dosing::to_string(regimen.product)));
    for (const auto& ph : regimen.phases) {
      out += fmt::format(
          "  {{ name = {}, role = \"{}\", route = \"{}\", dose = {}, unit = \"{}\", days = {}, "
          "setting = \"{}\", interval_hours = {}, lak_infusion = {}, apheresis = {} }},\n",
          toml_quoted(ph.name), dosing::to_string(ph.role), dosing::to_string(ph.route),
          format_double(ph.dose), unit_text(ph), format_double(ph.days),
          dosing::to_string(ph.setting), format_double(ph.interval_hours),
          ph.lak_infusion ? "true" : "false", ph.apheresis ? "true" : "false");
    }
    out += "]\n";
    out += repeats_toml(regimen);
    out += rules_toml(name, regimen.rules);
  }
  for (const auto& c : s.cohorts) out += "\n" + cohort_to_toml(c);
  for (const auto& arm : s.arms) {
    out += fmt::format("\n[[arms]]\nname = {}\ncohort = {}\n", toml_quoted(arm.name),
                       toml_quoted(arm.cohort));
    if (arm.regimen) out += fmt::format("regimen = {}\n", toml_quoted(*arm.regimen));
  }
  for (const auto& st : s.stages) out += stage_toml(st);
  return out;
}

}  // namespace il2sim::scenario
