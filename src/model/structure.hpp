#pragma once
/// @file structure.hpp
/// The model's structural variants (docs/model.md "Structural variants"): switches that choose
/// between alternative forms of one mechanism, set by a scenario's `[model]` section and carried
/// by each set of a parameter ensemble. The one home of the switches: the scenario's setting
/// table, the ensemble file's `model = {...}` and the reference are generated from
/// structure_switches().

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/parameters.hpp"

namespace il2sim::model {

/// How the per-cell tumour kill grows with the effectors' kill capacity
/// Z = (kN·N + kE·fGVL·E + kK·K)·(1 + a).
enum class KillForm {
  kMassAction,  ///< kill = Z (model.md §2: linear in every effector count)
  kSaturating   ///< kill = Z / (1 + Z / kill_max): Michaelis–Menten in Z, at most kill_max
};

/// How NK cells respond to IL-2 and contract after it (docs/model.md "IL-2-dependent NK survival").
enum class NkForm {
  kSinglePool,   ///< one NK pool: IL-2's extra production and proliferation make long-lived cells
  kIl2Dependent  ///< a resting pool and an IL-2-dependent pool that dies fast without IL-2
};

/// Every structural switch's current form. The default is the v1 model of model.md.
struct Structure {
  KillForm kill = KillForm::kMassAction;
  NkForm nk = NkForm::kSinglePool;
  bool operator==(const Structure&) const = default;
};

/// One form of a switch: its name as written, what it means, the parameters only it uses.
struct SwitchForm {
  std::string_view name;
  std::string_view meaning;
  std::vector<ParamId> parameters;  ///< used by this form and by no other form of the switch
};

/// One switch: its key in `[model]`, what it chooses, its forms (the first is the default).
struct StructureSwitch {
  std::string_view key;
  std::string_view meaning;
  std::vector<SwitchForm> forms;
  int (*get)(const Structure&);  ///< index of the current form
  void (*set)(Structure&, int);  ///< sets the form of that index
};

/// The switches, in the order the reference and the resolved scenario list them.
[[nodiscard]] std::span<const StructureSwitch> structure_switches();

/// Whether a parameter is read by the model under `s`: false only for a parameter that belongs to
/// a form of a switch other than the chosen one.
[[nodiscard]] bool uses_parameter(const Structure& s, ParamId id);

/// The switch of that key and the index of the form of that name; nullopt when either is unknown.
[[nodiscard]] const StructureSwitch* find_switch(std::string_view key);
[[nodiscard]] std::optional<int> find_form(const StructureSwitch& sw, std::string_view name);

/// The form that reads a parameter, as `key = "form"`; "" for a parameter every structure reads.
[[nodiscard]] std::string form_reading(ParamId id);
/// The same as the `--set` that chooses it: `model.key=form`.
[[nodiscard]] std::string set_reading(ParamId id);
/// The one wording of the refusal of a parameter that `whose_model` ("the model of this scenario",
/// "the set's model", …) does not read: `<whose_model> does not read it (only key = "form" does)`.
[[nodiscard]] std::string not_read(ParamId id, std::string_view whose_model);

/// `key = "form"` of every switch, comma-separated.
[[nodiscard]] std::string describe(const Structure& s);

}  // namespace il2sim::model
