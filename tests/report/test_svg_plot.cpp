#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <regex>
#include <string>
#include <vector>

#include "report/svg_plot.hpp"

namespace il2sim::report {
namespace {

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t p = haystack.find(needle); p != std::string::npos;
       p = haystack.find(needle, p + needle.size())) {
    ++n;
  }
  return n;
}

// Expected tick values below follow the rule stated in svg_plot.hpp: the smallest step m·10^k,
// m in {1, 2, 5}, whose multiples inside [lo, hi] are at most max_ticks.

TEST(NiceTicks, TwoYearsInDays) {
  // Step 50 would give 15 multiples of 50 in [0, 730]; step 100 gives 0..700, 8 ticks.
  const Ticks t = nice_ticks(0.0, 730.0, 8);
  EXPECT_DOUBLE_EQ(t.step, 100.0);
  ASSERT_EQ(t.values.size(), 8U);
  for (std::size_t i = 0; i < t.values.size(); ++i) {
    EXPECT_DOUBLE_EQ(t.values[i], 100.0 * static_cast<double>(i));
  }
}

TEST(NiceTicks, UnitIntervalUsesTenthsTimesTwo) {
  // Step 0.1 gives 11 ticks (> 8); step 0.2 gives 0, 0.2, ..., 1 (6 ticks).
  const Ticks t = nice_ticks(0.0, 1.0, 8);
  EXPECT_DOUBLE_EQ(t.step, 0.2);
  const std::vector<double> expected = {0.0, 0.2, 0.4, 0.6, 0.8, 1.0};
  ASSERT_EQ(t.values.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_DOUBLE_EQ(t.values[i], expected[i]);
}

TEST(NiceTicks, NegativeRange) {
  // Step 1 gives -3..12 (16 ticks); step 2 gives -2, 0, ..., 12 (8 ticks).
  const Ticks t = nice_ticks(-3.7, 12.2, 8);
  EXPECT_DOUBLE_EQ(t.step, 2.0);
  ASSERT_EQ(t.values.size(), 8U);
  EXPECT_DOUBLE_EQ(t.values.front(), -2.0);
  EXPECT_DOUBLE_EQ(t.values.back(), 12.0);
}

TEST(NiceTicks, CoverWidensToTicks) {
  // nice_cover: step 100 would need 0..800 = 9 ticks (> 8), so step 200: 0, 200, ..., 800.
  const Ticks a = nice_cover(0.0, 730.0, 8);
  EXPECT_DOUBLE_EQ(a.step, 200.0);
  ASSERT_EQ(a.values.size(), 5U);
  EXPECT_DOUBLE_EQ(a.values.back(), 800.0);
  // [0, 0.93]: step 0.1 needs 0..1.0 = 11 ticks, step 0.2 needs 0..1.0 = 6 ticks.
  const Ticks b = nice_cover(0.0, 0.93, 8);
  EXPECT_DOUBLE_EQ(b.step, 0.2);
  EXPECT_DOUBLE_EQ(b.values.front(), 0.0);
  EXPECT_DOUBLE_EQ(b.values.back(), 1.0);
}

TEST(NiceTicks, Log10Decades) {
  // Rule in svg_plot.hpp: powers of ten inside the range.
  const Ticks a = log10_ticks(1.0, 1e6, 8);
  ASSERT_EQ(a.values.size(), 7U);
  for (std::size_t i = 0; i < 7; ++i) EXPECT_DOUBLE_EQ(a.values[i], std::pow(10.0, i));
  // 13 decades > 8: every ceil(13/8) = 2nd decade, 1, 1e2, ..., 1e12.
  const Ticks b = log10_ticks(1.0, 1e12, 8);
  ASSERT_EQ(b.values.size(), 7U);
  EXPECT_DOUBLE_EQ(b.values[1], 100.0);
  // [3, 40] holds one decade (10): add 2·10^k and 5·10^k inside the range → 5, 10, 20.
  const Ticks c = log10_ticks(3.0, 40.0, 8);
  const std::vector<double> expected = {5.0, 10.0, 20.0};
  ASSERT_EQ(c.values.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_DOUBLE_EQ(c.values[i], expected[i]);
}

TEST(TickLabel, DecimalsFollowTheStep) {
  // Decimals = max(0, -floor(log10 step)) (svg_plot.hpp).
  EXPECT_EQ(tick_label(700.0, 100.0), "700");
  EXPECT_EQ(tick_label(0.6, 0.2), "0.6");
  EXPECT_EQ(tick_label(0.05, 0.05), "0.05");
  EXPECT_EQ(tick_label(0.0, 0.2), "0");
  EXPECT_EQ(tick_label(-2.0, 2.0), "\u22122");
  // Magnitudes >= 1e6 as a×10ⁿ.
  EXPECT_EQ(tick_label(2e6, 1e6), "2×10⁶");
  EXPECT_EQ(tick_label(1.5e6, 5e5), "1.5×10⁶");
  EXPECT_EQ(tick_label(1e6, 0.0), "10⁶");
  EXPECT_EQ(tick_label(1e-4, 0.0), "10⁻⁴");
}

TEST(Scale, LinearAndLogMapping) {
  // Linear: p0 + (v - d0)/(d1 - d0)·(p1 - p0).
  const Scale x{0.0, 730.0, 100.0, 830.0, false};
  EXPECT_DOUBLE_EQ(x.map(0.0), 100.0);
  EXPECT_DOUBLE_EQ(x.map(365.0), 465.0);
  EXPECT_DOUBLE_EQ(x.map(730.0), 830.0);
  // A y axis runs upward: [0, 1] → [400, 40].
  const Scale y{0.0, 1.0, 400.0, 40.0, false};
  EXPECT_DOUBLE_EQ(y.map(0.25), 310.0);
  // Log10: 10 is one third of the way from 1 to 1000.
  const Scale l{1.0, 1000.0, 0.0, 300.0, true};
  EXPECT_NEAR(l.map(10.0), 100.0, 1e-9);
  EXPECT_NEAR(l.map(1000.0), 300.0, 1e-9);
}

TEST(Text, XmlEscapeAndFixed) {
  EXPECT_EQ(xml_escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
  EXPECT_EQ(xml_escape("Kaplan–Meier"), "Kaplan–Meier");
  EXPECT_EQ(fixed(3.14159, 2), "3.14");
  EXPECT_EQ(fixed(-0.001, 2), "0.00");  // no negative zero
  EXPECT_EQ(fixed(-1.5, 1), "-1.5");
}

TEST(StepSeries, KaplanMeierPath) {
  // S = 1 on [0, 2), 0.5 on [2, 5), 0.25 from 5 to the end of follow-up at 8. Scales: x [0, 10] →
  // [0, 100] px, y [0, 1] → [100, 0] px, so (t, S) ↦ (10 t, 100 - 100 S).
  Step km;
  km.x = {0.0, 2.0, 5.0};
  km.y = {1.0, 0.5, 0.25};
  km.x_end = 8.0;
  const Scale sx{0.0, 10.0, 0.0, 100.0, false};
  const Scale sy{0.0, 1.0, 100.0, 0.0, false};
  EXPECT_EQ(step_path(km, sx, sy), "M0.00,0.00H20.00V50.00H50.00V75.00H80.00");
  // Right-continuous: the drop belongs to the event time.
  EXPECT_DOUBLE_EQ(km.value_at(1.99), 1.0);
  EXPECT_DOUBLE_EQ(km.value_at(2.0), 0.5);
  EXPECT_DOUBLE_EQ(km.value_at(7.0), 0.25);
}

Figure km_figure() {
  Figure f;
  f.id = "km";
  f.title = "PFS <by arm> & \"censoring\"";
  f.x.label = "Days since transplant";
  f.x.min = 0.0;
  f.x.max = 730.0;
  f.y.label = "Progression-free survival";
  f.y.min = 0.0;
  f.y.max = 1.0;
  Step a;
  a.x = {0, 100, 250, 400};
  a.y = {1, 0.8, 0.6, 0.5};
  a.x_end = 730;
  a.censor_x = {150, 500, 700};
  a.label = "IL-2";
  Step b = a;
  b.y = {1, 0.7, 0.5, 0.3};
  b.colour = 1;
  b.label = "Observation";
  b.censor_x = {300};
  f.add(a).add(b);
  f.add(Annotation{365, 0.9, "HR 0.70 (0.50–0.98)", "middle"});
  RiskTable rt;
  rt.times = {0, 200, 400, 600};
  rt.rows = {{"IL-2", 0, {50, 40, 30, 20}}, {"Observation", 1, {50, 35, 22, 12}}};
  f.risk_table = rt;
  return f;
}

TEST(Render, DeterministicBytes) {
  const Figure f = km_figure();
  const Figure copy = f;
  const std::string a = render_svg(f);
  EXPECT_EQ(a, render_svg(f));
  EXPECT_EQ(a, render_svg(copy));
}

TEST(Render, EscapesTextAndHasViewBox) {
  const std::string s = render_svg(km_figure());
  EXPECT_NE(s.find("PFS &lt;by arm&gt; &amp; &quot;censoring&quot;"), std::string::npos);
  EXPECT_EQ(s.find("PFS <by arm>"), std::string::npos);
  EXPECT_NE(s.find("viewBox=\"0 0 760 "), std::string::npos);
  EXPECT_EQ(s.find("xmlns"), std::string::npos);  // inline mode: HTML needs no namespace
  EXPECT_NE(
      render_svg(km_figure(), SvgMode::kStandalone).find("xmlns=\"http://www.w3.org/2000/svg\""),
      std::string::npos);
}

TEST(Render, TextIsReadable) {
  // Every font-size is at least kMinFontPx = 11 (svg_plot.hpp).
  const std::string s = render_svg(km_figure());
  const std::regex re("font-size=\"([0-9.]+)\"");
  std::size_t n = 0;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it) {
    EXPECT_GE(std::stod((*it)[1].str()), kMinFontPx);
    ++n;
  }
  EXPECT_GT(n, 10U);
}

TEST(Render, CensorTicksRiskTableAndLegend) {
  const std::string s = render_svg(km_figure());
  // One "+" per censoring time: a vertical and a horizontal stroke, each starting with "M".
  EXPECT_EQ(count(s, "class=\"censor\""), 2U);
  const std::regex censor("class=\"censor\" d=\"([^\"]*)\"");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(s, m, censor));
  EXPECT_EQ(count(m[1].str(), "M"), 2U * 3U);  // arm IL-2 has 3 censored times
  EXPECT_NE(s.find("class=\"risk-table\""), std::string::npos);
  EXPECT_NE(s.find(">Number at risk</text>"), std::string::npos);
  EXPECT_NE(s.find(">22</text>"), std::string::npos);
  EXPECT_NE(s.find("class=\"legend\""), std::string::npos);
  EXPECT_NE(s.find(">Observation</text>"), std::string::npos);
  EXPECT_NE(s.find("HR 0.70 (0.50–0.98)"), std::string::npos);
}

TEST(Render, NanBreaksALineAndLogAxisSkipsNonPositive) {
  Figure f;
  f.id = "lines";
  Line l;
  l.x = {1, 2, 3, 4, 5};
  l.y = {1, std::numeric_limits<double>::quiet_NaN(), 3, 4, 5};
  f.add(l);
  const std::regex path("<path d=\"([^\"]*)\" fill=\"none\"");
  std::smatch m;
  std::string s = render_svg(f);
  ASSERT_TRUE(std::regex_search(s, m, path));
  EXPECT_EQ(count(m[1].str(), "M"), 2U);
  EXPECT_EQ(count(m[1].str(), "L"), 2U);  // the piece 3, 4, 5
  // On a log axis, y = 0 is a gap like NaN.
  f.y.log10 = true;
  std::get<Line>(f.series[0]).y = {1, 0, 3, 4, 5};
  s = render_svg(f);
  ASSERT_TRUE(std::regex_search(s, m, path));
  EXPECT_EQ(count(m[1].str(), "M"), 2U);
}

TEST(Render, BarsOfTwoSeriesSitSideBySide) {
  Figure f;
  f.id = "bars";
  f.x.categories = {"A", "B"};
  Bars a;
  a.x = {0, 1};
  a.height = {0.2, 0.4};
  Bars b = a;
  b.colour = 1;
  f.add(a).add(b);
  const std::string s = render_svg(f);
  const std::regex rect(
      "<rect x=\"([0-9.]+)\" y=\"[0-9.]+\" width=\"([0-9.]+)\" height=\"[0-9.]+\" "
      "fill=\"(#[0-9A-F]+)\" stroke");
  std::vector<double> xs, ws;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), rect); it != std::sregex_iterator();
       ++it) {
    xs.push_back(std::stod((*it)[1].str()));
    ws.push_back(std::stod((*it)[2].str()));
  }
  ASSERT_EQ(xs.size(), 4U);  // order: series a (A, B), series b (A, B)
  EXPECT_NEAR(ws[0], ws[2], 0.011);
  EXPECT_NEAR(xs[0] + ws[0], xs[2], 0.011);  // b's bar at A starts where a's ends
  EXPECT_NE(s.find(">A</text>"), std::string::npos);
}

