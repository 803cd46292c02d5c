#include <gtest/gtest.h>

#include <string>

#include "report/html.hpp"

namespace il2sim::report {
namespace {

Page sample_page() {
  Page page("Trial <A> & B");
  page.begin_section("setup", "Run");
  page.key_values("Run", {{"Scenario", "default"}, {"Seed", "42"}, {"Version", "0.1.0"}});
  page.end_section();
  page.begin_section("tox", "Toxicity");
  Table t;
  t.caption = "Worst CTC grade by arm";
  t.groups = {{"", 1}, {"IL-2", 2}, {"Observation", 2}};
  t.header = {"Toxicity", "G3", "G4", "G3", "G4"};
  t.rows = {{"Fever > 40 °C", "3", "1", "0", "0"}};
  t.note = "Counts of patients.";
  page.table(t);
  Figure f;
  f.id = "fig1";
  f.title = "A line";
  Line l;
  l.x = {0, 1};
  l.y = {0, 1};
  f.add(l);
  page.figure(f, "Caption <1>");
  page.end_section();
  return page;
}

TEST(Html, SelfContained) {
  // Self-contained: no reference to any network address, no script, the CSS inline.
  const std::string s = sample_page().render();
  EXPECT_EQ(s.find("http://"), std::string::npos);
  EXPECT_EQ(s.find("https://"), std::string::npos);
  EXPECT_EQ(s.find("<script"), std::string::npos);
  EXPECT_EQ(s.find("<link"), std::string::npos);
  EXPECT_NE(s.find("<style>"), std::string::npos);
  EXPECT_EQ(s.rfind("<!DOCTYPE html>", 0), 0U);
  EXPECT_NE(s.find("<meta charset=\"utf-8\">"), std::string::npos);
}

TEST(Html, EscapesTextAndStructuresTables) {
  const std::string s = sample_page().render();
  EXPECT_NE(s.find("<title>Trial &lt;A&gt; &amp; B</title>"), std::string::npos);
  EXPECT_NE(s.find("<td class=\"l\">Fever &gt; 40 °C</td>"), std::string::npos);
  EXPECT_NE(s.find("<th class=\"group\" colspan=\"2\" scope=\"colgroup\">IL-2</th>"),
            std::string::npos);
  EXPECT_NE(s.find("<figcaption>Caption &lt;1&gt;</figcaption>"), std::string::npos);
  EXPECT_NE(s.find("<a href=\"#tox\">Toxicity</a>"), std::string::npos);
  EXPECT_NE(s.find("<section id=\"tox\">"), std::string::npos);
  EXPECT_NE(s.find("<svg class=\"figure\" id=\"fig1\""), std::string::npos);
  EXPECT_NE(s.find("<th scope=\"row\">Seed</th><td>42</td>"), std::string::npos);
}

TEST(Html, Deterministic) {
  EXPECT_EQ(sample_page().render(), sample_page().render());
}

TEST(HtmlDeathTest, DuplicateFigureIdIsAProgrammingError) {
  Page page("p");
  Figure f;
  f.id = "same";
  page.figure(f, "");
  EXPECT_DEATH(page.figure(f, ""), "unique");
}

}  // namespace
}  // namespace il2sim::report
