#include "report/svg_plot.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/error.hpp"

namespace il2sim::report {

namespace {

constexpr std::array<std::string_view, 8> kPalette = {
    "#0072B2",  // blue
    "#D55E00",  // vermillion
    "#009E73",  // bluish green
    "#E69F00",  // orange
    "#CC79A7",  // reddish purple
    "#56B4E9",  // sky blue
    "#000000",  // black
    "#F0E442",  // yellow
};

constexpr double kTickFont = 12.0;
constexpr double kLabelFont = 13.0;
constexpr double kTitleFont = 15.0;
constexpr double kLegendFont = 12.0;
constexpr double kLegendRow = 18.0;
constexpr double kRiskRow = 18.0;
constexpr double kEps = 1e-9;
constexpr std::string_view kFontFamily = "'DejaVu Sans', 'Liberation Sans', Arial, sans-serif";

/// 10^k, exact for the integer exponents used here.
double pow10(int k) {
  return std::pow(10.0, k);
}

/// j·m·10^k, computed as a division for negative k so that e.g. 3·2·10^-1 is the double nearest
/// 0.6.
double multiple(long j, double m, int k) {
  const double jm = static_cast<double>(j) * m;
  return k >= 0 ? jm * pow10(k) : jm / pow10(-k);
}

double step_of(double m, int k) {
  return multiple(1, m, k);
}

/// Number of Unicode code points in UTF-8 text.
std::size_t code_points(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++n;
  }
  return n;
}

std::string px(double v) {
  return fixed(v, 2);
}

std::string superscript(int n) {
  static constexpr std::array<std::string_view, 10> kDigits = {"⁰", "¹", "²", "³", "⁴",
                                                               "⁵", "⁶", "⁷", "⁸", "⁹"};
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out = n < 0 ? "⁻" : "";
  for (const char c : digits) out += kDigits[static_cast<std::size_t>(c - '0')];
  return out;
}

bool usable(double v, bool log_axis) {
  return std::isfinite(v) && (!log_axis || v > 0.0);
}

/// Collects the data range of one axis.
struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  bool log_axis = false;
  void add(double v) {
    if (!usable(v, log_axis)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  void add(const std::vector<double>& vs) {
    for (const double v : vs) add(v);
  }
  [[nodiscard]] bool empty() const { return lo > hi; }
};

void check_lengths(std::size_t a, std::size_t b, const char* what) {
  IL2SIM_ASSERT(a == b, what);
}

struct Layout {
  double width = 0.0, height = 0.0;                         // whole SVG
  double left = 0.0, right = 0.0, top = 0.0, bottom = 0.0;  // plot area
  double legend_top = 0.0;
  struct LegendItem {
    const Series* series;
    double x, y;
  };
  std::vector<LegendItem> legend;
};

struct AxisPlan {
  double lo = 0.0, hi = 1.0;
  Ticks ticks;
  std::vector<std::string> labels;
};

AxisPlan plan_axis(const Axis& axis, Range range) {
  AxisPlan plan;
  if (!axis.categories.empty()) {
    const auto n = static_cast<long>(axis.categories.size());
    plan.lo = axis.min.value_or(-0.5);
    plan.hi = axis.max.value_or(static_cast<double>(n) - 0.5);
    plan.ticks.step = 1.0;
    for (long i = 0; i < n; ++i) {
      plan.ticks.values.push_back(static_cast<double>(i));
      plan.labels.push_back(axis.categories[static_cast<std::size_t>(i)]);
    }
    return plan;
  }
  if (axis.min) range.add(*axis.min);
  if (axis.max) range.add(*axis.max);
  double lo = axis.min.value_or(range.empty() ? (axis.log10 ? 1.0 : 0.0) : range.lo);
  double hi = axis.max.value_or(range.empty() ? (axis.log10 ? 10.0 : 1.0) : range.hi);
  IL2SIM_ASSERT(std::isfinite(lo) && std::isfinite(hi) && lo <= hi,
                "axis limits must be finite, min <= max");
  IL2SIM_ASSERT(!axis.log10 || lo > 0.0, "a log10 axis needs positive limits");
  if (lo == hi) {
    if (axis.log10) {
      lo /= 10.0;
      hi *= 10.0;
    } else if (lo == 0.0) {
      hi = 1.0;
    } else {
      const double pad = 0.1 * std::abs(lo);
      lo -= pad;
      hi += pad;
    }
  }
  if (!axis.ticks.empty()) {
    plan.ticks.values = axis.ticks;
    plan.lo = lo;
    plan.hi = hi;
    for (const double v : axis.ticks) plan.labels.push_back(fmt::format("{:.6g}", v));
    return plan;
  }
  if (axis.step) {
    const double s = *axis.step;
    IL2SIM_ASSERT(s > 0.0 && !axis.log10, "an axis step must be positive, on a linear axis");
    if (axis.nice && !axis.min) lo = std::floor(lo / s + kEps) * s;
    if (axis.nice && !axis.max) hi = std::ceil(hi / s - kEps) * s;
    plan.ticks.step = s;
    for (auto j = static_cast<long>(std::ceil(lo / s - kEps));
         j <= static_cast<long>(std::floor(hi / s + kEps)); ++j)
      plan.ticks.values.push_back(static_cast<double>(j) * s);
  } else if (axis.log10) {
    if (axis.nice) {
      if (!axis.min) lo = pow10(static_cast<int>(std::floor(std::log10(lo) + kEps)));
      if (!axis.max) hi = pow10(static_cast<int>(std::ceil(std::log10(hi) - kEps)));
    }
    plan.ticks = log10_ticks(lo, hi, axis.max_ticks);
  } else if (axis.nice && !axis.min && !axis.max) {
    plan.ticks = nice_cover(lo, hi, axis.max_ticks);
    lo = plan.ticks.values.front();
    hi = plan.ticks.values.back();
  } else if (axis.nice) {
    // One limit fixed: widen only the other one to a multiple of the step.
    const Ticks cover = nice_cover(lo, hi, axis.max_ticks);
    if (!axis.min) lo = cover.values.front();
    if (!axis.max) hi = cover.values.back();
    plan.ticks = nice_ticks(lo, hi, axis.max_ticks);
  } else {
    plan.ticks = nice_ticks(lo, hi, axis.max_ticks);
  }
  plan.lo = lo;
  plan.hi = hi;
  for (const double v : plan.ticks.values) plan.labels.push_back(tick_label(v, plan.ticks.step));
  return plan;
}

/// Data ranges of all series along x (want_x) or y.
Range data_range(const Figure& fig, bool want_x) {
  Range r;
  r.log_axis = want_x ? fig.x.log10 : fig.y.log10;
  for (const Series& s : fig.series) {
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, Line> || std::is_same_v<T, Points>) {
            r.add(want_x ? v.x : v.y);
          } else if constexpr (std::is_same_v<T, Step>) {
            if (want_x) {
              r.add(v.x);
              r.add(v.censor_x);
              if (v.x_end) r.add(*v.x_end);
            } else {
              r.add(v.y);
            }
          } else if constexpr (std::is_same_v<T, Band>) {
            if (want_x) {
              r.add(v.x);
              if (v.x_end) r.add(*v.x_end);
            } else {
              r.add(v.lower);
              r.add(v.upper);
            }
          } else if constexpr (std::is_same_v<T, Bars>) {
            if (want_x && !v.lower.empty()) {
              r.add(v.lower);
              r.add(v.upper);
            } else if (want_x) {
              for (const double x : v.x) {
                r.add(x - v.width / 2);
                r.add(x + v.width / 2);
              }
            } else {
              r.add(v.height);
              r.add(0.0);
            }
          } else if constexpr (std::is_same_v<T, RefLine>) {
            if (v.vertical == want_x) r.add(v.value);
          } else if constexpr (std::is_same_v<T, Annotation>) {
            r.add(want_x ? v.x : v.y);
          }
        },
        s);
  }
  return r;
}

