#include "dosing/regimen.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace il2sim::dosing {

Product Product::custom(std::string name, double chiron_iu_per_unit) {
  Product p(kCustom);
  p.name = std::move(name);
  p.chiron_iu_per_unit = chiron_iu_per_unit;
  return p;
}

double Regimen::total_days() const {
  const auto instances = schedule(*this, 0.0);
  return instances.empty() ? 0.0 : instances.back().end;
}

double potency(const Product& product, double potency_roche) {
  switch (product.kind) {
    case Product::kChiron:
      return 1.0;
    case Product::kCetus:
      return 6.0;  // 18e6 IU = 3e6 Cetus units (facts.md §2)
    case Product::kRoche:
      return potency_roche;
    case Product::kCustom:
      return product.chiron_iu_per_unit;
  }
  return 1.0;
}

std::vector<PhaseInstance> schedule(const Regimen& regimen, double start_day) {
  std::vector<PhaseInstance> out;
  double t = start_day;
  std::size_t i = 0;
  auto next_repeat = regimen.repeats.begin();
  while (i < regimen.phases.size()) {
    if (next_repeat == regimen.repeats.end() || next_repeat->first != i) {
      const auto& ph = regimen.phases[i];
      out.push_back({i, 0, t, t + ph.days, ph.dose});
      t += ph.days;
      ++i;
      continue;
    }
    const Repeat& rep = *next_repeat++;
    double group_days = 0.0;
    for (std::size_t k = 0; k < rep.count; ++k) group_days += regimen.phases[rep.first + k].days;
    // A period shorter than the group (its days changed after parsing, e.g. by an escalation
    // level) never overlaps repetitions: the next one starts when the group ends.
    const double period = std::max(rep.every_days, group_days);
    for (int c = 0; c < rep.times; ++c) {
      const double cycle_start = t;
      for (std::size_t k = 0; k < rep.count; ++k) {
        const auto& ph = regimen.phases[rep.first + k];
        const bool dosed = ph.dose > 0.0 && !rep.cycle_doses.empty();
        const double dose = dosed ? rep.cycle_doses[static_cast<std::size_t>(c)] : ph.dose;
        out.push_back({rep.first + k, c + 1, t, t + ph.days, dose});
        t += ph.days;
      }
      // The gap to the next repetition; none after the last.
      if (c + 1 < rep.times) t = cycle_start + period;
    }
    i = rep.first + rep.count;
  }
  return out;
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

DoseRecord record_of(const Phase& phase, const PhaseInstance& instance, std::size_t index) {
  DoseRecord r;
  r.phase_index = instance.phase;
  r.instance = index;
  r.cycle = instance.cycle;
  r.role = phase.role;
  r.route = phase.route;
  return r;
}

void expand_il2(const Phase& phase, const PhaseInstance& instance, std::size_t index, double amount,
                std::vector<DoseRecord>& records) {
  if (!(amount > 0.0) || !(phase.days > 0.0)) return;
  const double t = instance.start;
  DoseRecord r = record_of(phase, instance, index);
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

void expand_lak(const Phase& phase, const PhaseInstance& instance, std::size_t index, double cells,
                std::vector<DoseRecord>& records) {
  if (!phase.lak_infusion || !(cells > 0.0)) return;
  const double t = instance.start;
  DoseRecord r = record_of(phase, instance, index);
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
  const auto instances = schedule(regimen, start_day);
  for (std::size_t i = 0; i < instances.size(); ++i) {
    const PhaseInstance& in = instances[i];
    const Phase& phase = regimen.phases[in.phase];
    expand_il2(phase, in, i, in.dose * scale_for(phase.unit, subject) * factor, records);
    expand_lak(phase, in, i, subject.lak_cells, records);
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

std::string_view to_string(const Product& product) {
  switch (product.kind) {
    case Product::kChiron:
      return "chiron";
    case Product::kCetus:
      return "cetus";
    case Product::kRoche:
      return "roche";
    case Product::kCustom:
      return product.name;
  }
  return "chiron";
}

std::string_view to_string(OnHold on_hold) {
  return on_hold == OnHold::kDelay ? "delay" : "skip";
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
