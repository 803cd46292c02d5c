#include "calibration/plan.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "calibration/fit.hpp"
#include "core/error.hpp"
#include "core/input_file.hpp"
#include "scenario/section_settings.hpp"
#include "scenario/setting_table.hpp"
#include "scenario/toml_input.hpp"

namespace il2sim::calibration {
namespace {

class PlanReader {
 public:
  explicit PlanReader(std::string origin) : origin_(std::move(origin)) {}

  [[noreturn]] void fail(const toml::node* node, const std::string& key, const std::string& problem,
                         const std::string& allowed = {}) const {
    scenario::fail_at(origin_, node, key, problem, allowed);
  }

  /// A parameter of the table by name, with a did-you-mean message otherwise.
  model::ParamId parameter(const toml::node* node, const std::string& key,
                           const std::string& name) const {
    return scenario::parameter_at(origin_, node, key, name);
  }

  std::vector<std::string> strings(const toml::table& t, const std::string& path,
                                   std::string_view key) const {
    const auto* n = t.get(key);
    const std::string where = path + "." + std::string(key);
    if (n == nullptr) fail(&t, where, "missing");
    const auto* a = n->as_array();
    if (a == nullptr || a->empty()) fail(n, where, "expected a non-empty array of strings");
    std::vector<std::string> out;
    for (const auto& e : *a) {
      const auto* s = e.as_string();
      if (s == nullptr) fail(&e, where, "expected a string");
      out.push_back(s->get());
    }
    return out;
  }

  /// A table of parameter = value, each within the parameter table's range.
  std::vector<std::pair<model::ParamId, double>> values(const toml::node* node,
                                                        const std::string& path) const {
    const auto* table = node->as_table();
    if (table == nullptr) fail(node, path, "expected a table of parameter = value");
    std::vector<std::pair<model::ParamId, double>> out;
    for (const auto& [key, value] : *table) {
      const std::string name(key.str());
      const std::string where = path + "." + name;
      const auto id = parameter(&value, where, name);
      double v = 0.0;
      if (const auto* f = value.as_floating_point()) {
        v = f->get();
      } else if (const auto* i = value.as_integer()) {
        v = static_cast<double>(i->get());
      } else {
        fail(&value, where, "expected a number");
      }
      const auto& sp = model::spec(id);
      if (!(v >= sp.lower && v <= sp.upper))
        fail(&value, where, fmt::format("{} is out of range", v),
             fmt::format("{:g} to {:g}", sp.lower, sp.upper));
      out.emplace_back(id, v);
    }
    return out;
  }

  const std::string& origin() const { return origin_; }

 private:
  std::string origin_;
};

PlannedFit read_fit(const PlanReader& r, const toml::table& t, std::size_t index) {
  const std::string path = fmt::format("fits[{}]", index);
  static constexpr std::string_view kKeys[] = {"name",      "targets", "parameters", "optimizer",
                                               "max_evals", "why",     "start"};
  scenario::check_known_keys(r.origin(), t, path, kKeys);
  PlannedFit f;
  f.line = static_cast<long>(t.source().begin.line);
  const auto* name = t.get_as<std::string>("name");
  if (name == nullptr || name->get().empty())
    r.fail(t.get("name") != nullptr ? t.get("name") : &t, path + ".name", "expected a name");
  f.name = name->get();
  if (f.name.find_first_of("/\\. ") != std::string::npos)
    r.fail(name, path + ".name", fmt::format("'{}' is not a folder name", f.name),
           "letters, digits, '-' and '_'");
  f.targets = r.strings(t, path, "targets");
  for (const auto& p : r.strings(t, path, "parameters")) {
    const auto id = r.parameter(t.get("parameters"), path + ".parameters", p);
    if (std::find(f.parameters.begin(), f.parameters.end(), id) != f.parameters.end())
      r.fail(t.get("parameters"), path + ".parameters", fmt::format("'{}' is listed twice", p));
    f.parameters.push_back(id);
  }
  if (const auto* o = t.get("optimizer")) {
    const auto* s = o->as_string();
    const auto& names = algorithm_names();
    if (s == nullptr || std::find(names.begin(), names.end(), s->get()) == names.end())
      r.fail(o, path + ".optimizer", "unknown optimizer", "bobyqa, neldermead, sbplx");
    f.optimizer = s->get();
  }
  if (const auto* m = t.get("max_evals")) {
    const auto* i = m->as_integer();
    if (i == nullptr || i->get() < 1 || i->get() > 100000)
      r.fail(m, path + ".max_evals", "expected a whole number", "1 to 100000");
    f.max_evaluations = static_cast<int>(i->get());
  }
  if (const auto* st = t.get("start")) {
    f.start = r.values(st, path + ".start");
    for (const auto& [id, value] : f.start) {
      if (std::find(f.parameters.begin(), f.parameters.end(), id) == f.parameters.end())
        r.fail(st, path + ".start." + std::string(model::spec(id).name),
               "a starting value for a parameter this fit does not fit", "one of its parameters");
    }
  }
  if (const auto* w = t.get("why")) {
    const auto* s = w->as_string();
    if (s == nullptr) r.fail(w, path + ".why", "expected a string");
    f.why = s->get();
  }
  return f;
}

}  // namespace

Plan parse_plan(std::string_view toml_text, const std::string& origin) {
  PlanReader r(origin);
  const toml::table root = scenario::parse_toml_text(toml_text, origin);
  static constexpr std::string_view kKeys[] = {"format_version", "model", "priors", "fits"};
  scenario::check_known_keys(origin, root, "(top level)", kKeys);
  const auto* version = root.get("format_version");
  if (version == nullptr) r.fail(&root, "format_version", "missing");
  if (const auto* i = version->as_integer(); i == nullptr || i->get() != 1)
    r.fail(version, "format_version", "unsupported version", "1");
  Plan plan;
  plan.origin = origin;
  if (const auto* node = root.get("model")) {
    const auto* table = node->as_table();
    if (table == nullptr) r.fail(node, "model", "expected a table of [model] switches");
    model::Structure structure;
    scenario::parse_settings(origin, *table, "model", scenario::model_settings(), structure);
    plan.structure = structure;
  }
  if (const auto* node = root.get("priors")) plan.priors = r.values(node, "priors");
  const auto* fits = root.get_as<toml::array>("fits");
  if (fits == nullptr || fits->empty()) r.fail(&root, "fits", "missing [[fits]]");
  std::set<std::string> names;
  for (std::size_t i = 0; i < fits->size(); ++i) {
    const auto* t = (*fits)[i].as_table();
    if (t == nullptr) r.fail(&(*fits)[i], fmt::format("fits[{}]", i), "expected a table");
    auto f = read_fit(r, *t, i);
    if (!names.insert(f.name).second)
      r.fail(t->get("name"), fmt::format("fits[{}].name", i), "duplicate name " + f.name);
    plan.fits.push_back(std::move(f));
  }
  return plan;
}

Plan load_plan_file(const std::string& path) {
  return parse_plan(core::read_input_file(path, "cannot read the plan file"), path);
}

Plan builtin_plan() {
  return parse_plan(builtin_plan_text(), "calibration/plan.toml");
}

}  // namespace il2sim::calibration