bool in_legend(const Series& s) {
  return std::visit(
      [](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, RefLine> || std::is_same_v<T, Annotation>) {
          return false;
        } else {
          return !v.label.empty();
        }
      },
      s);
}

const std::string& label_of(const Series& s) {
  static const std::string kNone;
  return std::visit(
      [](const auto& v) -> const std::string& {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, Annotation>) {
          return kNone;
        } else {
          return v.label;
        }
      },
      s);
}

std::string colour(std::size_t index) {
  return std::string(palette_colour(index));
}

std::string marker_svg(Marker marker, double cx, double cy, double size, const std::string& col,
                       bool filled) {
  const std::string paint =
      filled ? fmt::format("fill=\"{}\" stroke=\"{}\" stroke-width=\"1\"", col, col)
             : fmt::format("fill=\"#ffffff\" stroke=\"{}\" stroke-width=\"1.5\"", col);
  switch (marker) {
    case Marker::kCircle:
      return fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {}/>", px(cx), px(cy), px(size),
                         paint);
    case Marker::kSquare:
      return fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {}/>", px(cx - size),
                         px(cy - size), px(2 * size), px(2 * size), paint);
    case Marker::kTriangle:
      return fmt::format("<path d=\"M{},{}L{},{}L{},{}Z\" {}/>", px(cx), px(cy - 1.2 * size),
                         px(cx + 1.1 * size), px(cy + 0.8 * size), px(cx - 1.1 * size),
                         px(cy + 0.8 * size), paint);
    case Marker::kDiamond:
      return fmt::format("<path d=\"M{},{}L{},{}L{},{}L{},{}Z\" {}/>", px(cx), px(cy - 1.3 * size),
                         px(cx + 1.1 * size), px(cy), px(cx), px(cy + 1.3 * size),
                         px(cx - 1.1 * size), px(cy), paint);
  }
  return {};
}

std::string text_svg(double x, double y, std::string_view text, double font,
                     std::string_view anchor, std::string_view extra = {}) {
  return fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{}\"{}{}>{}</text>",
                     px(x), px(y), fixed(font, 0), anchor, extra.empty() ? "" : " ", extra,
                     xml_escape(text));
}

/// A polyline's path data; NaN or unusable points start a new piece.
std::string polyline_path(const std::vector<double>& xs, const std::vector<double>& ys,
                          const Scale& sx, const Scale& sy) {
  std::string d;
  bool pen_down = false;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (!usable(xs[i], sx.log10) || !usable(ys[i], sy.log10)) {
      pen_down = false;
      continue;
    }
    d += fmt::format("{}{},{}", pen_down ? "L" : "M", px(sx.map(xs[i])), px(sy.map(ys[i])));
    pen_down = true;
  }
  return d;
}

/// A step band written out as a polyline band: each value held to the next x (the last to x_end).
Band step_band(const Band& b) {
  Band out;
  for (std::size_t i = 0; i < b.x.size(); ++i) {
    const double next = i + 1 < b.x.size() ? b.x[i + 1] : b.x_end.value_or(b.x[i]);
    for (const double x : {b.x[i], next}) {
      out.x.push_back(x);
      out.lower.push_back(b.lower[i]);
      out.upper.push_back(b.upper[i]);
    }
  }
  return out;
}

