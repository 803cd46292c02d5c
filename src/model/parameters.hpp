#pragma once
/// @file parameters.hpp
/// The parameter table: every model parameter with name, unit, default, inter-individual
/// variability, allowed range and source. It is the single source that the model code, `il2sim
/// params`, scenario validation and the generated docs (docs/parameters.md) all read.

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/fields.hpp"

namespace il2sim::model {

/// How a default scales with the patient's body-surface area.
enum class BsaScaling {
  kNone,     ///< value as given
  kPerM2,    ///< value × BSA (unit is per m²)
  kPerRefM2  ///< value × BSA / 1.8 (value given for the 1.8 m² reference adult)
};

/// Identifier of a parameter; the order matches kParameterTable (checked by a test).
enum class ParamId : std::size_t {
  // Pharmacokinetics (model.md §1, §6)
  kV1,
  kV2,
  kQ,
  kCLlin,
  kCLcell0,
  kEref,
  kKC,
  kKaSc,
  kFSc,
  kPotencyRoche,
  // Immune reconstitution and IL-2 response
  kN0,
  kE0,
  kSNinf,
  kDN,
  kTauN,
  kPN,
  kEC50pN,
  kAsN,
  kEC50D,
  kKD,
  kSEinf,
  kDE,
  kTauE,
  kTauEAllo,
  kPE,
  kEC50pE,
  kRhoFitness,
  kAmax,
  kEC50a,
  kKa,
  kKmarg,
  kFmE,
  kKret,
  kEC50m,
  kDK,
  kKKRel,
  kBloodVolume,
  // Toxicity and biomarkers
  kKe0,
  kKW,
  kWmax,
  kEC50W,
  kGW,
  kWhyp,
  kEC50Fever,
  kPss,
  kKP,
  kTauP,
  kKPil2,
  kEC50P,
  kP0,
  kS0,
  kFS,
  kES,
  kEC50S,
  kKSout,
  // Tumour
  kRNhl,
  kRHd,
  kRAml,
  kRAll,
  kKcap,
  kLsat,
  kKN,
  kKE,
  kFGvlAllo,
  kD0,
  kLRelLymphoma,
  kLRelLeukaemia,
  kLMrd,
  kLStoch,
  kPNoDisease,
  kLog10L0Mean,
  kLog10L0Sd,
  kPNoDiseaseAmlCr1,
  kLog10L0MeanAmlCr1,
  kPNoDiseaseAmlBeyondCr1,
  kLog10L0MeanAmlBeyondCr1,
  // Observation model
  kKappaK,
  kKappaD,
  kOtherLymph,
  kCvCells,
  kCvSil2ra,
  kCvPlatelets,
  kCvIl2,
  // Clinical events
  kNrm1yAuto,
  kNrm1yAllo,
  kNrmShape,
  kGvhdNrmFactor,
  kPToxDeath,
  kPostRelapseMedianNhl,
  kPostRelapseMedianHd,
  kPostRelapseMedianAml,
  kPostRelapseMedianAll,
  kPostRelapseSigma,
  kH0Gvhd,
  kBetaG,
  kEC50G,
  // Appended last: IIV draws are one per row in table order (population.cpp);
  // earlier rows keep theirs.
  kKDOff,
  kKillMax,  ///< read only by [model] kill = "saturating" (model/structure.hpp)
  kDNb,      ///< read only by [model] nk = "il2_dependent"
  kEC50Nb,   ///< read only by [model] nk = "il2_dependent"
  kCount
};

inline constexpr std::size_t kParamCount = static_cast<std::size_t>(ParamId::kCount);

/// One row of the parameter table.
struct ParamSpec {
  ParamId id;
  std::string_view name;         ///< as written in scenarios and outputs
  std::string_view unit;         ///< unit of `default_value` (before BSA scaling)
  double default_value;          ///< the shipped default
  double omega;                  ///< SD of log(individual / typical); 0 = no variability
  double lower;                  ///< smallest value a scenario or calibration may set
  double upper;                  ///< largest value a scenario or calibration may set
  BsaScaling scaling;            ///< how the value scales with BSA
  std::string_view description;  ///< what it is, in one line
  std::string_view source;       ///< where the default comes from ("assumption" if nowhere)
  /// Empty, or how `il2sim calibrate` moved the default away from `source`'s value: the fit (its
  /// folder under calibration/fits/) and the prior value, e.g. "fit pk (calibration/fits/pk):
  /// 1540". The prior source stays in `source`.
  std::string_view calibration = {};
};

/// The table, in ParamId order.
[[nodiscard]] std::span<const ParamSpec> parameter_table();
/// How a value scales with BSA, as `il2sim params` writes it: "", "x BSA" or "x BSA/1.8".
[[nodiscard]] std::string_view scaling_text(BsaScaling s);
/// The columns of the parameter reference (`il2sim params --json` keys, the API's params table):
/// name, unit, default, omega, lower, upper, bsa_scaling, description, source, calibration.
[[nodiscard]] core::FieldTable<ParamSpec> parameter_fields();
[[nodiscard]] const ParamSpec& spec(ParamId id);
/// Looks a parameter up by its name; nullopt if there is none.
[[nodiscard]] std::optional<ParamId> find_parameter(std::string_view name);
/// The closest parameter name (edit distance), for "did you mean" messages; empty if none is close.
[[nodiscard]] std::string closest_parameter_name(std::string_view name);
/// The problem of a name that is not a parameter, for every error message that reports one:
/// "unknown parameter" (with 'name' after it when `quote_name`: for messages whose key does not
/// show the name already), then "; did you mean 'X'?" when a parameter's name is close.
[[nodiscard]] std::string unknown_parameter(std::string_view name, bool quote_name);
/// What a parameter name may be, for the "allowed" part of those messages.
inline constexpr std::string_view kParameterNamesAllowed = "a name listed by `il2sim params`";

/// A full set of population (typical) values, one per parameter, defaults unless overridden.
class ParameterSet {
 public:
  ParameterSet();  ///< all defaults
  [[nodiscard]] double operator[](ParamId id) const {
    return values_[static_cast<std::size_t>(id)];
  }
  /// Sets one value. Range checking is the caller's job at the input edge (scenario validation).
  void set(ParamId id, double value) { values_[static_cast<std::size_t>(id)] = value; }
  [[nodiscard]] bool is_default(ParamId id) const;

 private:
  std::array<double, kParamCount> values_{};
};

}  // namespace il2sim::model
