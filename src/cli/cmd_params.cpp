// `il2sim params [--markdown|--json]`: the parameter reference, generated from model/parameters.
#include <cstdio>
#include <memory>
#include <string>
#include <variant>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/app.hpp"
#include "model/parameters.hpp"

namespace il2sim::cli {
namespace {

using model::scaling_text;

std::string range_text(const model::ParamSpec& p) {
  return fmt::format("{:g}-{:g}", p.lower, p.upper);
}

/// The source, followed by the calibration that moved the default, if any.
std::string provenance(const model::ParamSpec& p) {
  if (p.calibration.empty()) return std::string(p.source);
  return fmt::format("{}; calibrated: {}", p.source, p.calibration);
}

void print_markdown() {
  std::string out =
      "| name | unit | default | scaling | IIV omega | range | description | source |\n"
      "|---|---|---|---|---|---|---|---|\n";
  for (const auto& p : model::parameter_table()) {
    out += fmt::format("| {} | {} | {:g} | {} | {} | {} | {} | {} |\n", p.name, p.unit,
                       p.default_value, scaling_text(p.scaling),
                       p.omega > 0 ? fmt::format("{:g}", p.omega) : "-", range_text(p),
                       p.description, provenance(p));
  }
  std::fputs(out.c_str(), stdout);
}

void print_text() {
  std::string out =
      fmt::format("{:<24} {:>12} {:<22} {:>6}  {}\n", "name", "default", "unit", "omega", "source");
  for (const auto& p : model::parameter_table()) {
    std::string unit(p.unit);
    if (p.scaling != model::BsaScaling::kNone)
      unit += fmt::format(" ({})", scaling_text(p.scaling));
    out += fmt::format("{:<24} {:>12g} {:<22} {:>6g}  {}\n", p.name, p.default_value, unit, p.omega,
                       provenance(p));
  }
  std::fputs(out.c_str(), stdout);
}

/// A field value as JSON (the parameter table has numbers and text only).
nlohmann::json json_of(const core::FieldValue& v) {
  if (std::holds_alternative<double>(v)) return std::get<double>(v);
  return std::string(core::text_of(v));
}

void print_json() {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& p : model::parameter_table()) {
    nlohmann::json row = nlohmann::json::object();
    for (const auto& f : model::parameter_fields()) row[std::string(f.name)] = json_of(f.get(p));
    rows.push_back(std::move(row));
  }
  const nlohmann::json doc{{"parameters", rows}};
  std::puts(doc.dump(2).c_str());
}

}  // namespace

void register_params(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "params", "Print the parameter reference (name, unit, default, IIV, range, source)");
  auto markdown = std::make_shared<bool>(false);
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--markdown", *markdown,
                "Markdown table (docs/parameters.md is generated this way)");
  cmd->add_flag("--json", *json, "One JSON document on stdout");
  cmd->callback([markdown, json] {
    if (*json) {
      print_json();
    } else if (*markdown) {
      print_markdown();
    } else {
      print_text();
    }
  });
}

}  // namespace il2sim::cli
