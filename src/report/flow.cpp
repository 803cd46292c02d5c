#include "report/flow.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"
#include "report/svg_plot.hpp"

namespace il2sim::report {
namespace {

constexpr double kFont = 12.0;
constexpr double kLine = 16.0;  ///< baseline to baseline
constexpr double kPad = 8.0;    ///< inside a box
constexpr double kGap = 34.0;   ///< between boxes, vertically (room for an arrow)
constexpr double kTitleFont = 15.0;
constexpr std::string_view kFontFamily = "'DejaVu Sans', 'Liberation Sans', Arial, sans-serif";

std::string px(double v) {
  return fixed(v, 2);
}

std::string count_text(long count, double mean) {
  return std::isfinite(mean) ? fmt::format("{} (mean per trial {})", count, fixed(mean, 1))
                             : std::to_string(count);
}

/// The wrapped lines of a box of inner width `inner`.
std::vector<std::string> box_lines(const FlowBox& b, double inner) {
  std::vector<std::string> lines;
  const auto add = [&](const std::string& text) {
    for (auto& l : wrap_text(text, kFont, inner)) lines.push_back(std::move(l));
  };
  add(fmt::format("{}: n = {}", b.title, b.count));
  if (std::isfinite(b.mean)) add(fmt::format("mean per trial {}", fixed(b.mean, 1)));
  for (const auto& item : b.items)
    add(fmt::format("• {}: {}", item.label, count_text(item.count, item.mean)));
  return lines;
}

/// The width lines are wrapped to: the box's inside less a margin for the bold first line, which
/// is wider than the estimate.
double wrap_width(double box_width) {
  return box_width - 2 * kPad - 12.0;
}

double box_height(const FlowBox& b, double width) {
  return 2 * kPad + kLine * static_cast<double>(box_lines(b, wrap_width(width)).size()) - 2.0;
}

/// A box at (x, y) of the given width; returns its SVG.
std::string box_svg(const FlowBox& b, double x, double y, double width, double height) {
  std::string o = fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"#f7f7f7\" "
      "stroke=\"#333333\" stroke-width=\"1\"/>\n",
      px(x), px(y), px(width), px(height));
  const auto lines = box_lines(b, wrap_width(width));
  for (std::size_t k = 0; k < lines.size(); ++k) {
    o += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"start\"{}>{}</text>\n",
                     px(x + kPad), px(y + kPad + kFont + kLine * static_cast<double>(k)),
                     fixed(kFont, 0), k == 0 ? " font-weight=\"bold\"" : "", xml_escape(lines[k]));
  }
  return o;
}

/// A polyline ending in an arrowhead at its last point (pointing along the last segment).
std::string arrow_svg(const std::vector<std::pair<double, double>>& pts) {
  std::string d;
  for (std::size_t i = 0; i < pts.size(); ++i)
    d += fmt::format("{}{},{}", i == 0 ? "M" : "L", px(pts[i].first), px(pts[i].second));
  const auto [x1, y1] = pts.back();
  const auto [x0, y0] = pts[pts.size() - 2];
  const double len = std::hypot(x1 - x0, y1 - y0);
  const double ux = (x1 - x0) / len, uy = (y1 - y0) / len;
  return fmt::format(
      "<path d=\"{}\" fill=\"none\" stroke=\"#333333\" stroke-width=\"1.2\"/>\n"
      "<path d=\"M{},{}L{},{}L{},{}Z\" fill=\"#333333\"/>\n",
      d, px(x1), px(y1), px(x1 - 8 * ux - 4 * uy), px(y1 - 8 * uy + 4 * ux),
      px(x1 - 8 * ux + 4 * uy), px(y1 - 8 * uy - 4 * ux));
}

struct Placed {
  double x, y, w, h;
  [[nodiscard]] double cx() const { return x + w / 2; }
  [[nodiscard]] double bottom() const { return y + h; }
};

/// The trunk (top, side, middle) at the top of the diagram; returns the middle box's place.
Placed trunk_svg(const FlowChart& c, double y, std::string& o) {
  const double trunk_w = c.side ? 0.44 * c.width : 0.5 * c.width;
  const double cx = c.side ? 0.3 * c.width : 0.5 * c.width;
  const Placed top{cx - trunk_w / 2, y, trunk_w, box_height(c.top, trunk_w)};
  o += box_svg(c.top, top.x, top.y, top.w, top.h);
  double middle_y = top.bottom() + kGap;
  if (c.side) {
    const double sx = top.x + top.w + 30.0;
    const double sw = c.width - 10.0 - sx;
    const Placed side{sx, top.bottom() + kGap / 2, sw, box_height(*c.side, sw)};
    o += box_svg(*c.side, side.x, side.y, side.w, side.h);
    const double ay = side.y + std::min(side.h / 2, 20.0);
    o += arrow_svg({{cx, ay}, {side.x, ay}});
    middle_y = side.bottom() + kGap / 2;
  }
  const Placed middle{cx - trunk_w / 2, middle_y, trunk_w, box_height(c.middle, trunk_w)};
  o += arrow_svg({{cx, top.bottom()}, {cx, middle.y}});
  o += box_svg(c.middle, middle.x, middle.y, middle.w, middle.h);
  return middle;
}

