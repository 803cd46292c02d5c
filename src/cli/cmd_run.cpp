// `il2sim run`: a scenario's trial stages over replicates, into an output directory (interfaces.md).
#include <chrono>
#include <ctime>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/app.hpp"
#include "cli/output_dir.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/parallel.hpp"
#include "core/version.hpp"
#include "output/results_db.hpp"
#include "output/run_data.hpp"
#include "output/views.hpp"
#include "trial/programme.hpp"

namespace il2sim::cli {
namespace {

struct RunArgs {
  std::string scenario;
  std::string out;
  std::optional<std::uint64_t> seed;
  unsigned threads = 1;
  std::optional<long> replicates;
  bool force = false;
};

std::string iso_time(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

/// FNV-1a 64-bit of the resolved scenario text: the scenario hash of the manifest.
std::string fnv1a(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return fmt::format("{:016x}", h);
}

void write_views(const std::string& dir, const scenario::Scenario& s, const trial::ReplicateResult& r) {
  std::string adsl = output::adsl_header(), adtte = output::adtte_header(), adlb = output::adlb_header(),
              adae = output::adae_header(), ex = output::ex_header();
  for (std::size_t i = 0; i < r.patients.size(); ++i) {
    for (const auto& p : r.patients[i]) {
      const output::RowContext c{s.stages[i].name, r.replicate, p.origin, p.product};
      output::append_adsl(adsl, c, p.record);
      output::append_adtte(adtte, c, p.record);
      output::append_adlb(adlb, c, p.record);
      output::append_adae(adae, c, p.record);
      output::append_ex(ex, c, p.record);
    }
  }
  core::write_file_atomically(dir + "/adsl.csv", adsl);
  core::write_file_atomically(dir + "/adtte.csv", adtte);
  core::write_file_atomically(dir + "/adlb.csv", adlb);
  core::write_file_atomically(dir + "/adae.csv", adae);
  core::write_file_atomically(dir + "/ex.csv", ex);
}

void run_run(const RunArgs& a) {
  const auto started = std::chrono::system_clock::now();
  if (a.threads < 1 || a.threads > 1024) throw UserError(fmt::format("--threads {}: must be 1 to 1024", a.threads));
  if (a.replicates && (*a.replicates < 1 || *a.replicates > 1'000'000)) {
    throw UserError(fmt::format("--replicates {}: must be a whole number from 1 to 1000000", *a.replicates));
  }
  auto s = scenario::load_scenario(a.scenario);
  if (a.seed) s.seed = *a.seed;
  if (a.replicates) s.replicates = static_cast<int>(*a.replicates);
  if (s.stages.empty()) {
    throw UserError({"", std::nullopt, std::nullopt, "stages"},
                    fmt::format("scenario '{}' has no trial stages to run", s.name),
                    "a scenario with [[stages]]; for one arm of patients use `il2sim cohort`");
  }
  const std::string out = a.out.empty() ? "out/" + s.name : a.out;
  prepare_output_dir(out, a.force);
  const std::string resolved = scenario::to_toml(s);
  const auto n = static_cast<std::size_t>(s.replicates);
  // Replicates run in parallel; a single replicate parallelizes its patients instead.
  const unsigned outer = n > 1 ? a.threads : 1;
  const unsigned inner = n > 1 ? 1 : a.threads;
  trial::ProgrammeSummary summary(s);
  trial::ReplicateResult first;
  const std::function<trial::ReplicateResult(std::size_t)> produce = [&](std::size_t i) {
    return trial::run_replicate(s, static_cast<std::uint32_t>(i), i == 0, inner);
  };
  const std::function<void(std::size_t, trial::ReplicateResult&)> consume = [&](std::size_t i,
                                                                                 trial::ReplicateResult& r) {
    summary.add(r);
    if (i == 0) first = std::move(r);
  };
  core::ordered_parallel_for<trial::ReplicateResult>(n, outer, produce, consume);
  write_views(out, s, first);
  core::write_file_atomically(out + "/scenario.toml", resolved);
  const nlohmann::json summary_json = summary.to_json();
  core::write_file_atomically(out + "/summary.json", summary_json.dump(2) + "\n");
  const auto ended = std::chrono::system_clock::now();
  output::RunFacts facts{std::string(kVersion), fnv1a(resolved), iso_time(started), iso_time(ended),
                         std::chrono::duration<double>(ended - started).count(), a.threads, 1};
  const output::RunData data{s, resolved, summary, summary_json, first, facts};
  output::write_results_db(out + "/results.sqlite", data);
  const nlohmann::json manifest{
      {"tool", "il2sim"},
      {"version", facts.version},
      {"scenario", s.name},
      {"scenario_hash", facts.scenario_hash},
      {"seed", s.seed},
      {"replicates", s.replicates},
      {"threads", a.threads},
      {"ranks", facts.ranks},
      {"start_time", facts.start_time},
      {"end_time", facts.end_time},
      {"wall_time_seconds", facts.wall_time_seconds},
      {"hardware_threads", std::thread::hardware_concurrency()}};
  core::write_file_atomically(out + "/manifest.json", manifest.dump(2) + "\n");
}

}  // namespace

void register_run(CLI::App& app) {
  auto a = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "Run a scenario's trial stages over replicates into an output directory");
  cmd->add_option("scenario", a->scenario, "Built-in scenario name or scenario .toml file (default: the built-in default)");
  cmd->add_option("--out", a->out, "Output directory (default: out/<scenario name>)");
  cmd->add_option("--seed", a->seed, "Random seed (default: the scenario's)");
  cmd->add_option("--threads", a->threads, "Worker threads (outputs do not depend on it)")->capture_default_str();
  cmd->add_option("--replicates", a->replicates, "Trial replicates (default: the scenario's)");
  cmd->add_flag("--force", a->force, "Write into a non-empty output directory");
  cmd->callback([a] { run_run(*a); });
}

}  // namespace il2sim::cli
