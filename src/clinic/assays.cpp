#include "clinic/assays.hpp"

#include <cmath>

#include <fmt/format.h>

namespace il2sim::clinic {

using model::ParamId;

Assays::Assays(const scenario::Scenario& s, const model::IndividualParameters& p,
               RandomStream stream)
    : s_(s), p_(p), stream_(stream) {}

std::string Assays::label(std::size_t index) const {
  if (index >= kVisitFromStart) {
    const double offset = s_.assays.visits_from_start[index - kVisitFromStart];
    return offset < 0 ? std::string(kBaselineVisit) : fmt::format("IL2 D{:g}", offset);
  }
  return fmt::format("TX D{:g}", s_.assays.visits_from_transplant[index]);
}

double Assays::noisy(double value, double cv) {
  // Log-normal assay error with the given CV (sigma² = ln(1 + CV²)), median-unbiased.
  if (cv <= 0.0 || value <= 0.0) return value;
  return value * std::exp(std::sqrt(std::log1p(cv * cv)) * stream_.normal());
}

void Assays::visit(double t, std::span<const double> y, const sim::ModelContext& m,
                   std::size_t index, std::vector<LabValue>& labs) {
  const auto o = m.observe(y);
  const auto& par = s_.parameters;
  const std::string visit_label = label(index);
  auto add = [&](const char* code, double value, double et = 0.0) {
    labs.push_back({t, code, value, et, visit_label});
  };
  const double cv_cells = par[ParamId::kCvCells];
  const double nk = noisy(o.NK_blood, cv_cells);
  const double cd8 = noisy(o.CD8_blood, cv_cells);
  add("NKBLD", nk);
  add("CD8BLD", cd8);
  add("PLAT", noisy(o.platelets, par[ParamId::kCvPlatelets]));
  add("SIL2RA", noisy(o.sIL2Ra, par[ParamId::kCvSil2ra]));
  add("WTGAIN", o.weight_gain);
  add("IL2CONC", noisy(o.C, par[ParamId::kCvIl2]));
  // Cytotoxicity on the measured effectors: lysis rate constants carry the cell-count assay error.
  const double lymph = nk + cd8 + p_.other_lymph * y[model::kBE];
  const double phi = lymph > 0 ? nk / lymph : 0.0;
  const double a = y[model::kAct];
  const double kk = p_.kappa_K * phi * (1.0 + a);
  const double kd = p_.kappa_D * phi * a;
  for (const double et : model::kEffectorTargetRatios) {
    add("LYSK562", 100.0 * (1.0 - std::exp(-kk * et)), et);
    add("LYSDAUDI", 100.0 * (1.0 - std::exp(-kd * et)), et);
  }
  add("LU20K562", kk > 0 ? 1e7 / (-std::log(0.8) / kk * 1e4) : 0.0);
  add("LU20DAUD", kd > 0 ? 1e7 / (-std::log(0.8) / kd * 1e4) : 0.0);
  add("MRD", o.mrd_positive ? 1.0 : 0.0);
}

}  // namespace il2sim::clinic
