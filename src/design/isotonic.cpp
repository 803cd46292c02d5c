#include "design/isotonic.hpp"

#include "core/error.hpp"

namespace il2sim::design {

std::vector<double> isotonic_regression(std::span<const double> y, std::span<const double> w) {
  IL2SIM_ASSERT(y.size() == w.size(), "isotonic_regression: y and w differ in size");
  // Blocks on a stack: weighted mean, total weight, number of points.
  struct Block {
    double mean;
    double weight;
    std::size_t count;
  };
  std::vector<Block> blocks;
  blocks.reserve(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) {
    IL2SIM_ASSERT(w[i] > 0.0, "isotonic_regression: weights must be positive");
    blocks.push_back({y[i], w[i], 1});
    while (blocks.size() > 1 && blocks[blocks.size() - 2].mean > blocks.back().mean) {
      const Block top = blocks.back();
      blocks.pop_back();
      Block& prev = blocks.back();
      const double weight = prev.weight + top.weight;
      prev.mean = (prev.mean * prev.weight + top.mean * top.weight) / weight;
      prev.weight = weight;
      prev.count += top.count;
    }
  }
  std::vector<double> fitted;
  fitted.reserve(y.size());
  for (const Block& b : blocks) fitted.insert(fitted.end(), b.count, b.mean);
  return fitted;
}

}  // namespace il2sim::design
