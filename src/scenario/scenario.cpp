#include "scenario/scenario.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/text.hpp"
#include "scenario/section_settings.hpp"
#include "scenario/toml_input.hpp"

namespace il2sim::scenario {
namespace {

/// The cohort names a scenario may use (its own, then the built-in ones).
std::vector<std::string_view> cohort_names(const Scenario& s) {
  std::vector<std::string_view> names;
  for (const auto& c : s.cohorts) names.push_back(c.name);
  for (const auto& c : builtin_cohorts()) names.push_back(c.name);
  return names;
}

/// The UserError of a cohort name that is neither the scenario's own nor built-in.
[[noreturn]] void unknown_cohort(const std::string& origin, const toml::node* node,
                                 const std::string& key, const std::string& cohort,
                                 const Scenario& s) {
  const auto names = cohort_names(s);
  std::string allowed;
  for (const auto n : names) allowed += (allowed.empty() ? "" : ", ") + std::string(n);
  const auto suggestion = core::closest_name(cohort, names);
  fail_at(origin, node, key,
          suggestion.empty()
              ? fmt::format("unknown cohort '{}'", cohort)
              : fmt::format("unknown cohort '{}'; did you mean '{}'?", cohort, suggestion),
          allowed + ", or a cohort defined under [cohorts.NAME]");
}

/// Validation is built from small named checks that all report through one place (Stan's check_*).
class Checker {
 public:
  explicit Checker(std::string origin) : origin_(std::move(origin)) {}

  [[noreturn]] void fail(const toml::node* node, const std::string& key, const std::string& problem,
                         const std::string& allowed = {}) const {
    fail_at(origin_, node, key, problem, allowed);
  }

  /// Every key of `table` must be in `allowed`; otherwise fail with a did-you-mean suggestion.
  void check_keys(const toml::table& table, const std::string& path,
                  std::initializer_list<std::string_view> allowed) const {
    check_known_keys(origin_, table, path, std::vector<std::string_view>(allowed));
  }

  /// A finite number in [lower, upper] (the reader of the setting tables, setting_table.cpp).
  double number(const toml::node& node, const std::string& key, double lower, double upper) const {
    return std::get<double>(read_setting(
        origin_, node, key, setting_info("", SettingKind::kNumber, "", "", lower, upper)));
  }

  std::int64_t integer(const toml::node& node, const std::string& key, std::int64_t lower,
                       std::int64_t upper) const {
    const auto* i = node.as_integer();
    if (i == nullptr)
      fail(&node, key, fmt::format("expected an integer, found {}", type_name(node)));
    const auto value = i->get();
    if (value < lower || value > upper) {
      fail(&node, key, fmt::format("value {} is out of range", value),
           fmt::format("{} to {}", lower, upper));
    }
    return value;
  }

  std::string string(const toml::node& node, const std::string& key) const {
    const auto* s = node.as_string();
    if (s == nullptr) fail(&node, key, fmt::format("expected a string, found {}", type_name(node)));
    return s->get();
  }

  bool boolean(const toml::node& node, const std::string& key) const {
    return std::get<bool>(
        read_setting(origin_, node, key, setting_info("", SettingKind::kBoolean, "", "")));
  }

  const toml::table& table(const toml::node& node, const std::string& key) const {
    const auto* t = node.as_table();
    if (t == nullptr) fail(&node, key, fmt::format("expected a table, found {}", type_name(node)));
    return *t;
  }

  const toml::array& array(const toml::node& node, const std::string& key) const {
    const auto* a = node.as_array();
    if (a == nullptr) fail(&node, key, fmt::format("expected an array, found {}", type_name(node)));
    return *a;
  }

  [[nodiscard]] const std::string& origin() const { return origin_; }

  /// One of a fixed set of names.
  template <typename Enum>
  Enum choice(const toml::node& node, const std::string& key,
              std::initializer_list<std::pair<std::string_view, Enum>> options) const {
    const std::string value = string(node, key);
    std::string allowed;
    for (const auto& [name, e] : options) {
      if (name == value) return e;
      allowed += (allowed.empty() ? "" : ", ") + std::string(name);
    }
    fail(&node, key, fmt::format("unknown value '{}'", value), allowed);
  }

 private:
  static std::string type_name(const toml::node& node) { return node_description(node); }