TEST(Render, OpenAndFilledMarkers) {
  Figure f;
  f.id = "esc";
  Points open;
  open.x = {1, 2};
  open.y = {1, 2};
  open.filled = false;
  open.label = "no DLT";
  Points dlt;
  dlt.x = {3};
  dlt.y = {2};
  dlt.colour = 1;
  dlt.label = "DLT";
  f.add(open).add(dlt);
  const std::string s = render_svg(f);
  // Data markers plus one legend marker per series.
  EXPECT_EQ(count(s, "fill=\"#ffffff\" stroke=\"#0072B2\""), 3U);
  EXPECT_EQ(count(s, "fill=\"#D55E00\" stroke=\"#D55E00\""), 2U);
}

TEST(Render, AreasAreDrawnBeforeLines) {
  // render_svg draws Band and Bars first (svg_plot.hpp), so a band added after its median line
  // does not hide it.
  Figure f;
  f.id = "order";
  Line median;
  median.x = {0, 1, 2};
  median.y = {1, 2, 1.5};
  Band band;
  band.x = {0, 1, 2};
  band.lower = {0.5, 1.5, 1};
  band.upper = {1.5, 2.5, 2};
  f.add(median).add(band);
  const std::string s = render_svg(f);
  const std::size_t band_at = s.find("fill-opacity=\"0.25\" stroke=\"none\"");
  const std::size_t line_at = s.find("fill=\"none\" stroke=\"#0072B2\"");
  ASSERT_NE(band_at, std::string::npos);
  ASSERT_NE(line_at, std::string::npos);
  EXPECT_LT(band_at, line_at);
}

