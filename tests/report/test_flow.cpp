#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "report/flow.hpp"
#include "report/html.hpp"

namespace il2sim::report {
namespace {

FlowChart sample() {
  FlowChart c;
  c.id = "flow";
  c.title = "Flow";
  c.top = {"Registered", 10, 9.5, {}};
  c.side = FlowBox{"Not randomized", 4, 4.5, {{"relapse", 3, 3.0}, {"refusal, late", 1, 1.5}}};
  c.middle = {"Randomized", 6, 5.0, {}};
  c.column_names = {"A", "B"};
  c.columns = {{{"Randomized to A", 3, 2.5, {}}, {"Analysed", 3, 2.5, {}}},
               {{"Randomized to B", 3, 2.5, {}}, {"Analysed", 3, 2.5, {}}}};
  return c;
}

TEST(Flow, CsvHasEveryBoxAndItem) {
  // flow_csv (flow.hpp): a row per box, then per item; trunk boxes have no column; rows of the
  // columns top to bottom, left to right.
  EXPECT_EQ(flow_csv(sample()),
            "box,column,item,patients,mean_per_trial\n"
            "Registered,,,10,9.5\n"
            "Not randomized,,,4,4.5\n"
            "Not randomized,,relapse,3,3\n"
            "Not randomized,,\"refusal, late\",1,1.5\n"
            "Randomized,,,6,5\n"
            "Randomized to A,A,,3,2.5\n"
            "Randomized to B,B,,3,2.5\n"
            "Analysed,A,,3,2.5\n"
            "Analysed,B,,3,2.5\n");
}

TEST(Flow, SvgHasBoxesArrowsAndNoTextOverlapInTheEstimate) {
  const std::string svg = render_flow_svg(sample());
  EXPECT_EQ(svg.rfind("<svg class=\"figure flow\" id=\"flow\"", 0), 0U);
  EXPECT_NE(svg.find("<g class=\"data\""), std::string::npos);
  // Three boxes in the trunk and side, four in the columns, and the background.
  const std::regex rect("<rect ");
  EXPECT_EQ(
      std::distance(std::sregex_iterator(svg.begin(), svg.end(), rect), std::sregex_iterator()), 8);
  EXPECT_NE(svg.find(">Registered: n = 10<"), std::string::npos);
  EXPECT_NE(svg.find(">• refusal, late: 1 (mean per trial 1.5)<"), std::string::npos);
  EXPECT_EQ(svg, render_flow_svg(sample()));  // deterministic
}

TEST(Flow, PageKeepsTheDataOfEveryFigure) {
  Page page("p");
  page.set_figure_data_folder("figures");
  page.begin_section("s", "S");
  page.flow(sample(), "The flow.");
  Figure f;
  f.id = "line";
  Line l;
  l.x = {0, 1};
  l.y = {0, 1};
  f.add(l);
  page.figure(f, "");
  page.end_section();
  ASSERT_EQ(page.figure_data().size(), 2U);
  EXPECT_EQ(page.figure_data()[0].first, "figures/flow.csv");
  EXPECT_EQ(page.figure_data()[0].second, flow_csv(sample()));
  EXPECT_EQ(page.figure_data()[1].first, "figures/line.csv");
  const std::string html = page.render();
  EXPECT_NE(html.find("<figcaption>The flow. Data: figures/flow.csv.</figcaption>"),
            std::string::npos);
  EXPECT_NE(html.find("<figcaption>Data: figures/line.csv.</figcaption>"), std::string::npos);
}

}  // namespace
}  // namespace il2sim::report