  std::string origin_;
};

const toml::node* find(const toml::table& t, std::string_view key) {
  return t.get(key);
}

/// One scalar setting of a section: its key, where it goes and its allowed range.
struct NumberField {
  std::string_view key;
  double* target;
  double lower;
  double upper;
};
struct IntField {
  std::string_view key;
  int* target;
  int lower;
  int upper;
};
struct BoolField {
  std::string_view key;
  bool* target;
};
struct ListField {
  std::string_view key;
  std::vector<double>* target;
  double lower;
  double upper;
  std::size_t max_size;
};

/// Parses a table of simple settings; unknown keys get a did-you-mean.
void parse_section(const Checker& check, const toml::table& t, const std::string& path,
                   std::initializer_list<NumberField> numbers, std::initializer_list<IntField> ints,
                   std::initializer_list<BoolField> bools, std::initializer_list<ListField> lists,
                   std::vector<std::string_view> extra_keys = {}) {
  std::vector<std::string_view> keys = std::move(extra_keys);
  for (const auto& f : numbers) keys.push_back(f.key);
  for (const auto& f : ints) keys.push_back(f.key);
  for (const auto& f : bools) keys.push_back(f.key);
  for (const auto& f : lists) keys.push_back(f.key);
  for (const auto& [key, node] : t) {
    if (std::find(keys.begin(), keys.end(), key.str()) != keys.end()) continue;
    const std::string suggestion = core::closest_name(key.str(), keys);
    std::string allowed;
    for (const auto k : keys) allowed += (allowed.empty() ? "" : ", ") + std::string(k);
    check.fail(&node, path + "." + std::string(key.str()),
               suggestion.empty() ? "unknown key"
                                  : fmt::format("unknown key; did you mean '{}'?", suggestion),
               allowed);
  }
  for (const auto& f : numbers) {
    if (const auto* n = find(t, f.key))
      *f.target = check.number(*n, path + "." + std::string(f.key), f.lower, f.upper);
  }
  for (const auto& f : ints) {
    if (const auto* n = find(t, f.key)) {
      *f.target =
          static_cast<int>(check.integer(*n, path + "." + std::string(f.key), f.lower, f.upper));
    }
  }
  for (const auto& f : bools) {
    if (const auto* n = find(t, f.key))
      *f.target = check.boolean(*n, path + "." + std::string(f.key));
  }
  for (const auto& f : lists) {
    if (const auto* n = find(t, f.key)) {
      const std::string key = path + "." + std::string(f.key);
      const auto& a = check.array(*n, key);
      if (a.size() > f.max_size) {
        check.fail(n, key, fmt::format("{} values", a.size()),
                   fmt::format("at most {}", f.max_size));
      }
      f.target->clear();
      for (std::size_t i = 0; i < a.size(); ++i) {
        f.target->push_back(check.number(a[i], fmt::format("{}[{}]", key, i), f.lower, f.upper));
      }
    }
  }
}

dosing::PhaseRole parse_role(const Checker& check, const toml::node& node, const std::string& key) {
  return check.choice<dosing::PhaseRole>(node, key,
                                         {{"induction", dosing::PhaseRole::kInduction},
                                          {"maintenance", dosing::PhaseRole::kMaintenance},
                                          {"consolidation", dosing::PhaseRole::kConsolidation},
                                          {"rest", dosing::PhaseRole::kRest},
                                          {"other", dosing::PhaseRole::kOther}});
}

dosing::OnHold parse_on_hold(const Checker& check, const toml::node& node, const std::string& key) {
  return check.choice<dosing::OnHold>(
      node, key, {{"skip", dosing::OnHold::kSkip}, {"delay", dosing::OnHold::kDelay}});
}

/// One phase; `multiplier` receives its unit's multiplier (1e6 for MU units, else 1).
dosing::Phase parse_phase(const Checker& check, const toml::table& t, const std::string& path,
                          double& multiplier) {
  check.check_keys(t, path,
                   {"name", "role", "route", "dose", "unit", "days", "setting", "interval_hours",
                    "lak_infusion", "apheresis"});
  dosing::Phase phase;
  if (const auto* n = find(t, "name")) phase.name = check.string(*n, path + ".name");
  const auto* days = find(t, "days");
  if (days == nullptr)
    check.fail(&t, path + ".days", "missing (every phase needs a duration in days)");
  phase.days = check.number(*days, path + ".days", 0.0, 3650.0);
  if (const auto* r = find(t, "route")) {
    phase.route = check.choice<dosing::Route>(*r, path + ".route",
                                              {{"civ", dosing::Route::kCiv},
                                               {"iv_bolus", dosing::Route::kIvBolus},
                                               {"sc", dosing::Route::kSc}});
  }
  multiplier = 1.0;
  if (const auto* u = find(t, "unit")) {
    const bool per_day = phase.route == dosing::Route::kCiv;
    const std::string value = check.string(*u, path + ".unit");
    std::string base = value;
    if (value.rfind("MU", 0) == 0) {
      multiplier = 1e6;
      base = value.substr(1);
    }
    const std::string suffix = per_day ? "/day" : "";
    if (base == "U/m2" + suffix) {
      phase.unit = dosing::DoseUnit::kPerM2PerDay;
    } else if (base == "U" + std::string(per_day ? "/day" : "")) {
      phase.unit = dosing::DoseUnit::kPerDay;
    } else if (base == "U/kg" + suffix) {
      phase.unit = dosing::DoseUnit::kPerKgPerDay;
    } else {
      check.fail(
          u, path + ".unit",
          fmt::format("unit '{}' does not fit route '{}'", value, dosing::to_string(phase.route)),
          per_day
              ? "U/m2/day, U/day, U/kg/day, MU/m2/day, MU/day, MU/kg/day (U = the product's unit)"
              : "U/m2, U, U/kg, MU/m2, MU, MU/kg per administration (U = the product's unit)");
    }
  }
  if (const auto* d = find(t, "dose")) {
    phase.dose = check.number(*d, path + ".dose", 0.0, multiplier > 1.0 ? 1e6 : 1e12) * multiplier;
  }
  if (const auto* s = find(t, "setting")) {
    phase.setting =
        check.choice<dosing::CareSetting>(*s, path + ".setting",
                                          {{"inpatient", dosing::CareSetting::kInpatient},
                                           {"outpatient", dosing::CareSetting::kOutpatient}});
  }
  if (const auto* i = find(t, "interval_hours")) {
    phase.interval_hours = check.number(*i, path + ".interval_hours", 0.5, 24.0 * 28);
  }
  if (const auto* b = find(t, "lak_infusion"))
    phase.lak_infusion = check.boolean(*b, path + ".lak_infusion");
  if (const auto* b = find(t, "apheresis"))
    phase.apheresis = check.boolean(*b, path + ".apheresis");
  // The role is resolved here, once: explicit, or derived from the dose and the name (the resolved
  // scenario.toml then states it).
  if (const auto* r = find(t, "role")) {
    phase.role = parse_role(check, *r, path + ".role");
  } else {
    phase.role = dosing::default_role(phase.name, phase.dose);
  }
  return phase;
}

/// A regimen's product: a built-in name or a key of [products].
dosing::Product parse_product(const Checker& check, const toml::node& node, const std::string& key,
                              const std::map<std::string, dosing::Product>& products) {
  const std::string value = check.string(node, key);
  if (value == "chiron") return dosing::Product::kChiron;
  if (value == "cetus") return dosing::Product::kCetus;
  if (value == "roche") return dosing::Product::kRoche;
  if (const auto it = products.find(value); it != products.end()) return it->second;
  std::vector<std::string_view> names(std::begin(dosing::kBuiltinProducts),
                                      std::end(dosing::kBuiltinProducts));
  for (const auto& [name, unused] : products) names.push_back(name);
  std::string allowed;
  for (const auto n : names) allowed += (allowed.empty() ? "" : ", ") + std::string(n);
  const auto suggestion = core::closest_name(value, names);
  check.fail(&node, key,
             suggestion.empty()
                 ? fmt::format("unknown product '{}'", value)
                 : fmt::format("unknown product '{}'; did you mean '{}'?", value, suggestion),
             allowed + " (a custom product is defined under [products.NAME])");
}

/// `[products.NAME] chiron_iu_per_unit = X`: the scenario's own products.
std::map<std::string, dosing::Product> parse_products(const Checker& check,
                                                      const toml::node& node) {
  std::map<std::string, dosing::Product> products;
  const auto& t = check.table(node, "products");
  for (const auto& [key, value] : t) {
    const std::string name(key.str());
    const std::string path = "products." + name;
    const auto& p = check.table(value, path);
    check.check_keys(p, path, {"chiron_iu_per_unit", "description"});
    if (std::find(std::begin(dosing::kBuiltinProducts), std::end(dosing::kBuiltinProducts), name) !=
        std::end(dosing::kBuiltinProducts)) {
      check.fail(&value, path,
                 fmt::format("'{}' is a built-in product and cannot be redefined", name),
                 "a name other than chiron, cetus, roche");
    }
    if (name.empty()) check.fail(&value, path, "empty product name", "a non-empty name");
    if (const auto* d = find(p, "description")) (void)check.string(*d, path + ".description");
    const auto* x = find(p, "chiron_iu_per_unit");
    if (x == nullptr) {
      check.fail(&value, path + ".chiron_iu_per_unit",
                 "missing (a product's potency in Chiron IU per product unit)");
    }
    const double potency = check.number(*x, path + ".chiron_iu_per_unit", 0.0, 1e6);
    if (!(potency > 0.0)) {
      check.fail(x, path + ".chiron_iu_per_unit", "value 0 is not a potency", "> 0 to 1e+06");
    }
    products.emplace(name, dosing::Product::custom(name, potency));
  }
  return products;
}

/// The index of the phase `node` names in `regimen` (a name that occurs once, or a 0-based index).
std::size_t phase_ref(const Checker& check, const toml::node& node, const std::string& key,
                      const dosing::Regimen& regimen) {
  const auto n = regimen.phases.size();
  if (node.as_integer() != nullptr) {
    return static_cast<std::size_t>(check.integer(node, key, 0, static_cast<std::int64_t>(n) - 1));
  }
  const std::string name = check.string(node, key);
  std::vector<std::string_view> names;
  std::optional<std::size_t> found;
  for (std::size_t i = 0; i < n; ++i) {
    names.push_back(regimen.phases[i].name);
    if (regimen.phases[i].name != name) continue;
    if (found) {
      check.fail(&node, key, fmt::format("more than one phase is named '{}'", name),
                 "a unique phase name, or a 0-based phase index");
    }
    found = i;
  }
  if (!found) {
    const auto suggestion = core::closest_name(name, names);
    check.fail(&node, key,
               suggestion.empty()
                   ? fmt::format("no phase named '{}'", name)
                   : fmt::format("no phase named '{}'; did you mean '{}'?", name, suggestion),
               "a phase name of this regimen, or a 0-based phase index");
  }
  return *found;
}

/// One entry of a regimen's `repeat`: { phases = [...], times = K, every_days = D, cycle_doses }.
dosing::Repeat parse_repeat(const Checker& check, const toml::table& t, const std::string& path,
                            const dosing::Regimen& regimen,
                            const std::vector<double>& multipliers) {
  check.check_keys(t, path, {"phases", "times", "every_days", "cycle_doses"});
  dosing::Repeat rep;
  const auto* phases = find(t, "phases");
  if (phases == nullptr)
    check.fail(&t, path + ".phases", "missing (the phases of one cycle, in order)");
  const auto& list = check.array(*phases, path + ".phases");
  if (list.empty()) check.fail(phases, path + ".phases", "empty", "one or more phases");
  rep.first = phase_ref(check, list[0], path + ".phases[0]", regimen);
  rep.count = list.size();
  for (std::size_t k = 1; k < list.size(); ++k) {
    const std::string key = fmt::format("{}.phases[{}]", path, k);
    if (phase_ref(check, list[k], key, regimen) != rep.first + k) {
      check.fail(&list[k], key, "the phases of a cycle must follow each other in the regimen",
                 "consecutive phases, in the regimen's order");
    }
  }
  const auto* times = find(t, "times");
  if (times == nullptr)
    check.fail(&t, path + ".times", "missing (how many times the cycle is given in all)");
  rep.times = static_cast<int>(check.integer(*times, path + ".times", 1, 1000));
  double group_days = 0.0;
  std::vector<std::size_t> dosed;
  for (std::size_t k = rep.first; k < rep.first + rep.count; ++k) {
    group_days += regimen.phases[k].days;
    if (regimen.phases[k].dose > 0.0) dosed.push_back(k);
  }
  if (const auto* e = find(t, "every_days")) {
    rep.every_days = check.number(*e, path + ".every_days", 0.0, 3650.0);
    if (rep.every_days > 0.0 && rep.every_days < group_days - 1e-9) {
      check.fail(e, path + ".every_days",
                 fmt::format("{:g} days is shorter than one cycle ({:g} days)", rep.every_days,
                             group_days),
                 fmt::format("0 (no gap) or at least {:g}", group_days));
    }
  }
  if (const auto* c = find(t, "cycle_doses")) {
    const std::string key = path + ".cycle_doses";
    const auto& a = check.array(*c, key);
    if (a.size() != static_cast<std::size_t>(rep.times)) {
      check.fail(c, key, fmt::format("{} doses for {} cycles", a.size(), rep.times),
                 "one dose per cycle (as many as `times`)");
    }
    if (dosed.size() != 1) {
      check.fail(c, key, fmt::format("the cycle has {} phases with a dose", dosed.size()),
                 "exactly one phase with a dose > 0 in the cycle (its dose is set per cycle)");
    }
    const double m = multipliers[dosed[0]];
    for (std::size_t k = 0; k < a.size(); ++k) {
      rep.cycle_doses.push_back(
          check.number(a[k], fmt::format("{}[{}]", key, k), 0.0, m > 1.0 ? 1e6 : 1e12) * m);
    }
  }
  return rep;
}

/// `[regimens.NAME.rules]`: the regimen's own hold, dose-reduction and early-stop rules.
dosing::RuleOverrides parse_rules(const Checker& check, const toml::table& t,
                                  const std::string& path) {
  check.check_keys(
      t, path,
      {"hold_cls_grade", "hold_hypotension_grade", "hold_platelets", "resume_platelets",
       "resume_grade", "resume_fraction", "max_holds", "on_hold", "early_stop_per_month"});
  dosing::RuleOverrides o;
  const auto integer = [&](const char* key, std::optional<int>& target, int lo, int hi) {
    if (const auto* n = find(t, key))
      target = static_cast<int>(check.integer(*n, path + "." + key, lo, hi));
  };
  const auto number = [&](const char* key, std::optional<double>& target, double lo, double hi) {
    if (const auto* n = find(t, key)) target = check.number(*n, path + "." + key, lo, hi);
  };
  // The ranges of the same keys under [protocol].
  integer("hold_cls_grade", o.hold_cls_grade, 1, 5);
  integer("hold_hypotension_grade", o.hold_hypotension_grade, 2, 5);
  number("hold_platelets", o.hold_platelets, 0, 1000);
  number("resume_platelets", o.resume_platelets, 0, 1000);
  integer("resume_grade", o.resume_grade, 0, 4);
  number("resume_fraction", o.resume_fraction, 0, 1);
  integer("max_holds", o.max_holds, 0, 100);
  number("early_stop_per_month", o.early_stop_per_month, 0, 1000);
  if (const auto* n = find(t, "on_hold")) o.on_hold = parse_on_hold(check, *n, path + ".on_hold");
  return o;
}

dosing::Regimen parse_regimen(const Checker& check, const toml::table& t, const std::string& name,
                              const std::string& path,
                              const std::map<std::string, dosing::Product>& products) {
  check.check_keys(t, path, {"product", "phases", "description", "repeat", "rules"});
  dosing::Regimen regimen;
  regimen.name = name;
  if (const auto* p = find(t, "product"))
    regimen.product = parse_product(check, *p, path + ".product", products);
  const auto* phases = find(t, "phases");
  if (phases == nullptr)
    check.fail(&t, path + ".phases", "missing (a regimen is a list of phases)");
  const auto& list = check.array(*phases, path + ".phases");
  if (list.empty())
    check.fail(phases, path + ".phases", "empty (a regimen needs at least one phase)");
  std::vector<double> multipliers(list.size(), 1.0);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string phase_path = fmt::format("{}.phases[{}]", path, i);
    regimen.phases.push_back(
        parse_phase(check, check.table(list[i], phase_path), phase_path, multipliers[i]));
  }
  if (const auto* r = find(t, "repeat")) {
    const auto& a = check.array(*r, path + ".repeat");
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string rp = fmt::format("{}.repeat[{}]", path, i);
      regimen.repeats.push_back(
          parse_repeat(check, check.table(a[i], rp), rp, regimen, multipliers));
    }
    std::stable_sort(regimen.repeats.begin(), regimen.repeats.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    for (std::size_t i = 1; i < regimen.repeats.size(); ++i) {
      const auto& prev = regimen.repeats[i - 1];
      if (regimen.repeats[i].first < prev.first + prev.count) {
        check.fail(r, path + ".repeat", "two cycles share a phase", "cycles of distinct phases");
      }
    }
    if (regimen.total_days() > 36500.0) {
      check.fail(r, path + ".repeat",
                 fmt::format("the regimen lasts {:g} days", regimen.total_days()),
                 "at most 36500 days");
    }
  }
  if (const auto* r = find(t, "rules"))
    regimen.rules = parse_rules(check, check.table(*r, path + ".rules"), path + ".rules");
  return regimen;
}

SpendingFamily parse_spending(const Checker& check, const toml::node& node,
                              const std::string& key) {
  return check.choice<SpendingFamily>(node, key,
                                      {{"obf", SpendingFamily::kObrienFleming},
                                       {"pocock", SpendingFamily::kPocock},
                                       {"none", SpendingFamily::kNone}});
}

std::vector<std::string> string_list(const Checker& check, const toml::node& node,
                                     const std::string& key) {
  std::vector<std::string> out;
  const auto& a = check.array(node, key);
  for (std::size_t i = 0; i < a.size(); ++i)
    out.push_back(check.string(a[i], fmt::format("{}[{}]", key, i)));
  return out;
}

/// A setting the stage's escalation method does not use is refused, not ignored: the 3+3 treats
/// cohorts of 3 and stops by its own rules (no cohort_size, max_patients or target of its own), and
/// only the CRM has a skeleton. A value equal to the default passes (the resolved scenario writes
/// every field).
void check_escalation_settings_used(const Checker& check, const toml::table& t,
                                    const std::string& path, const StageSpec& st) {
  const StageSpec defaults;
  const auto refuse = [&](std::string_view key, const std::string& value) {
    const std::string_view method = st.method == EscalationMethod::kThreePlusThree ? "3+3" : "boin";
    check.fail(find(t, key), fmt::format("{}.{}", path, key),
               fmt::format("{} is not used by method = \"{}\"", value, method),
               st.method == EscalationMethod::kThreePlusThree
                   ? "leave it out (the 3+3 treats cohorts of 3 and stops by its rules), or "
                     "method = \"boin\" or \"crm\""
                   : "leave it out, or method = \"crm\"");
  };
  if (st.method == EscalationMethod::kThreePlusThree) {
    if (st.cohort_size != defaults.cohort_size)
      refuse("cohort_size", fmt::format("cohort_size = {}", st.cohort_size));
    if (st.max_patients != defaults.max_patients)
      refuse("max_patients", fmt::format("max_patients = {}", st.max_patients));
    if (st.target != defaults.target) refuse("target", fmt::format("target = {}", st.target));
  }
  if (st.method != EscalationMethod::kCrm && !st.skeleton.empty()) refuse("skeleton", "a skeleton");
}

/// analysis = "events" (looks are information fractions) or "calendar" (analysis_months, one per
/// look; `looks`, if given, are the planned information fractions at those dates, used for the
/// inflation factor only, and default to equally spaced fractions).
void check_analysis_timing(const Checker& check, const toml::table& t, const std::string& path,
                           StageSpec& st) {
  const auto* months = find(t, "analysis_months");
  if (st.analysis == AnalysisTiming::kEvents) {
    if (!st.analysis_months.empty()) {
      check.fail(months, path + ".analysis_months", "given with analysis = \"events\"",
                 "leave it out, or analysis = \"calendar\"");
    }
    return;
  }
  if (st.analysis_months.empty()) {
    check.fail(months != nullptr ? months : &t, path + ".analysis_months",
               "missing or empty with analysis = \"calendar\"",
               "months since the first registration, increasing, one per analysis");
  }
  for (std::size_t i = 1; i < st.analysis_months.size(); ++i) {
    if (st.analysis_months[i] <= st.analysis_months[i - 1])
      check.fail(months, path + ".analysis_months", "months must increase");
  }
  const std::size_t k = st.analysis_months.size();
  if (find(t, "looks") == nullptr) {
    st.looks.clear();
    for (std::size_t i = 1; i <= k; ++i)
      st.looks.push_back(static_cast<double>(i) / static_cast<double>(k));
  } else if (st.looks.size() != k) {
    check.fail(find(t, "looks"), path + ".looks",
               fmt::format("{} looks for {} analysis_months", st.looks.size(), k),
               "one planned information fraction per calendar analysis, or leave looks out");
  }
  const StageSpec defaults;
  if (st.min_follow_up_months != defaults.min_follow_up_months ||
      st.max_follow_up_months != defaults.max_follow_up_months) {
    const bool min = st.min_follow_up_months != defaults.min_follow_up_months;
    check.fail(find(t, min ? "min_follow_up_months" : "max_follow_up_months"),
               path + (min ? ".min_follow_up_months" : ".max_follow_up_months"),
               "not used with analysis = \"calendar\" (the analyses are at analysis_months)",
               fmt::format("leave it out ({:g})",
                           min ? defaults.min_follow_up_months : defaults.max_follow_up_months));
  }
}

/// The version-2 keys of a randomized stage (randomize_at, registration_lead_days,
/// never_start_probability, population, randomized, analysis, analysis_months, inflate_events,
/// landmark_years): their choices and the settings they refuse to combine with.
void parse_randomized_v2(const Checker& check, const toml::table& t, const std::string& path,
                         StageSpec& st, int format_version) {
  if (const auto* n = find(t, "randomize_at")) {
    st.randomize_at = check.choice<RandomizeAt>(*n, path + ".randomize_at",
                                                {{"start", RandomizeAt::kStart},
                                                 {"transplant", RandomizeAt::kTransplant},
                                                 {"registration", RandomizeAt::kRegistration}});
  }
  if (const auto* n = find(t, "population")) {
    st.population = check.choice<AnalysisPopulation>(
        *n, path + ".population",
        {{"itt", AnalysisPopulation::kItt}, {"treated", AnalysisPopulation::kTreated}});
  }
  if (const auto* n = find(t, "analysis")) {
    st.analysis = check.choice<AnalysisTiming>(
        *n, path + ".analysis",
        {{"events", AnalysisTiming::kEvents}, {"calendar", AnalysisTiming::kCalendar}});
  }
  if (st.registration_lead_days > 0 && st.randomize_at != RandomizeAt::kRegistration) {
    check.fail(
        find(t, "registration_lead_days"), path + ".registration_lead_days",
        fmt::format("{:g} days needs randomize_at = \"registration\"", st.registration_lead_days),
        "0, or randomize_at = \"registration\"");
  }
  if (st.never_start_probability >= 1.0) {
    check.fail(find(t, "never_start_probability"), path + ".never_start_probability",
               fmt::format("value {:g} is out of range", st.never_start_probability),
               "0 <= value < 1 (nobody would ever start IL-2)");
  }
  // Exactly one of registered / randomized drives accrual.
  const auto* reg = find(t, "registered");
  if (st.randomized > 0 && reg != nullptr && st.registered > 0) {
    check.fail(reg, path + ".registered",
               fmt::format("registered = {} and randomized = {}: ambiguous accrual target",
                           st.registered, st.randomized),
               "one of them: registered = 0 with randomized = N, or randomized = 0 (the default) "
               "with registered = N");
  }
  if (st.randomized > 0) st.registered = 0;
  if (st.randomized == 0 && st.registered < 1) {
    check.fail(reg != nullptr ? reg : &t, path + ".registered",
               "0 registrations and no randomized target",
               "registered >= 1, or randomized >= 1 (registration until that many are randomized)");
  }
  check_analysis_timing(check, t, path, st);
  if (find(t, "inflate_events") == nullptr) {
    // Version 2 inflates the Schoenfeld target for the looks by default (as rpact does); version
    // 1 did not. A given target_events is used as it is.
    st.inflate_events = format_version >= 2 && st.target_events == 0;
  }
  if (st.inflate_events && st.target_events > 0) {
    check.fail(find(t, "inflate_events"), path + ".inflate_events",
               fmt::format("true with target_events = {} (the inflation applies to the Schoenfeld "
                           "target only)",
                           st.target_events),
               "false, or target_events = 0");
  }
  for (std::size_t i = 1; i < st.landmark_years.size(); ++i) {
    if (st.landmark_years[i] <= st.landmark_years[i - 1])
      check.fail(find(t, "landmark_years"), path + ".landmark_years", "years must increase");
  }
}

/// The arms of a randomized stage draw from one cohort: every registrant is a patient of it before
/// randomization (run_randomized), so arms naming different cohorts would silently all get the
/// first arm's.
void check_one_cohort(const Checker& check, const toml::table& t, const std::string& path,
                      const StageSpec& st, const Scenario& s) {
  std::string listed;
  bool same = true;
  for (const auto& a : st.arms) {
    const auto& cohort = s.find_arm(a)->cohort;
    same = same && cohort == s.find_arm(st.arms.front())->cohort;
    listed += fmt::format("{}'{}' (cohort '{}')", listed.empty() ? "" : ", ", a, cohort);
  }
  if (!same) {
    check.fail(find(t, "arms"), path + ".arms",
               fmt::format("the arms of randomized stage '{}' name different cohorts: {}", st.name,
                           listed),
               "arms of one cohort (every registrant comes from one population; to randomize a "
               "mixed population, define a mixture cohort [cohorts.NAME] mix = { A = wA, B = wB } "
               "and name it in both arms)");
  }
}

StageSpec parse_stage(const Checker& check, const toml::table& t, const std::string& path,
                      const Scenario& s) {
  StageSpec st;
  std::vector<double> allocation{1, 1};
  parse_section(
      check, t, path,
      {{"target", &st.target, 0.01, 0.99},
       {"dlt_followup_days", &st.dlt_followup_days, 1, 3650},
       {"p0", &st.p0, 0.0, 1.0},
       {"p1", &st.p1, 0.0, 1.0},
       {"alpha", &st.alpha, 1e-6, 0.5},
       {"beta", &st.beta, 1e-6, 0.5},
       {"response_days", &st.response_days, 1, 36500},
       {"comparison_days", &st.comparison_days, 1, 36500},
       {"accrual_per_month", &st.accrual_per_month, 0.01, 100000},
       {"age_cutoff", &st.age_cutoff, 0, 120},
       {"dropout_per_year", &st.dropout_per_year, 0, 10},
       {"min_follow_up_months", &st.min_follow_up_months, 0, 1200},
       {"max_follow_up_months", &st.max_follow_up_months, 0, 1200},
       {"design_hr", &st.design_hr, 0.01, 0.999},
       {"one_sided_alpha", &st.one_sided_alpha, 1e-6, 0.5},
       {"power", &st.power, 0.01, 0.9999},
       {"horizon_days", &st.horizon_days, 30, 36500},
       {"registration_lead_days", &st.registration_lead_days, 0, 3650},
       {"never_start_probability", &st.never_start_probability, 0, 1}},
      // Counts are TOML integers: 24.6 patients is refused, not rounded.
      {{"cohort_size", &st.cohort_size, 1, 100},
       {"max_patients", &st.max_patients, 1, 100000},
       {"start_level", &st.start_level, 1, 100},
       {"patients", &st.patients, 0, 1000000},
       {"historical_patients", &st.historical_patients, 0, 1000000},
       {"registered", &st.registered, 0, 10000000},
       {"randomized", &st.randomized, 0, 10000000},
       {"block_size", &st.block_size, 1, 1000},
       {"target_events", &st.target_events, 0, 10000000}},
      {{"simon", &st.simon},
       {"selection_bias", &st.selection_bias},
       {"inflate_events", &st.inflate_events}},
      {{"skeleton", &st.skeleton, 1e-6, 1 - 1e-6, 100},
       {"looks", &st.looks, 1e-6, 1.0, 20},
       {"analysis_months", &st.analysis_months, 1e-6, 1200, 20},
       {"landmark_years", &st.landmark_years, 1e-6, 100, 20},
       {"allocation", &allocation, 1, 100, 10}},
      {"name", "type", "cohort", "regimen", "escalated_phase", "dose_from", "method", "levels",
       "arms", "strata", "spending", "futility", "randomize_at", "population", "analysis"});
  st.allocation.clear();
  for (std::size_t i = 0; i < allocation.size(); ++i) {
    if (allocation[i] != std::floor(allocation[i])) {
      check.fail(find(t, "allocation"), fmt::format("{}.allocation[{}]", path, i),
                 fmt::format("value {} is not a whole number", allocation[i]),
                 "whole numbers 1 to 100 (the allocation ratio, e.g. [1, 1] or [2, 1])");
    }
    st.allocation.push_back(static_cast<int>(allocation[i]));
  }
  const auto* name = find(t, "name");
  if (name == nullptr) check.fail(&t, path + ".name", "missing (every stage has a name)");
  st.name = check.string(*name, path + ".name");
  const auto* type = find(t, "type");
  if (type == nullptr)
    check.fail(&t, path + ".type", "missing", "dose_escalation, single_arm, randomized");
  st.type = check.choice<StageType>(*type, path + ".type",
                                    {{"dose_escalation", StageType::kDoseEscalation},
                                     {"single_arm", StageType::kSingleArm},
                                     {"randomized", StageType::kRandomized}});
  auto text = [&](const char* key, std::string& target) {
    if (const auto* n = find(t, key)) target = check.string(*n, path + "." + key);
  };
  text("cohort", st.cohort);
  text("regimen", st.regimen);
  text("escalated_phase", st.escalated_phase);
  text("dose_from", st.dose_from);
  if (const auto* m = find(t, "method")) {
    st.method = check.choice<EscalationMethod>(*m, path + ".method",
                                               {{"3+3", EscalationMethod::kThreePlusThree},
                                                {"boin", EscalationMethod::kBoin},
                                                {"crm", EscalationMethod::kCrm}});
  }
  if (const auto* n = find(t, "levels")) {
    const auto& a = check.array(*n, path + ".levels");
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string key = fmt::format("{}.levels[{}]", path, i);
      DoseLevel level;
      if (a[i].is_table()) {
        const auto& lt = check.table(a[i], key);
        double days = 0;
        parse_section(check, lt, key, {{"dose", &level.dose, 0, 1e12}, {"days", &days, 0, 3650}},
                      {}, {}, {});
        if (find(lt, "days") != nullptr) level.days = days;
        if (find(lt, "dose") == nullptr) check.fail(&lt, key + ".dose", "missing");
      } else {
        level.dose = check.number(a[i], key, 0, 1e12);
      }
      st.levels.push_back(level);
    }
  }
  if (const auto* n = find(t, "arms")) st.arms = string_list(check, *n, path + ".arms");
  if (const auto* n = find(t, "strata")) {
    st.strata = string_list(check, *n, path + ".strata");
    for (std::size_t i = 0; i < st.strata.size(); ++i) {
      if (st.strata[i] != "sex" && st.strata[i] != "age" && st.strata[i] != "mrd" &&
          st.strata[i] != "cohort") {
        check.fail(n, fmt::format("{}.strata[{}]", path, i),
                   fmt::format("unknown stratum '{}'", st.strata[i]), "sex, age, mrd, cohort");
      }
    }
  }
  if (const auto* n = find(t, "spending"))
    st.spending = parse_spending(check, *n, path + ".spending");
  if (const auto* n = find(t, "futility"))
    st.futility = parse_spending(check, *n, path + ".futility");
  // Cross-checks that need the rest of the scenario.
  const auto need_cohort = [&] {
    if (s.find_cohort(st.cohort) == nullptr) {
      unknown_cohort(check.origin(), find(t, "cohort") ? find(t, "cohort") : &t, path + ".cohort",
                     st.cohort, s);
    }
  };
  const auto need_regimen = [&] {
    const auto it = s.regimens.find(st.regimen);
    if (it == s.regimens.end()) {
      check.fail(find(t, "regimen") ? find(t, "regimen") : &t, path + ".regimen",
                 fmt::format("no regimen named '{}'", st.regimen), "a key of [regimens]");
    }
    bool has_phase = false;
    for (const auto& ph : it->second.phases) has_phase = has_phase || ph.name == st.escalated_phase;
    if (!has_phase) {
      check.fail(&t, path + ".escalated_phase",
                 fmt::format("regimen '{}' has no phase '{}'", st.regimen, st.escalated_phase));
    }
    // A cycle's per-cycle doses replace its phase's dose: escalating that phase would change
    // nothing.
    for (const auto& rep : it->second.repeats) {
      for (std::size_t k = rep.first; k < rep.first + rep.count && !rep.cycle_doses.empty(); ++k) {
        if (it->second.phases[k].name != st.escalated_phase) continue;
        check.fail(&t, path + ".escalated_phase",
                   fmt::format("phase '{}' of regimen '{}' is in a cycle with cycle_doses",
                               st.escalated_phase, st.regimen),
                   "a phase whose dose the escalation sets (not one with per-cycle doses)");
      }
    }
  };
  const auto need_dose_from = [&] {
    if (st.dose_from.empty()) return;
    bool found = false;
    for (const auto& prev : s.stages)
      found = found || (prev.name == st.dose_from && prev.type == StageType::kDoseEscalation);
    if (!found) {
      check.fail(find(t, "dose_from"), path + ".dose_from",
                 fmt::format("no earlier dose-escalation stage named '{}'", st.dose_from));
    }
  };
  if (st.selection_bias && st.type != StageType::kSingleArm) {
    check.fail(find(t, "selection_bias"), path + ".selection_bias",
               "only a single_arm stage has the selection-bias analysis",
               "false, or type = \"single_arm\"");
  }
  switch (st.type) {
    case StageType::kDoseEscalation:
      need_cohort();
      need_regimen();
      if (st.levels.empty())
        check.fail(&t, path + ".levels", "missing (a dose escalation needs dose levels)");
      if (st.start_level > static_cast<int>(st.levels.size())) {
        check.fail(find(t, "start_level"), path + ".start_level",
                   fmt::format("{} is above the last level", st.start_level),
                   fmt::format("1 to {}", st.levels.size()));
      }
      if (st.method == EscalationMethod::kCrm && st.skeleton.size() != st.levels.size()) {
        check.fail(&t, path + ".skeleton", "a CRM needs one skeleton probability per level");
      }
      check_escalation_settings_used(check, t, path, st);
      break;
    case StageType::kSingleArm:
      need_cohort();
      need_regimen();
      need_dose_from();
      if (st.simon && !(st.p0 < st.p1))
        check.fail(&t, path + ".p1", "Simon's design needs p0 < p1");
      if (!st.simon && st.patients < 1)
        check.fail(&t, path + ".patients", "missing (fixed n, or simon = true)");
      break;
    case StageType::kRandomized:
      need_dose_from();
      if (st.arms.size() != 2)
        check.fail(&t, path + ".arms", "a randomized stage compares two arms",
                   "[\"experimental\", \"control\"]");
      for (const auto& a : st.arms) {
        if (s.find_arm(a) == nullptr)
          check.fail(find(t, "arms"), path + ".arms", fmt::format("no arm named '{}'", a));
      }
      check_one_cohort(check, t, path, st, s);
      if (st.allocation.size() != st.arms.size())
        check.fail(&t, path + ".allocation", "one ratio per arm");
      if (st.min_follow_up_months > st.max_follow_up_months) {
        check.fail(find(t, "min_follow_up_months"), path + ".min_follow_up_months",
                   fmt::format("{:g} is above max_follow_up_months {:g}", st.min_follow_up_months,
                               st.max_follow_up_months));
      }
      parse_randomized_v2(check, t, path, st, s.format_version);
      if (st.looks.empty() || std::fabs(st.looks.back() - 1.0) > 1e-9 ||
          !std::is_sorted(st.looks.begin(), st.looks.end())) {
        check.fail(find(t, "looks"), path + ".looks",
                   "information fractions must increase and end at 1");
      }
      {
        int ratio = 0;
        for (const int a : st.allocation) ratio += a;
        if (st.block_size % ratio != 0) {
          check.fail(
              find(t, "block_size"), path + ".block_size",
              fmt::format("{} is not a multiple of the allocation total {}", st.block_size, ratio));
        }
      }
      break;
  }
  return st;
}