TEST(Axis, FixedStepTicksEverySixMonths) {
  // Axis::step (svg_plot.hpp): ticks at the multiples of the step inside the limits; with min 0
  // and max unset and nice, the upper limit widens to the next multiple: 0, 6, ..., 30 for 27.3.
  Figure f;
  f.id = "months";
  f.x.step = 6.0;
  f.x.min = 0.0;
  Line l;
  l.x = {0.0, 27.3};
  l.y = {0.0, 1.0};
  f.add(l);
  const std::string svg = render_svg(f);
  for (const char* label : {">0<", ">6<", ">12<", ">18<", ">24<", ">30<"})
    EXPECT_NE(svg.find(label), std::string::npos) << label;
  EXPECT_EQ(svg.find(">5<"), std::string::npos);  // not the 1-2-5 rule's 0, 5, 10, ...
  EXPECT_EQ(svg.find(">36<"), std::string::npos);
}

TEST(Axis, ExplicitTicksOnALogAxis) {
  Figure f;
  f.id = "hr";
  f.x.log10 = true;
  f.x.min = 0.4;
  f.x.max = 2.0;
  f.x.ticks = {0.5, 0.75, 1.0, 1.5};
  Points p;
  p.x = {0.7};
  p.y = {1.0};
  f.add(p);
  const std::string svg = render_svg(f);
  for (const char* label : {">0.5<", ">0.75<", ">1<", ">1.5<"})
    EXPECT_NE(svg.find(label), std::string::npos) << label;
}

