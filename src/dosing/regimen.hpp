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

/// What a phase is for in the protocol. The clinic reads only the role, never the phase's name:
/// dose intensity and completion are counted per role, and the DLT window is a set of roles
/// (scenario::ToxicitySettings::dlt_window_roles).
enum class PhaseRole { kInduction, kMaintenance, kConsolidation, kRest, kOther };

/// The role a phase without an explicit `role` key gets, derived once when the scenario is read:
/// dose 0 is a rest, otherwise from the name ("induction", "maintenance", "consolidation"), else
/// other.
[[nodiscard]] PhaseRole default_role(std::string_view name, double dose);

/// One phase of a regimen.
struct Phase {
  std::string name;  ///< e.g. "induction", "rest", "maintenance"; a label only
  PhaseRole role = PhaseRole::kOther;
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
enum class Compartment {
  kCentral,  ///< IL-2 into the central compartment (infusion or IV bolus)
  kDepot,    ///< IL-2 into the subcutaneous depot (times the bioavailability F_sc)
  kLakCells  ///< LAK cells into the LAK pool K (amount in cells)
};

/// One dose record. IL-2 in Chiron IU: for an infusion `rate_iu_per_day > 0` over [time, time +
/// duration); for a bolus or an SC injection `amount_iu > 0` at `time` and duration 0. LAK cells:
/// `amount_iu` holds the number of cells (compartment kLakCells), duration 0.
struct DoseRecord {
  double time = 0.0;             ///< day since transplant
  double duration = 0.0;         ///< days (infusions)
  double rate_iu_per_day = 0.0;  ///< infusion rate (IU/day)
  double amount_iu = 0.0;        ///< bolus/SC amount (IU, before bioavailability) or LAK cells
  Compartment compartment = Compartment::kCentral;
  std::size_t phase_index = 0;         ///< phase of the regimen it came from
  PhaseRole role = PhaseRole::kOther;  ///< that phase's role
  Route route = Route::kCiv;           ///< that phase's route (LAK cells: the phase's IL-2 route)
  double dose_fraction = 1.0;          ///< 1 at full dose; the clinic's resumption scales it (0.5)
  [[nodiscard]] bool infusion() const { return duration > 0.0; }
  /// IL-2 delivered (IU): rate × duration for an infusion, the amount for a bolus/SC; 0 for cells.
  [[nodiscard]] double il2_iu() const {
    if (compartment == Compartment::kLakCells) return 0.0;
    return infusion() ? rate_iu_per_day * duration : amount_iu;
  }
};

/// What a patient needs for dose calculation.
struct DosingSubject {
  double bsa_m2 = 1.8;
  double weight_kg = 70.0;
  double lak_cells = 0.0;  ///< LAK cells the patient receives over a `lak_infusion` phase
};

/// Expands a regimen starting on `start_day` into dose records at full (unreduced, unheld) dose,
/// sorted by time: IL-2 by the phase's route, and in a `lak_infusion` phase the subject's LAK cells
/// in equal daily infusions (one a day from the phase's start).
[[nodiscard]] std::vector<DoseRecord> expand(const Regimen& regimen, double start_day,
                                             const DosingSubject& subject, double potency_roche);

[[nodiscard]] std::string_view to_string(Route route);
[[nodiscard]] std::string_view to_string(Product product);
[[nodiscard]] std::string_view to_string(DoseUnit unit);
[[nodiscard]] std::string_view to_string(CareSetting setting);
[[nodiscard]] std::string_view to_string(PhaseRole role);
[[nodiscard]] std::string_view to_string(Compartment compartment);

}  // namespace il2sim::dosing
