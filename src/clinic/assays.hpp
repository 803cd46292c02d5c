#pragma once
/// @file assays.hpp
/// Assay visits: the lab and assay values of one visit (ADLB) from the model's observation of the
/// state, with log-normal measurement error from the patient's assay stream. This is the clinic's
/// only use of the model (ModelContext::observe).

#include <span>
#include <string>
#include <vector>

#include "clinic/event_clock.hpp"
#include "clinic/record.hpp"
#include "core/random.hpp"
#include "model/il2_model.hpp"
#include "scenario/scenario.hpp"
#include "sim/controller.hpp"

namespace il2sim::clinic {

class Assays {
 public:
  Assays(const scenario::Scenario& s, const model::IndividualParameters& p, RandomStream stream);
  /// The visit label of visit `index` ("BASELINE", "IL2 D4", "TX D30").
  [[nodiscard]] std::string label(std::size_t index) const;
  /// Measures every lab and assay at t in state y; appends them to `labs`.
  void visit(double t, std::span<const double> y, const sim::ModelContext& m, std::size_t index,
             std::vector<LabValue>& labs);

 private:
  [[nodiscard]] double noisy(double value, double cv);

  const scenario::Scenario& s_;
  const model::IndividualParameters& p_;
  RandomStream stream_;
};

}  // namespace il2sim::clinic