// ---- Cohorts (docs/model.md "Cohorts")
// ------------------------------------------------------------

/// A cohort's population: the scenario's adult or paediatric settings with the cohort's ages.
population::PopulationSettings population_of(const population::PopulationSettings& adults,
                                             const population::PopulationSettings& children,
                                             const CohortSpec& cohort) {
  auto ps = cohort.paediatric ? children : adults;
  if (cohort.age_min) ps.age.min_years = *cohort.age_min;
  if (cohort.age_max) ps.age.max_years = *cohort.age_max;
  return ps;
}

/// One number of a cohort: its key, field, range and unit (a parameter named instead must have this
/// unit and a range within this one).
struct CohortNumber {
  std::string_view key;
  CohortValue CohortSpec::*field;
  double lower;
  double upper;
  std::string_view unit;
};

constexpr std::array kCohortNumbers{
    CohortNumber{"p_no_disease", &CohortSpec::p_no_disease, 0.0, 1.0, "-"},
    CohortNumber{"log10_L0_mean", &CohortSpec::log10_L0_mean, 0.0, 10.0, "log10 cells"},
    CohortNumber{"log10_L0_sd", &CohortSpec::log10_L0_sd, 0.0, 5.0, "log10 cells"},
    CohortNumber{"nrm_1y", &CohortSpec::nrm_1y, 0.0, 0.9, "-"},
    CohortNumber{"post_relapse_median_months", &CohortSpec::post_relapse_median_months, 0.1, 240.0,
                 "month"},
    CohortNumber{"salvage_fraction", &CohortSpec::salvage_fraction, 0.0, 1.0, "-"},
};
constexpr CohortNumber kSalvageMedian{"salvage_median_months", nullptr, 0.1, 240.0, "month"};

