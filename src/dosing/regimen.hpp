#pragma once
/// @file regimen.hpp
/// Regimens in the vocabulary of the field: a regimen is a sequence of phases, each with a route, a
/// dose and its unit, a product, a duration in days and a care setting (model.md §1). A phase with
/// dose 0 is a rest. Dosing events are separate from the dynamics: `expand` turns a regimen into
/// timed dose records (NONMEM/mrgsolve style: time, amount, rate, duration, compartment).

#include <string>
#include <string_view>
#include <vector>

namespace il2sim::dosing {

enum class Route {
  kCiv,      ///< continuous intravenous infusion
  kIvBolus,  ///< intravenous bolus into the central compartment
  kSc        ///< subcutaneous: into the depot, first-order absorption with bioavailability F_sc
};

enum class Product {
  kChiron,  ///< aldesleukin (Chiron/Proleukin) IU: the reference, potency 1
  kCetus,   ///< Cetus units: 1 Cetus unit = 6 IU (exact unit conversion)
  kRoche    ///< Roche (Hoffmann-La Roche) units: biological potency factor `potency_roche` (3-6)
};

enum class DoseUnit {
  kPerM2PerDay,  ///< product units per m² per day (CIV) or per m² per administration (bolus, SC)
  kPerDay,       ///< product units per day (CIV) or per administration (bolus, SC), flat
  kPerKgPerDay   ///< product units per kg per day (CIV) or per kg per administration (bolus, SC)
};

enum class CareSetting { kInpatient, kOutpatient };

/// One phase of a regimen.
struct Phase {
  std::string name;  ///< e.g. "induction", "rest", "maintenance"
  Route route = Route::kCiv;
  double dose = 0.0;  ///< in product units (not millions) per `unit`; 0 = rest phase
  DoseUnit unit = DoseUnit::kPerM2PerDay;
  double days = 0.0;  ///< duration of the phase
  CareSetting setting = CareSetting::kInpatient;
  double interval_hours = 24.0;  ///< bolus and SC: time between administrations (II)
  bool lak_infusion = false;     ///< LAK cells are infused during this phase (LAK scenarios)
  bool apheresis = false;        ///< apheresis days (LAK scenarios)
};

/// A named regimen given with one product.
struct Regimen {
  std::string name;
  Product product = Product::kChiron;
  std::vector<Phase> phases;
  [[nodiscard]] double total_days() const;
};

/// Chiron-equivalent IU per unit of product; `potency_roche` is the scenario's factor for Roche
/// units.
[[nodiscard]] double potency(Product product, double potency_roche);

/// Where a dose record enters the model.
enum class Compartment { kCentral, kDepot };

/// One dose record in Chiron IU. For an infusion `rate_iu_per_day > 0` over [time, time +
/// duration); for a bolus `amount_iu > 0` at `time` and duration 0.
struct DoseRecord {
  double time = 0.0;             ///< day since transplant
  double duration = 0.0;         ///< days (infusions)
  double rate_iu_per_day = 0.0;  ///< infusion rate (IU/day)
  double amount_iu = 0.0;        ///< bolus amount (IU), before bioavailability
  Compartment compartment = Compartment::kCentral;
  std::size_t phase_index = 0;  ///< phase of the regimen it came from
};

/// What a patient needs for dose calculation.
struct DosingSubject {
  double bsa_m2 = 1.8;
  double weight_kg = 70.0;
};

/// Expands a regimen starting on `start_day` into dose records at full (unreduced, unheld) dose.
[[nodiscard]] std::vector<DoseRecord> expand(const Regimen& regimen, double start_day,
                                             const DosingSubject& subject, double potency_roche);

[[nodiscard]] std::string_view to_string(Route route);
[[nodiscard]] std::string_view to_string(Product product);
[[nodiscard]] std::string_view to_string(DoseUnit unit);
[[nodiscard]] std::string_view to_string(CareSetting setting);

}  // namespace il2sim::dosing
