#include "sim/dose_feed.hpp"

#include <algorithm>
#include <cmath>

#include "model/il2_model.hpp"

namespace il2sim::sim {
namespace {

double end_of(const dosing::DoseRecord& r) {
  return r.time + r.duration;
}

/// Rescales an IL-2 record to `fraction` of its full dose.
void scale_to(dosing::DoseRecord& r, double fraction) {
  const double scale = fraction / r.dose_fraction;
  r.rate_iu_per_day *= scale;
  r.amount_iu *= scale;
  r.dose_fraction = fraction;
}

}  // namespace

DoseFeed::DoseFeed(double F_sc, double blood_volume_ul)
    : F_sc_(F_sc), blood_volume_ul_(blood_volume_ul) {}

void DoseFeed::load(std::span<const dosing::DoseRecord> records) {
  for (const auto& r : records) doses_.push_back({r, DoseStatus::kPlanned, {}});
}

double DoseFeed::infusion_rate(double t) const {
  double rate = 0.0;
  for (const auto& d : doses_) {
    const auto& r = d.record;
    if (d.status == DoseStatus::kPlanned && r.infusion() && r.time <= t + kTimeEps &&
        t + kTimeEps < end_of(r)) {
      rate += r.rate_iu_per_day;
    }
  }
  return rate;
}

double DoseFeed::next_breakpoint(double t) const {
  double next = kNever;
  for (const auto& d : doses_) {
    if (d.status != DoseStatus::kPlanned) continue;
    const auto& r = d.record;
    if (r.time > t + kTimeEps) next = std::min(next, r.time);
    if (r.infusion() && end_of(r) > t + kTimeEps) next = std::min(next, end_of(r));
  }
  return next;
}

Directive DoseFeed::at_breakpoint(double t, std::span<double> y, const ModelContext&) {
  return give(t, y);
}

Directive DoseFeed::give(double t, std::span<double> y) {
  Directive directive;
  for (auto& d : doses_) {
    const auto& r = d.record;
    if (d.status != DoseStatus::kPlanned || r.infusion() || std::fabs(r.time - t) >= kTimeEps)
      continue;
    switch (r.compartment) {
      case dosing::Compartment::kDepot:
        y[model::kAd] += F_sc_ * r.amount_iu;
        break;
      case dosing::Compartment::kCentral:
        y[model::kA1] += r.amount_iu;
        directive.bolus = true;
        break;
      case dosing::Compartment::kLakCells:
        y[model::kK] += r.amount_iu / blood_volume_ul_;
        break;
    }
    d.status = DoseStatus::kGiven;
  }
  return directive;
}

std::size_t DoseFeed::split(std::size_t i, double t, DoseStatus status) {
  FedDose tail = doses_[i];
  tail.record.duration = end_of(doses_[i].record) - t;
  tail.record.time = t;
  tail.status = status;
  doses_[i].record.duration = t - doses_[i].record.time;
  doses_.insert(doses_.begin() + static_cast<std::ptrdiff_t>(i) + 1, tail);
  return i + 1;
}

void DoseFeed::cut(double t, std::optional<std::size_t> instance, DoseStatus status,
                   const std::string& reason, bool cells_too) {
  for (std::size_t i = 0; i < doses_.size(); ++i) {
    auto& d = doses_[i];
    if (d.status != DoseStatus::kPlanned) continue;
    if (instance && d.record.instance != *instance) continue;
    if (!cells_too && d.record.compartment == dosing::Compartment::kLakCells) continue;
    if (d.record.infusion()) {
      if (end_of(d.record) <= t + kTimeEps) continue;  // already over
      if (d.record.time < t - kTimeEps) {
        d.end_reason = reason;
        i = split(i, t, status);
        doses_[i].end_reason = reason;
        continue;
      }
    } else if (d.record.time < t - kTimeEps) {
      continue;  // a past administration (given, or missed while it was not planned)
    }
    d.status = status;
    d.end_reason = reason;
  }
}

void DoseFeed::resume(double t, std::size_t instance, double fraction) {
  for (std::size_t i = 0; i < doses_.size(); ++i) {
    auto& d = doses_[i];
    if (d.status != DoseStatus::kWithheld || d.record.instance != instance) continue;
    const bool infusion = d.record.infusion();
    if (infusion ? end_of(d.record) <= t + kTimeEps : d.record.time <= t + kTimeEps) continue;
    if (infusion && d.record.time < t - kTimeEps) i = split(i, t, DoseStatus::kWithheld);
    if (doses_[i].record.compartment != dosing::Compartment::kLakCells)
      scale_to(doses_[i].record, fraction);
    doses_[i].status = DoseStatus::kPlanned;
    doses_[i].end_reason.clear();
  }
}

void DoseFeed::postpone(double delta, std::size_t instance, double fraction) {
  for (auto& d : doses_) {
    if (d.status != DoseStatus::kWithheld) continue;
    d.record.time += delta;
    if (d.record.instance == instance && d.record.compartment != dosing::Compartment::kLakCells)
      scale_to(d.record, fraction);
    d.status = DoseStatus::kPlanned;
    d.end_reason.clear();
  }
  std::stable_sort(doses_.begin(), doses_.end(), [](const FedDose& a, const FedDose& b) {
    return a.record.time < b.record.time;
  });
}

void DoseFeed::close(double t, const std::string& reason) {
  for (std::size_t i = 0; i < doses_.size(); ++i) {
    auto& d = doses_[i];
    if (d.status != DoseStatus::kPlanned) continue;
    if (d.record.infusion() && d.record.time < t - kTimeEps && end_of(d.record) > t + kTimeEps) {
      d.end_reason = reason;
      i = split(i, t, DoseStatus::kDropped);
      doses_[i].end_reason = "after the end of follow-up";
      doses_[i - 1].status = DoseStatus::kGiven;
      continue;
    }
    const bool over = d.record.infusion() && end_of(d.record) <= t + kTimeEps;
    d.status = over ? DoseStatus::kGiven : DoseStatus::kDropped;
    if (!over) d.end_reason = "after the end of follow-up";
  }
}

PatientOutcome play(PatientSimulator& simulator, const model::IndividualParameters& p,
                    std::span<const dosing::DoseRecord> records, double L0,
                    RandomStream& tumour_stream, std::span<const double> output_times,
                    const Observer& observer) {
  DoseFeed feed(p);
  feed.load(records);
  return simulator.run(feed, L0, tumour_stream, output_times, observer);
}

}  // namespace il2sim::sim
