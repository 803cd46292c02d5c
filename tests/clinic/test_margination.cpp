// Margination and rebound (model.md §2 observation model; calibration target IM5): blood NK = N·BN
// around a 6-day CIV course, typical adult (BSA 1.8 m²), course on days 46-52.
//
// IM5 (J Hematother 1995) asks for the blood peak 2-5 days after the stop and a return near
// baseline by day 14 (<= day 21). With the default parameters the model does not meet it (measured
// on a 0.01-day grid, blood NK before the course 242/µL):
//   dose (IU/m²/day)   1e6    3e6    6e6    9e6    18e6
//   peak, days after  13.4   11.6   10.2    9.5     8.5
//   peak / before     2.24   2.76   3.14   3.38    3.82
//   day +21 / before  2.16   2.58   2.84   3.00    3.26
// model.md §6 anticipates this ("the rebound peak comes too late ... that is the calibration's
// job"), so the defaults are left alone and these tests check the structural properties of the
// observation model that hold for any calibration: the count falls during the infusion
// (margination), the peak comes after the stop and above the pre-course count (return of an
// expanded pool), and the count declines after the peak.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "clinic_fixtures.hpp"

namespace il2sim::clinic {
namespace {

struct Course {
  double peak_day_after_stop;
  double peak;
  double before;        ///< blood NK the day before the course
  double at_stop;       ///< at the end of the infusion
  double stop_plus_21;  ///< 21 days after the stop
  double stop_plus_30;
  double trough;  ///< lowest blood NK during the infusion
};

Course six_day_course(double dose_per_m2_per_day, double kret = 0.0) {
  const auto s = testing::default_scenario();
  auto v = testing::typical_patient(s);
  if (kret > 0.0) v.parameters.kret = kret;
  constexpr double kStart = 46.0;
  constexpr double kStop = kStart + 6.0;
  const std::vector<dosing::DoseRecord> doses{{kStart, 6.0,
                                               dose_per_m2_per_day * v.covariates.bsa_m2, 0.0,
                                               dosing::Compartment::kCentral, 0}};
  const auto r = testing::trajectory(s, v, doses, kStop + 30.0, 0.01);
  Course c{};
  c.before = r.at(testing::row_at(r, kStart - 1.0), "NK_blood");
  c.at_stop = r.at(testing::row_at(r, kStop), "NK_blood");
  c.stop_plus_21 = r.at(testing::row_at(r, kStop + 21.0), "NK_blood");
  c.stop_plus_30 = r.at(testing::row_at(r, kStop + 30.0), "NK_blood");
  c.trough = c.before;
  for (std::size_t i = testing::row_at(r, kStart); i < r.days().size(); ++i) {
    const double nk = r.at(i, "NK_blood");
    if (r.days()[i] <= kStop) c.trough = std::min(c.trough, nk);
    if (r.days()[i] >= kStop && nk > c.peak) {
      c.peak = nk;
      c.peak_day_after_stop = r.days()[i] - kStop;
    }
  }
  return c;
}

class Margination : public ::testing::TestWithParam<double> {};

TEST_P(Margination, BloodCountFallsDuringTheCourseAndPeaksAfterTheStop) {
  const auto c = six_day_course(GetParam());
  // Margination: NK leave the blood within hours (kmarg 10/day against kret 0.5/day).
  EXPECT_LT(c.trough, 0.25 * c.before);
  EXPECT_LT(c.at_stop, c.before);
  // Rebound: the expanded pool returns to the blood after the stop.
  EXPECT_GT(c.peak_day_after_stop, 0.5);
  EXPECT_GT(c.peak, 1.5 * c.before);
  // Then the blood count declines toward baseline.
  EXPECT_LT(c.stop_plus_21, c.peak);
  EXPECT_LT(c.stop_plus_30, c.stop_plus_21);
}

INSTANTIATE_TEST_SUITE_P(SixDayCiv, Margination, ::testing::Values(1e6, 3e6, 9e6, 18e6));

// A faster return to the blood (kret) brings the peak earlier: the timing IM5 constrains is set by
// the return rate, as model.md §2 describes ("leave blood in hours, return over days").
TEST(MarginationTiming, FasterReturnBringsThePeakEarlier) {
  const auto slow = six_day_course(9e6, 0.5);
  const auto fast = six_day_course(9e6, 2.0);
  EXPECT_LT(fast.peak_day_after_stop, slow.peak_day_after_stop);
}

}  // namespace
}  // namespace il2sim::clinic
