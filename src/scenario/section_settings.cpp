// The setting tables of the plain scenario sections (section_settings.hpp). Meanings follow the
// field comments of settings.hpp, population.hpp and patient_sim.hpp (model.md §§2-5).
#include "scenario/section_settings.hpp"

#include <vector>

namespace il2sim::scenario {
namespace {

// Short names for the factories of one section type.
template <class T>
struct Rows {
  template <class Ref>
  static Setting<T> number(std::string key, std::string unit, double lo, double hi,
                           std::string meaning, Ref ref) {
    return number_setting<T>(std::move(key), std::move(unit), lo, hi, std::move(meaning), ref);
  }
  template <class Ref>
  static Setting<T> integer(std::string key, std::string unit, double lo, double hi,
                            std::string meaning, Ref ref) {
    return integer_setting<T>(std::move(key), std::move(unit), lo, hi, std::move(meaning), ref);
  }
  template <class Ref>
  static Setting<T> boolean(std::string key, std::string meaning, Ref ref) {
    return boolean_setting<T>(std::move(key), std::move(meaning), ref);
  }
  template <class Ref>
  static Setting<T> list(std::string key, std::string unit, double lo, double hi,
                         std::size_t max_size, std::string meaning, Ref ref) {
    return number_list_setting<T>(std::move(key), std::move(unit), lo, hi, max_size,
                                  std::move(meaning), ref);
  }
};

const std::vector<std::pair<std::string, dosing::PhaseRole>> kRoles{
    {"induction", dosing::PhaseRole::kInduction},
    {"maintenance", dosing::PhaseRole::kMaintenance},
    {"consolidation", dosing::PhaseRole::kConsolidation},
    {"rest", dosing::PhaseRole::kRest},
    {"other", dosing::PhaseRole::kOther}};

std::vector<Setting<sim::SimulationOptions>> make_solver() {
  using S = sim::SimulationOptions;
  using R = Rows<S>;
  std::vector<Setting<S>> rows{
      choice_setting<S, sim::SolverMode>(
          "mode",
          "fast: Dormand-Prince 5(4) with quasi-steady-state PK between rate changes; reference: "
          "CVODE BDF throughout (model.md §2)",
          {{"fast", sim::SolverMode::kFast}, {"reference", sim::SolverMode::kReference}},
          [](S& s) -> sim::SolverMode& { return s.mode; }),
      R::number("rtol", "", 1e-12, 1e-2,
                "relative tolerance of the integrator; not written (and the mode's default, "
                "reference 1e-8, fast 1e-5, used) unless set",
                [](S& s) -> double& { return s.rtol; }),
      R::integer("max_steps", "steps", 100, 1e8,
                 "integrator steps allowed per call; more is a numerical failure of the patient",
                 [](S& s) -> long& { return s.max_steps; }),
      R::boolean("stochastic_tumour",
                 "exact birth-death tumour below L_stoch (false: the ODE down to extinction)",
                 [](S& s) -> bool& { return s.stochastic_tumour; }),
      R::number("birth_death_slice", "day", 1e-4, 0.05,
                "rates of the birth-death regime are held constant over slices of this length",
                [](S& s) -> double& { return s.birth_death_slice; }),
      R::number("pk_transient_days", "day", 0.0, 30.0,
                "fast mode: the PK is integrated dynamically for this long after every change of "
                "infusion rate and quasi-steady elsewhere",
                [](S& s) -> double& { return s.pk_transient_days; })};
  rows[1].written = [](const S& s) { return s.rtol > 0; };
  return rows;
}

std::vector<Setting<model::Structure>> make_model() {
  std::vector<Setting<model::Structure>> rows;
  for (const auto& sw : model::structure_switches()) {
    Setting<model::Structure> row;
    std::string meaning(sw.meaning);
    for (const auto& form : sw.forms) {
      meaning += fmt::format("; {}: {}", form.name, form.meaning);
      row.info.choices.emplace_back(form.name);
    }
    row.info.key = std::string(sw.key);
    row.info.kind = SettingKind::kChoice;
    row.info.meaning = meaning + " (docs/model.md \"Structural variants\")";
    row.get = [&sw](const model::Structure& s) {
      return SettingValue(std::string(sw.forms[static_cast<std::size_t>(sw.get(s))].name));
    };
    row.set = [&sw](model::Structure& s, const SettingValue& v) {
      sw.set(s, model::find_form(sw, std::get<std::string>(v)).value());
    };
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<Setting<population::PopulationSettings>> make_population() {
  using S = population::PopulationSettings;
  using R = Rows<S>;
  return {R::number("male_fraction", "", 0.0, 1.0, "probability that a virtual patient is male",
                    [](S& s) -> double& { return s.male_fraction; }),
          choice_setting<S, population::AgeDistribution>(
              "age_distribution",
              "uniform on [age_min, age_max], or normal(age_mean, age_sd) truncated to it",
              {{"uniform", population::AgeDistribution::kUniform},
               {"truncated_normal", population::AgeDistribution::kTruncatedNormal}},
              [](S& s) -> population::AgeDistribution& { return s.age.distribution; }),
          R::number("age_min", "year", 0.0, 120.0,
                    "youngest age (adults from 18; children within the CDC tables, 2-20)",
                    [](S& s) -> double& { return s.age.min_years; }),
          R::number("age_max", "year", 0.0, 120.0, "oldest age",
                    [](S& s) -> double& { return s.age.max_years; }),
          R::number("age_mean", "year", 0.0, 120.0, "mean of the truncated normal age distribution",
                    [](S& s) -> double& { return s.age.mean_years; }),
          R::number("age_sd", "year", 0.01, 100.0, "SD of the truncated normal age distribution",
                    [](S& s) -> double& { return s.age.sd_years; }),
          R::number("rho_height_weight", "", -0.99, 0.99,
                    "children: correlation of the height and weight z-scores (CDC 2000 LMS)",
                    [](S& s) -> double& { return s.rho_height_weight; })};
}

std::vector<Setting<TypicalSpec>> make_typical() {
  using S = TypicalSpec;
  using R = Rows<S>;
  return {R::number("start_day", "day", 0.0, 3650.0,
                    "first day of IL-2 of `trajectory --typical` (days after transplant)",
                    [](S& s) -> double& { return s.start_day; }),
          R::number("bsa_m2", "m²", 0.2, 3.5, "body-surface area of the typical patient",
                    [](S& s) -> double& { return s.bsa_m2; }),
          R::number("L0", "cells", 0.0, 1e12, "tumour cells at transplant of the typical patient",
                    [](S& s) -> double& { return s.L0; })};
}

std::vector<Setting<ProtocolSettings>> make_protocol_start() {
  using S = ProtocolSettings;
  using R = Rows<S>;
  return {
      R::number("window_start_day", "day", 0, 3650, "first day after transplant IL-2 may start",
                [](S& s) -> double& { return s.window_start_day; }),
      R::number("window_end_day", "day", 0, 3650,
                "not started by this day after transplant: not treated",
                [](S& s) -> double& { return s.window_end_day; }),
      R::number("start_platelets", "10^9/L", 0, 1000, "platelets needed to start IL-2",
                [](S& s) -> double& { return s.start_platelets; }),
      R::integer("max_scheduling_delay_days", "day", 0, 365,
                 "delay from meeting the start criterion to the start: uniform whole days 0..max",
                 [](S& s) -> int& { return s.max_scheduling_delay_days; }),
      R::number("refusal_probability", "", 0, 1,
                "probability that a patient reaching the start refuses IL-2 (S9438: 44/394)",
                [](S& s) -> double& { return s.refusal_probability; }),
      R::number("other_attrition_probability", "", 0, 1,
                "probability of not starting for a reason the model does not simulate "
                "(ineligible on review, physician or insurance decision), after refusal",
                [](S& s) -> double& { return s.other_attrition_probability; }),
      R::boolean("restage_before_start",
                 "a relapse not yet found by a scheduled assessment is found at the would-be "
                 "start, and the patient does not start",
                 [](S& s) -> bool& { return s.restage_before_start; })};
}

std::vector<Setting<ProtocolSettings>> make_protocol_holds() {
  using S = ProtocolSettings;
  using R = Rows<S>;
  return {R::integer("hold_cls_grade", "CTC grade", 1, 5,
                     "hold IL-2 when capillary leak reaches this grade",
                     [](S& s) -> int& { return s.hold_cls_grade; }),
          R::integer("hold_hypotension_grade", "CTC grade", 2, 5,
                     "hold IL-2 when hypotension reaches this grade",
                     [](S& s) -> int& { return s.hold_hypotension_grade; }),
          R::number("hold_platelets", "10^9/L", 0, 1000, "hold IL-2 when platelets fall below",
                    [](S& s) -> double& { return s.hold_platelets; }),
          R::number("resume_platelets", "10^9/L", 0, 1000,
                    "platelets needed to resume after a platelet hold",
                    [](S& s) -> double& { return s.resume_platelets; }),
          R::integer("resume_grade", "CTC grade", 0, 4,
                     "resume when capillary leak and hypotension are back to this grade or lower",
                     [](S& s) -> int& { return s.resume_grade; }),
          R::number("resume_fraction", "", 0, 1, "dose fraction after a resumption",
                    [](S& s) -> double& { return s.resume_fraction; }),
          R::integer("max_holds", "", 0, 100, "a further hold stops IL-2 for good",
                     [](S& s) -> int& { return s.max_holds; }),
          R::boolean("stop_on_grade4_nonhaematologic",
                     "a grade-4 non-haematologic toxicity stops IL-2 for good",
                     [](S& s) -> bool& { return s.stop_on_grade4_nonhaematologic; })};
}

std::vector<Setting<ProtocolSettings>> make_protocol_rest() {
  using S = ProtocolSettings;
  using R = Rows<S>;
  return {R::number("apheresis_platelet_factor", "", 0, 1,
                    "LAK arm: platelets are multiplied by this on each apheresis day",
                    [](S& s) -> double& { return s.apheresis_platelet_factor; }),
          R::number("lak_cells_median", "cells", 1e6, 1e13, "LAK cells infused in total, median",
                    [](S& s) -> double& { return s.lak_cells_median; }),
          R::number("lak_cells_min", "cells", 1e6, 1e13, "LAK cells infused in total, minimum",
                    [](S& s) -> double& { return s.lak_cells_min; }),
          R::number("lak_cells_max", "cells", 1e6, 1e13, "LAK cells infused in total, maximum",
                    [](S& s) -> double& { return s.lak_cells_max; }),
          R::number("assessment_interval_days", "day", 1, 3650,
                    "disease assessments this often until assessment_switch_day",
                    [](S& s) -> double& { return s.assessment_interval_days; }),
          R::number("assessment_switch_day", "day", 0, 36500,
                    "day after transplant from which assessments are less frequent",
                    [](S& s) -> double& { return s.assessment_switch_day; }),
          R::number("assessment_interval_late_days", "day", 1, 3650,
                    "disease assessments this often after assessment_switch_day",
                    [](S& s) -> double& { return s.assessment_interval_late_days; }),
          R::number("adverse_event_window_days", "day", 0, 365,
                    "adverse events are recorded until this long after the last infusion",
                    [](S& s) -> double& { return s.adverse_event_window_days; })};
}

/// Version-2 protocol settings, written only when either differs from its default (so that the
/// resolved scenarios of version-1 files keep their bytes); a regimen's `rules` may override them.
std::vector<Setting<ProtocolSettings>> make_protocol_v2() {
  using S = ProtocolSettings;
  std::vector<Setting<S>> rows{
      choice_setting<S, dosing::OnHold>(
          "on_hold",
          "skip: doses held are lost and the phase ends on schedule; delay: they are given after "
          "the resumption and everything after moves later",
          {{"skip", dosing::OnHold::kSkip}, {"delay", dosing::OnHold::kDelay}},
          [](S& s) -> dosing::OnHold& { return s.on_hold; }),
      Rows<S>::number("early_stop_per_month", "1/month", 0, 1000,
                      "hazard of stopping IL-2 for good while on treatment, for reasons the model "
                      "does not simulate",
                      [](S& s) -> double& { return s.early_stop_per_month; })};
  for (auto& r : rows) {
    r.written = [](const S& p) {
      return p.on_hold != dosing::OnHold::kSkip || p.early_stop_per_month != 0.0;
    };
  }
  return rows;
}

std::vector<Setting<ToxicitySettings>> make_toxicity() {
  using S = ToxicitySettings;
  using R = Rows<S>;
  return {choice_setting<S, CtcVersion>(
              "ctc_version",
              "NCI Common Toxicity Criteria used for grading: v2 (1998, the trials' era) or the "
              "earlier v1 (thrombocytopenia grade 3 at 25-<50, grade 4 < 25 ×10^9/L)",
              {{"v2", CtcVersion::kV2}, {"v1", CtcVersion::kV1}},
              [](S& s) -> CtcVersion& { return s.ctc; }),
          R::list("cls_thresholds", "% body weight", 0, 100, 4,
                  "weight gain W at which capillary-leak grades 1..4 start, increasing",
                  [](S& s) -> std::vector<double>& { return s.cls_thresholds; }),
          R::list("hypotension_multiples", "× W_hyp", 0, 100, 3,
                  "multiples of the individual W_hyp at which hypotension grades 2, 3, 4 start, "
                  "increasing",
                  [](S& s) -> std::vector<double>& { return s.hypotension_multiples; }),
          R::integer("dlt_nonhaematologic_grade", "CTC grade", 1, 5,
                     "a non-haematologic toxicity of this grade in the DLT window is a DLT",
                     [](S& s) -> int& { return s.dlt_nonhaematologic_grade; }),
          R::number("dlt_thrombocytopenia_days", "day", 0, 365,
                    "grade-4 thrombocytopenia lasting longer than this is a DLT",
                    [](S& s) -> double& { return s.dlt_thrombocytopenia_days; }),
          R::boolean("dlt_toxic_death", "a toxic death in the DLT window is a DLT",
                     [](S& s) -> bool& { return s.dlt_toxic_death; }),
          choice_list_setting<S, dosing::PhaseRole>(
              "dlt_window_roles",
              "toxicities count as DLTs while the patient is in a phase whose role is listed",
              kRoles, [](S& s) -> std::vector<dosing::PhaseRole>& { return s.dlt_window_roles; })};
}

std::vector<Setting<EventSettings>> make_events() {
  using S = EventSettings;
  using R = Rows<S>;
  return {R::number("gvhd_window_after_il2_days", "day", 0, 3650,
                    "GVHD hazard while on IL-2 or within this long of it",
                    [](S& s) -> double& { return s.gvhd_window_after_il2_days; }),
          R::number("chronic_gvhd_hazard_ratio", "", 0, 100,
                    "chronic GVHD hazard relative to acute (same drivers)",
                    [](S& s) -> double& { return s.chronic_gvhd_hazard_ratio; }),
          R::number("chronic_gvhd_onset_day", "day", 0, 3650,
                    "chronic GVHD is recorded from this day after transplant",
                    [](S& s) -> double& { return s.chronic_gvhd_onset_day; }),
          R::number("toxic_death_delay_days", "day", 0, 365,
                    "death this long after the onset of the fatal grade-4 episode",
                    [](S& s) -> double& { return s.toxic_death_delay_days; })};
}

std::vector<Setting<AssaySettings>> make_assays() {
  using S = AssaySettings;
  using R = Rows<S>;
  return {R::list("visits_from_start", "day", -365, 3650, 200,
                  "assay visit days relative to the first day of IL-2 (or of the would-be start "
                  "in an observation arm)",
                  [](S& s) -> std::vector<double>& { return s.visits_from_start; }),
          R::list("visits_from_transplant", "day", 0, 36500, 200,
                  "assay visit days after transplant, for every registered patient",
                  [](S& s) -> std::vector<double>& { return s.visits_from_transplant; })};
}

template <class T>
std::vector<T> joined(std::initializer_list<std::vector<T>> parts) {
  std::vector<T> all;
  for (const auto& p : parts) all.insert(all.end(), p.begin(), p.end());
  return all;
}

}  // namespace

std::span<const Setting<sim::SimulationOptions>> solver_settings() {
  static const auto rows = make_solver();
  return rows;
}
std::span<const Setting<model::Structure>> model_settings() {
  static const auto rows = make_model();
  return rows;
}
std::span<const Setting<population::PopulationSettings>> population_settings() {
  static const auto rows = make_population();
  return rows;
}
std::span<const Setting<TypicalSpec>> typical_settings() {
  static const auto rows = make_typical();
  return rows;
}
std::span<const Setting<ProtocolSettings>> protocol_settings() {
  static const auto rows = joined(
      {make_protocol_start(), make_protocol_holds(), make_protocol_rest(), make_protocol_v2()});
  return rows;
}
std::span<const Setting<ToxicitySettings>> toxicity_settings() {
  static const auto rows = make_toxicity();
  return rows;
}
std::span<const Setting<EventSettings>> event_settings() {
  static const auto rows = make_events();
  return rows;
}
std::span<const Setting<AssaySettings>> assay_settings() {
  static const auto rows = make_assays();
  return rows;
}

}  // namespace il2sim::scenario
