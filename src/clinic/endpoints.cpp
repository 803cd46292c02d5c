#include "clinic/endpoints.hpp"

#include <algorithm>

namespace il2sim::clinic {

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
