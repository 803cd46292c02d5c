// `il2sim ensemble mix`: posteriors of structural variants mixed into one ensemble for
// `run --ensemble`, weighted by their evidence (Bayesian model averaging), equally, or as given.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "calibration/mixture.hpp"
#include "cli/app.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "model/structure.hpp"

namespace il2sim::cli {
namespace {

struct MixArgs {
  std::vector<std::string> files;
  std::string weights = "evidence";
  std::string out;
};

calibration::MixWeights mix_weights(const std::string& text) {
  calibration::MixWeights w;
  if (text == "evidence") return w;
  if (text == "equal") {
    w.kind = calibration::MixWeights::Kind::kEqual;
    return w;
  }
  w.kind = calibration::MixWeights::Kind::kGiven;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    std::size_t used = 0;
    double x = 0.0;
    try {
      x = std::stod(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (item.empty() || used != item.size())
      throw UserError({"", std::nullopt, std::nullopt, "--weights"},
                      fmt::format("'{}' is not a weight", item),
                      "evidence, equal, or one number > 0 per ensemble, comma-separated");
    w.given.push_back(x);
    start = comma + 1;
  }
  return w;
}

void run_mix(const MixArgs& a) {
  const auto weights = mix_weights(a.weights);
  std::vector<calibration::MixComponent> components;
  for (const auto& f : a.files) components.push_back({f, calibration::read_ensemble(f)});
  const auto mixed = calibration::mix_ensembles(components, weights);
  core::write_file_atomically(a.out, mixed.toml);
  for (std::size_t m = 0; m < components.size(); ++m) {
    const auto& c = components[m];
    std::printf("%s: model { %s }, %zu sets, log evidence %s, probability %.4f\n", c.origin.c_str(),
                model::describe(*c.ensemble.sets.front().structure).c_str(), c.ensemble.sets.size(),
                std::isfinite(mixed.log_evidence[m])
                    ? fmt::format("{:.4g}", mixed.log_evidence[m]).c_str()
                    : "not used",
                mixed.weights[m]);
  }
  std::printf("wrote %s\n", a.out.c_str());
}

}  // namespace

void register_ensemble(CLI::App& app) {
  auto* cmd = app.add_subcommand("ensemble", "Parameter ensembles (docs/ensemble.md)");
  cmd->require_subcommand(1);
  auto args = std::make_shared<MixArgs>();
  auto* mix = cmd->add_subcommand(
      "mix",
      "Mix ensembles calibrated under different structural variants ([model] switches) into one "
      "ensemble for `run --ensemble`, each weighted by its posterior model probability");
  mix->add_option("ensembles", args->files,
                  "Two or more ensemble files whose sets give model = {...} (calibrate "
                  "--posterior writes them)")
      ->required()
      ->expected(2, -1);
  mix->add_option("--weights", args->weights,
                  "evidence: exp(log evidence), normalised (equal prior model probabilities; "
                  "abc-smc posteriors of the same targets); equal; or W1,W2,... one per file")
      ->capture_default_str();
  mix->add_option("--out", args->out, "The mixed ensemble file")->required();
  mix->callback([args] { run_mix(*args); });
}

}  // namespace il2sim::cli
