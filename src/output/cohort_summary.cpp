#include "output/cohort_summary.hpp"
#include "core/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "clinic/endpoints.hpp"
#include "core/json_number.hpp"
#include "survival/cuminc.hpp"
#include "survival/data.hpp"
#include "survival/km.hpp"

namespace il2sim::output {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kYear = 365.25;

nlohmann::json number_or_null(double v) {
  return core::json_number(v);
}

nlohmann::json distribution(const std::vector<double>& v) {
  const auto n = std::count_if(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
  return {{"n", n},
          {"median", number_or_null(core::quantile(v, 0.5))},
          {"q05", number_or_null(core::quantile(v, 0.05))},
          {"q95", number_or_null(core::quantile(v, 0.95))}};
}

nlohmann::json km_json(const std::vector<double>& time, const std::vector<int>& event) {
  if (time.empty()) return nullptr;
  const auto c = survival::kaplan_meier(time, event, survival::KmOptions{});
  return {{"at_1y", number_or_null(survival::survival_at(c, kYear))},
          {"at_2y", number_or_null(survival::survival_at(c, 2 * kYear))},
          {"at_4y", number_or_null(survival::survival_at(c, 4 * kYear))},
          {"median_days", number_or_null(c.median)},
          {"median_months", number_or_null(c.median / (kYear / 12.0))},
          {"events", c.events}};
}

}  // namespace

void CohortSummary::add(const clinic::PatientRecord& r) {
  Item it{};
  const auto s = clinic::survival_endpoints(r, 0.0);
  it.pfs = s.pfs.time, it.pfs_event = s.pfs.event;
  it.os = s.os.time, it.os_event = s.os.event;
  it.relapse = s.relapse.time, it.relapse_event = s.relapse.event;
  it.nrm = s.nrm.time, it.nrm_event = s.nrm.event;
  it.treated = r.treated;
  it.completed_induction = r.completed_induction;
  it.completed_maintenance = r.completed_maintenance;
  it.dlt = r.dlt;
  it.failed = r.numerical_failure;
  it.not_treated = r.not_treated;
  it.max_grade = r.max_grade;
  it.grade4_episodes = clinic::grade4_episodes(r);
  it.start_day = r.start_day ? *r.start_day : kNaN;
  it.toxic_death = r.death_cause == clinic::DeathCause::kToxic;
  it.nk_fold = kNaN;
  it.cd8_fold = kNaN;
  if (r.landmark_day) {
    double nk0 = kNaN, cd80 = kNaN, nk1 = kNaN, cd81 = kNaN;
    for (const auto& l : r.labs) {
      const bool base = l.visit == "BASELINE";
      const bool target =
          std::fabs(l.day - (*r.landmark_day + fold_offset_)) < 1e-6 && l.visit != "BASELINE";
      if (l.paramcd == "NKBLD") {
        if (base) nk0 = l.value;
        if (target) nk1 = l.value;
      } else if (l.paramcd == "CD8BLD") {
        if (base) cd80 = l.value;
        if (target) cd81 = l.value;
      }
    }
    it.nk_fold = nk1 / nk0;
    it.cd8_fold = cd81 / cd80;
  }
  items_.push_back(it);
}

/// Attrition before IL-2, numerical failures and the start day.
void CohortSummary::add_attrition(nlohmann::json& j) const {
  std::vector<double> start;
  long failures = 0;
  std::map<std::string, long> not_treated;
  for (const auto& it : items_) {
    start.push_back(it.start_day);
    failures += it.failed;
    if (it.not_treated != clinic::NotTreatedReason::kNone)
      ++not_treated[std::string(clinic::to_string(it.not_treated))];
  }
  j["not_treated"] = not_treated;
  j["numerical_failures"] = failures;
  j["start_day"] = distribution(start);
}

/// Kaplan–Meier RFS, PFS, OS and the cumulative incidence of relapse and non-relapse mortality.
void CohortSummary::add_survival(nlohmann::json& j) const {
  std::vector<double> pfs, os, rel, cr_time;
  std::vector<int> pfs_e, os_e, rel_e;
  std::vector<int> cr_status;  // -1 censored, 0 relapse, 1 NRM
  for (const auto& it : items_) {
    pfs.push_back(it.pfs), pfs_e.push_back(it.pfs_event);
    os.push_back(it.os), os_e.push_back(it.os_event);
    rel.push_back(it.relapse), rel_e.push_back(it.relapse_event);
    cr_time.push_back(it.relapse_event ? it.relapse : it.nrm);
    cr_status.push_back(it.relapse_event ? 0 : (it.nrm_event ? 1 : -1));
  }
  j["relapse_free_survival_km"] = km_json(rel, rel_e);
  j["pfs"] = km_json(pfs, pfs_e);
  j["os"] = km_json(os, os_e);
  if (cr_time.empty()) return;
  const auto one = survival::single_level(cr_time.size(), "all");
  const auto ci =
      survival::cuminc(cr_time, cr_status, {"relapse", "non-relapse mortality"}, one, one, 0.0);
  for (const auto& c : ci.curves) {
    auto at = [&](double t) {
      double v = 0.0;
      for (std::size_t i = 0; i < c.time.size() && c.time[i] <= t; ++i) v = c.estimate[i];
      return v;
    };
    j["cumulative_incidence"][c.cause] = {
        {"at_1y", at(kYear)}, {"at_2y", at(2 * kYear)}, {"at_4y", at(4 * kYear)}};
  }
}

/// Treated patients: toxicity by term and grade, completion and DLT rate.
void CohortSummary::add_treatment(nlohmann::json& j) const {
  long treated = 0, completed_ind = 0, completed_mnt = 0, dlt = 0, grade4 = 0, toxic_deaths = 0;
  std::array<std::array<long, 5>, clinic::kToxTermCount> grade_counts{};
  long nonhaem3 = 0;
  for (const auto& it : items_) {
    toxic_deaths += it.toxic_death;
    if (!it.treated) continue;
    ++treated;
    completed_ind += it.completed_induction;
    completed_mnt += it.completed_maintenance;
    dlt += it.dlt;
    grade4 += it.grade4_episodes;
    bool any3 = false;
    for (std::size_t k = 0; k < clinic::kToxTermCount; ++k) {
      for (int g = 1; g <= 4; ++g)
        grade_counts[k][static_cast<std::size_t>(g)] += it.max_grade[k] >= g;
      if (!clinic::is_haematologic(static_cast<clinic::ToxTerm>(k)) && it.max_grade[k] >= 3)
        any3 = true;
    }
    nonhaem3 += any3;
  }
  j["treated"] = treated;
  const double tr = static_cast<double>(std::max(treated, 1L));
  nlohmann::json terms = nlohmann::json::array();
  for (std::size_t k = 0; k < clinic::kToxTermCount; ++k) {
    terms.push_back({{"term", clinic::to_string(static_cast<clinic::ToxTerm>(k))},
                     {"grade_ge1", static_cast<double>(grade_counts[k][1]) / tr},
                     {"grade_ge2", static_cast<double>(grade_counts[k][2]) / tr},
                     {"grade_ge3", static_cast<double>(grade_counts[k][3]) / tr},
                     {"grade_4", static_cast<double>(grade_counts[k][4]) / tr}});
  }
  j["toxicity"] = {{"denominator", "treated patients"},
                   {"terms", terms},
                   {"any_grade_ge3_nonhaematologic", static_cast<double>(nonhaem3) / tr},
                   {"grade4_episodes_per_treated", static_cast<double>(grade4) / tr},
                   {"toxic_deaths", toxic_deaths}};
  j["completion"] = {{"induction", static_cast<double>(completed_ind) / tr},
                     {"maintenance", static_cast<double>(completed_mnt) / tr}};
  j["dlt_rate"] = static_cast<double>(dlt) / tr;
}

nlohmann::json CohortSummary::to_json() const {
  nlohmann::json j;
  j["registered"] = static_cast<long>(items_.size());
  add_attrition(j);
  add_survival(j);
  add_treatment(j);
  // Fold changes over the same visits for every patient who reached the (would-be) start: in an
  // observation arm they show the spontaneous reconstitution over that window.
  std::vector<double> nk, cd8;
  for (const auto& it : items_) {
    nk.push_back(it.nk_fold);
    cd8.push_back(it.cd8_fold);
  }
  j["immune_fold_change"] = {{"visit_days_from_start", fold_offset_},
                             {"population", "patients who reached the (would-be) start of IL-2"},
                             {"reference", "BASELINE visit"},
                             {"NK_blood", distribution(nk)},
                             {"CD8_blood", distribution(cd8)}};
  return j;
}

}  // namespace il2sim::output