TEST(Band, StepBandHoldsEachValueToTheNextX) {
  // A step band with x = 0, 1 and x_end = 2 on the unit scale: lower 0.5 then 0.25 held to 2,
  // upper 1 then 0.75. Expanded: (0,.5) (1,.5) (1,.25) (2,.25), back along the upper bound.
  Band b;
  b.step = true;
  b.x = {0.0, 1.0};
  b.lower = {0.5, 0.25};
  b.upper = {1.0, 0.75};
  b.x_end = 2.0;
  Figure f;
  f.id = "band";
  f.x.min = 0.0;
  f.x.max = 2.0;
  f.x.nice = false;
  f.y.min = 0.0;
  f.y.max = 1.0;
  f.y.nice = false;
  f.add(b);
  const std::string svg = render_svg(f);
  // Eight vertices: M + 7 L, then Z.
  const auto at = svg.find("<path d=\"M");
  ASSERT_NE(at, std::string::npos);
  const std::string d = svg.substr(at, svg.find('"', at + 9) - at);
  EXPECT_EQ(std::count(d.begin(), d.end(), 'L'), 7);
  EXPECT_EQ(std::count(d.begin(), d.end(), 'Z'), 1);
  const std::string csv = figure_csv(f);
  // The data: one row per value and one for x_end (the last value held), as figure_csv says.
  EXPECT_NE(csv.find(",band,0,,,,0.5,1\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",band,1,,,,0.25,0.75\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",band,2,,,,0.25,0.75\n"), std::string::npos) << csv;
}

