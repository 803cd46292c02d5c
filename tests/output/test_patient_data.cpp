// Patient-level data of randomized stages (output/patient_data.hpp, ADTTE at data cuts): the rows
// of each look's data cut are the data that look was analysed from, so a log-rank test on them
// gives the look's events and z exactly; the trial calendar columns of ADSL; and `--patient-data`
// parsing.
#include "output/patient_data.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "survival/data.hpp"
#include "survival/logrank.hpp"
#include "trial/stages.hpp"

namespace il2sim::output {
namespace {

/// The built-in phase III with a small randomized stage and two event-driven looks.
scenario::Scenario small_phase3() {
  auto s = scenario::load_scenario("phase3-autosct-nhl");
  auto& st = s.stages[0];
  st.registered = 90;
  st.accrual_per_month = 15;
  st.futility.reset();
  st.target_events = 30;
  st.looks = {0.5, 1.0};
  st.dropout_per_year = 0.1;  // some patients lost before a cut: their time ends at the loss
  st.horizon_days = 1500;
  st.max_follow_up_months = 36;
  return s;
}

struct Kept {
  scenario::Scenario s;
  trial::RandomizedResult result;
  trial::ReplicateResult replicate;
};

Kept run_small(std::uint32_t replicate) {
  Kept k{small_phase3(), {}, {}};
  std::vector<trial::StagePatient> patients;
  k.result = trial::run_randomized(k.s, 0, replicate, std::nullopt, &patients);
  k.replicate.replicate = replicate;
  k.replicate.stages.emplace_back(k.result);
  k.replicate.patients.push_back(std::move(patients));
  return k;
}

}  // namespace

// A log-rank test on the PFS rows of look k's data cut (survival::logrank, the function the trial
// layer analyses with) reproduces that look's events and z (trial/stages.cpp: analyse); the looks'
// cuts are the looks' calendar months.
TEST(PatientData, EachLooksCutReproducesItsAnalysis) {
  for (const std::uint32_t rep : {0U, 1U}) {
    const auto k = run_small(rep);
    ASSERT_GE(k.result.looks.size(), 1U);
    for (std::size_t look = 0; look < k.result.looks.size(); ++look) {
      std::vector<double> t;
      std::vector<int> e;
      std::vector<std::string> arm;
      for_each_patient_row(k.s, k.replicate, [&](const PatientRow& p) {
        ASSERT_NE(p.context.calendar, nullptr);
        AdtteCutView::rows(p, [&](const CutEndpointRow& r) {
          EXPECT_DOUBLE_EQ(
              r.item.cut_month,
              k.result.looks[static_cast<std::size_t>(r.item.look - 1)].calendar_months);
          if (r.item.look != static_cast<int>(look + 1) || r.item.endpoint.paramcd != "PFS") return;
          t.push_back(r.item.endpoint.aval);
          e.push_back(1 - r.item.endpoint.cnsr);
          arm.push_back(p.record.arm);
        });
      });
      const auto& want = k.result.looks[look];
      EXPECT_EQ(std::count(e.begin(), e.end(), 1), want.events) << "replicate " << rep;
      const auto g = survival::make_factor(arm);
      ASSERT_EQ(g.levels.size(), 2U);
      const auto lr = survival::logrank(t, e, g, survival::single_level(t.size(), "all"), 0.0);
      const auto& exp = lr.groups[0].group == k.s.stages[0].arms[0] ? lr.groups[0] : lr.groups[1];
      const double z = std::copysign(std::sqrt(lr.chisq), exp.expected - exp.observed);
      EXPECT_NEAR(z, want.z, 1e-12) << "replicate " << rep << " look " << look + 1;
    }
  }
}

// ADSL's calendar columns: randomization never before registration (randomize_at = start: at the
// would-be IL-2 start after transplant), loss to follow-up after randomization, and a cut time
// bounds every row's follow-up: AVAL <= (min(cut, loss) - randomization) in days.
TEST(PatientData, CalendarColumnsAreConsistent) {
  const auto k = run_small(0);
  int rows = 0;
  int never_randomized = 0;
  for_each_patient_row(k.s, k.replicate, [&](const PatientRow& p) {
    const auto& c = *p.context.calendar;
    if (p.context.not_randomized) {  // a registrant lost before randomization: ADSL only
      ++never_randomized;
      AdtteCutView::rows(p, [&](const CutEndpointRow&) { ADD_FAILURE() << p.usubjid; });
      return;
    }
    EXPECT_LE(c.registration_month, c.randomization_month);
    EXPECT_GT(c.dropout_month, c.randomization_month);
    EXPECT_TRUE(c.analysed);  // population = itt
    AdtteCutView::rows(p, [&](const CutEndpointRow& r) {
      ++rows;
      EXPECT_LE(r.item.endpoint.aval, c.follow_up_days(r.item.cut_month) + 1e-9);
      EXPECT_LT(c.randomization_month, r.item.cut_month);
    });
  });
  EXPECT_GT(rows, 0);
  int attrition = 0;
  for (const auto& [cause, n] : k.result.attrition) attrition += n;
  EXPECT_EQ(never_randomized, attrition);
}

// Outside randomized stages there is no calendar and no cut row.
TEST(PatientData, NoCutRowsWithoutACalendar) {
  const RowContext c{"cohort", 0, 0.0, "chiron"};
  clinic::PatientRecord r;
  r.follow_up_end = 100.0;
  int rows = 0;
  AdtteCutView::rows(PatientRow{c, r, "cohort-000001"}, [&](const CutEndpointRow&) { ++rows; });
  EXPECT_EQ(rows, 0);
}

TEST(PatientData, ParsesFirstAllAndAList) {
  EXPECT_EQ(parse_patient_data("first", 5).kind, PatientDataChoice::Kind::kFirst);
  EXPECT_EQ(parse_patient_data("all", 5).kind, PatientDataChoice::Kind::kAll);
  const auto list = parse_patient_data("4,0,2", 5);
  EXPECT_EQ(list.kind, PatientDataChoice::Kind::kList);
  EXPECT_EQ(list.replicates, (std::vector<std::uint32_t>{0, 2, 4}));
}

TEST(PatientData, RefusesWhatIsNotAReplicateOfTheRun) {
  for (const char* bad : {"", "x", "1,", ",1", "1,1", "5", "-1", "1.5", "2,99", "All"}) {
    try {
      (void)parse_patient_data(bad, 5);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const UserError& e) {
      EXPECT_NE(std::string(e.what()).find("--patient-data"), std::string::npos) << e.what();
    }
  }
}

}  // namespace il2sim::output