std::string band_path(const Band& band, const Scale& sx, const Scale& sy) {
  const Band expanded = band.step ? step_band(band) : Band{};
  const Band& b = band.step ? expanded : band;
  std::string d;
  std::size_t i = 0;
  const std::size_t n = b.x.size();
  auto ok = [&](std::size_t k) {
    return usable(b.x[k], sx.log10) && usable(b.lower[k], sy.log10) && usable(b.upper[k], sy.log10);
  };
  while (i < n) {
    if (!ok(i)) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < n && ok(j)) ++j;
    // Piece [i, j): along the lower bound forward, back along the upper bound.
    for (std::size_t k = i; k < j; ++k) {
      d += fmt::format("{}{},{}", k == i ? "M" : "L", px(sx.map(b.x[k])), px(sy.map(b.lower[k])));
    }
    for (std::size_t k = j; k-- > i;) {
      d += fmt::format("L{},{}", px(sx.map(b.x[k])), px(sy.map(b.upper[k])));
    }
    d += "Z";
    i = j;
  }
  return d;
}

std::string dash_attr(bool dashed) {
  return dashed ? " stroke-dasharray=\"7 4\"" : "";
}

}  // namespace

double text_width(std::string_view text, double font_px) {
  return 0.6 * font_px * static_cast<double>(code_points(text));
}

