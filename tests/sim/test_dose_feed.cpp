// sim::DoseFeed: the one player of dose records (rate, bolus, SC depot, LAK cells) and the clinic's
// edits of the records (cut, withhold, resume, drop, close at the end of follow-up).
#include <gtest/gtest.h>

#include <array>

#include "model/il2_model.hpp"
#include "sim/dose_feed.hpp"

namespace il2sim::sim {
namespace {

using dosing::Compartment;
using dosing::DoseRecord;

DoseRecord infusion(double t, double days, double rate, std::size_t phase) {
  DoseRecord r;
  r.time = t;
  r.duration = days;
  r.rate_iu_per_day = rate;
  r.phase_index = phase;
  r.instance = phase;  // one instance per phase (no cycles)
  return r;
}

DoseRecord administration(double t, double amount, Compartment c, std::size_t phase) {
  DoseRecord r;
  r.time = t;
  r.amount_iu = amount;
  r.compartment = c;
  r.phase_index = phase;
  r.instance = phase;  // one instance per phase (no cycles)
  return r;
}

TEST(DoseFeed, PlaysEveryRoute) {
  DoseFeed feed(0.5, 5e6);  // F_sc 0.5, blood volume 5e6 µL
  const std::array<DoseRecord, 4> records{infusion(1.0, 2.0, 100.0, 0),
                                          administration(4.0, 10.0, Compartment::kCentral, 1),
                                          administration(4.0, 10.0, Compartment::kDepot, 1),
                                          administration(5.0, 1e9, Compartment::kLakCells, 1)};
  feed.load(records);
  EXPECT_EQ(feed.infusion_rate(0.5), 0.0);
  EXPECT_EQ(feed.infusion_rate(1.0), 100.0);
  EXPECT_EQ(feed.infusion_rate(3.0), 0.0);  // [1, 3)
  EXPECT_EQ(feed.next_breakpoint(0.0), 1.0);
  EXPECT_EQ(feed.next_breakpoint(1.0), 3.0);
  EXPECT_EQ(feed.next_breakpoint(3.0), 4.0);
  std::array<double, model::kStateCount> y{};
  const auto d = feed.give(4.0, y);
  EXPECT_TRUE(d.bolus);
  EXPECT_EQ(y[model::kA1], 10.0);
  EXPECT_EQ(y[model::kAd], 5.0);  // F_sc × amount
  EXPECT_FALSE(feed.give(5.0, y).bolus);
  EXPECT_EQ(y[model::kK], 1e9 / 5e6);  // cells per µL
  EXPECT_EQ(feed.next_breakpoint(4.0), kNever);
}

TEST(DoseFeed, HoldResumeAndCloseEditTheRecords) {
  DoseFeed feed(1.0, 1.0);
  const std::array<DoseRecord, 2> records{infusion(0.0, 4.0, 100.0, 0),
                                          infusion(4.0, 4.0, 50.0, 1)};
  feed.load(records);
  feed.cut(1.0, std::size_t{0}, DoseStatus::kWithheld, "hold", false);
  EXPECT_EQ(feed.infusion_rate(1.5), 0.0);
  feed.resume(2.0, 0, 0.5);
  EXPECT_EQ(feed.infusion_rate(2.5), 50.0);  // half of 100
  EXPECT_EQ(feed.infusion_rate(4.5), 50.0);  // the next phase at full dose
  feed.close(5.0, "ongoing at end of follow-up");
  double given = 0.0;
  double withheld = 0.0;
  for (const auto& d : feed.doses()) {
    if (d.status == DoseStatus::kGiven) given += d.record.il2_iu();
    if (d.status == DoseStatus::kWithheld) withheld += d.record.il2_iu();
  }
  // Given: 100 × 1 + 50 × 2 (resumed) + 50 × 1 (second phase to day 5); withheld: 100 × 1.
  EXPECT_DOUBLE_EQ(given, 250.0);
  EXPECT_DOUBLE_EQ(withheld, 100.0);
  EXPECT_EQ(feed.doses().back().status, DoseStatus::kDropped);  // [5, 8) after follow-up
  EXPECT_EQ(feed.infusion_rate(5.5), 0.0);
}

// A delayed hold (on_hold = "delay"): everything from the hold on is withheld, and at the
// resumption every withheld record moves by the hold's length; only the held instance's IL-2 is
// reduced. Instance 0 infuses 100/day on [0, 4), instance 1 50/day on [4, 8); held on [1, 3).
TEST(DoseFeed, PostponeMovesEveryWithheldRecord) {
  DoseFeed feed(1.0, 1.0);
  const std::array<DoseRecord, 3> records{infusion(0.0, 4.0, 100.0, 0), infusion(4.0, 4.0, 50.0, 1),
                                          administration(5.0, 1e9, Compartment::kLakCells, 1)};
  feed.load(records);
  feed.cut(1.0, std::nullopt, DoseStatus::kWithheld, "hold", true);
  EXPECT_EQ(feed.infusion_rate(4.5), 0.0);
  feed.postpone(2.0, 0, 0.5);
  // The rest of instance 0 ([1, 4), 3 days) now on [3, 6) at half rate; instance 1 on [6, 10).
  EXPECT_EQ(feed.infusion_rate(0.5), 100.0);
  EXPECT_EQ(feed.infusion_rate(2.0), 0.0);
  EXPECT_EQ(feed.infusion_rate(3.5), 50.0);
  EXPECT_EQ(feed.infusion_rate(5.5), 50.0);
  EXPECT_EQ(feed.infusion_rate(6.5), 50.0);  // instance 1 at full dose
  EXPECT_EQ(feed.infusion_rate(9.5), 50.0);
  EXPECT_EQ(feed.infusion_rate(10.5), 0.0);
  double cells_at = 0.0;
  for (const auto& d : feed.doses()) {
    EXPECT_EQ(d.status, DoseStatus::kPlanned);
    if (d.record.compartment == Compartment::kLakCells) {
      cells_at = d.record.time;
      EXPECT_EQ(d.record.amount_iu, 1e9);  // cells are not reduced
    }
  }
  EXPECT_EQ(cells_at, 7.0);  // 5 + 2
}

}  // namespace
}  // namespace il2sim::sim
