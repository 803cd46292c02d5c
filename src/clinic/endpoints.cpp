#include "clinic/endpoints.hpp"

#include <algorithm>
#include <array>

#include "core/units.hpp"

namespace il2sim::clinic {
namespace {

// Units are those of model::Observation (model/il2_model.hpp) and of the times of endpoints();
// LU20: 20 % lytic units per 10^7 effector cells (clinic/patient.cpp's visit()); `1`: UCUM's unit
// one, of a dimensionless 0/1 result (every row of ADLB has a unit).
constexpr std::array<ParameterCode, 16> kParameterCodes{{
    {"PFS", "Progression-free survival", "DAYS"},
    {"OS", "Overall survival", "DAYS"},
    {"RELAPSE", "Time to relapse (death censors)", "DAYS"},
    {"NRM", "Time to non-relapse mortality (relapse censors)", "DAYS"},
    {"DLT", "Time to dose-limiting toxicity from IL-2 start", "DAYS"},
    {"NKBLD", "NK cells in blood", "cells/uL"},
    {"CD8BLD", "CD8+ T cells in blood", "cells/uL"},
    {"PLAT", "Platelets", "10^9/L"},
    {"SIL2RA", "Soluble IL-2 receptor alpha in serum", "pg/mL"},
    {"LYSK562", "Specific lysis of K562 targets by blood lymphocytes", "%"},
    {"LYSDAUDI", "Specific lysis of Daudi targets by blood lymphocytes", "%"},
    {"LU20K562", "Lytic units (20 % lysis) against K562", "LU20/10^7 cells"},
    {"LU20DAUD", "Lytic units (20 % lysis) against Daudi", "LU20/10^7 cells"},
    {"WTGAIN", "Weight gain", "% body weight"},
    {"IL2CONC", "IL-2 concentration in serum", "IU/mL"},
    {"MRD", "Minimal residual disease detected (1 = positive)", "1"},
}};

}  // namespace

std::span<const ParameterCode> parameter_codes() {
  return kParameterCodes;
}

const ParameterCode* find_parameter_code(std::string_view paramcd) {
  for (const auto& p : kParameterCodes) {
    if (p.paramcd == paramcd) return &p;
  }
  return nullptr;
}

std::vector<Endpoint> endpoints(const PatientRecord& r, double origin) {
  std::vector<Endpoint> out;
  const double end = r.follow_up_end;
  const bool died = r.death_day.has_value();
  const bool relapsed = r.relapse_day.has_value();
  // PFS: the first of observed relapse and death.
  if (relapsed && (!died || *r.relapse_day <= *r.death_day)) {
    out.push_back({"PFS", *r.relapse_day - origin, 0, "relapse"});
  } else if (died) {
    out.push_back({"PFS", *r.death_day - origin, 0, "death without relapse"});
  } else {
    out.push_back({"PFS", end - origin, 1, "end of follow-up"});
  }
  if (died) {
    out.push_back({"OS", *r.death_day - origin, 0,
                   std::string("death: ") + std::string(to_string(r.death_cause))});
  } else {
    out.push_back({"OS", end - origin, 1, "end of follow-up"});
  }
  if (relapsed && (!died || *r.relapse_day <= *r.death_day)) {
    out.push_back({"RELAPSE", *r.relapse_day - origin, 0,
                   r.relapse_symptomatic ? "symptomatic relapse" : "relapse at assessment"});
    out.push_back({"NRM", *r.relapse_day - origin, 1, "relapse"});
  } else if (died) {
    out.push_back({"RELAPSE", *r.death_day - origin, 1, "death without relapse"});
    out.push_back({"NRM", *r.death_day - origin, 0, std::string(to_string(r.death_cause))});
  } else {
    out.push_back({"RELAPSE", end - origin, 1, "end of follow-up"});
    out.push_back({"NRM", end - origin, 1, "end of follow-up"});
  }
  if (r.treated && r.start_day) {
    if (r.dlt) {
      out.push_back({"DLT", *r.dlt_day - *r.start_day, 0, r.dlt_reason});
    } else {
      const double until = r.treatment_end_day ? *r.treatment_end_day : end;
      out.push_back({"DLT", std::max(0.0, until - *r.start_day), 1, "no DLT"});
    }
  }
  return out;
}

bool TrialCalendar::in_cut(double cut) const {
  return analysed && randomization_month < cut;
}

double TrialCalendar::follow_up_days(double cut) const {
  return (std::min(cut, dropout_month) - randomization_month) * core::kDaysPerMonth;
}

Endpoint TrialCalendar::at_cut(Endpoint e, double cut) const {
  const double follow = follow_up_days(cut);
  if (e.aval <= follow) return e;
  e.aval = follow;
  e.cnsr = 1;
  e.evntdesc = dropout_month < cut ? "lost to follow-up" : "data cut";
  return e;
}

SurvivalEndpoints survival_endpoints(const PatientRecord& r, double origin) {
  SurvivalEndpoints s;
  for (const auto& e : endpoints(r, origin)) {
    const TimeToEvent t{e.aval, 1 - e.cnsr};
    if (e.paramcd == "PFS") s.pfs = t;
    if (e.paramcd == "OS") s.os = t;
    if (e.paramcd == "RELAPSE") s.relapse = t;
    if (e.paramcd == "NRM") s.nrm = t;
  }
  return s;
}

}  // namespace il2sim::clinic
