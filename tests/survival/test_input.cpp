// The input edge: CSV parsing, missing values, event codings and the user errors for bad input.
// Expectations are the rules of interfaces.md (survival section) and RFC 4180.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "survival/csv.hpp"
#include "survival/data.hpp"

namespace il2sim::survival {
namespace {

std::string error_of(const auto& f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.what();
  }
  return "(no error)";
}

std::vector<std::size_t> all_rows(const CsvTable& t) {
  std::vector<std::size_t> r(t.rows.size());
  for (std::size_t i = 0; i < r.size(); ++i) r[i] = i;
  return r;
}

TEST(Csv, QuotedFieldsCrlfAndEmbeddedNewlines) {
  // RFC 4180: quotes around fields, "" for a quote, line breaks inside quotes, CRLF line ends.
  const auto t =
      parse_csv("\"a\",b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n1,,NA\r\n", "t.csv");
  ASSERT_EQ(t.header, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(t.rows.size(), 2U);
  EXPECT_EQ(t.rows[0][0], "x, y");
  EXPECT_EQ(t.rows[0][1], "say \"hi\"");
  EXPECT_EQ(t.rows[0][2], "two\nlines");
  EXPECT_EQ(t.lines[1], 4);  // the quoted newline counts as a line
  EXPECT_TRUE(is_missing(t.rows[1][1]));
  EXPECT_TRUE(is_missing(t.rows[1][2]));
  EXPECT_FALSE(is_missing(t.rows[1][0]));
}

TEST(Csv, MalformedInputIsAUserError) {
  EXPECT_NE(error_of([] { (void)parse_csv("", "e.csv"); }).find("e.csv: the file is empty"),
            std::string::npos);
  EXPECT_NE(error_of([] { (void)parse_csv("a,b\n", "h.csv"); }).find("no data rows"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              (void)parse_csv("a,b\n1,2\n3\n", "f.csv");
            }).find("f.csv:3: row has 1 fields but the header has 2"),
            std::string::npos);
  EXPECT_NE(error_of([] { (void)parse_csv("a,b\n\"1,2\n", "q.csv"); }).find("never closed"),
            std::string::npos);
  EXPECT_NE(error_of([] { (void)parse_csv("a,a\n1,2\n", "d.csv"); }).find("appears twice"),
            std::string::npos);
  EXPECT_NE(error_of([] { (void)read_csv("/nonexistent/x.csv"); }).find("cannot open"),
            std::string::npos);
}

TEST(Csv, MissingColumnSuggestsTheClosestName) {
  const auto t = parse_csv("time,status\n1,1\n", "m.csv");
  const std::string msg = error_of([&] { (void)t.column("stauts"); });
  EXPECT_NE(msg.find("no column named 'stauts'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("did you mean 'status'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("time, status"), std::string::npos) << msg;
}

TEST(Data, RowsWithAMissingValueAreDroppedAndCounted) {
  const auto t = parse_csv("time,status,g\n1,1,a\nNA,1,a\n3,,b\n4,0,\n5,1,b\n", "m.csv");
  const std::vector<std::size_t> cols{0, 1};
  const auto r = complete_rows(t, cols);
  EXPECT_EQ(r.rows, (std::vector<std::size_t>{0, 3, 4}));
  EXPECT_EQ(r.n_dropped, 2U);
}

TEST(Data, EventCodings) {
  // interfaces.md: 0/1, TRUE/FALSE, or 1/2 as R's Surv (2 = event).
  const auto t = parse_csv("a,b,c\n0,TRUE,1\n1,false,2\n1,T,2\n", "e.csv");
  const auto rows = all_rows(t);
  EXPECT_EQ(read_events(t, 0, rows), (std::vector<int>{0, 1, 1}));
  EXPECT_EQ(read_events(t, 1, rows), (std::vector<int>{1, 0, 1}));
  EXPECT_EQ(read_events(t, 2, rows), (std::vector<int>{0, 1, 1}));
}

TEST(Data, BadEventCodesAndTimesNameFileLineAndColumn) {
  const auto t = parse_csv("time,status\n1,1\n2,3\n-1,0\nabc,1\n", "bad.csv");
  const std::vector<std::size_t> second{1};
  EXPECT_NE(error_of([&] {
              (void)read_events(t, 1, second);
            }).find("bad.csv:3:2: status: event code '3' is not allowed"),
            std::string::npos);
  const std::vector<std::size_t> third{2};
  EXPECT_NE(error_of([&] {
              (void)read_times(t, 0, third);
            }).find("bad.csv:4:1: time: time -1 is negative"),
            std::string::npos);
  const std::vector<std::size_t> fourth{3};
  EXPECT_NE(error_of([&] { (void)read_times(t, 0, fourth); }).find("time 'abc' is not a number"),
            std::string::npos);
  const auto mixed = parse_csv("s\n0\n2\n", "mix.csv");
  EXPECT_NE(error_of([&] { (void)read_events(mixed, 0, all_rows(mixed)); }).find("coded 1/2"),
            std::string::npos);
}

TEST(Data, FactorLevelsSortLikeR) {
  // R's factor(): numeric values sort as numbers, text by its characters; first level = reference.
  const std::vector<std::string> num{"10", "2", "1", "2"};
  const auto f = make_factor(num);
  EXPECT_EQ(f.levels, (std::vector<std::string>{"1", "2", "10"}));
  EXPECT_EQ(f.codes, (std::vector<int>{2, 1, 0, 1}));
  const std::vector<std::string> text{"squamous", "adeno", "large"};
  EXPECT_EQ(make_factor(text).levels, (std::vector<std::string>{"adeno", "large", "squamous"}));
}

}  // namespace
}  // namespace il2sim::survival