CohortValue parse_cohort_value(const Checker& check, const toml::node& node, const std::string& key,
                               const CohortNumber& f) {
  const auto* name = node.as_string();
  if (name == nullptr) return {check.number(node, key, f.lower, f.upper), std::nullopt};
  const std::string allowed = fmt::format(
      "a number {:g} to {:g}, or the name of a parameter in {} listed by `il2sim params`", f.lower,
      f.upper, f.unit == "-" ? "probability units (-)" : f.unit);
  const auto id = model::find_parameter(name->get());
  if (!id) check.fail(&node, key, model::unknown_parameter(name->get(), true), allowed);
  const auto& spec = model::spec(*id);
  if (spec.unit != f.unit || spec.lower < f.lower || spec.upper > f.upper) {
    check.fail(&node, key,
               fmt::format("parameter '{}' ({}, {:g} to {:g}) does not fit", spec.name, spec.unit,
                           spec.lower, spec.upper),
               allowed);
  }
  return {0.0, *id};
}

/// The defaults that depend on the disease and the setting (the rows of the parameter table that
/// held these facts before cohorts were data).
void cohort_defaults(CohortSpec& c) {
  using enum model::ParamId;
  c.nrm_1y = {0.0, c.transplant == model::Transplant::kAllogeneic ? kNrm1yAllo : kNrm1yAuto};
  switch (c.disease) {
    case model::Disease::kNhl:
      c.post_relapse_median_months = {0.0, kPostRelapseMedianNhl};
      break;
    case model::Disease::kHd:
      c.post_relapse_median_months = {0.0, kPostRelapseMedianHd};
      break;
    case model::Disease::kAml:
      c.post_relapse_median_months = {0.0, kPostRelapseMedianAml};
      break;
    case model::Disease::kAll:
      c.post_relapse_median_months = {0.0, kPostRelapseMedianAll};
      break;
  }
}