/// The arms' columns under the middle box; returns the bottom of the diagram.
double columns_svg(const FlowChart& c, const Placed& middle, std::string& o) {
  const auto n = static_cast<double>(c.columns.size());
  const double col_w = (c.width - 20.0 - 20.0 * (n - 1)) / n;
  std::size_t rows = 0;
  for (const auto& col : c.columns) rows = std::max(rows, col.size());
  double y = middle.bottom() + kGap;
  std::vector<Placed> above(c.columns.size());
  for (std::size_t r = 0; r < rows; ++r) {
    double h = 0.0;
    for (const auto& col : c.columns) h = std::max(h, box_height(col.at(r), col_w));
    for (std::size_t k = 0; k < c.columns.size(); ++k) {
      const Placed p{10.0 + static_cast<double>(k) * (col_w + 20.0), y, col_w, h};
      if (r == 0) {
        const double mid = middle.bottom() + kGap / 2;
        o += arrow_svg(
            {{middle.cx(), middle.bottom()}, {middle.cx(), mid}, {p.cx(), mid}, {p.cx(), p.y}});
      } else {
        o += arrow_svg({{p.cx(), above[k].bottom()}, {p.cx(), p.y}});
      }
      o += box_svg(c.columns[k][r], p.x, p.y, p.w, p.h);
      above[k] = p;
    }
    y += h + kGap;
  }
  return y - kGap;
}

std::string csv_cell(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string o = "\"";
  for (const char ch : text) o += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return o + "\"";
}

std::string csv_mean(double mean) {
  return std::isfinite(mean) ? fmt::format("{}", mean) : std::string();
}

std::string box_csv(const FlowBox& b, std::string_view column) {
  std::string o =
      fmt::format("{},{},,{},{}\n", csv_cell(b.title), csv_cell(column), b.count, csv_mean(b.mean));
  for (const auto& item : b.items) {
    o += fmt::format("{},{},{},{},{}\n", csv_cell(b.title), csv_cell(column), csv_cell(item.label),
                     item.count, csv_mean(item.mean));
  }
  return o;
}

}  // namespace

std::string render_flow_svg(const FlowChart& c) {
  IL2SIM_ASSERT(!c.columns.empty() && c.column_names.size() == c.columns.size(),
                "a flow chart needs columns, each named");
  for (const auto& col : c.columns) {
    IL2SIM_ASSERT(!col.empty() && col.size() == c.columns.front().size(),
                  "every column of a flow chart has the same number of boxes");
  }
  std::string body;
  const Placed middle = trunk_svg(c, 8.0 + kTitleFont + 14.0, body);
  const double height = columns_svg(c, middle, body) + 10.0;
  std::string o = fmt::format(
      "<svg class=\"figure flow\" id=\"{}\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" "
      "role=\"img\" aria-labelledby=\"{}-title\" font-family=\"{}\">\n",
      c.id, fixed(c.width, 0), fixed(height, 0), fixed(c.width, 0), fixed(height, 0), c.id,
      kFontFamily);
  o += fmt::format("<title id=\"{}-title\">{}</title>\n", c.id, xml_escape(c.title));
  o += fmt::format("<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n",
                   fixed(c.width, 0), fixed(height, 0));
  o += fmt::format(
      "<text x=\"10\" y=\"{}\" font-size=\"{}\" text-anchor=\"start\" font-weight=\"bold\">{}"
      "</text>\n",
      px(8.0 + kTitleFont), fixed(kTitleFont, 0), xml_escape(c.title));
  o += "<g class=\"data\" fill=\"#222222\">\n" + body + "</g>\n</svg>\n";
  return o;
}

std::string flow_csv(const FlowChart& c) {
  std::string o = "box,column,item,patients,mean_per_trial\n";
  o += box_csv(c.top, "");
  if (c.side) o += box_csv(*c.side, "");
  o += box_csv(c.middle, "");
  const std::size_t rows = c.columns.empty() ? 0 : c.columns.front().size();
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t k = 0; k < c.columns.size(); ++k)
      o += box_csv(c.columns[k][r], c.column_names[k]);
  }
  return o;
}

}  // namespace il2sim::report
