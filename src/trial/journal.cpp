#include "trial/journal.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/output_file.hpp"
#include "trial/result_fields.hpp"

namespace il2sim::trial {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
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

Journal::Journal(std::string dir, std::string scenario_hash)
    : dir_(std::move(dir) + "/.journal"), hash_(std::move(scenario_hash)) {}

std::string Journal::path(std::size_t i) const {
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
                    "the interrupted run used a different scenario, seed or replicate count",
                    "resume with the same scenario and options, or start again with --force");
  }
}

std::optional<ReplicateResult> Journal::load(std::size_t i) const {
  const std::string file = path(i);
  if (!std::filesystem::exists(file)) return std::nullopt;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(read_text(file));
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // a torn entry cannot exist (atomic rename); treat a foreign file as
                          // unfinished
  }
  return replicate_from_json(j, file);
}

void Journal::save(const ReplicateResult& r) const {
  core::write_file_atomically(path(r.replicate), to_json(r).dump());
}

void Journal::remove() const {
  std::filesystem::remove_all(dir_);
}

}  // namespace il2sim::trial