/// The ages, salvage and NRM rules that need more than one key.
void check_cohort(const Checker& check, const toml::table& t, const std::string& path,
                  const CohortSpec& c, const population::PopulationSettings& adults,
                  const population::PopulationSettings& children) {
  if (c.transplant == model::Transplant::kChemotherapy && find(t, "nrm_1y") == nullptr) {
    check.fail(&t, path + ".nrm_1y",
               "missing (a chemotherapy cohort gives its own 1-year non-relapse mortality)",
               "a number 0 to 0.9, or the name of a parameter");
  }
  const auto* fraction = find(t, "salvage_fraction");
  const bool salvage = fraction != nullptr && (c.salvage_fraction.parameter.has_value() ||
                                               c.salvage_fraction.number > 0.0);
  const auto* median = find(t, "salvage_median_months");
  if (salvage && median == nullptr) {
    check.fail(&t, path + ".salvage_median_months",
               "missing (the survival after relapse of the salvaged, with salvage_fraction)",
               "a median in months 0.1 to 240, or the name of a parameter");
  }
  if (!salvage && median != nullptr) {
    check.fail(median, path + ".salvage_median_months",
               "is not used without a salvage_fraction above 0",
               "leave it out, or give salvage_fraction");
  }
  const auto ps = population_of(adults, children, c);
  if (ps.age.max_years < ps.age.min_years) {
    check.fail(find(t, "age_max") ? find(t, "age_max") : find(t, "age_min"), path + ".age_max",
               fmt::format("{:g} is below age_min {:g}", ps.age.max_years, ps.age.min_years),
               "age_max >= age_min");
  }
  try {
    population::check_settings(ps, path);
  } catch (const UserError& e) {
    check.fail(find(t, "age_min") ? find(t, "age_min") : &t, path, e.what());
  }
}

