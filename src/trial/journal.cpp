#include "trial/journal.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/output_file.hpp"
#include "trial/result_fields.hpp"

namespace il2sim::trial {
namespace {

constexpr std::string_view kHashKey = "scenario_hash";
constexpr std::string_view kWhatToDo =
    "remove this entry (its replicate is then run again) or start the run again without --resume "
    "(and with --force)";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

[[noreturn]] void refuse(const std::string& origin, std::string_view key, std::string problem) {
  throw UserError({origin, std::nullopt, std::nullopt, std::string(key)}, std::move(problem),
                  std::string(kWhatToDo));
}

/// The entry's replicate number and scenario hash, checked before its fields are read.
void check_identity(const nlohmann::json& j, const std::string& origin,
                    const EntryExpected& expected) {
  if (!j.is_object()) refuse(origin, "", "not a journal entry (a JSON object)");
  const auto replicate = j.find("replicate");
  if (replicate == j.end() || !replicate->is_number_unsigned() ||
      replicate->get<std::uint64_t>() != expected.replicate) {
    refuse(origin, "replicate",
           fmt::format("the entry is of replicate {} but its file is that of replicate {} (an "
                       "entry copied or renamed)",
                       replicate == j.end() ? "(none)" : replicate->dump(), expected.replicate));
  }
  const auto hash = j.find(kHashKey);
  if (hash == j.end() || !hash->is_string() ||
      hash->get_ref<const std::string&>() != expected.scenario_hash) {
    refuse(
        origin, kHashKey,
        fmt::format("the entry was written by a run of scenario hash {}, this run's is \"{}\" (a "
                    "run with another scenario, seed or replicate count)",
                    hash == j.end() ? "(none)" : hash->dump(), expected.scenario_hash));
  }
}

/// The result type a stage of type `type` produces (a skipped stage holds a single-arm result).
bool holds_stage_type(const StageResult& r, scenario::StageType type) {
  switch (type) {
    case scenario::StageType::kDoseEscalation:
      return std::holds_alternative<EscalationResult>(r);
    case scenario::StageType::kSingleArm:
      return std::holds_alternative<SingleArmResult>(r);
    case scenario::StageType::kRandomized:
      return std::holds_alternative<RandomizedResult>(r);
  }
  return false;
}

/// Empty when the numbers a stage result is indexed with fit the stage; otherwise the problem.
std::string index_problem(const StageResult& r, const scenario::StageSpec& st) {
  const auto levels = static_cast<int>(st.levels.size());
  if (const auto* e = std::get_if<EscalationResult>(&r)) {
    if (e->mtd && (*e->mtd < 0 || *e->mtd >= levels))
      return fmt::format("MTD level index {} outside 0..{}", *e->mtd, levels - 1);
    for (const auto& p : e->patients) {
      if (p.level < 0 || p.level >= levels)
        return fmt::format("dose level index {} outside 0..{}", p.level, levels - 1);
    }
  }
  if (const auto* z = std::get_if<RandomizedResult>(&r)) {
    const std::size_t arms = st.arms.size();
    if (z->randomized.size() != arms || z->pfs_median_months.size() != arms ||
        z->os_median_months.size() != arms || z->relapse_2y.size() != arms)
      return fmt::format("per-arm results not of {} arms", arms);
  }
  return {};
}

/// The result's stages are those of the scenario: one per stage, of its type, indices in range.
void check_stages(const ReplicateResult& r, const std::string& origin,
                  const scenario::Scenario& s) {
  if (r.stages.size() != s.stages.size()) {
    refuse(origin, "stages",
           fmt::format("the entry has {} stage results, the scenario {} stages", r.stages.size(),
                       s.stages.size()));
  }
  const auto is_stage = [&](const std::string& name) {
    return std::any_of(s.stages.begin(), s.stages.end(),
                       [&](const auto& st) { return st.name == name; });
  };
  for (const auto& name : r.skipped) {
    if (!is_stage(name))
      refuse(origin, "skipped", fmt::format("'{}' is not a stage of the scenario", name));
  }
  for (std::size_t i = 0; i < s.stages.size(); ++i) {
    const auto& st = s.stages[i];
    const bool skipped = std::find(r.skipped.begin(), r.skipped.end(), st.name) != r.skipped.end();
    const auto type = skipped ? scenario::StageType::kSingleArm : st.type;
    if (!holds_stage_type(r.stages[i], type)) {
      refuse(origin, "stages",
             fmt::format("result {} is not of the type of stage '{}'", i + 1, st.name));
    }
    if (const auto problem = index_problem(r.stages[i], st); !problem.empty()) {
      refuse(origin, "stages", fmt::format("stage '{}': {}", st.name, problem));
    }
  }
}

/// The replicate number of an entry's file name `replicate-NNNNNNN.json`; nullopt for another
/// name (such as the temporary file of an interrupted atomic write).
std::optional<std::uint32_t> entry_number(const std::string& name) {
  constexpr std::string_view kPrefix = "replicate-", kSuffix = ".json";
  if (name.size() <= kPrefix.size() + kSuffix.size() || !name.starts_with(kPrefix) ||
      !name.ends_with(kSuffix))
    return std::nullopt;
  const std::string_view digits(name.data() + kPrefix.size(),
                                name.size() - kPrefix.size() - kSuffix.size());
  std::uint32_t n = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc{} || end != digits.data() + digits.size() || digits.front() == '+')
    return std::nullopt;
  return n;
}

}  // namespace