std::vector<std::string> wrap_text(std::string_view text, double font_px, double max_px) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t p = 0;
  while (p <= text.size()) {
    const std::size_t q = std::min(text.find(' ', p), text.size());
    const std::string_view word = text.substr(p, q - p);
    const std::string candidate = line.empty() ? std::string(word) : line + " " + std::string(word);
    if (!line.empty() && text_width(candidate, font_px) > max_px) {
      lines.push_back(line);
      line = std::string(word);
    } else {
      line = candidate;
    }
    p = q + 1;
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

std::string_view palette_colour(std::size_t index) {
  return kPalette[index % kPalette.size()];
}
std::size_t palette_size() {
  return kPalette.size();
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string fixed(double value, int decimals) {
  std::string s = fmt::format("{:.{}f}", value, decimals);
  if (s.front() == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

Ticks nice_ticks(double lo, double hi, int max_ticks) {
  IL2SIM_ASSERT(std::isfinite(lo) && std::isfinite(hi) && lo < hi,
                "nice_ticks needs finite lo < hi");
  IL2SIM_ASSERT(max_ticks >= 2, "nice_ticks needs max_ticks >= 2");
  int k = static_cast<int>(std::floor(std::log10((hi - lo) / max_ticks))) - 1;
  for (;; ++k) {
    for (const double m : {1.0, 2.0, 5.0}) {
      const double s = step_of(m, k);
      const auto first = static_cast<long>(std::ceil(lo / s - kEps));
      const auto last = static_cast<long>(std::floor(hi / s + kEps));
      if (last - first + 1 <= max_ticks) {
        Ticks t{s, {}};
        for (long j = first; j <= last; ++j) t.values.push_back(multiple(j, m, k));
        return t;
      }
    }
  }
}

Ticks nice_cover(double lo, double hi, int max_ticks) {
  IL2SIM_ASSERT(std::isfinite(lo) && std::isfinite(hi) && lo < hi,
                "nice_cover needs finite lo < hi");
  IL2SIM_ASSERT(max_ticks >= 2, "nice_cover needs max_ticks >= 2");
  int k = static_cast<int>(std::floor(std::log10((hi - lo) / max_ticks))) - 1;
  for (;; ++k) {
    for (const double m : {1.0, 2.0, 5.0}) {
      const double s = step_of(m, k);
      const auto first = static_cast<long>(std::floor(lo / s + kEps));
      const auto last = static_cast<long>(std::ceil(hi / s - kEps));
      if (last - first + 1 <= max_ticks) {
        Ticks t{s, {}};
        for (long j = first; j <= last; ++j) t.values.push_back(multiple(j, m, k));
        return t;
      }
    }
  }
}

Ticks log10_ticks(double lo, double hi, int max_ticks) {
  IL2SIM_ASSERT(lo > 0.0 && lo < hi && std::isfinite(hi), "log10_ticks needs 0 < lo < hi");
  const int k0 = static_cast<int>(std::ceil(std::log10(lo) - kEps));
  const int k1 = static_cast<int>(std::floor(std::log10(hi) + kEps));
  Ticks t{0.0, {}};
  const int decades = k1 - k0 + 1;
  const int stride = decades > max_ticks ? (decades + max_ticks - 1) / max_ticks : 1;
  for (int k = k0; k <= k1; ++k) {
    if ((k - k0) % stride == 0) t.values.push_back(step_of(1.0, k));
  }
  if (t.values.size() < 3) {
    for (int k = k0 - 1; k <= k1; ++k) {
      for (const double m : {2.0, 5.0}) {
        const double v = step_of(m, k);
        if (v >= lo * (1 - kEps) && v <= hi * (1 + kEps)) t.values.push_back(v);
      }
    }
    std::sort(t.values.begin(), t.values.end());
  }
  if (t.values.size() < 2) return nice_ticks(lo, hi, max_ticks);
  return t;
}

std::string tick_label(double value, double step) {
  if (value == 0.0) return "0";
  const double mag = std::abs(value);
  const std::string sign = value < 0 ? "\u2212" : "";
  if (step <= 0.0) step = pow10(static_cast<int>(std::floor(std::log10(mag) + kEps)));
  if (mag >= 1e6 || mag < 1e-3) {
    const int e = static_cast<int>(std::floor(std::log10(mag) + kEps));
    const double mantissa = mag / pow10(e);
    const int dec = std::max(0, -static_cast<int>(std::floor(std::log10(step / pow10(e)) + kEps)));
    if (std::abs(mantissa - 1.0) < 1e-9) return sign + "10" + superscript(e);
    return sign + fixed(mantissa, dec) + "×10" + superscript(e);
  }
  const int dec = std::max(0, -static_cast<int>(std::floor(std::log10(step) + kEps)));
  return sign + fixed(mag, dec);
}

double Scale::map(double value) const {
  if (log10) {
    const double a = std::log10(d0);
    const double b = std::log10(d1);
    return p0 + (std::log10(value) - a) / (b - a) * (p1 - p0);
  }
  return p0 + (value - d0) / (d1 - d0) * (p1 - p0);
}

double Step::value_at(double t) const {
  IL2SIM_ASSERT(!x.empty() && t >= x.front(), "Step::value_at before the first step");
  const auto it = std::upper_bound(x.begin(), x.end(), t);
  return y[static_cast<std::size_t>(it - x.begin()) - 1];
}

std::string step_path(const Step& step, const Scale& sx, const Scale& sy) {
  check_lengths(step.x.size(), step.y.size(), "Step: x and y differ in length");
  std::string d;
  for (std::size_t i = 0; i < step.x.size(); ++i) {
    IL2SIM_ASSERT(std::isfinite(step.x[i]) && std::isfinite(step.y[i]),
                  "Step values must be finite");
    IL2SIM_ASSERT(i == 0 || step.x[i] >= step.x[i - 1], "Step x must be non-decreasing");
    const double px_x = sx.map(step.x[i]);
    const double px_y = sy.map(step.y[i]);
    if (i == 0) {
      d += fmt::format("M{},{}", px(px_x), px(px_y));
    } else {
      d += fmt::format("H{}V{}", px(px_x), px(px_y));
    }
  }
  if (step.x_end && !step.x.empty()) d += fmt::format("H{}", px(sx.map(*step.x_end)));
  return d;
}

namespace {

void check_series(const Figure& fig) {
  IL2SIM_ASSERT(!fig.id.empty() && std::isalpha(static_cast<unsigned char>(fig.id[0])) &&
                    std::all_of(fig.id.begin(), fig.id.end(),
                                [](char c) {
                                  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
                                         c == '-';
                                }),
                "Figure id must match [A-Za-z][A-Za-z0-9_-]*");
  IL2SIM_ASSERT(fig.width >= 200.0 && fig.height >= 150.0, "Figure is too small to be readable");
  for (const Series& s : fig.series) {
    std::visit(
        [](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, Line> || std::is_same_v<T, Points>) {
            check_lengths(v.x.size(), v.y.size(), "series x and y differ in length");
          } else if constexpr (std::is_same_v<T, Step>) {
            check_lengths(v.x.size(), v.y.size(), "Step x and y differ in length");
          } else if constexpr (std::is_same_v<T, Band>) {
            check_lengths(v.x.size(), v.lower.size(), "Band x and lower differ in length");
            check_lengths(v.x.size(), v.upper.size(), "Band x and upper differ in length");
          } else if constexpr (std::is_same_v<T, Bars>) {
            check_lengths(v.x.size(), v.height.size(), "Bars x and height differ in length");
            IL2SIM_ASSERT(
                v.lower.empty() || (v.lower.size() == v.x.size() && v.upper.size() == v.x.size()),
                "Bars edges need one lower and one upper per bar");
          }
        },
        s);
  }
}

/// Tick labels of a categorical x axis wrapped into lines that fit a category's room.
std::vector<std::vector<std::string>> x_label_lines(const AxisPlan& xa, const Axis& axis,
                                                    double room) {
  std::vector<std::vector<std::string>> lines;
  for (const auto& l : xa.labels) {
    lines.push_back(axis.categories.empty() ? std::vector<std::string>{l}
                                            : wrap_text(l, kTickFont, room));
  }
  return lines;
}

constexpr double kTickRow = kTickFont + 2.0;

/// The legend rows: items left to right, a new row when the next would pass the plot's right.
double place_legend(const Figure& fig, Layout& lay, double y_cursor) {
  double lx = lay.left;
  double ly = y_cursor + kLegendRow / 2;
  bool any = false;
  for (const Series& s : fig.series) {
    if (!in_legend(s)) continue;
    const double w = 30.0 + text_width(label_of(s), kLegendFont) + 18.0;
    if (any && lx + w > lay.right) {
      lx = lay.left;
      ly += kLegendRow;
    }
    lay.legend.push_back({&s, lx, ly});
    lx += w;
    any = true;
  }
  return any ? ly + kLegendRow / 2 : y_cursor;
}

/// The layout of the figure; `x_lines` receives the (wrapped) x tick labels.
Layout make_layout(const Figure& fig, const AxisPlan& xa, const AxisPlan& ya,
                   std::vector<std::vector<std::string>>& x_lines) {
  Layout lay;
  lay.width = fig.width;
  double y_label_w = 0.0;
  for (const auto& l : ya.labels) y_label_w = std::max(y_label_w, text_width(l, kTickFont));
  double left = 10.0 + (fig.y.label.empty() ? 0.0 : 20.0) + y_label_w + 10.0;
  if (fig.risk_table) {
    for (const auto& row : fig.risk_table->rows) {
      // Room for the label and for half of a count centred on the first time (up to 5 digits).
      left = std::max(left, 10.0 + text_width(row.label, kTickFont) + 12.0 + 2.5 * 0.6 * kTickFont);
    }
  }
  double right_pad = 16.0;
  const double room =
      fig.x.categories.empty()
          ? 0.0
          : (fig.width - left - 16.0) / static_cast<double>(fig.x.categories.size()) - 8.0;
  x_lines = x_label_lines(xa, fig.x, room);
  if (!x_lines.empty() && fig.x.categories.empty())
    right_pad = std::max(right_pad, text_width(x_lines.back().front(), kTickFont) / 2 + 6);
  lay.left = left;
  lay.right = fig.width - right_pad;
  double y_cursor = 8.0;
  if (!fig.title.empty()) y_cursor = 8.0 + kTitleFont + 4.0;
  lay.legend_top = y_cursor;
  y_cursor = place_legend(fig, lay, y_cursor);
  std::size_t rows = 1;
  for (const auto& l : x_lines) rows = std::max(rows, l.size());
  lay.top = y_cursor + 12.0;
  lay.bottom =
      fig.height - (fig.x.label.empty() ? 30.0 : 48.0) - kTickRow * static_cast<double>(rows - 1);
  IL2SIM_ASSERT(lay.bottom - lay.top >= 60.0, "Figure too short for its title and legend");
  lay.height = fig.height;
  if (fig.risk_table) {
    lay.height += 8.0 + kRiskRow * static_cast<double>(fig.risk_table->rows.size() + 1) + 6.0;
  }
  return lay;
}

std::string svg_header(const Figure& fig, const Layout& lay, SvgMode mode) {
  std::string o = fmt::format(
      "<svg{} class=\"figure\" id=\"{}\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" "
      "role=\"img\" aria-labelledby=\"{}-title\" font-family=\"{}\">\n",
      mode == SvgMode::kStandalone ? " xmlns=\"http://www.w3.org/2000/svg\"" : "", fig.id,
      fixed(lay.width, 0), fixed(lay.height, 0), fixed(lay.width, 0), fixed(lay.height, 0), fig.id,
      kFontFamily);
  o += fmt::format("<title id=\"{}-title\">{}</title>\n", fig.id, xml_escape(fig.title));
  o += fmt::format("<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n",
                   fixed(lay.width, 0), fixed(lay.height, 0));
  // Clip a little outside the plot area so that markers on the limits stay whole.
  o += fmt::format(
      "<defs><clipPath id=\"{}-clip\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>"
      "</clipPath></defs>\n",
      fig.id, px(lay.left - 7), px(lay.top - 7), px(lay.right - lay.left + 14),
      px(lay.bottom - lay.top + 14));
  if (!fig.title.empty()) {
    o += text_svg(10.0, 8.0 + kTitleFont, fig.title, kTitleFont, "start", "font-weight=\"bold\"");
    o += "\n";
  }
  return o;
}

std::string grid_svg(const Figure& fig, const Layout& lay, const AxisPlan& xa, const AxisPlan& ya,
                     const Scale& sx, const Scale& sy) {
  std::string o = "<g class=\"grid\" stroke=\"#e3e3e3\" stroke-width=\"1\">\n";
  if (fig.x.grid) {
    for (const double v : xa.ticks.values) {
      const double X = sx.map(v);
      o += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", px(X), px(lay.top),
                       px(X), px(lay.bottom));
    }
  }
  if (fig.y.grid) {
    for (const double v : ya.ticks.values) {
      const double Y = sy.map(v);
      o += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", px(lay.left), px(Y),
                       px(lay.right), px(Y));
    }
  }
  return o + "</g>\n";
}

/// Labels inside the plot, placed in order: a label whose box would overlap an earlier one moves
/// down a row (up to 8 rows) until it is clear.
class LabelPlacer {
 public:
  /// The baseline y at which text of `width` px anchored at x ("start", "middle", "end") with
  /// baseline y is clear of the labels placed so far; the box is then taken.
  double place(double x, double y, double width, std::string_view anchor, double font) {
    const double x0 = anchor == "start" ? x : anchor == "middle" ? x - width / 2 : x - width;
    double baseline = y;
    for (int tries = 0; tries < 8 && clashes(x0, baseline, width, font); ++tries)
      baseline += font + 4.0;
    boxes_.push_back({x0, baseline - font, x0 + width, baseline + 0.3 * font});
    return baseline;
  }

 private:
  struct Box {
    double x0, y0, x1, y1;
  };
  std::vector<Box> boxes_;
  [[nodiscard]] bool clashes(double x0, double baseline, double width, double font) const {
    const Box b{x0, baseline - font, x0 + width, baseline + 0.3 * font};
    return std::any_of(boxes_.begin(), boxes_.end(), [&](const Box& o) {
      return b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1;
    });
  }
};

struct DrawContext {
  DrawContext(const Layout& l, const AxisPlan& y_axis, const Scale& x_scale, const Scale& y_scale)
      : lay(l), ya(y_axis), sx(x_scale), sy(y_scale) {}
  const Layout& lay;
  const AxisPlan& ya;
  const Scale& sx;
  const Scale& sy;
  std::size_t bar_series = 0;
  std::size_t bar_index = 0;
  LabelPlacer labels;
};

std::string step_svg(const Step& v, const DrawContext& c) {
  if (v.x.empty()) return {};
  std::string o =
      fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{}/>\n",
                  step_path(v, c.sx, c.sy), colour(v.colour), px(v.width), dash_attr(v.dashed));
  if (!v.censor_x.empty()) {
    std::string d;
    for (const double x : v.censor_x) {
      if (!std::isfinite(x) || x < v.x.front()) continue;
      const double X = c.sx.map(x);
      const double Y = c.sy.map(v.value_at(x));
      d += fmt::format("M{},{}V{}M{},{}H{}", px(X), px(Y - 5), px(Y + 5), px(X - 5), px(Y),
                       px(X + 5));
    }
    o += fmt::format("<path class=\"censor\" d=\"{}\" stroke=\"{}\" stroke-width=\"1.5\"/>\n", d,
                     colour(v.colour));
  }
  return o;
}

std::string bars_svg(const Bars& v, DrawContext& c) {
  std::string o;
  const double sub = v.width / static_cast<double>(c.bar_series);
  const double base_value = c.sy.log10 ? c.ya.lo : std::clamp(0.0, c.ya.lo, c.ya.hi);
  const double base = c.sy.map(base_value);
  for (std::size_t i = 0; i < v.x.size(); ++i) {
    if (!std::isfinite(v.x[i]) || !usable(v.height[i], c.sy.log10)) continue;
    double X0 = 0.0, X1 = 0.0;
    if (v.lower.empty()) {
      const double x0 = v.x[i] - v.width / 2 + sub * static_cast<double>(c.bar_index);
      X0 = c.sx.map(x0);
      X1 = c.sx.map(x0 + sub);
    } else {
      X0 = c.sx.map(v.lower[i]);
      X1 = c.sx.map(v.upper[i]);
    }
    const double Y = c.sy.map(v.height[i]);
    o += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#ffffff\" "
        "stroke-width=\"0.5\"/>\n",
        px(std::min(X0, X1)), px(std::min(Y, base)), px(std::abs(X1 - X0)), px(std::abs(base - Y)),
        colour(v.colour));
  }
  ++c.bar_index;
  return o;
}

