#include "dosing/regimen.hpp"

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

}  // namespace

std::vector<DoseRecord> expand(const Regimen& regimen, double start_day,
                               const DosingSubject& subject, double potency_roche) {
  std::vector<DoseRecord> records;
  const double factor = potency(regimen.product, potency_roche);
  double t = start_day;
  for (std::size_t i = 0; i < regimen.phases.size(); ++i) {
    const Phase& phase = regimen.phases[i];
    const double amount = phase.dose * scale_for(phase.unit, subject) * factor;
    if (amount > 0.0 && phase.days > 0.0) {
      if (phase.route == Route::kCiv) {
        records.push_back({t, phase.days, amount, 0.0, Compartment::kCentral, i});
      } else {
        const double interval = phase.interval_hours / 24.0;
        const auto count = static_cast<long>(std::ceil(phase.days / interval - 1e-9));
        for (long k = 0; k < count; ++k) {
          records.push_back(
              {t + static_cast<double>(k) * interval, 0.0, 0.0, amount,
               phase.route == Route::kSc ? Compartment::kDepot : Compartment::kCentral, i});
        }
      }
    }
    t += phase.days;
  }
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

}  // namespace il2sim::dosing
