#include "sim/trajectory.hpp"

#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"

namespace il2sim::sim {

const std::vector<TrajectoryColumn>& trajectory_columns() {
  static const std::vector<TrajectoryColumn> columns{
      {"rate", "IU/day", "IL-2 infusion rate into the central compartment (Chiron IU)"},
      {"C", "IU/mL", "IL-2 plasma concentration"},
      {"A1", "IU", "IL-2 amount, central compartment"},
      {"A2", "IU", "IL-2 amount, peripheral compartment"},
      {"Ad", "IU", "IL-2 amount, SC depot"},
      {"Ce", "IU/mL", "effect-site IL-2 driving toxicity"},
      {"W", "% body weight", "fluid retention (capillary leak)"},
      {"a", "-", "cytolytic activation index"},
      {"D", "-", "high-affinity drive of NK differentiation"},
      {"BN", "-", "fraction of the NK pool in blood"},
      {"BE", "-", "fraction of the CD8 pool in blood"},
      {"N", "cells/uL", "NK (CD3-CD56+) body pool"},
      {"E", "cells/uL", "CD8+ T (CD3+CD8+) body pool"},
      {"K", "cells/uL", "infused LAK cells"},
      {"P", "10^9/L", "platelets"},
      {"S", "pg/mL", "soluble IL-2Ralpha"},
      {"L", "cells", "malignant cells (whole body)"},
      {"IL2_eliminated", "IU", "cumulative IL-2 eliminated"},
      {"AUC", "IU*day/mL", "cumulative area under the IL-2 concentration curve"},
      {"CL_total", "mL/min", "total IL-2 clearance (linear + cell-mediated)"},
      {"NK_blood", "cells/uL", "blood NK count ((N + Nb) x BN)"},
      {"CD8_blood", "cells/uL", "blood CD8 count (E x BE)"},
      {"lymph_blood", "cells/uL", "blood lymphocytes (NK + CD8 + other)"},
      {"K562_lysis_40", "%", "K562 specific lysis at 40:1"},
      {"K562_lysis_20", "%", "K562 specific lysis at 20:1"},
      {"K562_lysis_10", "%", "K562 specific lysis at 10:1"},
      {"K562_lysis_5", "%", "K562 specific lysis at 5:1"},
      {"Daudi_lysis_40", "%", "Daudi specific lysis at 40:1"},
      {"Daudi_lysis_20", "%", "Daudi specific lysis at 20:1"},
      {"Daudi_lysis_10", "%", "Daudi specific lysis at 10:1"},
      {"Daudi_lysis_5", "%", "Daudi specific lysis at 5:1"},
      {"K562_LU20", "LU/10^7 cells", "K562 lytic units (20 %) per 10^7 effectors"},
      {"Daudi_LU20", "LU/10^7 cells", "Daudi lytic units (20 %) per 10^7 effectors"},
      {"sIL2Ra", "pg/mL", "soluble IL-2Ralpha as measured"},
      {"platelets", "10^9/L", "platelets as measured"},
      {"weight_gain", "% body weight", "weight gain"},
      {"MRD_positive", "0/1", "MRD assay positive (L >= L_MRD)"},
      {"Nb", "cells/uL",
       "IL-2-dependent NK pool ([model] nk = \"il2_dependent\"; N is then the resting pool; 0 "
       "under \"single_pool\")"},
  };
  return columns;
}

Observer TrajectoryRecorder::observer() {
  return [this](double t, std::span<const double> y, const ModelContext& context) {
    const auto o = context.observe(y);
    days_.push_back(t);
    const double row[] = {context.inputs.infusion_rate,
                          o.C,
                          y[model::kA1],
                          y[model::kA2],
                          y[model::kAd],
                          y[model::kCe],
                          y[model::kW],
                          y[model::kAct],
                          y[model::kD],
                          y[model::kBN],
                          y[model::kBE],
                          y[model::kN],
                          y[model::kE],
                          y[model::kK],
                          y[model::kP],
                          y[model::kS],
                          o.L,
                          y[model::kElim],
                          y[model::kAuc],
                          o.clearance_ml_min,
                          o.NK_blood,
                          o.CD8_blood,
                          o.lymph_blood,
                          o.K562_lysis[0],
                          o.K562_lysis[1],
                          o.K562_lysis[2],
                          o.K562_lysis[3],
                          o.Daudi_lysis[0],
                          o.Daudi_lysis[1],
                          o.Daudi_lysis[2],
                          o.Daudi_lysis[3],
                          o.K562_LU20,
                          o.Daudi_LU20,
                          o.sIL2Ra,
                          o.platelets,
                          o.weight_gain,
                          o.mrd_positive ? 1.0 : 0.0,
                          y[model::kNb]};
    static_assert(std::size(row) == 38);
    IL2SIM_ASSERT(std::size(row) == trajectory_columns().size(),
                  "trajectory row matches its columns");
    values_.insert(values_.end(), std::begin(row), std::end(row));
  };
}

double TrajectoryRecorder::at(std::size_t row, std::string_view column) const {
  const auto& cols = trajectory_columns();
  for (std::size_t j = 0; j < cols.size(); ++j) {
    if (cols[j].name == column) return values_[row * cols.size() + j];
  }
  IL2SIM_ASSERT(false, "unknown trajectory column");
  return 0.0;
}

std::string TrajectoryRecorder::to_csv() const {
  const auto& cols = trajectory_columns();
  std::string out = "day";
  for (const auto& c : cols) out += fmt::format(",{}", c.name);
  out += '\n';
  for (std::size_t i = 0; i < days_.size(); ++i) {
    out += fmt::format("{:.10g}", days_[i]);
    for (std::size_t j = 0; j < cols.size(); ++j)
      out += fmt::format(",{:.8g}", values_[i * cols.size() + j]);
    out += '\n';
  }
  return out;
}

}  // namespace il2sim::sim
