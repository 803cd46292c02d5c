#include "trial/journal.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/output_file.hpp"

namespace il2sim::trial {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

nlohmann::json d(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}
double d(const nlohmann::json& j) {
  return j.is_null() ? kNaN : j.get<double>();
}

nlohmann::json doubles(const std::vector<double>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (const double x : v) a.push_back(d(x));
  return a;
}
std::vector<double> doubles(const nlohmann::json& a) {
  std::vector<double> v;
  for (const auto& x : a) v.push_back(d(x));
  return v;
}

nlohmann::json stage_json(const StageResult& s) {
  if (const auto* e = std::get_if<EscalationResult>(&s)) {
    nlohmann::json p = nlohmann::json::array();
    for (const auto& x : e->patients) p.push_back({x.id, x.level, x.dlt});
    return {{"kind", "escalation"},
            {"patients", p},
            {"mtd", e->mtd ? nlohmann::json(*e->mtd) : nlohmann::json(nullptr)},
            {"not_evaluable", e->not_evaluable}};
  }
  if (const auto* a = std::get_if<SingleArmResult>(&s)) {
    return {{"kind", "single_arm"},
            {"planned_n", a->planned_n},
            {"n1", a->n1},
            {"r1", a->r1},
            {"r", a->r},
            {"treated", a->treated},
            {"responses", a->responses},
            {"stage1_responses", a->stage1_responses},
            {"stopped_early", a->stopped_early},
            {"reject_h0", a->reject_h0},
            {"dose", d(a->dose)},
            {"rfs_from_transplant", d(a->rfs_from_transplant)},
            {"rfs_from_landmark", d(a->rfs_from_landmark)},
            {"control_from_transplant", d(a->control_from_transplant)},
            {"control_from_landmark", d(a->control_from_landmark)},
            {"logrank_p_transplant", d(a->logrank_p_transplant)},
            {"logrank_p_landmark", d(a->logrank_p_landmark)},
            {"registered", a->registered}};
  }
  const auto& r = std::get<RandomizedResult>(s);
  nlohmann::json looks = nlohmann::json::array();
  for (const auto& l : r.looks) {
    looks.push_back(
        {{"info", d(l.info)},
         {"calendar_months", d(l.calendar_months)},
         {"events", l.events},
         {"z", d(l.z)},
         {"efficacy_bound", d(l.efficacy_bound)},
         {"futility_bound", l.futility_bound ? d(*l.futility_bound) : nlohmann::json(nullptr)},
         {"has_futility", l.futility_bound.has_value()}});
  }
  return {{"kind", "randomized"},
          {"registered", r.registered},
          {"attrition", r.attrition},
          {"randomized", r.randomized},
          {"looks", looks},
          {"decision", r.decision},
          {"stop_look", r.stop_look},
          {"reject", r.reject},
          {"hr", d(r.hr)},
          {"hr_lower", d(r.hr_lower)},
          {"hr_upper", d(r.hr_upper)},
          {"logrank_p", d(r.logrank_p)},
          {"events", r.events},
          {"duration_months", d(r.duration_months)},
          {"pfs_median_months", doubles(r.pfs_median_months)},
          {"os_median_months", doubles(r.os_median_months)},
          {"relapse_2y", doubles(r.relapse_2y)},
          {"target_events", r.target_events}};
}

StageResult stage_from_json(const nlohmann::json& j) {
  const std::string kind = j.at("kind");
  if (kind == "escalation") {
    EscalationResult e;
    for (const auto& p : j.at("patients"))
      e.patients.push_back({p.at(0).get<std::uint32_t>(), p.at(1).get<int>(), p.at(2).get<bool>()});
    if (!j.at("mtd").is_null()) e.mtd = j.at("mtd").get<int>();
    e.not_evaluable = j.at("not_evaluable");
    return e;
  }
  if (kind == "single_arm") {
    SingleArmResult a;
    a.planned_n = j.at("planned_n");
    a.n1 = j.at("n1");
    a.r1 = j.at("r1");
    a.r = j.at("r");
    a.treated = j.at("treated");
    a.responses = j.at("responses");
    a.stage1_responses = j.at("stage1_responses");
    a.stopped_early = j.at("stopped_early");
    a.reject_h0 = j.at("reject_h0");
    a.dose = d(j.at("dose"));
    a.rfs_from_transplant = d(j.at("rfs_from_transplant"));
    a.rfs_from_landmark = d(j.at("rfs_from_landmark"));
    a.control_from_transplant = d(j.at("control_from_transplant"));
    a.control_from_landmark = d(j.at("control_from_landmark"));
    a.logrank_p_transplant = d(j.at("logrank_p_transplant"));
    a.logrank_p_landmark = d(j.at("logrank_p_landmark"));
    a.registered = j.at("registered");
    return a;
  }
  RandomizedResult r;
  r.registered = j.at("registered");
  r.attrition = j.at("attrition").get<std::map<std::string, int>>();
  r.randomized = j.at("randomized").get<std::vector<int>>();
  for (const auto& l : j.at("looks")) {
    LookResult look;
    look.info = d(l.at("info"));
    look.calendar_months = d(l.at("calendar_months"));
    look.events = l.at("events");
    look.z = d(l.at("z"));
    look.efficacy_bound = l.at("efficacy_bound").is_null() ? std::numeric_limits<double>::infinity()
                                                           : l.at("efficacy_bound").get<double>();
    if (l.at("has_futility").get<bool>()) look.futility_bound = d(l.at("futility_bound"));
    r.looks.push_back(look);
  }
  r.decision = j.at("decision");
  r.stop_look = j.at("stop_look");
  r.reject = j.at("reject");
  r.hr = d(j.at("hr"));
  r.hr_lower = d(j.at("hr_lower"));
  r.hr_upper = d(j.at("hr_upper"));
  r.logrank_p = d(j.at("logrank_p"));
  r.events = j.at("events");
  r.duration_months = d(j.at("duration_months"));
  r.pfs_median_months = doubles(j.at("pfs_median_months"));
  r.os_median_months = doubles(j.at("os_median_months"));
  r.relapse_2y = doubles(j.at("relapse_2y"));
  r.target_events = j.at("target_events");
  return r;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

nlohmann::json to_json(const ReplicateResult& r) {
  nlohmann::json stages = nlohmann::json::array();
  for (const auto& s : r.stages) stages.push_back(stage_json(s));
  return {{"replicate", r.replicate}, {"stages", stages}, {"skipped", r.skipped}};
}

ReplicateResult replicate_from_json(const nlohmann::json& j, const std::string& origin) {
  try {
    ReplicateResult r;
    r.replicate = j.at("replicate");
    for (const auto& s : j.at("stages")) r.stages.push_back(stage_from_json(s));
    r.skipped = j.at("skipped").get<std::vector<std::string>>();
    return r;
  } catch (const nlohmann::json::exception& e) {
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
