#include "clinic/exposure.hpp"

#include <algorithm>
#include <string>

namespace il2sim::clinic {
namespace {

ExposureSegment segment(const sim::FedDose& d, const dosing::Regimen& regimen) {
  const auto& r = d.record;
  ExposureSegment e;
  e.start = r.time;
  e.end = r.time + r.duration;
  e.rate_iu_per_day = r.infusion() ? r.rate_iu_per_day : 0.0;
  e.dose_iu = r.il2_iu();
  e.phase = regimen.phases.at(r.phase_index).name;
  e.dose_fraction = r.dose_fraction;
  e.end_reason = !d.end_reason.empty() ? d.end_reason : r.infusion() ? "completed" : "given";
  const bool cells = r.compartment == dosing::Compartment::kLakCells;
  e.route = cells ? "lak_cells" : std::string(dosing::to_string(r.route));
  e.role = std::string(dosing::to_string(r.role));
  e.cycle = r.cycle;
  if (!r.infusion()) {
    e.amount = r.amount_iu;
    e.amount_unit = cells ? "cells" : "IU";
  }
  return e;
}

struct RoleExposure {
  double planned = 0.0;  ///< IL-2 at full dose over every record of the role
  double given = 0.0;
  bool withheld = false;
};

RoleExposure role_exposure(std::span<const sim::FedDose> doses, dosing::PhaseRole role) {
  RoleExposure x;
  for (const auto& d : doses) {
    if (d.record.role != role || !(d.record.il2_iu() > 0.0)) continue;
    x.planned += d.record.il2_iu() / d.record.dose_fraction;
    if (d.status == sim::DoseStatus::kGiven) x.given += d.record.il2_iu();
    if (d.status == sim::DoseStatus::kWithheld) x.withheld = true;
  }
  return x;
}

}  // namespace

void log_exposure(std::span<const sim::FedDose> doses, const dosing::Regimen& regimen,
                  PatientRecord& record) {
  for (const auto& d : doses) {
    if (d.status == sim::DoseStatus::kGiven) record.exposure.push_back(segment(d, regimen));
  }
  std::stable_sort(
      record.exposure.begin(), record.exposure.end(),
      [](const ExposureSegment& a, const ExposureSegment& b) { return a.start < b.start; });
  const auto settle = [&](dosing::PhaseRole role, double& intensity, bool& completed) {
    const auto x = role_exposure(doses, role);
    if (!(x.planned > 0.0)) return;
    intensity = x.given / x.planned;
    completed = !x.withheld && intensity > 1.0 - 1e-6;
  };
  settle(dosing::PhaseRole::kInduction, record.induction_intensity, record.completed_induction);
  settle(dosing::PhaseRole::kMaintenance, record.maintenance_intensity,
         record.completed_maintenance);
}

}  // namespace il2sim::clinic
