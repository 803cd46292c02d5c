#include "clinic/event_clock.hpp"

#include <algorithm>

#include "sim/controller.hpp"

namespace il2sim::clinic {
namespace {

bool one_of(Pending kind, std::initializer_list<Pending> kinds) {
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

}  // namespace

void EventClock::push(double t, Pending kind, std::size_t index) {
  if (t <= horizon_ + 1e-9) pending_.push_back({t, kind, index});
}

double EventClock::next_after(double t) const {
  double next = sim::kNever;
  for (const auto& e : pending_) {
    if (e.t > t + 1e-9) next = std::min(next, e.t);
  }
  return next;
}

std::vector<PendingEvent> EventClock::take_due(double t) {
  std::vector<PendingEvent> due;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->t <= t + 1e-9) {
      due.push_back(*it);
      it = pending_.erase(it);
    } else {
      ++it;
    }
  }
  std::stable_sort(due.begin(), due.end(), [](const PendingEvent& a, const PendingEvent& b) {
    return static_cast<int>(a.kind) < static_cast<int>(b.kind);
  });
  return due;
}

void EventClock::erase(std::initializer_list<Pending> kinds) {
  std::erase_if(pending_, [&](const PendingEvent& e) { return one_of(e.kind, kinds); });
}

bool EventClock::any_of(std::initializer_list<Pending> kinds) const {
  return std::any_of(pending_.begin(), pending_.end(),
                     [&](const PendingEvent& e) { return one_of(e.kind, kinds); });
}

}  // namespace il2sim::clinic