TEST(FigureCsv, StepsCensorsBarsReferencesAndRiskTable) {
  Figure f;
  f.id = "km";
  Step s;
  s.x = {0.0, 2.0};
  s.y = {1.0, 0.5};
  s.x_end = 3.0;
  s.censor_x = {1.0};
  s.label = "Arm, \"A\"";
  f.add(s);
  Bars h;
  h.x = {1.0};
  h.lower = {0.5};
  h.upper = {2.0};
  h.height = {4.0};
  h.label = "bins";
  f.add(h);
  f.add(RefLine{1.5, true, "HR = 1", 6});
  RiskTable rt;
  rt.times = {0.0, 3.0};
  rt.rows = {{"A", 0, {10, 4}}};
  f.risk_table = rt;
  const std::string csv = figure_csv(f);
  EXPECT_EQ(csv,
            "series,kind,x,x_lower,x_upper,y,y_lower,y_upper\n"
            "\"Arm, \"\"A\"\"\",step,0,,,1,,\n"
            "\"Arm, \"\"A\"\"\",step,2,,,0.5,,\n"
            "\"Arm, \"\"A\"\"\",step,3,,,0.5,,\n"
            "\"Arm, \"\"A\"\"\",censor,1,,,1,,\n"
            "bins,bar,1,0.5,2,4,,\n"
            "HR = 1,reference,1.5,,,,,\n"
            "A,at_risk,0,,,10,,\n"
            "A,at_risk,3,,,4,,\n");
}

TEST(Labels, WrapAtSpacesToTheWidth) {
  // 0.6 em per code point at 12 px: 7.2 px a character; 80 px hold 11 characters.
  const auto lines = wrap_text("relapse before the would-be start", 12.0, 80.0);
  const std::vector<std::string> expected = {"relapse", "before the", "would-be", "start"};
  EXPECT_EQ(lines, expected);
  EXPECT_EQ(wrap_text("short", 12.0, 80.0), std::vector<std::string>{"short"});
}

TEST(Labels, ReferenceLabelsThatWouldCollideMoveDown) {
  // Two vertical reference lines 1 px apart: their labels start at the same height, so the
  // second moves down one row (font 12 + 4 px) instead of overlapping the first.
  Figure f;
  f.id = "refs";
  f.x.min = 0.0;
  f.x.max = 100.0;
  f.add(RefLine{50.0, true, "first label", 6});
  f.add(RefLine{50.1, true, "second label", 1});
  const std::string svg = render_svg(f);
  const std::regex y_of(R"re(<text x="[0-9.]+" y="([0-9.]+)"[^>]*>(first|second) label<)re");
  std::vector<double> ys;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), y_of); it != std::sregex_iterator();
       ++it)
    ys.push_back(std::stod((*it)[1]));
  ASSERT_EQ(ys.size(), 2U);
  EXPECT_NEAR(ys[1] - ys[0], 16.0, 1e-9);
}

TEST(Labels, LongCategoriesWrapOntoLines) {
  // Five categories on a 760 px figure have ~140 px each; a 30-character label (216 px) wraps.
  Figure f;
  f.id = "cats";
  f.x.categories = {"relapse before the would-be start", "b", "c", "d", "e"};
  Bars b;
  b.x = {0, 1, 2, 3, 4};
  b.height = {1, 2, 3, 4, 5};
  f.add(b);
  const std::string svg = render_svg(f);
  EXPECT_EQ(svg.find(">relapse before the would-be start<"), std::string::npos);
  EXPECT_NE(svg.find(">relapse before the<"), std::string::npos);
  EXPECT_NE(svg.find(">would-be start<"), std::string::npos);
}

TEST(Palette, OkabeIto) {
  // Okabe & Ito (2008): blue #0072B2 first, vermillion #D55E00 second; indices wrap.
  EXPECT_EQ(palette_colour(0), "#0072B2");
  EXPECT_EQ(palette_colour(1), "#D55E00");
  EXPECT_EQ(palette_size(), 8U);
  EXPECT_EQ(palette_colour(palette_size()), palette_colour(0));
}

}  // namespace
}  // namespace il2sim::report