/// Paint of a label inside the plot: its colour over a white outline, so that it stays legible on
/// a bar, band or line.
std::string halo(std::string_view col) {
  return fmt::format(
      "fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" "
      "paint-order=\"stroke\"",
      col);
}

std::string refline_svg(const RefLine& v, DrawContext& c) {
  const std::string col = colour(v.colour);
  const auto& lay = c.lay;
  std::string o;
  const double w = text_width(v.label, kTickFont);
  if (v.vertical) {
    const double X = c.sx.map(v.value);
    o += fmt::format(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1.2\" "
        "stroke-dasharray=\"5 4\"/>\n",
        px(X), px(lay.top), px(X), px(lay.bottom), col);
    if (!v.label.empty()) {
      // Right of the line, or left of it when the label would pass the plot's right edge.
      const bool right = X + 4 + w <= lay.right;
      const double tx = right ? X + 4 : X - 4;
      const double ty =
          c.labels.place(tx, lay.top + kTickFont + 2, w, right ? "start" : "end", kTickFont);
      o += text_svg(tx, ty, v.label, kTickFont, right ? "start" : "end", halo(col));
      o += "\n";
    }
    return o;
  }
  const double Y = c.sy.map(v.value);
  o += fmt::format(
      "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1.2\" "
      "stroke-dasharray=\"5 4\"/>\n",
      px(lay.left), px(Y), px(lay.right), px(Y), col);
  if (!v.label.empty()) {
    // Above the line, or below it when the line is at the top of the plot.
    const double ty0 = Y - 5 - kTickFont < lay.top ? Y + 4 + kTickFont : Y - 5;
    const double ty = c.labels.place(lay.right - 4, ty0, w, "end", kTickFont);
    o += text_svg(lay.right - 4, ty, v.label, kTickFont, "end", halo(col));
    o += "\n";
  }
  return o;
}