CohortSpec parse_cohort(const Checker& check, const toml::table& t, const std::string& name,
                        const std::string& path, const population::PopulationSettings& adults,
                        const population::PopulationSettings& children) {
  std::vector<std::string_view> keys{"description", "disease", "remission", "setting",
                                     "population",  "age_min", "age_max",   kSalvageMedian.key};
  for (const auto& f : kCohortNumbers) keys.push_back(f.key);
  check_known_keys(check.origin(), t, path, keys);
  CohortSpec c;
  c.name = name;
  const auto required = [&](std::string_view key, std::string_view allowed) -> const toml::node& {
    const auto* n = find(t, key);
    if (n == nullptr)
      check.fail(&t, fmt::format("{}.{}", path, key), "missing", std::string(allowed));
    return *n;
  };
  c.disease =
      check.choice<model::Disease>(required("disease", "nhl, hd, aml, all"), path + ".disease",
                                   {{"nhl", model::Disease::kNhl},
                                    {"hd", model::Disease::kHd},
                                    {"aml", model::Disease::kAml},
                                    {"all", model::Disease::kAll}});
  c.transplant = check.choice<model::Transplant>(
      required("setting", "autologous, allogeneic, chemotherapy"), path + ".setting",
      {{"autologous", model::Transplant::kAutologous},
       {"allogeneic", model::Transplant::kAllogeneic},
       {"chemotherapy", model::Transplant::kChemotherapy}});
  if (const auto* n = find(t, "population")) {
    c.paediatric =
        check.choice<bool>(*n, path + ".population", {{"adult", false}, {"paediatric", true}});
  }
  if (const auto* n = find(t, "description"))
    c.description = check.string(*n, path + ".description");
  if (const auto* n = find(t, "remission")) c.remission = check.string(*n, path + ".remission");
  if (const auto* n = find(t, "age_min")) c.age_min = check.number(*n, path + ".age_min", 0, 120);
  if (const auto* n = find(t, "age_max")) c.age_max = check.number(*n, path + ".age_max", 0, 120);
  cohort_defaults(c);
  for (const auto& f : kCohortNumbers) {
    if (const auto* n = find(t, f.key))
      c.*f.field = parse_cohort_value(check, *n, path + "." + std::string(f.key), f);
  }
  if (const auto* n = find(t, kSalvageMedian.key)) {
    c.salvage_median_months =
        parse_cohort_value(check, *n, path + "." + std::string(kSalvageMedian.key), kSalvageMedian);
  }
  check_cohort(check, t, path, c, adults, children);
  return c;
}

