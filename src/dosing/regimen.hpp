#pragma once
/// @file regimen.hpp
/// Regimens in the vocabulary of the field: a regimen is a sequence of phases, each with a route, a
/// dose and its unit, a product, a duration in days and a care setting (model.md §1). A phase with
/// dose 0 is a rest. Dosing events are separate from the dynamics: `expand` turns a regimen into
/// timed dose records (NONMEM/mrgsolve style: time, amount, rate, duration, compartment).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace il2sim::dosing {

enum class Route {
  kCiv,      ///< continuous intravenous infusion
  kIvBolus,  ///< intravenous bolus into the central compartment
  kSc        ///< subcutaneous: into the depot, first-order absorption with bioavailability F_sc
};

/// The IL-2 product of a regimen: a built-in one, or a custom product of the scenario
/// (`[products.NAME] chiron_iu_per_unit = X`). A built-in kind converts implicitly, so
/// `Product::kCetus` is a product.
struct Product {
  enum Kind {
    kChiron,  ///< aldesleukin (Chiron/Proleukin) IU: the reference, potency 1
    kCetus,   ///< Cetus units: 1 Cetus unit = 6 IU (exact unit conversion)
    kRoche,   ///< Roche (Hoffmann-La Roche) units: biological potency factor `potency_roche` (3-6)
    kCustom   ///< a scenario's own product: `name`, `chiron_iu_per_unit`
  };
  Product(Kind k = kChiron)
      : kind(k) {}  // NOLINT(google-explicit-constructor): a kind is a product
  /// A custom product: its name and its potency in Chiron IU per product unit (> 0).
  [[nodiscard]] static Product custom(std::string name, double chiron_iu_per_unit);
  Kind kind = kChiron;
  std::string name;                 ///< custom products only (built-ins are named by kind)
  double chiron_iu_per_unit = 1.0;  ///< custom products only
  bool operator==(const Product&) const = default;
};

/// The names of the built-in products, which a scenario cannot redefine.
inline constexpr std::string_view kBuiltinProducts[] = {"chiron", "cetus", "roche"};

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

/// A cycle: the contiguous phases [first, first + count) are given `times` times in all, one
/// repetition starting every `every_days` (start to start; the time after the group's own days is
/// an off-treatment gap that belongs to no phase); with `cycle_doses`, repetition k gives the
/// group's IL-2 phase (its only phase with a dose) the dose cycle_doses[k] in that phase's unit.
struct Repeat {
  std::size_t first = 0;
  std::size_t count = 1;
  int times = 1;
  double every_days = 0.0;          ///< 0: the group's own days (no gap)
  std::vector<double> cycle_doses;  ///< empty, or one per repetition (product units)
  bool operator==(const Repeat&) const = default;
};

/// What the clinic does with the doses of a phase held for toxicity.
enum class OnHold {
  kSkip,  ///< the held doses are lost; the phase ends on schedule (the clinic's rule before v2)
  kDelay  ///< the held doses are given after the resumption; everything after moves later
};

/// A regimen's own hold, dose-reduction and early-stop rules (`[regimens.NAME.rules]`): each unset
/// value is the protocol's (scenario::effective_rules resolves them).
struct RuleOverrides {
  std::optional<int> hold_cls_grade;
  std::optional<int> hold_hypotension_grade;
  std::optional<double> hold_platelets;
  std::optional<double> resume_platelets;
  std::optional<int> resume_grade;
  std::optional<double> resume_fraction;
  std::optional<int> max_holds;
  std::optional<OnHold> on_hold;
  std::optional<double> early_stop_per_month;
  [[nodiscard]] bool empty() const { return *this == RuleOverrides{}; }
  bool operator==(const RuleOverrides&) const = default;
};

/// A named regimen given with one product.
struct Regimen {
  std::string name;
  Product product = Product::kChiron;
  std::vector<Phase> phases;
  std::vector<Repeat> repeats{};  ///< cycles, in phase order, not overlapping
  RuleOverrides rules{};
  /// From the start of the first phase to the end of the last (repetitions and gaps included).
  [[nodiscard]] double total_days() const;
};

/// Chiron-equivalent IU per unit of product; `potency_roche` is the scenario's factor for Roche
/// units.
[[nodiscard]] double potency(const Product& product, double potency_roche);

/// One phase as given: the regimen's phases in order with every repetition of a cycle written out.
struct PhaseInstance {
  std::size_t phase = 0;  ///< index into Regimen::phases
  int cycle = 0;          ///< 1..times inside a cycle, 0 outside any
  double start = 0.0;     ///< day since transplant
  double end = 0.0;
  double dose = 0.0;  ///< the phase's dose in this repetition (product units per its unit)
};

/// The phase instances of `regimen` started on `start_day`, in time order.
[[nodiscard]] std::vector<PhaseInstance> schedule(const Regimen& regimen, double start_day);

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
  std::size_t instance = 0;            ///< its phase instance (index into schedule())
  int cycle = 0;                       ///< that instance's repetition (0 outside any cycle)
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
/// sorted by time, phase instance by phase instance (schedule()): IL-2 by the phase's route, and in
/// a `lak_infusion` phase the subject's LAK cells in equal daily infusions (one a day from the
/// phase's start).
[[nodiscard]] std::vector<DoseRecord> expand(const Regimen& regimen, double start_day,
                                             const DosingSubject& subject, double potency_roche);

[[nodiscard]] std::string_view to_string(Route route);
/// The product's name: "chiron", "cetus", "roche" or the custom product's name.
[[nodiscard]] std::string_view to_string(const Product& product);
[[nodiscard]] std::string_view to_string(OnHold on_hold);
[[nodiscard]] std::string_view to_string(DoseUnit unit);
[[nodiscard]] std::string_view to_string(CareSetting setting);
[[nodiscard]] std::string_view to_string(PhaseRole role);
[[nodiscard]] std::string_view to_string(Compartment compartment);

}  // namespace il2sim::dosing