std::string series_svg(const Series& s, DrawContext& c) {
  return std::visit(
      [&](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, Line>) {
          const std::string d = polyline_path(v.x, v.y, c.sx, c.sy);
          if (d.empty()) return {};
          return fmt::format(
              "<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" "
              "stroke-linejoin=\"round\"{}/>\n",
              d, colour(v.colour), px(v.width), dash_attr(v.dashed));
        } else if constexpr (std::is_same_v<T, Step>) {
          return step_svg(v, c);
        } else if constexpr (std::is_same_v<T, Band>) {
          const std::string d = band_path(v, c.sx, c.sy);
          if (d.empty()) return {};
          return fmt::format("<path d=\"{}\" fill=\"{}\" fill-opacity=\"{}\" stroke=\"none\"/>\n",
                             d, colour(v.colour), fixed(v.opacity, 2));
        } else if constexpr (std::is_same_v<T, Points>) {
          std::string o;
          for (std::size_t i = 0; i < v.x.size(); ++i) {
            if (!usable(v.x[i], c.sx.log10) || !usable(v.y[i], c.sy.log10)) continue;
            o += marker_svg(v.marker, c.sx.map(v.x[i]), c.sy.map(v.y[i]), v.size, colour(v.colour),
                            v.filled);
            o += "\n";
          }
          return o;
        } else if constexpr (std::is_same_v<T, Bars>) {
          return bars_svg(v, c);
        } else if constexpr (std::is_same_v<T, RefLine>) {
          return refline_svg(v, c);
        } else {
          IL2SIM_ASSERT(v.anchor == "start" || v.anchor == "middle" || v.anchor == "end",
                        "Annotation anchor must be start, middle or end");
          const double X = c.sx.map(v.x);
          const double Y = c.labels.place(X, c.sy.map(v.y), text_width(v.text, kLabelFont),
                                          v.anchor, kLabelFont);
          return text_svg(X, Y, v.text, kLabelFont, v.anchor, halo("#222222")) + "\n";
        }
      },
      s);
}

