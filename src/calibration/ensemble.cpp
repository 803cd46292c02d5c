#include "calibration/ensemble.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/random.hpp"
#include "core/statistics.hpp"
#include "core/text.hpp"
#include "scenario/section_settings.hpp"
#include "scenario/toml_input.hpp"

namespace il2sim::calibration {
namespace {

class EnsembleReader {
 public:
  explicit EnsembleReader(std::string origin) : origin_(std::move(origin)) {}

  [[noreturn]] void fail(const toml::node* node, const std::string& key, const std::string& problem,
                         const std::string& allowed = {}) const {
    scenario::fail_at(origin_, node, key, problem, allowed);
  }

  std::string method(const toml::table& root) const {
    const auto* node = root.get("ensemble");
    if (node == nullptr)
      fail(nullptr, "ensemble", "missing", "an [ensemble] table with method = \"...\"");
    const auto* t = node->as_table();
    if (t == nullptr)
      fail(node, "ensemble", "expected a table", "[ensemble] with method = \"...\"");
    const auto* m = t->get("method");
    if (m == nullptr)
      fail(t, "ensemble.method", "missing",
           "a string: prior, history-matching, abc-smc, manual or another name");
    const auto* s = m->as_string();
    if (s == nullptr || s->get().empty())
      fail(m, "ensemble.method",
           fmt::format("{} is not a method name", scenario::node_description(*m)),
           "a non-empty string: prior, history-matching, abc-smc, manual or another name");
    return s->get();
  }

  model::ParamId parameter(const toml::node* node, const std::string& key,
                           const std::string& name) const {
    return scenario::parameter_at(origin_, node, key, name);
  }

  double number(const toml::node& value, const std::string& key) const {
    if (const auto* f = value.as_floating_point()) return f->get();
    if (const auto* i = value.as_integer()) return static_cast<double>(i->get());
    fail(&value, key, fmt::format("{} is not a number", scenario::node_description(value)),
         "a number");
  }

  /// One [[sets]] table as written: its weight, model and parameter values (in file order).
  struct RawSet {
    const toml::table* table = nullptr;
    std::string path;
    EnsembleSet set;  ///< values in the order of `named`
    std::vector<model::ParamId> named;
  };

  RawSet set(const toml::table& t, std::size_t index) const {
    RawSet raw{&t, fmt::format("sets[{}]", index), {}, {}};
    for (const auto& [key, value] : t) {
      const std::string name(key.str());
      const std::string where = raw.path + "." + name;
      if (name == "weight") {
        raw.set.weight = number(value, where);
        if (!std::isfinite(raw.set.weight) || raw.set.weight <= 0)
          fail(&value, where,
               fmt::format("{} is not a weight", core::format_double(raw.set.weight)),
               "a finite number > 0 (default 1)");
        continue;
      }
      if (name == "model") {
        const auto* table = value.as_table();
        if (table == nullptr)
          fail(&value, where, fmt::format("{} is not a table", scenario::node_description(value)),
               "an inline table of [model] switches, e.g. model = { kill = \"saturating\" }");
        model::Structure structure;
        scenario::parse_settings(origin_, *table, where, scenario::model_settings(), structure);
        raw.set.structure = structure;
        continue;
      }
      const auto id = parameter(&value, where, name);
      const double v = number(value, where);
      const auto& sp = model::spec(id);
      if (!(v >= sp.lower && v <= sp.upper))
        fail(&value, where, fmt::format("{} is out of range", core::format_double(v)),
             fmt::format("{:g} to {:g} (the parameter table's bounds)", sp.lower, sp.upper));
      raw.named.push_back(id);
      raw.set.values.push_back(v);
    }
    if (raw.named.empty())
      fail(&t, raw.path, "names no parameter", "at least one parameter = value of `il2sim params`");
    return raw;
  }