/// A mixture cohort's table (`description` and `mix` only): the weights, each > 0 and finite,
/// summing to 1 within 1e-9. The components are checked once every cohort is known
/// (check_mixture_components).
CohortSpec parse_mixture(const Checker& check, const toml::table& t, const std::string& name,
                         const std::string& path) {
  for (const auto& [key, node] : t) {
    if (key.str() == "description" || key.str() == "mix") continue;
    check.fail(
        &node, path + "." + std::string(key.str()),
        "a mixture cohort (one with `mix`) takes its disease, setting, ages and numbers from "
        "its components",
        "description, mix");
  }
  CohortSpec c;
  c.name = name;
  if (const auto* n = find(t, "description"))
    c.description = check.string(*n, path + ".description");
  const std::string key = path + ".mix";
  const auto* node = find(t, "mix");
  const auto* mix = node->as_table();
  if (mix == nullptr || mix->empty()) {
    check.fail(
        node, key,
        mix == nullptr ? fmt::format("expected a table, found {}", node_description(*node))
                       : "an empty mixture",
        "a table of cohort names and weights, e.g. mix = { cohort-a = 0.4, cohort-b = 0.6 }");
  }
  double total = 0.0;
  for (const auto& [component, w] : *mix) {
    const auto weight = w.value<double>();
    if (!w.is_number() || !weight || !std::isfinite(*weight) || *weight <= 0.0) {
      check.fail(&w, key,
                 fmt::format("the weight of '{}' is {}", component.str(), node_description(w)),
                 "a finite number above 0 per component, the weights summing to 1");
    }
    c.mix.emplace_back(std::string(component.str()), *weight);
    total += *weight;
  }
  if (std::fabs(total - 1.0) > 1e-9) {
    check.fail(node, key, fmt::format("the weights sum to {}", core::format_double(total)),
               "weights above 0 summing to 1 (within 1e-9)");
  }
  return c;
}

/// Every component of every mixture in `cohorts` is a cohort (one of `cohorts`, else a built-in
/// one) that is not itself a mixture.
void check_mixture_components(const Checker& check, const toml::table& t,
                              const std::vector<CohortSpec>& cohorts) {
  for (const auto& c : cohorts) {
    const std::string key = "cohorts." + c.name + ".mix";
    const auto* table = t.get_as<toml::table>(c.name);
    const toml::node* mix = table != nullptr ? table->get("mix") : nullptr;
    for (const auto& part : c.mix) {
      const std::string& component = part.first;
      const auto own = std::find_if(cohorts.begin(), cohorts.end(),
                                    [&](const CohortSpec& x) { return x.name == component; });
      const CohortSpec* found = own != cohorts.end() ? &*own : find_cohort(component);
      if (found == nullptr) {
        check.fail(mix, key, fmt::format("unknown component cohort '{}'", component),
                   "cohorts of `il2sim scenarios cohorts` or the scenario's own [cohorts.NAME] "
                   "that are not mixtures");
      }
      if (found->is_mixture()) {
        check.fail(mix, key, fmt::format("component '{}' is itself a mixture", component),
                   "cohorts that are not mixtures (list the components of '" + component +
                       "' here instead)");
      }
    }
  }
}

/// Every [cohorts.NAME] table, in the order of the text (a name added by `--set` last). A
/// scenario's own cohort may not take a built-in name: arms and stages name a cohort, and one name
/// is one cohort. A scenario's own cohort may be a mixture (`mix`); the built-in ones are not.
std::vector<CohortSpec> parse_cohort_tables(const Checker& check, const toml::table& t,
                                            const population::PopulationSettings& adults,
                                            const population::PopulationSettings& children,
                                            bool scenario_own) {
  std::vector<std::pair<std::string, const toml::node*>> entries;
  for (const auto& [key, node] : t) entries.emplace_back(std::string(key.str()), &node);
  const auto line = [](const toml::node* n) {
    const auto l = n->source().begin.line;
    return l == 0 ? std::numeric_limits<std::uint32_t>::max() : l;
  };
  std::stable_sort(entries.begin(), entries.end(),
                   [&](const auto& a, const auto& b) { return line(a.second) < line(b.second); });
  std::vector<CohortSpec> out;
  for (const auto& [name, node] : entries) {
    const std::string path = "cohorts." + name;
    if (scenario_own && find_cohort(name) != nullptr) {
      check.fail(node, path, fmt::format("'{}' is a built-in cohort", name),
                 "another name (a scenario's own cohort cannot replace a built-in one; "
                 "`il2sim scenarios cohorts` lists them)");
    }
    const auto& table = check.table(*node, path);
    if (scenario_own && find(table, "mix") != nullptr) {
      out.push_back(parse_mixture(check, table, name, path));
    } else {
      out.push_back(parse_cohort(check, table, name, path, adults, children));
    }
  }
  check_mixture_components(check, t, out);
  return out;
}

}  // namespace

const std::vector<CohortSpec>& builtin_cohorts() {
  static const std::vector<CohortSpec> cohorts = [] {
    auto list = parse_cohorts_file(builtin_cohorts_toml(), "<built-in cohorts>");
    for (auto& c : list) c.builtin = true;
    return list;
  }();
  return cohorts;
}