std::string data_svg(const Figure& fig, DrawContext& c) {
  for (const Series& s : fig.series) c.bar_series += std::holds_alternative<Bars>(s) ? 1 : 0;
  std::string o = fmt::format("<g class=\"data\" clip-path=\"url(#{}-clip)\">\n", fig.id);
  // Areas (bands, bars) first so that no area hides a line or marker; then the rest in order.
  std::vector<const Series*> order;
  for (const Series& s : fig.series) {
    if (std::holds_alternative<Band>(s) || std::holds_alternative<Bars>(s)) order.push_back(&s);
  }
  for (const Series& s : fig.series) {
    if (!std::holds_alternative<Band>(s) && !std::holds_alternative<Bars>(s)) order.push_back(&s);
  }
  for (const Series* sp : order) o += series_svg(*sp, c);
  return o + "</g>\n";
}

std::string axes_svg(const Figure& fig, const Layout& lay, const AxisPlan& xa, const AxisPlan& ya,
                     const Scale& sx, const Scale& sy,
                     const std::vector<std::vector<std::string>>& x_lines) {
  std::string o = "<g class=\"axes\" stroke=\"#333333\" stroke-width=\"1\">\n";
  o += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", px(lay.left),
                   px(lay.bottom), px(lay.right), px(lay.bottom));
  o += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", px(lay.left), px(lay.top),
                   px(lay.left), px(lay.bottom));
  for (const double v : xa.ticks.values) {
    const double X = sx.map(v);
    o += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", px(X), px(lay.bottom),
                     px(X), px(lay.bottom + 5));
  }
  for (const double v : ya.ticks.values) {
    const double Y = sy.map(v);
    o += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", px(lay.left - 5), px(Y),
                     px(lay.left), px(Y));
  }
  o += "</g>\n<g class=\"labels\" fill=\"#222222\">\n";
  std::size_t rows = 1;
  for (std::size_t i = 0; i < xa.ticks.values.size(); ++i) {
    rows = std::max(rows, x_lines[i].size());
    for (std::size_t k = 0; k < x_lines[i].size(); ++k) {
      o += text_svg(sx.map(xa.ticks.values[i]),
                    lay.bottom + 7 + kTickFont + kTickRow * static_cast<double>(k), x_lines[i][k],
                    kTickFont, "middle");
      o += "\n";
    }
  }
  for (std::size_t i = 0; i < ya.ticks.values.size(); ++i) {
    o += text_svg(lay.left - 8, sy.map(ya.ticks.values[i]) + 0.35 * kTickFont, ya.labels[i],
                  kTickFont, "end");
    o += "\n";
  }
  if (!fig.x.label.empty()) {
    o += text_svg((lay.left + lay.right) / 2,
                  lay.bottom + 24 + kLabelFont + kTickRow * static_cast<double>(rows - 1),
                  fig.x.label, kLabelFont, "middle");
    o += "\n";
  }
  if (!fig.y.label.empty()) {
    const double cx = 10.0 + kLabelFont;
    const double cy = (lay.top + lay.bottom) / 2;
    o += text_svg(cx, cy, fig.y.label, kLabelFont, "middle",
                  fmt::format("transform=\"rotate(-90 {} {})\"", px(cx), px(cy)));
    o += "\n";
  }
  return o + "</g>\n";
}

std::string legend_svg(const Layout& lay) {
  if (lay.legend.empty()) return {};
  std::string o = "<g class=\"legend\">\n";
  for (const auto& item : lay.legend) {
    const double x = item.x;
    const double y = item.y;
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, Line> || std::is_same_v<T, Step>) {
            o += fmt::format(
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" "
                "stroke-width=\"{}\"{}/>",
                px(x), px(y), px(x + 24), px(y), colour(v.colour), px(v.width),
                dash_attr(v.dashed));
          } else if constexpr (std::is_same_v<T, Band>) {
            o += fmt::format(
                "<rect x=\"{}\" y=\"{}\" width=\"24\" height=\"12\" fill=\"{}\" "
                "fill-opacity=\"{}\"/>",
                px(x), px(y - 6), colour(v.colour), fixed(v.opacity, 2));
          } else if constexpr (std::is_same_v<T, Points>) {
            o += marker_svg(v.marker, x + 12, y, std::min(v.size, 6.0), colour(v.colour), v.filled);
          } else if constexpr (std::is_same_v<T, Bars>) {
            o += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"24\" height=\"12\" fill=\"{}\"/>",
                             px(x), px(y - 6), colour(v.colour));
          }
        },
        *item.series);
    o += text_svg(x + 30, y + 0.35 * kLegendFont, label_of(*item.series), kLegendFont, "start",
                  "fill=\"#222222\"");
    o += "\n";
  }
  return o + "</g>\n";
}

/// Counts under the x positions of the risk table's times.
std::string risk_svg(const RiskTable& rt, double top, const Scale& sx) {
  std::string o = "<g class=\"risk-table\">\n";
  double y = top + 8.0 + kTickFont;
  o += text_svg(10.0, y, rt.title, kTickFont, "start", "font-weight=\"bold\" fill=\"#222222\"");
  o += "\n";
  for (const auto& row : rt.rows) {
    check_lengths(row.counts.size(), rt.times.size(), "RiskTable row and times differ in length");
    y += kRiskRow;
    o += text_svg(10.0, y, row.label, kTickFont, "start",
                  fmt::format("fill=\"{}\"", colour(row.colour)));
    o += "\n";
    for (std::size_t i = 0; i < rt.times.size(); ++i) {
      o += text_svg(sx.map(rt.times[i]), y, std::to_string(row.counts[i]), kTickFont, "middle",
                    fmt::format("fill=\"{}\"", colour(row.colour)));
      o += "\n";
    }
  }
  return o + "</g>\n";
}

