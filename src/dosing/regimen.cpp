#include "dosing/regimen.hpp"

#include <algorithm>
#include <cmath>

namespace il2sim::dosing {

double Regimen::total_days() const {
  double days = 0.0;
  for (const auto& phase : phases) days += phase.days;
  return days;
}

double potency(Product product, double potency_roche) {
  switch (product) {
    case Product::kChiron:
      return 1.0;
    case Product::kCetus:
      return 6.0;  // 18e6 IU = 3e6 Cetus units (facts.md §2)
    case Product::kRoche:
      return potency_roche;
  }
  return 1.0;
}

namespace {

double scale_for(DoseUnit unit, const DosingSubject& subject) {
  switch (unit) {
    case DoseUnit::kPerM2PerDay:
      return subject.bsa_m2;
    case DoseUnit::kPerDay:
      return 1.0;
    case DoseUnit::kPerKgPerDay:
      return subject.weight_kg;
  }
  return 1.0;
}

void expand_il2(const Phase& phase, std::size_t index, double t, double amount,
                std::vector<DoseRecord>& records) {
  if (!(amount > 0.0) || !(phase.days > 0.0)) return;
  DoseRecord r;
  r.phase_index = index;
  r.role = phase.role;
  r.route = phase.route;
  if (phase.route == Route::kCiv) {
    r.time = t;
    r.duration = phase.days;
    r.rate_iu_per_day = amount;
    records.push_back(r);
    return;
  }
  r.amount_iu = amount;
  r.compartment = phase.route == Route::kSc ? Compartment::kDepot : Compartment::kCentral;
  const double interval = phase.interval_hours / 24.0;
  const auto count = static_cast<long>(std::ceil(phase.days / interval - 1e-9));
  for (long k = 0; k < count; ++k) {
    r.time = t + static_cast<double>(k) * interval;
    records.push_back(r);
  }
}

void expand_lak(const Phase& phase, std::size_t index, double t, double cells,
                std::vector<DoseRecord>& records) {
  if (!phase.lak_infusion || !(cells > 0.0)) return;
  DoseRecord r;
  r.phase_index = index;
  r.role = phase.role;
  r.route = phase.route;
  r.compartment = Compartment::kLakCells;
  r.amount_iu = cells / std::max(1.0, std::ceil(phase.days));
  for (double day = 0; day < phase.days - 1e-9; day += 1.0) {
    r.time = t + day;
    records.push_back(r);
  }
}

}  // namespace

PhaseRole default_role(std::string_view name, double dose) {
  if (!(dose > 0.0)) return PhaseRole::kRest;
  if (name.find("induction") != std::string_view::npos) return PhaseRole::kInduction;
  if (name.find("maintenance") != std::string_view::npos) return PhaseRole::kMaintenance;
  if (name.find("consolidation") != std::string_view::npos) return PhaseRole::kConsolidation;
  return PhaseRole::kOther;
}

std::vector<DoseRecord> expand(const Regimen& regimen, double start_day,
                               const DosingSubject& subject, double potency_roche) {
  std::vector<DoseRecord> records;
  const double factor = potency(regimen.product, potency_roche);
  double t = start_day;
  for (std::size_t i = 0; i < regimen.phases.size(); ++i) {
    const Phase& phase = regimen.phases[i];
    expand_il2(phase, i, t, phase.dose * scale_for(phase.unit, subject) * factor, records);
    expand_lak(phase, i, t, subject.lak_cells, records);
    t += phase.days;
  }
  std::stable_sort(records.begin(), records.end(),
                   [](const DoseRecord& a, const DoseRecord& b) { return a.time < b.time; });
  return records;
}

std::string_view to_string(Route route) {
  switch (route) {
    case Route::kCiv:
      return "civ";
    case Route::kIvBolus:
      return "iv_bolus";
    case Route::kSc:
      return "sc";
  }
  return "civ";
}

std::string_view to_string(Product product) {
  switch (product) {
    case Product::kChiron:
      return "chiron";
    case Product::kCetus:
      return "cetus";
    case Product::kRoche:
      return "roche";
  }
  return "chiron";
}

std::string_view to_string(DoseUnit unit) {
  switch (unit) {
    case DoseUnit::kPerM2PerDay:
      return "per_m2_per_day";
    case DoseUnit::kPerDay:
      return "per_day";
    case DoseUnit::kPerKgPerDay:
      return "per_kg_per_day";
  }
  return "per_m2_per_day";
}

std::string_view to_string(CareSetting setting) {
  switch (setting) {
    case CareSetting::kInpatient:
      return "inpatient";
    case CareSetting::kOutpatient:
      return "outpatient";
  }
  return "inpatient";
}

std::string_view to_string(PhaseRole role) {
  switch (role) {
    case PhaseRole::kInduction:
      return "induction";
    case PhaseRole::kMaintenance:
      return "maintenance";
    case PhaseRole::kConsolidation:
      return "consolidation";
    case PhaseRole::kRest:
      return "rest";
    case PhaseRole::kOther:
      return "other";
  }
  return "other";
}

std::string_view to_string(Compartment compartment) {
  switch (compartment) {
    case Compartment::kCentral:
      return "central";
    case Compartment::kDepot:
      return "depot";
    case Compartment::kLakCells:
      return "lak_cells";
  }
  return "central";
}

}  // namespace il2sim::dosing
