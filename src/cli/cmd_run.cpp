// `il2sim run`: a scenario's trial stages over replicates, into an output directory
// (interfaces.md).
#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <fstream>
#include <memory>
#include <span>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "api/commands.hpp"
#include "calibration/ensemble.hpp"
#include "cli/app.hpp"
#include "cli/distributed.hpp"
#include "cli/interrupt.hpp"
#include "cli/options.hpp"
#include "cli/output_dir.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"
#include "core/text.hpp"
#include "core/version.hpp"
#include "output/patient_data.hpp"
#include "output/report.hpp"
#include "output/results_db.hpp"
#include "output/run_data.hpp"
#include "output/views.hpp"
#include "trial/journal.hpp"
#include "trial/programme.hpp"
#include "trial/summary.hpp"

namespace il2sim::cli {
namespace {

struct RunArgs {
  std::string scenario;
  std::string out;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> sets;  ///< --set PATH=VALUE, in order
  unsigned threads = 1;
  std::optional<long> replicates;
  bool force = false;
  bool resume = false;
  bool progress = false;
  std::string patient_data = "first";  ///< --patient-data: first, all, or N,M,...
  std::string ensemble;                ///< --ensemble FILE (empty: none)
};

/// `--ensemble FILE`: the ensemble and the set each replicate uses (calibration/ensemble.hpp).
struct EnsembleRun {
  calibration::Ensemble ensemble;
  std::vector<std::uint32_t> sets;  ///< per replicate
};

/// The ensemble of `--ensemble`, with its sets drawn for the replicates of `s`; none without one.
/// @throws UserError for a bad file, a `--set parameters.X` on a parameter it sets, or sets without
/// a model giving a parameter the scenario's model does not read.
std::optional<EnsembleRun> ensemble_of(const RunArgs& a, const scenario::Scenario& s) {
  if (a.ensemble.empty()) return std::nullopt;
  EnsembleRun e{calibration::read_ensemble(a.ensemble), {}};
  calibration::check_overrides(e.ensemble, a.ensemble, set_overrides(a.sets));
  calibration::check_structure(e.ensemble, a.ensemble, s);
  for (int r = 0; r < s.replicates; ++r)
    e.sets.push_back(calibration::draw_set(e.ensemble, s.seed, static_cast<std::uint32_t>(r)));
  return e;
}

/// Runs a replicate: of `s`, or with an ensemble of `s` with the replicate's parameter set.
trial::ReplicateRunner replicate_runner(const scenario::Scenario& s, const EnsembleRun* e) {
  return [&s, e](std::uint32_t r, bool keep, unsigned threads) {
    if (e == nullptr) return trial::run_replicate(s, r, keep, threads);
    scenario::Scenario with_set = s;
    calibration::apply_set(e->ensemble, e->sets.at(r), with_set);
    return trial::run_replicate(with_set, r, keep, threads);
  };
}

std::string iso_time(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

/// The scenario of `il2sim run` with the command line's seed and replicates.
/// @throws UserError on an option out of range or a scenario without trial stages.
scenario::Scenario scenario_of(const RunArgs& a) {
  const auto load = [&a](std::span<const scenario::Override> o) {
    return scenario::load_scenario(a.scenario, o);
  };
  return api::run_scenario(load, set_overrides(a.sets), a.seed, a.replicates, a.threads,
                           a.patient_data);
}

/// The patient-level data of the replicates `choice` names, into the CSV views of `out` and the
/// patient tables of `db`, replicate by replicate (streamed). `first`: the example replicates
/// (already run with their patients); any other replicate is run again with its patient records,
/// which gives the same bytes as its run (every draw is keyed by seed, replicate and patient).
void write_patient_data(const RunArgs& a, const std::string& out, const scenario::Scenario& s,
                        const output::PatientDataChoice& choice,
                        const trial::ReplicateResult& first, output::ResultsDb& db,
                        const trial::ReplicateRunner& run) {
  output::ViewFiles views(out);
  output::for_each_chosen_replicate(
      s, choice, first, run, a.threads,
      [&](const trial::ReplicateResult& r) {
        output::for_each_patient_row(s, r, [&](const output::PatientRow& p) { views.write(p); });
        db.add_patients(r);
      },
      [&](std::uint32_t r) {
        if (InterruptGuard::requested()) {
          InterruptGuard::stop(fmt::format(
              "interrupted while writing the patient data of replicate {}; no output was written "
              "(the replicates are kept in {}/.journal: resume with --resume)",
              r, out));
        }
      });
  views.commit();
}

/// Every output of a finished run (rank 0): the patient-level data of the chosen replicates,
/// scenario.toml, and the operating characteristics, computed once: summary.json, report.html and
/// results.sqlite are all written from these objects; timings and the execution layout only in
/// manifest.json.
void write_outputs(const RunArgs& a, const std::string& out, const scenario::Scenario& s,
                   const std::string& resolved, const trial::ProgrammeSummary& summary,
                   trial::ReplicateResult first, std::chrono::system_clock::time_point started,
                   int ranks, const EnsembleRun* ensemble) {
  const std::string scenario_hash = core::fnv1a_hex(resolved);
  const auto choice = output::parse_patient_data(a.patient_data, s.replicates);
  // The report's example figures show, for each stage, the first replicate in which it ran (and
  // so do the patient-level data by default).
  const auto run = replicate_runner(s, ensemble);
  first = trial::example_replicates(s, summary, std::move(first), a.threads, run);
  // The operating characteristics, computed once: summary.json, results.sqlite and the report
  // are all written from these objects.
  const auto stats = trial::stage_summaries(summary);
  const output::RunFacts facts{std::string(kVersion), scenario_hash};
  const output::RunData data{s,
                             resolved,
                             summary,
                             stats,
                             first,
                             facts,
                             ensemble != nullptr ? &ensemble->ensemble : nullptr,
                             a.ensemble};
  output::ResultsDb db(out + "/results.sqlite", data);
  write_patient_data(a, out, s, choice, first, db, run);
  db.commit();
  core::write_file_atomically(out + "/scenario.toml", resolved);
  // The ensemble's bytes next to scenario.toml: `il2sim run OUT/scenario.toml --ensemble
  // OUT/ensemble.toml` reruns the run (docs/ensemble.md).
  if (ensemble != nullptr)
    core::write_file_atomically(out + "/ensemble.toml", ensemble->ensemble.text);
  core::write_file_atomically(out + "/summary.json",
                              trial::summary_json(summary, stats).dump(2) + "\n");
  output::write_report(out, data);
  const auto ended = std::chrono::system_clock::now();
  nlohmann::json manifest{
      {"tool", "il2sim"},
      {"version", facts.version},
      {"scenario", s.name},
      {"scenario_hash", facts.scenario_hash},
      {"seed", s.seed},
      {"replicates", s.replicates},
      {"threads", a.threads},
      {"ranks", ranks},
      {"start_time", iso_time(started)},
      {"end_time", iso_time(ended)},
      {"wall_time_seconds", std::chrono::duration<double>(ended - started).count()},
      {"hardware_threads", std::thread::hardware_concurrency()}};
  if (ensemble != nullptr) {
    manifest["ensemble"] = {{"file", a.ensemble},
                            {"hash", ensemble->ensemble.hash},
                            {"method", ensemble->ensemble.method},
                            {"sets", ensemble->ensemble.sets.size()},
                            {"copy", "ensemble.toml"}};
  }
  core::write_file_atomically(out + "/manifest.json", manifest.dump(2) + "\n");
}

/// Rank 0 prepares the output directory and the journal (new, or checked for --resume); the other
/// ranks wait for its word. False when rank 0 failed (it reports the error). Rank 0 keeps the
/// directory locked in `lock`.
bool prepare_run(const Distributed& dist, const RunArgs& a, const std::string& out,
                 const trial::Journal& journal, OutputDirLock& lock) {
  bool ready = false;
  if (dist.rank() == 0) {
    lock = prepare_output_dir(out, a.force || a.resume);
    if (a.resume) {
      journal.check_resumable();
    } else {
      journal.start();
    }
    ready = true;
  }
  return dist.broadcast(ready);
}

/// With several ranks: rank 0 gathers every rank's results (the journal's serialisation) and adds
/// them in replicate order, the same bytes as one process. False on the other ranks.
bool gather_results(const Distributed& dist, const nlohmann::json& gathered_mine, std::size_t n,
                    trial::ProgrammeSummary& summary) {
  const auto parts = dist.gather(gathered_mine.dump());
  if (dist.rank() != 0) return false;
  std::vector<std::optional<trial::ReplicateResult>> all(n);
  for (const auto& part : parts) {
    for (const auto& j : nlohmann::json::parse(part)) {
      auto r = trial::replicate_from_json(j, "rank result");
      all[r.replicate] = std::move(r);
    }
  }
  for (const auto& r : all) summary.add(*r);  // replicate order: the same bytes as one process
  return true;
}

void run_run(const RunArgs& a) {
  const auto started = std::chrono::system_clock::now();
  const auto s = scenario_of(a);
  const std::string out = a.out.empty() ? "out/" + s.name : a.out;
  const auto& dist = Distributed::current();
  const std::string resolved = scenario::to_toml(s);
  const auto ensemble = ensemble_of(a, s);
  const EnsembleRun* ens = ensemble ? &*ensemble : nullptr;
  // The journal's hash also covers the ensemble's bytes: --resume with another file is refused.
  const std::string journal_hash =
      core::fnv1a_hex(ens == nullptr ? resolved : resolved + "\nensemble " + ens->ensemble.hash);
  const trial::Journal journal(out, s, journal_hash);
  OutputDirLock lock;  // rank 0 holds the output directory until the run has finished
  if (!prepare_run(dist, a, out, journal, lock)) return;  // rank 0 reported the error
  const InterruptGuard guard;
  const auto n = static_cast<std::size_t>(s.replicates);
  // This rank's replicates: i ≡ rank (mod ranks).
  std::vector<std::size_t> mine;
  for (std::size_t i = static_cast<std::size_t>(dist.rank()); i < n;
       i += static_cast<std::size_t>(dist.size())) {
    mine.push_back(i);
  }
  // Replicates run in parallel; a single replicate parallelizes its patients instead.
  const unsigned outer = mine.size() > 1 ? a.threads : 1;
  const unsigned inner = mine.size() > 1 ? 1 : a.threads;
  trial::ProgrammeSummary summary(s);
  if (ens != nullptr) summary.set_ensemble_sets(ens->sets);
  const auto run_one = replicate_runner(s, ens);
  trial::ReplicateResult first;
  struct Produced {
    trial::ReplicateResult result;
    bool from_journal = false;
    bool skipped = false;  ///< not run: interrupted
  };
  const std::function<Produced(std::size_t)> produce = [&](std::size_t j) {
    const std::size_t i = mine[j];
    Produced p;
    if (InterruptGuard::requested()) {
      p.skipped = true;
      return p;
    }
    // A journalled replicate is not run again; replicate 0 is, for its patient records (the same
    // bytes: every draw is keyed by seed, replicate and patient).
    if (i > 0) {
      if (auto r = journal.load(static_cast<std::uint32_t>(i))) {
        p.result = std::move(*r);
        p.from_journal = true;
        return p;
      }
    }
    p.result = run_one(static_cast<std::uint32_t>(i), i == 0, inner);
    return p;
  };
  std::size_t done = 0;
  nlohmann::json gathered_mine =
      nlohmann::json::array();  // with several ranks: results to send to rank 0
  core::Progress progress(static_cast<long>(mine.size()), "replicates",
                          dist.rank() == 0 && core::progress_wanted(a.progress));
  const std::function<void(std::size_t, Produced&)> consume = [&](std::size_t j, Produced& p) {
    if (p.skipped) return;
    if (!p.from_journal) journal.save(p.result);
    ++done;
    progress.update(static_cast<long>(j + 1));
    if (dist.size() > 1) gathered_mine.push_back(trial::to_json(p.result));
    if (dist.size() == 1) summary.add(p.result);  // one process: reduce as replicates finish
    if (mine[j] == 0) first = std::move(p.result);
  };
  core::ordered_parallel_for<Produced>(mine.size(), outer, produce, consume);
  progress.finish();
  if (done < mine.size()) {
    InterruptGuard::stop(fmt::format(
        "interrupted after {} of {} replicates; finished replicates are kept in "
        "{}/.journal. Resume with: "
        "il2sim run {} --out {} --resume (with the same --seed, --replicates, --set and "
        "--ensemble)",
        done, mine.size(), out, a.scenario.empty() ? s.name : a.scenario, out));
  }
  if (dist.size() > 1 && !gather_results(dist, gathered_mine, n, summary)) return;
  write_outputs(a, out, s, resolved, summary, std::move(first), started, dist.size(), ens);
  journal.remove();
}

}  // namespace

void register_run(CLI::App& app) {
  auto a = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand(
      "run", "Run a scenario's trial stages over replicates into an output directory");
  cmd->add_option("scenario", a->scenario,
                  "Built-in scenario name or scenario .toml file (default: the built-in default)");
  cmd->add_option("--out", a->out, "Output directory (default: out/<scenario name>)");
  add_seed_option(*cmd, a->seed);
  add_set_option(*cmd, a->sets);
  cmd->add_option("--threads", a->threads, "Worker threads (outputs do not depend on it)")
      ->capture_default_str();
  cmd->add_option("--replicates", a->replicates, "Trial replicates (default: the scenario's)");
  cmd->add_flag("--force", a->force, "Write into a non-empty output directory");
  cmd->add_flag("--resume", a->resume,
                "Continue an interrupted run in its --out directory (same scenario and options)");
  cmd->add_flag("--progress", a->progress,
                "Show a progress bar on stderr even when it is not a terminal");
  cmd->add_option("--patient-data", a->patient_data,
                  "Replicates whose patient-level data (CSV views, results.sqlite patient tables) "
                  "are written: `first` (each stage's first replicate in which it ran), `all`, or "
                  "0-based replicate numbers N,M,... (other replicates than the first are run "
                  "again to record their patients)")
      ->capture_default_str();
  cmd->add_option("--ensemble", a->ensemble,
                  "Parameter ensemble (TOML, docs/ensemble.md): each replicate runs with one of "
                  "its sets, drawn by weight; summary.json adds assurance and variance_split");
  cmd->callback([a] { run_run(*a); });
}

}  // namespace il2sim::cli