const CohortSpec* find_cohort(std::string_view name) {
  for (const auto& c : builtin_cohorts()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

const CohortSpec* Scenario::find_cohort(std::string_view cohort) const {
  for (const auto& c : cohorts) {
    if (c.name == cohort) return &c;
  }
  return scenario::find_cohort(cohort);
}

population::PopulationSettings cohort_population(const Scenario& s, const CohortSpec& cohort) {
  return population_of(s.adults, s.children, cohort);
}

std::vector<CohortSpec> parse_cohorts_file(std::string_view text, const std::string& origin) {
  const Checker check(origin);
  const toml::table root = parse_toml_text(text, origin);
  check.check_keys(root, "", {"cohorts"});
  const auto* node = find(root, "cohorts");
  if (node == nullptr) check.fail(&root, "cohorts", "missing", "[cohorts.NAME] tables");
  return parse_cohort_tables(check, check.table(*node, "cohorts"), population::adult_population(),
                             population::paediatric_population(), false);
}

const ArmSpec* Scenario::find_arm(std::string_view arm) const {
  for (const auto& a : arms) {
    if (a.name == arm) return &a;
  }
  return nullptr;
}

Scenario parse_scenario(std::string_view text, const std::string& origin,
                        std::span<const Override> overrides) {
  const Checker check(origin);
  if (text.find('\0') != std::string_view::npos) {
    throw UserError({origin, std::nullopt, std::nullopt, ""}, "binary data is not a TOML scenario",
                    "a UTF-8 TOML text file");
  }
  toml::table root = parse_toml_text(text, origin);
  apply_overrides(root, overrides);
  if (root.empty()) {
    throw UserError({origin, std::nullopt, std::nullopt, ""}, "empty scenario",
                    "a TOML file with at least format_version and name");
  }
  check.check_keys(root, "",
                   {"format_version", "name", "description", "seed", "solver", "model",
                    "population", "parameters", "cohorts", "products", "regimens", "arms",
                    "typical", "protocol", "toxicity", "events", "assays", "stages", "replicates"});
  Scenario s;
  const auto* version = find(root, "format_version");
  if (version == nullptr)
    check.fail(&root, "format_version", "missing", fmt::format("{}", kFormatVersion));
  const auto v =
      check.integer(*version, "format_version", 1, std::numeric_limits<std::int64_t>::max());
  if (v > kFormatVersion) {
    check.fail(version, "format_version",
               fmt::format("format version {} is newer than this il2sim reads", v),
               fmt::format("1 to {}; upgrade il2sim", kFormatVersion));
  }
  s.format_version = static_cast<int>(v);
  const auto* name = find(root, "name");
  if (name == nullptr) check.fail(&root, "name", "missing (every scenario has a name)");
  s.name = check.string(*name, "name");
  if (const auto* d = find(root, "description")) s.description = check.string(*d, "description");
  if (const auto* seed = find(root, "seed")) {
    s.seed = static_cast<std::uint64_t>(
        check.integer(*seed, "seed", 0, std::numeric_limits<std::int64_t>::max()));
  }
  if (const auto* node = find(root, "solver")) {
    parse_settings(check.origin(), check.table(*node, "solver"), "solver", solver_settings(),
                   s.solver);
  }
  if (const auto* node = find(root, "model")) {
    parse_settings(check.origin(), check.table(*node, "model"), "model", model_settings(),
                   s.structure);
  }
  if (const auto* node = find(root, "population")) {
    const auto& t = check.table(*node, "population");
    check.check_keys(t, "population", {"bsa_formula", "adult", "paediatric"});
    if (const auto* f = find(t, "bsa_formula")) {
      s.bsa_formula =
          check.choice<dosing::BsaFormula>(*f, "population.bsa_formula",
                                           {{"mosteller", dosing::BsaFormula::kMosteller},
                                            {"dubois", dosing::BsaFormula::kDuBois},
                                            {"haycock", dosing::BsaFormula::kHaycock}});
    }
    for (auto [key, target] :
         {std::pair<const char*, population::PopulationSettings*>{"adult", &s.adults},
          std::pair<const char*, population::PopulationSettings*>{"paediatric", &s.children}}) {
      const auto* sub = find(t, key);
      if (sub == nullptr) continue;
      const std::string path = std::string("population.") + key;
      auto& ps = *target;
      parse_settings(check.origin(), check.table(*sub, path), path, population_settings(), ps);
      try {
        population::check_settings(ps, path);
      } catch (const UserError& e) {
        check.fail(sub, path, e.what());
      }
    }
    s.adults.bsa_formula = s.bsa_formula;
    s.children.bsa_formula = s.bsa_formula;
  }
  if (const auto* node = find(root, "parameters")) {
    const auto& t = check.table(*node, "parameters");
    for (const auto& [key, value] : t) {
      const std::string path = "parameters." + std::string(key.str());
      const auto id = model::find_parameter(key.str());
      if (!id) {
        check.fail(&value, path, model::unknown_parameter(key.str(), false),
                   std::string(model::kParameterNamesAllowed));
      }
      if (!model::uses_parameter(s.structure, *id)) {
        check.fail(
            &value, path, model::not_read(*id, "the model of this scenario"),
            fmt::format("[model] {}, or no value for {}", model::form_reading(*id), key.str()));
      }
      const auto& spec = model::spec(*id);
      s.parameters.set(*id, check.number(value, path, spec.lower, spec.upper));
    }
  }
  if (const auto* node = find(root, "cohorts")) {
    s.cohorts =
        parse_cohort_tables(check, check.table(*node, "cohorts"), s.adults, s.children, true);
  }
  std::map<std::string, dosing::Product> products;
  if (const auto* node = find(root, "products")) products = parse_products(check, *node);
  if (const auto* node = find(root, "regimens")) {
    const auto& t = check.table(*node, "regimens");
    for (const auto& [key, value] : t) {
      const std::string path = "regimens." + std::string(key.str());
      s.regimens.emplace(
          std::string(key.str()),
          parse_regimen(check, check.table(value, path), std::string(key.str()), path, products));
    }
  }
  if (const auto* node = find(root, "arms")) {
    const auto& list = check.array(*node, "arms");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string path = fmt::format("arms[{}]", i);
      const auto& t = check.table(list[i], path);
      check.check_keys(t, path, {"name", "cohort", "regimen"});
      ArmSpec arm;
      const auto* n = find(t, "name");
      if (n == nullptr) check.fail(&t, path + ".name", "missing (every arm has a name)");
      arm.name = check.string(*n, path + ".name");
      if (s.find_arm(arm.name) != nullptr)
        check.fail(n, path + ".name", fmt::format("duplicate arm '{}'", arm.name));
      const auto* c = find(t, "cohort");
      if (c == nullptr) check.fail(&t, path + ".cohort", "missing (every arm names a cohort)");
      arm.cohort = check.string(*c, path + ".cohort");
      if (s.find_cohort(arm.cohort) == nullptr)
        unknown_cohort(check.origin(), c, path + ".cohort", arm.cohort, s);
      if (const auto* r = find(t, "regimen")) {
        arm.regimen = check.string(*r, path + ".regimen");
        if (s.regimens.count(*arm.regimen) == 0) {
          std::string allowed;
          for (const auto& [k, unused] : s.regimens) allowed += (allowed.empty() ? "" : ", ") + k;
          check.fail(r, path + ".regimen", fmt::format("no regimen named '{}'", *arm.regimen),
                     allowed.empty() ? "define it under [regimens.NAME]" : allowed);
        }
      }
      s.arms.push_back(std::move(arm));
    }
  }
  if (s.arms.empty()) check.fail(&root, "arms", "missing (a scenario needs at least one arm)");
  if (const auto* node = find(root, "typical")) {
    parse_settings(check.origin(), check.table(*node, "typical"), "typical", typical_settings(),
                   s.typical);
  }
  if (const auto* r = find(root, "replicates"))
    s.replicates = static_cast<int>(check.integer(*r, "replicates", 1, 1000000));
  if (const auto* node = find(root, "stages")) {
    const auto& list = check.array(*node, "stages");
    for (std::size_t i = 0; i < list.size(); ++i) {
      s.stages.push_back(parse_stage(check, check.table(list[i], fmt::format("stages[{}]", i)),
                                     fmt::format("stages[{}]", i), s));
    }
  }
  if (const auto* node = find(root, "protocol")) {
    auto& p = s.protocol;
    parse_settings(check.origin(), check.table(*node, "protocol"), "protocol", protocol_settings(),
                   p);
    if (p.window_end_day < p.window_start_day) {
      check.fail(node, "protocol.window_end_day",
                 fmt::format("{:g} is before window_start_day {:g}", p.window_end_day,
                             p.window_start_day));
    }
    if (!(p.lak_cells_min <= p.lak_cells_median && p.lak_cells_median <= p.lak_cells_max)) {
      check.fail(node, "protocol.lak_cells_median", "must lie within lak_cells_min..lak_cells_max");
    }
  }
  if (const auto* node = find(root, "toxicity")) {
    auto& x = s.toxicity;
    parse_settings(check.origin(), check.table(*node, "toxicity"), "toxicity", toxicity_settings(),
                   x);
    for (const auto* list : {&x.cls_thresholds, &x.hypotension_multiples}) {
      if (!std::is_sorted(list->begin(), list->end())) {
        check.fail(node, "toxicity", "grade thresholds must be in increasing order");
      }
    }
  }
  if (const auto* node = find(root, "events")) {
    parse_settings(check.origin(), check.table(*node, "events"), "events", event_settings(),
                   s.events);
  }
  if (const auto* node = find(root, "assays")) {
    parse_settings(check.origin(), check.table(*node, "assays"), "assays", assay_settings(),
                   s.assays);
  }
  return s;
}

Scenario load_scenario_file(const std::string& path, std::span<const Override> overrides) {
  return parse_scenario(
      core::read_input_file(
          path, "cannot open the scenario file",
          "an existing readable .toml file, or a built-in name from `il2sim scenarios`"),
      path, overrides);
}

Scenario load_scenario(const std::string& name_or_path, std::span<const Override> overrides) {
  const std::string name = name_or_path.empty() ? std::string(kDefaultScenario) : name_or_path;
  for (const auto& b : builtin_scenarios()) {
    if (b.name == name) {
      return parse_scenario(b.toml, fmt::format("<built-in {}>", b.name), overrides);
    }
  }
  const bool looks_like_path = name.find('/') != std::string::npos ||
                               (name.size() > 5 && name.substr(name.size() - 5) == ".toml");
  if (looks_like_path) return load_scenario_file(name, overrides);
  std::vector<std::string_view> names;
  std::string allowed;
  for (const auto& b : builtin_scenarios()) {
    names.push_back(b.name);
    allowed += (allowed.empty() ? "" : ", ") + std::string(b.name);
  }
  const auto suggestion = core::closest_name(name, names);
  throw UserError(
      {"", std::nullopt, std::nullopt, "scenario"},
      suggestion.empty()
          ? fmt::format("no built-in scenario named '{}'", name)
          : fmt::format("no built-in scenario named '{}'; did you mean '{}'?", name, suggestion),
      allowed + ", or a path to a .toml file");
}

}  // namespace il2sim::scenario
