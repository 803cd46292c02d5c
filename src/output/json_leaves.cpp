#include "output/json_leaves.hpp"

#include <fmt/format.h>

namespace il2sim::output {
namespace {

void collect(const nlohmann::json& j, const std::string& key, JsonLeaves& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) collect(v, key.empty() ? k : key + "." + k, out);
  } else if (j.is_array()) {
    for (std::size_t k = 0; k < j.size(); ++k) collect(j[k], fmt::format("{}[{}]", key, k), out);
  } else {
    out.emplace_back(key, &j);
  }
}

}  // namespace

JsonLeaves json_leaves(const nlohmann::json& j) {
  JsonLeaves out;
  collect(j, "", out);
  return out;
}

}  // namespace il2sim::output