nlohmann::json to_json(const ReplicateResult& r) {
  return record_json(r, replicate_table());
}

ReplicateResult replicate_from_json(const nlohmann::json& j, const std::string& origin) {
  try {
    return record_from_json(j, replicate_table());
  } catch (const std::exception& e) {
    throw UserError({origin, std::nullopt, std::nullopt, ""},
                    fmt::format("not a journal entry of this il2sim ({})", e.what()),
                    "start the run again without --resume (and with --force)");
  }
}

std::string journal_entry(const ReplicateResult& r, std::string_view scenario_hash) {
  nlohmann::json j = to_json(r);
  j[std::string(kHashKey)] = scenario_hash;
  return j.dump();
}

ReplicateResult read_journal_entry(std::string_view text, const std::string& origin,
                                   const EntryExpected& expected) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    refuse(origin, "",
           fmt::format("the entry is not valid JSON (a truncated or edited file: {})", e.what()));
  }
  check_identity(j, origin, expected);
  auto r = replicate_from_json(j, origin);
  if (expected.scenario != nullptr) check_stages(r, origin, *expected.scenario);
  return r;
}

Journal::Journal(std::string dir, const scenario::Scenario& s, std::string scenario_hash)
    : dir_(std::move(dir) + "/.journal"), s_(s), hash_(std::move(scenario_hash)) {}

std::string Journal::path(std::uint32_t i) const {
  return fmt::format("{}/replicate-{:07d}.json", dir_, i);
}

void Journal::start() const {
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  core::write_file_atomically(dir_ + "/scenario-hash", hash_);
}

void Journal::check_resumable() const {
  const std::string file = dir_ + "/scenario-hash";
  if (!std::filesystem::exists(file)) {
    throw UserError({dir_, std::nullopt, std::nullopt, "--resume"},
                    "no interrupted run to resume here",
                    "the --out directory of an interrupted `il2sim run`");
  }
  if (read_text(file) != hash_) {
    throw UserError({dir_, std::nullopt, std::nullopt, "--resume"},
                    "the interrupted run used a different scenario, seed, replicate count or "
                    "ensemble file (--ensemble)",
                    "resume with the same scenario and options, or start again with --force");
  }
  // Every entry is checked before any replicate runs, so that a foreign one is refused at once.
  for (const auto& e : std::filesystem::directory_iterator(dir_)) {
    if (const auto i = entry_number(e.path().filename().string())) (void)load(*i);
  }
}

std::optional<ReplicateResult> Journal::load(std::uint32_t i) const {
  const std::string file = path(i);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  const std::string text = core::read_input_file(file, "cannot read the journal entry", kWhatToDo);
  return read_journal_entry(text, file, {i, hash_, &s_});
}

void Journal::save(const ReplicateResult& r) const {
  core::write_file_atomically(path(r.replicate), journal_entry(r, hash_));
}

void Journal::remove() const {
  std::filesystem::remove_all(dir_);
}

}  // namespace il2sim::trial
