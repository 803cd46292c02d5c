#pragma once
/// @file svg_plot.hpp
/// A small plotting module: a Figure (title, axes, legend, series) rendered to an SVG string for
/// inline use in report.html. Pure: it knows nothing of the model or of trials; callers pass
/// numbers.
///
/// Conventions
/// - Output is deterministic: the same Figure gives the same bytes. Coordinates are written with
/// two
///   decimals (1/100 px), text is XML-escaped, and nothing depends on time, locale or addresses.
/// - Text is at least 11 px (kMinFontPx); the SVG has a viewBox, so it scales with the page.
/// - Colours come from the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), which
///   stays distinguishable in the common colour-vision deficiencies. Series pick colours by index.
/// - Tick rule (nice_ticks): the step is the smallest value s = m·10^k with m ∈ {1, 2, 5} such that
///   the multiples of s inside [lo, hi] are at most `max_ticks`; the ticks are those multiples.
///   Example: [0, 730] with max_ticks 8 → step 100, ticks 0, 100, …, 700.
/// - Log10 axes: ticks at the powers of ten inside the range; if fewer than 3, also at 2·10^k and
///   5·10^k; if still fewer than 2, the linear rule. Non-positive values are gaps on a log axis.
/// - Missing values: a NaN y breaks a line or band into pieces; NaN points and bars are not drawn.
/// - Inputs are the program's own data, so a malformed series (lengths that differ, an invalid id)
/// is
///   a programming error (IL2SIM_ASSERT), not a UserError.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace il2sim::report {

inline constexpr double kMinFontPx = 11.0;

/// Okabe–Ito colours in the order series use them: blue, vermillion, bluish green, orange,
/// reddish purple, sky blue, black, yellow (yellow last: it is faint on white).
[[nodiscard]] std::string_view palette_colour(std::size_t index);
[[nodiscard]] std::size_t palette_size();

/// XML escaping of text and attribute values: & < > " ' become entities.
[[nodiscard]] std::string xml_escape(std::string_view text);

/// A number with a fixed count of decimals ("-0.00" is written "0.00"); the one number format of
/// the SVG output.
[[nodiscard]] std::string fixed(double value, int decimals);

/// Estimated width of text in px: 0.6 em per code point (a sans-serif average, a little
/// generous); the layout's only measure of text.
[[nodiscard]] double text_width(std::string_view text, double font_px);
/// Text broken at spaces into lines of at most `max_px` (estimated width); a word longer than
/// that stays whole on its own line.
[[nodiscard]] std::vector<std::string> wrap_text(std::string_view text, double font_px,
                                                 double max_px);

/// Ticks of an axis: the step (for a log axis, 0) and the tick values in increasing order.
struct Ticks {
  double step = 0.0;
  std::vector<double> values;
};

/// Linear ticks by the rule in the file comment. Requires finite lo < hi and max_ticks >= 2.
[[nodiscard]] Ticks nice_ticks(double lo, double hi, int max_ticks);
/// Ticks for an axis whose limits are widened to ticks: the smallest step s = m·10^k (m ∈ {1, 2,
/// 5}) such that the multiples of s from floor(lo/s)·s to ceil(hi/s)·s are at most `max_ticks`;
/// those multiples (the first and last are the widened limits). Example: [0, 730], 8 → 0, 200, …,
/// 800.
[[nodiscard]] Ticks nice_cover(double lo, double hi, int max_ticks);
/// Log10 ticks by the rule in the file comment. Requires 0 < lo < hi.
[[nodiscard]] Ticks log10_ticks(double lo, double hi, int max_ticks);
/// Tick label text: decimals from the step (max(0, -floor(log10 step))); values of magnitude
/// >= 1e6 or < 1e-3 (non-zero) as "a×10ⁿ"; negative numbers with the minus sign U+2212.
[[nodiscard]] std::string tick_label(double value, double step);

/// Maps data values to pixels: [d0, d1] → [p0, p1], linearly or linearly in log10.
struct Scale {
  double d0 = 0.0, d1 = 1.0;
  double p0 = 0.0, p1 = 1.0;
  bool log10 = false;
  [[nodiscard]] double map(double value) const;
};

/// One axis. Limits default to the data range (plus 0 for bars), widened to nice limits when
/// `nice` is set. `categories` turns the axis categorical: category i sits at i, ticks are labels
/// (wrapped at spaces onto several lines when wider than a category's room). `step` replaces the
/// 1-2-5 rule by a fixed step (e.g. 6 or 12 months): ticks at its multiples inside the limits, the
/// limits widened to multiples when `nice`. `ticks` gives the tick values outright (e.g. 0.5, 0.75,
/// 1, 1.5 on a log axis of hazard ratios), labelled with up to 6 significant digits ("%g").
struct Axis {
  std::string label;
  std::optional<double> min, max;
  bool log10 = false;
  bool nice = true;
  int max_ticks = 8;
  bool grid = true;
  std::vector<std::string> categories;
  std::optional<double> step;
  std::vector<double> ticks;
};

enum class Marker { kCircle, kSquare, kTriangle, kDiamond };

