#include "clinic/adverse_events.hpp"

#include "model/il2_model.hpp"

namespace il2sim::clinic {

AdverseEventLog::AdverseEventLog(const scenario::ToxicitySettings& settings,
                                 const model::IndividualParameters& p, PatientRecord& record)
    : settings_(settings), grader_(settings, p), record_(record) {}

Grades AdverseEventLog::grade(std::span<const double> y) const {
  return grader_.grade(y[model::kW], y[model::kP], y[model::kCe]);
}

void AdverseEventLog::thresholds(std::span<const double> y, std::span<double> g) const {
  grader_.thresholds(y[model::kW], y[model::kP], y[model::kCe], g);
}

void AdverseEventLog::open(double start_day, std::span<const double> y) {
  // Treatment-emergent adverse events are counted relative to the grades at the start.
  start_day_ = start_day;
  baseline_ = grade(y);
  grades_ = baseline_;
  open_ = true;
}

std::vector<GradeEvent> AdverseEventLog::update(double t, std::span<const double> y,
                                                bool dlt_window) {
  std::vector<GradeEvent> events;
  if (!open_) return events;
  const Grades now = grade(y);
  for (std::size_t k = 0; k < kToxTermCount; ++k) {
    const auto term = static_cast<ToxTerm>(k);
    const int g = now.grade[k];
    GradeEvent event{term, g, false, false};
    auto& episode = episodes_[k];
    if (g > 0 && !episode) episode = AdverseEvent{term, g, t, t, true, 0.0};
    if (episode) {
      if (g > episode->grade) episode->grade = g;
      if (grades_.grade[k] == 4 && g != 4) episode->grade4_days += t - grade4_since_[k];
      if (g == 4 && grades_.grade[k] != 4) {
        grade4_since_[k] = t;
        event.grade4_onset = true;
      }
      if (g == 0) {
        episode->end = t;
        episode->ongoing = false;
        keep_if_emergent(k, *episode);
        episode.reset();
      }
    }
    if (g > baseline_.grade[k] && g > record_.max_grade[k]) record_.max_grade[k] = g;
    event.dlt = g >= settings_.dlt_nonhaematologic_grade && !is_haematologic(term) &&
                g > baseline_.grade[k] && dlt_window;
    if (event.grade4_onset || event.dlt) events.push_back(event);
  }
  grades_ = now;
  return events;
}

void AdverseEventLog::keep_if_emergent(std::size_t k, const AdverseEvent& e) {
  if (e.grade > baseline_.grade[k] || e.onset > start_day_ + 1e-9)
    record_.adverse_events.push_back(e);
}

void AdverseEventLog::close(double t, bool ongoing) {
  if (!open_) return;
  for (std::size_t k = 0; k < kToxTermCount; ++k) {
    auto& episode = episodes_[k];
    if (!episode) continue;
    if (grades_.grade[k] == 4) episode->grade4_days += t - grade4_since_[k];
    episode->end = t;
    episode->ongoing = ongoing;
    keep_if_emergent(k, *episode);
    episode.reset();
  }
  open_ = false;
}

}  // namespace il2sim::clinic
