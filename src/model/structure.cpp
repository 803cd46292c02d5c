#include "model/structure.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace il2sim::model {

std::span<const StructureSwitch> structure_switches() {
  static const std::vector<StructureSwitch> rows{
      {"kill",
       "how the per-cell tumour kill grows with the effectors' kill capacity Z = (kN·N + kE·fGVL·E "
       "+ kK·K)·(1 + a)",
       {{"mass_action", "kill = Z, linear in every effector count (model.md §2; v1)", {}},
        {"saturating",
         "kill = Z / (1 + Z / kill_max): Michaelis–Menten in Z, so that added effectors kill "
         "less and less and the kill never exceeds kill_max",
         {ParamId::kKillMax}}},
       [](const Structure& s) { return static_cast<int>(s.kill); },
       [](Structure& s, int k) { s.kill = static_cast<KillForm>(k); }},
      {"nk",
       "how NK cells respond to IL-2 and contract after it stops",
       {{"single_pool",
         "one NK pool N: the high-affinity drive's extra production and the proliferation on IL-2 "
         "add cells that die at dN like any other (model.md §2; v1)",
         {}},
        {"il2_dependent",
         "a resting pool N (reconstitution only) and an IL-2-dependent pool Nb (CD56bright and "
         "IL-2-expanded cells): the high-affinity drive's extra production, gated by IL-2 at "
         "EC50Nb, and all proliferation on IL-2 enter Nb, which dies at dN + dNb·(1 − H(C; "
         "EC50Nb)), so the expansion contracts within days of the last IL-2",
         {ParamId::kDNb, ParamId::kEC50Nb}}},
       [](const Structure& s) { return static_cast<int>(s.nk); },
       [](Structure& s, int k) { s.nk = static_cast<NkForm>(k); }}};
  return rows;
}

bool uses_parameter(const Structure& s, ParamId id) {
  for (const auto& sw : structure_switches()) {
    const int chosen = sw.get(s);
    for (int k = 0; k < static_cast<int>(sw.forms.size()); ++k) {
      const auto& ps = sw.forms[static_cast<std::size_t>(k)].parameters;
      if (k != chosen && std::find(ps.begin(), ps.end(), id) != ps.end()) return false;
    }
  }
  return true;
}

const StructureSwitch* find_switch(std::string_view key) {
  for (const auto& sw : structure_switches()) {
    if (sw.key == key) return &sw;
  }
  return nullptr;
}

std::optional<int> find_form(const StructureSwitch& sw, std::string_view name) {
  for (std::size_t k = 0; k < sw.forms.size(); ++k) {
    if (sw.forms[k].name == name) return static_cast<int>(k);
  }
  return std::nullopt;
}

namespace {

/// The switch and the form that read `id` only; nullptr where every form reads it.
std::pair<const StructureSwitch*, const SwitchForm*> reading(ParamId id) {
  for (const auto& sw : structure_switches()) {
    for (const auto& form : sw.forms) {
      if (std::find(form.parameters.begin(), form.parameters.end(), id) != form.parameters.end())
        return {&sw, &form};
    }
  }
  return {nullptr, nullptr};
}

}  // namespace

std::string form_reading(ParamId id) {
  const auto [sw, form] = reading(id);
  return sw == nullptr ? std::string() : fmt::format("{} = \"{}\"", sw->key, form->name);
}

std::string set_reading(ParamId id) {
  const auto [sw, form] = reading(id);
  return sw == nullptr ? std::string() : fmt::format("model.{}={}", sw->key, form->name);
}

std::string not_read(ParamId id, std::string_view whose_model) {
  return fmt::format("{} does not read it (only {} does)", whose_model, form_reading(id));
}

std::string describe(const Structure& s) {
  std::string out;
  for (const auto& sw : structure_switches()) {
    const int k = sw.get(s);
    out += fmt::format("{}{} = \"{}\"", out.empty() ? "" : ", ", sw.key,
                       sw.forms[static_cast<std::size_t>(k)].name);
  }
  return out;
}

}  // namespace il2sim::model
