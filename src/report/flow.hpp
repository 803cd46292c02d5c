#pragma once
/// @file flow.hpp
/// A CONSORT-style flow diagram (Schulz, Altman & Moher 2010, "CONSORT 2010 Statement", figure 1)
/// as inline SVG: a trunk of two boxes (e.g. registered → randomized) with a side box branching off
/// between them (e.g. excluded before randomization, by reason), then one column of boxes per arm
/// (e.g. randomized to the arm → started / never started by reason → analysed), joined by arrows.
/// Pure like svg_plot: callers pass counts and text; deterministic bytes.
///
/// Each box shows "title: n = count", then "mean per trial m" when a mean is given, then one line
/// per item ("label: count"); every line is wrapped at spaces to the box's width (the estimated
/// text width of svg_plot), so no two lines overlap.

#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace il2sim::report {

/// One part of a box's count (e.g. a reason).
struct FlowItem {
  std::string label;
  long count = 0;
  double mean = std::numeric_limits<double>::quiet_NaN();  ///< per trial; NaN: not shown
};

struct FlowBox {
  std::string title;
  long count = 0;
  double mean = std::numeric_limits<double>::quiet_NaN();  ///< per trial; NaN: not shown
  std::vector<FlowItem> items;
};

/// The diagram. `id` as Figure::id. Every column has the same number of boxes (at least one).
struct FlowChart {
  std::string id;
  std::string title;
  FlowBox top;
  std::optional<FlowBox> side;
  FlowBox middle;
  std::vector<std::string> column_names;      ///< one per column (e.g. the arm), for the CSV
  std::vector<std::vector<FlowBox>> columns;  ///< top to bottom
  double width = 760.0;
};

/// The diagram as an <svg class="figure"> with its boxes, text and arrows in <g class="data">.
[[nodiscard]] std::string render_flow_svg(const FlowChart& chart);

/// Its counts as CSV (the data of the figure): box,column,item,patients,mean_per_trial; one row
/// per box (item empty) and one per item, top to bottom, columns left to right; column is empty
/// for the trunk and side boxes; an absent mean is an empty cell.
[[nodiscard]] std::string flow_csv(const FlowChart& chart);

}  // namespace il2sim::report
