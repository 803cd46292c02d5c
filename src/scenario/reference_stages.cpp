// The reference rows of `[[stages]]` (reference.hpp), beside the stage type (stage.hpp) whose
// defaults they print. Parsed in scenario.cpp (parse_stage); the test ReferenceCoversWriter fails
// when the writer (serialize.cpp) writes a stage key that has no row here.
#include <fmt/format.h>

#include "core/text.hpp"
#include "scenario/reference.hpp"
#include "scenario/stage.hpp"

namespace il2sim::scenario {
namespace {

std::string num(double v) {
  return core::format_double(v);
}

std::string nums(const std::vector<double>& v) {
  std::string text = "[";
  for (std::size_t i = 0; i < v.size(); ++i) text += (i ? ", " : "") + num(v[i]);
  return text + "]";
}

void add_common(std::vector<ReferenceRow>& rows, const StageSpec& d) {
  rows.push_back({"stages[].name", "string", "", "", "unique",
                  "the stage's name; `--set stages.NAME.KEY=...` addresses it (required)"});
  rows.push_back({"stages[].type", "string (one of)", "", "",
                  "dose_escalation, single_arm, randomized", "the kind of stage (required)"});
  rows.push_back({"stages[].cohort", "string", "", "", "a cohort",
                  "dose escalation and single arm: the population treated"});
  rows.push_back({"stages[].regimen", "string", "", "", "a key of [regimens]",
                  "dose escalation and single arm: the regimen given"});
  rows.push_back({"stages[].escalated_phase", "string", "", "\"" + d.escalated_phase + "\"",
                  "a phase name of the regimen",
                  "the phase whose dose is escalated, or set from an earlier stage's MTD"});
  rows.push_back({"stages[].dose_from", "string", "", "(none)", "an earlier dose-escalation stage",
                  "the escalated phase is given at that stage's selected MTD"});
  rows.push_back({"stages[].horizon_days", "number", "day", num(d.horizon_days), "30 to 36500",
                  "per-patient simulation horizon after transplant"});
}

void add_escalation(std::vector<ReferenceRow>& rows, const StageSpec& d) {
  rows.push_back({"stages[].method", "string (one of)", "", "\"3+3\"", "3+3, boin, crm",
                  "dose escalation: the design"});
  rows.push_back({"stages[].levels[].dose", "number", "product units/m²/day", "", "0 to 1e12",
                  "dose escalation: the escalated phase's dose at each level (a level may also be "
                  "written as a plain number, its dose)"});
  rows.push_back({"stages[].levels[].days", "number", "day", "(the regimen's)", "0 to 3650",
                  "dose escalation: the escalated phase's duration at the level"});
  rows.push_back({"stages[].start_level", "integer", "", fmt::format("{}", d.start_level),
                  "1 to 100", "dose escalation: first level (1-based)"});
  rows.push_back({"stages[].cohort_size", "integer", "patients", fmt::format("{}", d.cohort_size),
                  "1 to 100", "BOIN and CRM: patients per cohort (the 3+3 uses 3)"});
  rows.push_back({"stages[].max_patients", "integer", "patients", fmt::format("{}", d.max_patients),
                  "1 to 100000", "BOIN and CRM: sample size"});
  rows.push_back({"stages[].target", "number", "", num(d.target), "0.01 to 0.99",
                  "BOIN and CRM: target DLT probability"});
  rows.push_back({"stages[].skeleton", "array of numbers", "", "[]",
                  "one per level, increasing, each in (0, 1)", "CRM: prior DLT probabilities"});
  rows.push_back({"stages[].dlt_followup_days", "number", "day", num(d.dlt_followup_days),
                  "1 to 3650", "dose escalation: simulated beyond the planned start for DLTs"});
}

void add_single_arm(std::vector<ReferenceRow>& rows, const StageSpec& d) {
  rows.push_back({"stages[].simon", "boolean", "", d.simon ? "true" : "false", "true or false",
                  "single arm: Simon's optimal two-stage design from p0, p1, alpha, beta"});
  rows.push_back({"stages[].patients", "integer", "patients", fmt::format("{}", d.patients),
                  "0 to 1000000", "single arm: fixed sample size (without Simon)"});
  rows.push_back({"stages[].p0", "number", "", num(d.p0), "0 to 1",
                  "single arm: uninteresting response rate"});
  rows.push_back(
      {"stages[].p1", "number", "", num(d.p1), "0 to 1", "single arm: target response rate"});
  rows.push_back(
      {"stages[].alpha", "number", "", num(d.alpha), "1e-06 to 0.5", "single arm: type I error"});
  rows.push_back(
      {"stages[].beta", "number", "", num(d.beta), "1e-06 to 0.5", "single arm: type II error"});
  rows.push_back({"stages[].response_days", "number", "day", num(d.response_days), "1 to 36500",
                  "single arm: response = alive and relapse-free this long after "
                  "the start of IL-2"});
  rows.push_back({"stages[].historical_patients", "integer", "patients",
                  fmt::format("{}", d.historical_patients), "0 to 1000000",
                  "single arm: registered patients without IL-2 (historical control)"});
  rows.push_back({"stages[].comparison_days", "number", "day", num(d.comparison_days), "1 to 36500",
                  "single arm: relapse-free survival compared at this time"});
  rows.push_back({"stages[].selection_bias", "boolean", "", "false", "true or false",
                  "single arm: also run the treated without IL-2's effect on tumour kill"});
}

void add_randomized(std::vector<ReferenceRow>& rows, const StageSpec& d) {
  rows.push_back({"stages[].arms", "array of strings", "", "", "arm names",
                  "randomized: the arms, experimental first, then control"});
  rows.push_back({"stages[].allocation", "array of integers", "", "[1, 1]", "1 to 100 each",
                  "randomized: allocation ratio of the arms"});
  rows.push_back({"stages[].registered", "integer", "patients", fmt::format("{}", d.registered),
                  "1 to 10000000", "randomized: patients registered"});
  rows.push_back({"stages[].accrual_per_month", "number", "patients/month",
                  num(d.accrual_per_month), "0.01 to 100000",
                  "randomized: registrations per month (Poisson process)"});
  rows.push_back({"stages[].block_size", "integer", "patients", fmt::format("{}", d.block_size),
                  "a multiple of the allocation total, 1 to 1000",
                  "randomized: permuted blocks within strata"});
  rows.push_back({"stages[].strata", "array of strings (each one of)", "", "[]",
                  "sex, age, mrd, cohort",
                  "randomized: stratification factors (age: age ≥ age_cutoff; mrd: L0 ≥ L_MRD; "
                  "cohort: the component of a mixture cohort, else the cohort)"});
  rows.push_back({"stages[].age_cutoff", "number", "year", num(d.age_cutoff), "0 to 120",
                  "randomized: the age stratum's cutoff"});
  rows.push_back({"stages[].dropout_per_year", "number", "1/year", num(d.dropout_per_year),
                  "0 to 10", "randomized: loss-to-follow-up hazard after randomization"});
  rows.push_back({"stages[].min_follow_up_months", "number", "month", num(d.min_follow_up_months),
                  "0 to 1200",
                  "randomized: the final analysis no earlier than this after the last "
                  "registration"});
  rows.push_back({"stages[].max_follow_up_months", "number", "month", num(d.max_follow_up_months),
                  "0 to 1200",
                  "randomized: the final analysis at the latest this after the last "
                  "registration"});
  rows.push_back({"stages[].target_events", "integer", "events", fmt::format("{}", d.target_events),
                  "0 to 10000000",
                  "randomized: PFS events of the final analysis; 0 = Schoenfeld from design_hr"});
  rows.push_back({"stages[].design_hr", "number", "", num(d.design_hr), "0.01 to 0.999",
                  "randomized: the hazard ratio the trial is powered for"});
  rows.push_back({"stages[].one_sided_alpha", "number", "", num(d.one_sided_alpha), "1e-06 to 0.5",
                  "randomized: one-sided type I error"});
  rows.push_back({"stages[].power", "number", "", num(d.power), "0.01 to 0.9999",
                  "randomized: power at design_hr"});
  rows.push_back({"stages[].looks", "array of numbers", "", nums(d.looks),
                  "increasing, in (0, 1], last 1, at most 20",
                  "randomized: information fractions of the analyses"});
  rows.push_back({"stages[].spending", "string (one of)", "", "\"obf\"", "obf, pocock, none",
                  "randomized: Lan-DeMets alpha-spending family"});
  rows.push_back({"stages[].futility", "string (one of)", "", "(none)", "obf, pocock, none",
                  "randomized: beta-spending family of a non-binding futility bound"});
}

void add_randomized_v2(std::vector<ReferenceRow>& rows, const StageSpec& d) {
  rows.push_back({"stages[].randomize_at", "string (one of)", "", "\"start\"",
                  "start, transplant, registration",
                  "randomized: when patients are randomized (the time origin of the endpoints); "
                  "before the start, non-starters stay in their arm (intention to treat)"});
  rows.push_back({"stages[].registration_lead_days", "number", "day", num(d.registration_lead_days),
                  "0 to 3650",
                  "randomized at registration: days from randomization to transplant"});
  rows.push_back({"stages[].never_start_probability", "number", "", num(d.never_start_probability),
                  "0 to <1",
                  "randomized: probability that an experimental-arm patient reaching the start "
                  "never starts"});
  rows.push_back({"stages[].population", "string (one of)", "", "\"itt\"", "itt, treated",
                  "randomized: analysis population (docs/model.md)"});
  rows.push_back({"stages[].randomized", "integer", "patients", fmt::format("{}", d.randomized),
                  "0 to 10000000",
                  "randomized: register until this many are randomized (then registered = 0)"});
  rows.push_back({"stages[].analysis", "string (one of)", "", "\"events\"", "events, calendar",
                  "randomized: analyses when the PFS events reach the looks, or at fixed dates"});
  rows.push_back({"stages[].analysis_months", "array of numbers", "month", "[]",
                  "increasing, at most 20",
                  "randomized, calendar analyses: months since the first registration"});
  rows.push_back({"stages[].inflate_events", "boolean", "", "(true from format_version 2)",
                  "true or false",
                  "randomized: the Schoenfeld target events times the group-sequential inflation "
                  "factor (as rpact); not with target_events"});
  rows.push_back({"stages[].landmark_years", "array of numbers", "year", nums(d.landmark_years),
                  "increasing, at most 20", "randomized: landmark PFS and OS reported per arm"});
}

}  // namespace

void add_stage_rows(std::vector<ReferenceRow>& rows) {
  const StageSpec d;
  add_common(rows, d);
  add_escalation(rows, d);
  add_single_arm(rows, d);
  add_randomized(rows, d);
  add_randomized_v2(rows, d);
}

}  // namespace il2sim::scenario
