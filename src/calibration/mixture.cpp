#include "calibration/mixture.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/text.hpp"
#include "model/structure.hpp"
#include "scenario/toml_input.hpp"

namespace il2sim::calibration {
namespace {

[[noreturn]] void refuse(const std::string& origin, const std::string& key,
                         const std::string& problem, const std::string& allowed) {
  throw UserError({origin, std::nullopt, std::nullopt, key}, problem, allowed);
}

/// The component's one structure; refuses sets without `model` or with several.
model::Structure structure_of(const MixComponent& c) {
  const auto& first = c.ensemble.sets.front().structure;
  if (!first)
    refuse(c.origin, "sets[0].model",
           "missing: the structure its sets were calibrated under is unknown",
           "an ensemble whose sets give model = {...} (calibrate --posterior writes it)");
  if (c.ensemble.mixes_structures())
    refuse(c.origin, "sets", "already mixes structural variants",
           "ensembles of one structure each (mix the original posteriors)");
  return *first;
}

/// A TOML value as TOML text.
std::string node_text(const toml::node& n) {
  std::ostringstream out;
  n.visit([&out](const auto& v) { out << v; });
  return out.str();
}

/// The metadata the evidences must agree on, as text, and the log evidence.
struct EvidenceFacts {
  std::string agreement;
  double log_evidence = 0.0;
};

EvidenceFacts evidence_facts(const MixComponent& c) {
  const auto root = scenario::parse_toml_text(c.ensemble.text, c.origin);
  const auto* e = root["ensemble"].as_table();
  const auto text = [&](const char* key) {
    const auto* n = e->get(key);
    if (n == nullptr)
      refuse(c.origin, std::string("ensemble.") + key, "missing",
             "an abc-smc posterior of `il2sim calibrate --posterior` (or --weights equal|W,...)");
    return node_text(*n);
  };
  if (c.ensemble.method != "abc-smc")
    refuse(c.origin, "ensemble.method", fmt::format("'{}' records no evidence", c.ensemble.method),
           "abc-smc posteriors with --weights evidence, or --weights equal|W,...");
  const auto z = root["ensemble"]["diagnostics"]["log_evidence"].value<double>();
  if (!z || !std::isfinite(*z))
    refuse(c.origin, "ensemble.diagnostics.log_evidence", "missing or not a finite number",
           "the log evidence an abc-smc posterior records");
  const auto* scale = e->get("patients_scale");
  return {fmt::format("targets_hash {}, targets_seed {}, targets {}, patients_scale {}, "
                      "likelihood {}",
                      text("targets_hash"), text("targets_seed"), text("targets"),
                      scale == nullptr ? "1" : node_text(*scale), text("likelihood")),
          *z};
}

std::vector<double> model_weights(const std::vector<MixComponent>& cs, const MixWeights& w,
                                  std::vector<double>& log_evidence) {
  const auto m = cs.size();
  log_evidence.assign(m, std::numeric_limits<double>::quiet_NaN());
  std::vector<double> out(m, 1.0 / static_cast<double>(m));
  if (w.kind == MixWeights::Kind::kGiven) {
    if (w.given.size() != m)
      refuse("", "--weights", fmt::format("{} weights for {} ensembles", w.given.size(), m),
             "one weight per ensemble, in order, or evidence, or equal");
    double total = 0.0;
    for (const double x : w.given) {
      if (!(x > 0.0 && std::isfinite(x)))
        refuse("", "--weights", fmt::format("{} is not a weight", x), "finite numbers > 0");
      total += x;
    }
    for (std::size_t k = 0; k < m; ++k) out[k] = w.given[k] / total;
  }
  if (w.kind != MixWeights::Kind::kEvidence) return out;
  const auto first = evidence_facts(cs.front());
  log_evidence[0] = first.log_evidence;
  for (std::size_t k = 1; k < m; ++k) {
    const auto f = evidence_facts(cs[k]);
    if (f.agreement != first.agreement)
      refuse(cs[k].origin, "ensemble",
             fmt::format("its evidence is not comparable with {}'s: {} vs {}", cs.front().origin,
                         f.agreement, first.agreement),
             "posteriors of the same targets, seed, patients scale and likelihood, or --weights "
             "equal|W,...");
    log_evidence[k] = f.log_evidence;
  }
  const double top = *std::max_element(log_evidence.begin(), log_evidence.end());
  double total = 0.0;
  for (std::size_t k = 0; k < m; ++k) total += out[k] = std::exp(log_evidence[k] - top);
  for (auto& x : out) x /= total;
  return out;
}

/// Refuses a parameter some component samples that another component's model reads but that
/// component does not sample (its replicates would use the scenario's value: not a posterior).
void check_parameters(const std::vector<MixComponent>& cs,
                      const std::vector<model::Structure>& structures) {
  for (std::size_t a = 0; a < cs.size(); ++a) {
    for (const auto id : cs[a].ensemble.parameters) {
      for (std::size_t b = 0; b < cs.size(); ++b) {
        if (model::uses_parameter(structures[b], id) && !cs[b].ensemble.sets_parameter(id))
          refuse(
              cs[b].origin, std::string(model::spec(id).name),
              fmt::format("not sampled, though its model reads it and {} samples it", cs[a].origin),
              "ensembles of the same parameters, apart from those a model does not read");
      }
    }
  }
}

}  // namespace

Mixture mix_ensembles(const std::vector<MixComponent>& cs, const MixWeights& w) {
  if (cs.size() < 2)
    refuse("", "ensembles", fmt::format("{} ensemble given", cs.size()), "two or more to mix");
  std::vector<model::Structure> structures;
  for (const auto& c : cs) structures.push_back(structure_of(c));
  check_parameters(cs, structures);
  Mixture out;
  out.weights = model_weights(cs, w, out.log_evidence);
  Ensemble mixed;
  mixed.method = "model-average";
  for (const auto& c : cs) {
    for (const auto id : c.ensemble.parameters) {
      if (!mixed.sets_parameter(id)) mixed.parameters.push_back(id);
    }
  }
  std::string meta = fmt::format("weights = {}\n",
                                 nlohmann::json(w.kind == MixWeights::Kind::kEvidence ? "evidence"
                                                : w.kind == MixWeights::Kind::kEqual  ? "equal"
                                                                                      : "given")
                                     .dump());
  for (std::size_t m = 0; m < cs.size(); ++m) {
    const auto& e = cs[m].ensemble;
    double total = 0.0;
    for (const auto& s : e.sets) total += s.weight;
    for (const auto& s : e.sets) {
      EnsembleSet set{out.weights[m] * s.weight / total, {}, s.structure};
      for (const auto id : mixed.parameters) {
        const auto at = std::find(e.parameters.begin(), e.parameters.end(), id);
        set.values.push_back(at == e.parameters.end()
                                 ? std::numeric_limits<double>::quiet_NaN()
                                 : s.values[static_cast<std::size_t>(at - e.parameters.begin())]);
      }
      mixed.sets.push_back(std::move(set));
    }
    meta += fmt::format(
        "\n[[ensemble.components]]\nfile = {}\nhash = {}\nmethod = {}\nmodel = {}\nsets = {}\n"
        "probability = {}\n",
        nlohmann::json(cs[m].origin).dump(), nlohmann::json(e.hash).dump(),
        nlohmann::json(e.method).dump(), nlohmann::json(model::describe(structures[m])).dump(),
        e.sets.size(), core::format_double(out.weights[m]));
    if (std::isfinite(out.log_evidence[m]))
      meta += fmt::format("log_evidence = {}\n", core::format_double(out.log_evidence[m]));
  }
  out.toml = ensemble_to_toml(mixed, meta);
  return out;
}

}  // namespace il2sim::calibration