// ---- figure_csv

std::string csv_number(double v) {
  return std::isfinite(v) ? fmt::format("{}", v) : std::string();
}

std::string csv_text(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string o = "\"";
  for (const char c : text) o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

/// One CSV row; x given as text (a number or a category).
std::string csv_row(std::string_view series, std::string_view kind, const std::string& x,
                    double x_lower, double x_upper, double y, double y_lower, double y_upper) {
  return fmt::format("{},{},{},{},{},{},{},{}\n", csv_text(series), kind, csv_text(x),
                     csv_number(x_lower), csv_number(x_upper), csv_number(y), csv_number(y_lower),
                     csv_number(y_upper));
}

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

/// x as text: the category on a categorical axis, else the number.
std::string x_text(const Axis& axis, double x) {
  if (!axis.categories.empty()) {
    const auto i = std::lround(x);
    if (i >= 0 && static_cast<std::size_t>(i) < axis.categories.size() &&
        std::abs(x - static_cast<double>(i)) < kEps)
      return axis.categories[static_cast<std::size_t>(i)];
  }
  return csv_number(x);
}

std::string series_csv(const Figure& fig, const Series& s) {
  std::string o;
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        const auto row = [&](std::string_view kind, double x, double xl, double xu, double y,
                             double yl, double yu) {
          o += csv_row(label_of(s), kind, x_text(fig.x, x), xl, xu, y, yl, yu);
        };
        if constexpr (std::is_same_v<T, Line> || std::is_same_v<T, Points>) {
          const std::string_view kind = std::is_same_v<T, Line> ? "line" : "points";
          for (std::size_t i = 0; i < v.x.size(); ++i)
            row(kind, v.x[i], kNone, kNone, v.y[i], kNone, kNone);
        } else if constexpr (std::is_same_v<T, Step>) {
          for (std::size_t i = 0; i < v.x.size(); ++i)
            row("step", v.x[i], kNone, kNone, v.y[i], kNone, kNone);
          if (v.x_end && !v.x.empty())
            row("step", *v.x_end, kNone, kNone, v.y.back(), kNone, kNone);
          for (const double x : v.censor_x) {
            if (!v.x.empty() && x >= v.x.front())
              row("censor", x, kNone, kNone, v.value_at(x), kNone, kNone);
          }
        } else if constexpr (std::is_same_v<T, Band>) {
          for (std::size_t i = 0; i < v.x.size(); ++i)
            row("band", v.x[i], kNone, kNone, kNone, v.lower[i], v.upper[i]);
          if (v.step && v.x_end && !v.x.empty())
            row("band", *v.x_end, kNone, kNone, kNone, v.lower.back(), v.upper.back());
        } else if constexpr (std::is_same_v<T, Bars>) {
          for (std::size_t i = 0; i < v.x.size(); ++i) {
            const double lo = v.lower.empty() ? v.x[i] - v.width / 2 : v.lower[i];
            const double hi = v.upper.empty() ? v.x[i] + v.width / 2 : v.upper[i];
            row("bar", v.x[i], fig.x.categories.empty() ? lo : kNone,
                fig.x.categories.empty() ? hi : kNone, v.height[i], kNone, kNone);
          }
        } else if constexpr (std::is_same_v<T, RefLine>) {
          if (v.vertical) {
            row("reference", v.value, kNone, kNone, kNone, kNone, kNone);
          } else {
            o += csv_row(v.label, "reference", "", kNone, kNone, v.value, kNone, kNone);
          }
        }
      },
      s);
  return o;
}

}  // namespace

std::string render_svg(const Figure& fig, SvgMode mode) {
  check_series(fig);
  const AxisPlan xa = plan_axis(fig.x, data_range(fig, true));
  const AxisPlan ya = plan_axis(fig.y, data_range(fig, false));
  std::vector<std::vector<std::string>> x_lines;
  const Layout lay = make_layout(fig, xa, ya, x_lines);
  const Scale sx{xa.lo, xa.hi, lay.left, lay.right, fig.x.log10 && fig.x.categories.empty()};
  const Scale sy{ya.lo, ya.hi, lay.bottom, lay.top, fig.y.log10 && fig.y.categories.empty()};
  DrawContext context(lay, ya, sx, sy);
  std::string o = svg_header(fig, lay, mode);
  o += grid_svg(fig, lay, xa, ya, sx, sy);
  o += data_svg(fig, context);
  o += axes_svg(fig, lay, xa, ya, sx, sy, x_lines);
  o += legend_svg(lay);
  if (fig.risk_table) o += risk_svg(*fig.risk_table, fig.height, sx);
  return o + "</svg>\n";
}

std::string figure_csv(const Figure& fig) {
  std::string o = "series,kind,x,x_lower,x_upper,y,y_lower,y_upper\n";
  for (const Series& s : fig.series) o += series_csv(fig, s);
  if (fig.risk_table) {
    for (const auto& row : fig.risk_table->rows) {
      for (std::size_t i = 0; i < fig.risk_table->times.size(); ++i) {
        o += csv_row(row.label, "at_risk", csv_number(fig.risk_table->times[i]), kNone, kNone,
                     static_cast<double>(row.counts[i]), kNone, kNone);
      }
    }
  }
  return o;
}

}  // namespace il2sim::report
