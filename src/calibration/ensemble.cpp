#include "calibration/ensemble.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/random.hpp"
#include "core/statistics.hpp"
#include "core/text.hpp"
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

  /// One [[sets]] table: its weight and its parameter values (in file order).
  EnsembleSet set(const toml::table& t, std::size_t index, Ensemble& e) const {
    EnsembleSet out;
    const std::string path = fmt::format("sets[{}]", index);
    std::vector<model::ParamId> named;
    for (const auto& [key, value] : t) {
      const std::string name(key.str());
      const std::string where = path + "." + name;
      if (name == "weight") {
        out.weight = number(value, where);
        if (!std::isfinite(out.weight) || out.weight <= 0)
          fail(&value, where, fmt::format("{} is not a weight", core::format_double(out.weight)),
               "a finite number > 0 (default 1)");
        continue;
      }
      const auto id = parameter(&value, where, name);
      const double v = number(value, where);
      const auto& sp = model::spec(id);
      if (!(v >= sp.lower && v <= sp.upper))
        fail(&value, where, fmt::format("{} is out of range", core::format_double(v)),
             fmt::format("{:g} to {:g} (the parameter table's bounds)", sp.lower, sp.upper));
      named.push_back(id);
      out.values.push_back(v);
    }
    if (index == 0) {
      if (named.empty())
        fail(&t, path, "names no parameter", "at least one parameter = value of `il2sim params`");
      e.parameters = named;
      return out;
    }
    return reorder(t, path, e.parameters, named, out);
  }

  /// The values of a later set in the first set's order; refuses other parameters than the first's.
  EnsembleSet reorder(const toml::table& t, const std::string& path,
                      const std::vector<model::ParamId>& first,
                      const std::vector<model::ParamId>& named, EnsembleSet in) const {
    EnsembleSet out{in.weight, {}};
    for (const auto id : first) {
      const auto it = std::find(named.begin(), named.end(), id);
      if (it == named.end())
        fail(&t, path, fmt::format("does not name '{}'", model::spec(id).name),
             "every set names the parameters of sets[0]");
      out.values.push_back(in.values[static_cast<std::size_t>(it - named.begin())]);
    }
    for (const auto id : named) {
      if (std::find(first.begin(), first.end(), id) == first.end())
        fail(t.get(model::spec(id).name), path + "." + std::string(model::spec(id).name),
             "is not named by sets[0]", "every set names the parameters of sets[0]");
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
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto* t = (*list)[i].as_table();
    if (t == nullptr)
      reader.fail(&(*list)[i], fmt::format("sets[{}]", i), "expected a table",
                  "[[sets]] tables of parameter = value");
    e.sets.push_back(reader.set(*t, i, e));
  }
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
    for (std::size_t i = 0; i < e.parameters.size(); ++i) {
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
    vw.emplace_back(s.values.at(index), s.weight);
    total += s.weight;
    equal = equal && s.weight == e.sets.front().weight;
  }
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

void apply_set(const Ensemble& e, std::uint32_t k, model::ParameterSet& parameters) {
  const auto& set = e.sets.at(k);
  for (std::size_t i = 0; i < e.parameters.size(); ++i)
    parameters.set(e.parameters[i], set.values[i]);
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
