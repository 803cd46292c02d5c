#pragma once
/// @file json_leaves.hpp
/// The statistic names of a stage's summary.json object: every leaf with its dotted key path,
/// `[index]` for an array element (`arms[0].pfs_median_months`, `design.looks[1]`). The one naming
/// of the `operating_characteristics` table of results.sqlite and of the outputs of `il2sim sweep`.

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace il2sim::output {

/// (name, leaf) pairs; the leaves point into the object given, which must outlive them.
using JsonLeaves = std::vector<std::pair<std::string, const nlohmann::json*>>;

/// Every leaf of `j` (a number, boolean, string or null; an empty object or array has none), in the
/// object's key order and the arrays' index order.
[[nodiscard]] JsonLeaves json_leaves(const nlohmann::json& j);

}  // namespace il2sim::output