/// A polyline through (x, y); NaN y breaks it.
struct Line {
  std::vector<double> x, y;
  std::string label;  ///< legend text; empty = not in the legend
  std::size_t colour = 0;
  bool dashed = false;
  double width = 2.0;
};

/// A right-continuous step function (Kaplan–Meier, cumulative incidence): value y[i] on
/// [x[i], x[i+1]); the last step runs to `x_end` when set. `censor_x` are drawn as "+" on the curve
/// at the step value there.
struct Step {
  std::vector<double> x, y;
  std::optional<double> x_end;
  std::vector<double> censor_x;
  std::string label;
  std::size_t colour = 0;
  bool dashed = false;
  double width = 2.0;
  /// Value of the step function at t (y of the last x[i] <= t); requires t >= x[0].
  [[nodiscard]] double value_at(double t) const;
};

/// A shaded ribbon between lower and upper (e.g. the 5–95 % band across patients). With `step`,
/// a right-continuous step ribbon like Step (a Kaplan–Meier confidence band): lower[i] and
/// upper[i] hold on [x[i], x[i+1]), the last to `x_end` when set.
struct Band {
  std::vector<double> x, lower, upper;
  std::string label;
  std::size_t colour = 0;
  double opacity = 0.25;
  bool step = false;
  std::optional<double> x_end;
};

/// Markers at (x, y); open (outline) or filled.
struct Points {
  std::vector<double> x, y;
  std::string label;
  std::size_t colour = 0;
  Marker marker = Marker::kCircle;
  bool filled = true;
  double size = 5.0;  ///< radius-like size in px
};

/// Vertical bars centred at x with the given heights from 0 (a histogram: x = bin centres,
/// width = bin width). Several Bars series in one figure are placed side by side within `width`.
/// `lower`/`upper`, when given (one per bar), are the bars' edges instead of x ± width/2: the bins
/// of a histogram on a log axis, equal in log scale.
struct Bars {
  std::vector<double> x, height;
  double width = 0.8;  ///< in x data units
  std::vector<double> lower, upper;
  std::string label;
  std::size_t colour = 0;
};

/// A horizontal (or vertical) dashed reference line across the plot, labelled at its end (a label
/// that would overlap one placed before moves down a row: see render_svg).
struct RefLine {
  double value = 0.0;
  bool vertical = false;
  std::string label;
  std::size_t colour = 6;  ///< black
};

/// Text at a data position; anchor "start", "middle" or "end".
struct Annotation {
  double x = 0.0, y = 0.0;
  std::string text;
  std::string anchor = "start";
};

using Series = std::variant<Line, Step, Band, Points, Bars, RefLine, Annotation>;

/// Rows of counts printed under the x axis at `times` (the numbers at risk under a KM plot).
struct RiskTable {
  std::string title = "Number at risk";
  std::vector<double> times;
  struct Row {
    std::string label;
    std::size_t colour = 0;
    std::vector<long> counts;  ///< one per time
  };
  std::vector<Row> rows;
};

/// A figure. `id` must be unique within a page and match [A-Za-z][A-Za-z0-9_-]* (it prefixes the
/// clip-path id).
struct Figure {
  std::string id;
  std::string title;
  Axis x, y;
  std::vector<Series> series;
  std::optional<RiskTable> risk_table;
  double width = 760.0, height = 420.0;  ///< px, the plot itself; a risk table adds rows below

  Figure& add(Series s) {
    series.push_back(std::move(s));
    return *this;
  }
};

/// Whether the SVG is for inline use in HTML (no xmlns needed) or a standalone .svg file.
enum class SvgMode { kInline, kStandalone };

/// Renders the figure. Layout: title, then legend rows, then the plot area with axes and ticks,
/// then the risk table. Series are clipped to the plot area and drawn areas first (Band, Bars, in
/// their order), then the others in their order, so that a band never hides a median line. Labels
/// inside the plot (reference lines, annotations) are placed in order; one whose estimated box
/// would overlap an earlier one moves down by a text row until it is clear (at most 8 rows).
[[nodiscard]] std::string render_svg(const Figure& figure, SvgMode mode = SvgMode::kInline);

/// The data behind a figure as CSV (RFC 4180, "\n" line ends, numbers as the shortest text that
/// reads back exactly, empty cells for what a kind does not have): one row per drawn value, in
/// series order, with the columns
///   series     the series' legend label (reference lines: their label; risk table: the row)
///   kind       line, step, censor (a "+" on a step), band, points, bar, reference (a reference
///              line: x for a vertical one, y for a horizontal one), at_risk (risk table: x the
///              time, y the count)
///   x, x_lower, x_upper, y, y_lower, y_upper   in the axes' units (bars: the bin's edges in
///              x_lower/x_upper; bands: the ribbon in y_lower/y_upper)
/// Annotations (text) are not data and are left out; categorical axes give the category text in x.
[[nodiscard]] std::string figure_csv(const Figure& figure);

/// The SVG path data of a step series under the given scales ("M x,y H x V y …"), as render_svg
/// writes it; exposed for tests.
[[nodiscard]] std::string step_path(const Step& step, const Scale& sx, const Scale& sy);

}  // namespace il2sim::report