  /// The sets with their values in the order of `parameters` (NaN where a set's model does not
  /// read the parameter); refuses a set that names a parameter its model does not read, or omits
  /// one it reads, and `model` in some sets only.
  std::vector<EnsembleSet> align(const std::vector<RawSet>& raw,
                                 const std::vector<model::ParamId>& parameters) const {
    std::vector<EnsembleSet> out;
    for (const auto& r : raw) {
      if (r.set.structure.has_value() != raw.front().set.structure.has_value())
        fail(
            r.table, r.path + ".model",
            r.set.structure ? "given here but not in sets[0]" : "missing here but given in sets[0]",
            "model = {...} in every set or in none");
      EnsembleSet e{r.set.weight, {}, r.set.structure};
      for (const auto id : parameters) {
        const auto it = std::find(r.named.begin(), r.named.end(), id);
        const bool reads = !r.set.structure || model::uses_parameter(*r.set.structure, id);
        const std::string name(model::spec(id).name);
        if (it != r.named.end() && !reads)
          fail(r.table->get(name), r.path + "." + name, model::not_read(id, "the set's model"),
               fmt::format("no value for {} in a set whose model is not {}", name,
                           model::form_reading(id)));
        if (it == r.named.end() && reads)
          fail(r.table, r.path, fmt::format("does not name '{}'", name),
               "every set names the parameters the other sets name, apart from those its model "
               "does not read");
        e.values.push_back(it == r.named.end()
                               ? std::numeric_limits<double>::quiet_NaN()
                               : r.set.values[static_cast<std::size_t>(it - r.named.begin())]);
      }
      out.push_back(std::move(e));
    }
    return out;
  }

 private:
  std::string origin_;
};

}  // namespace

bool Ensemble::sets_parameter(model::ParamId id) const {
  return std::find(parameters.begin(), parameters.end(), id) != parameters.end();
}

bool Ensemble::mixes_structures() const {
  return std::any_of(sets.begin(), sets.end(),
                     [&](const EnsembleSet& s) { return s.structure != sets.front().structure; });
}

Ensemble parse_ensemble(std::string_view text, const std::string& origin) {
  const EnsembleReader reader(origin);
  const auto root = scenario::parse_toml_text(text, origin);
  static constexpr std::string_view kTop[] = {"ensemble", "sets"};
  scenario::check_known_keys(origin, root, "", kTop);
  Ensemble e;
  e.method = reader.method(root);
  const auto* sets = root.get("sets");
  const auto* list = sets == nullptr ? nullptr : sets->as_array();
  if (list == nullptr || list->empty()) {
    reader.fail(sets, "sets",
                sets == nullptr ? "missing: the ensemble is empty" : "the ensemble is empty",
                "one or more [[sets]] tables of parameter = value");
  }
  std::vector<EnsembleReader::RawSet> raw;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto* t = (*list)[i].as_table();
    if (t == nullptr)
      reader.fail(&(*list)[i], fmt::format("sets[{}]", i), "expected a table",
                  "[[sets]] tables of parameter = value");
    raw.push_back(reader.set(*t, i));
    for (const auto id : raw.back().named) {
      if (!e.sets_parameter(id)) e.parameters.push_back(id);
    }
  }
  e.sets = reader.align(raw, e.parameters);
  e.text = std::string(text);
  e.hash = core::fnv1a_hex(text);
  return e;
}

Ensemble read_ensemble(const std::string& path) {
  const std::string text = core::read_input_file(path, "cannot read the ensemble file",
                                                 "a TOML ensemble file (docs/ensemble.md)");
  return parse_ensemble(text, path);
}

std::string ensemble_to_toml(const Ensemble& e, std::string_view metadata) {
  // A JSON string is a TOML basic string (the same escapes).
  std::string out = "[ensemble]\nmethod = " + nlohmann::json(e.method).dump() + "\n";
  out += metadata;
  if (!metadata.empty() && metadata.back() != '\n') out += '\n';
  for (const auto& set : e.sets) {
    out += fmt::format("\n[[sets]]\nweight = {}\n", core::format_double(set.weight));
    if (set.structure) {
      std::string inline_table;
      for (const auto& row : scenario::model_settings()) {
        inline_table += fmt::format("{}{} = {}", inline_table.empty() ? "" : ", ", row.info.key,
                                    scenario::toml_text(row.get(*set.structure)));
      }
      out += "model = { " + inline_table + " }\n";
    }
    for (std::size_t i = 0; i < e.parameters.size(); ++i) {
      if (std::isnan(set.values[i])) continue;  // not read by the set's model
      out += fmt::format("{} = {}\n", model::spec(e.parameters[i]).name,
                         core::format_double(set.values[i]));
    }
  }
  return out;
}

