#pragma once
/// @file event_clock.hpp
/// The clinic's pending events: what happens at a planned time (eligibility checks, the start,
/// phase boundaries, visits, administrations, deaths, the end of windows). The clinic's
/// breakpoints are the times of these events; the events due at a breakpoint are processed in the
/// fixed order of their kinds (deterministic).

#include <cstddef>
#include <initializer_list>
#include <vector>

namespace il2sim::clinic {

/// Kinds of pending events, in their order of processing at one time.
enum class Pending {
  kEligibilityCheck,
  kStart,
  kPhaseBoundary,
  kVisit,
  kObservedRelapse,
  kDeath,
  kAeWindowEnd,
  kGvhdWindowEnd,
  kApheresis,
  kAdministration,  ///< bolus, SC or LAK records due now (the dose feed gives them)
  kPlateletDltCheck,
  kEarlyStop  ///< IL-2 stops for good (protocol.early_stop_per_month)
};

/// Visit indices from this one on are visits relative to the start of IL-2
/// (assays.visits_from_start); below it, relative to transplant (assays.visits_from_transplant).
inline constexpr std::size_t kVisitFromStart = 1000;

struct PendingEvent {
  double t = 0.0;
  Pending kind = Pending::kEligibilityCheck;
  std::size_t index = 0;  ///< visit index, phase index, ...
};

class EventClock {
 public:
  explicit EventClock(double horizon) : horizon_(horizon) {}
  /// Plans an event; events after the horizon are never due and are not kept.
  void push(double t, Pending kind, std::size_t index = 0);
  /// The earliest planned time later than t (+1e-9); sim::kNever if none.
  [[nodiscard]] double next_after(double t) const;
  /// Removes and returns the events due at t, in the order of their kinds (then of planning).
  [[nodiscard]] std::vector<PendingEvent> take_due(double t);
  void erase(std::initializer_list<Pending> kinds);
  [[nodiscard]] bool any_of(std::initializer_list<Pending> kinds) const;

 private:
  std::vector<PendingEvent> pending_;
  double horizon_;
};

}  // namespace il2sim::clinic
