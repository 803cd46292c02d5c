#include "output/patient_data.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "core/error.hpp"
#include "output/views.hpp"

namespace il2sim::output {
namespace {

[[noreturn]] void refuse(std::string_view text, const std::string& problem) {
  throw UserError({"", std::nullopt, std::nullopt, "--patient-data"},
                  fmt::format("--patient-data {}: {}", text, problem),
                  "`first` (each stage's first replicate in which it ran), `all`, or 0-based "
                  "replicate numbers N,M,... (the REPLICATE column's numbering)");
}

}  // namespace

std::string_view origin_name(scenario::StageType type) {
  switch (type) {
    case scenario::StageType::kDoseEscalation:
      return kOriginTransplant;
    case scenario::StageType::kSingleArm:
      return kOriginIl2Start;
    case scenario::StageType::kRandomized:
      return kOriginRandomization;
  }
  return kOriginTransplant;
}

std::string_view untreated_arm(const scenario::Scenario& s, const scenario::StageSpec& stage) {
  for (const auto& name : stage.arms) {
    const auto* arm = s.find_arm(name);
    if (arm != nullptr && !arm->regimen) return arm->name;
  }
  return {};
}

PatientDataChoice parse_patient_data(std::string_view text, int replicates) {
  PatientDataChoice c;
  if (text == "first") return c;
  if (text == "all") {
    c.kind = PatientDataChoice::Kind::kAll;
    return c;
  }
  c.kind = PatientDataChoice::Kind::kList;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    const std::string_view item = text.substr(at, comma - at);
    std::uint32_t n = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), n);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size())
      refuse(text, fmt::format("'{}' is not a replicate number", item));
    if (replicates < 1 || n >= static_cast<std::uint32_t>(replicates)) {
      refuse(text, fmt::format("replicate {} does not exist (this run has replicates 0 to {})", n,
                               replicates - 1));
    }
    if (std::find(c.replicates.begin(), c.replicates.end(), n) != c.replicates.end())
      refuse(text, fmt::format("replicate {} is listed twice", n));
    c.replicates.push_back(n);
    at = comma + 1;
  }
  std::sort(c.replicates.begin(), c.replicates.end());
  return c;
}

ViewFiles::ViewFiles(const std::string& dir) {
  const auto names = view_files();
  const auto headers = view_headers();
  for (std::size_t k = 0; k < names.size(); ++k) {
    files_.push_back(std::make_unique<core::OutputFile>(dir + "/" + std::string(names[k])));
    files_.back()->append(headers[k]);
  }
}

void ViewFiles::write(const PatientViews& rows) {
  for (std::size_t k = 0; k < files_.size(); ++k) files_[k]->append(rows[k]);
}

void ViewFiles::write(const PatientRow& p) {
  std::size_t k = 0;
  for_each_patient_view([&](auto view) {
    rows_[k].clear();
    append_view<decltype(view)>(rows_[k], p);
    files_[k]->append(rows_[k]);
    ++k;
  });
}

void ViewFiles::commit() {
  for (auto& f : files_) f->commit();
}

}  // namespace il2sim::output