std::uint32_t draw_set(const Ensemble& e, std::uint64_t seed, std::uint32_t replicate) {
  double total = 0.0;
  for (const auto& s : e.sets) total += s.weight;
  RandomStream stream(seed, replicate, 0, Purpose::kEnsembleSet);
  const double u = stream.uniform() * total;
  double cumulative = 0.0;
  for (std::size_t k = 0; k < e.sets.size(); ++k) {
    cumulative += e.sets[k].weight;
    if (u < cumulative) return static_cast<std::uint32_t>(k);
  }
  return static_cast<std::uint32_t>(e.sets.size() - 1);  // u * total rounded up to the total
}

double ensemble_quantile(const Ensemble& e, std::size_t index, double q) {
  std::vector<std::pair<double, double>> vw;  // value, weight
  double total = 0.0;
  bool equal = true;
  for (const auto& s : e.sets) {
    if (std::isnan(s.values.at(index))) continue;  // a set whose model does not read it
    vw.emplace_back(s.values.at(index), s.weight);
    total += s.weight;
    equal = equal && s.weight == vw.front().second;
  }
  if (vw.empty()) return std::numeric_limits<double>::quiet_NaN();
  if (equal) {
    std::vector<double> values;
    for (const auto& [v, w] : vw) values.push_back(v);
    return core::quantile(std::move(values), q);
  }
  std::sort(vw.begin(), vw.end());
  double cumulative = 0.0;
  for (const auto& [v, w] : vw) {
    cumulative += w / total;
    if (cumulative >= q) return v;
  }
  return vw.back().first;
}

void apply_set(const Ensemble& e, std::uint32_t k, scenario::Scenario& scenario) {
  const auto& set = e.sets.at(k);
  if (set.structure) scenario.structure = *set.structure;
  for (std::size_t i = 0; i < e.parameters.size(); ++i) {
    if (!std::isnan(set.values[i])) scenario.parameters.set(e.parameters[i], set.values[i]);
  }
}

void check_structure(const Ensemble& e, const std::string& origin,
                     const scenario::Scenario& scenario) {
  if (e.sets.front().structure) return;  // each set's own model reads what it names (parse)
  for (const auto id : e.parameters) {
    if (model::uses_parameter(scenario.structure, id)) continue;
    throw UserError(
        {origin, std::nullopt, std::nullopt, std::string(model::spec(id).name)},
        fmt::format("the ensemble's sets give {} but name no model, and {}", model::spec(id).name,
                    model::not_read(id, fmt::format("the model of scenario '{}'", scenario.name))),
        fmt::format("a scenario whose [model] has {}, or sets with model = {{ {} }}",
                    model::form_reading(id), model::form_reading(id)));
  }
}

void check_overrides(const Ensemble& e, const std::string& origin,
                     std::span<const scenario::Override> overrides) {
  constexpr std::string_view kPrefix = "parameters.";
  for (const auto& o : overrides) {
    if (o.path.rfind(kPrefix, 0) != 0) continue;
    const auto id = model::find_parameter(std::string_view(o.path).substr(kPrefix.size()));
    if (id && e.sets_parameter(*id)) {
      throw UserError(
          {"", std::nullopt, std::nullopt, "--set " + o.path},
          fmt::format("{} is set by every parameter set of the ensemble {}", o.value, origin),
          "--set on a parameter the ensemble does not set, or another ensemble file");
    }
  }
}

}  // namespace il2sim::calibration
