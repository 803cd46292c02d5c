// `il2sim cohort`: N virtual patients through one arm, no trial design.
#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "api/commands.hpp"
#include "cli/app.hpp"
#include "cli/interrupt.hpp"
#include "cli/options.hpp"
#include "cli/output_dir.hpp"
#include "clinic/patient.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"
#include "output/cohort_summary.hpp"
#include "output/patient_data.hpp"
#include "output/views.hpp"

namespace il2sim::cli {
namespace {

struct CohortArgs {
  std::string scenario;
  std::string arm;
  long patients = 0;
  double days = api::kCohortDays;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> sets;  ///< --set PATH=VALUE, in order
  unsigned threads = 1;
  std::string out;
  bool force = false;
  bool progress = false;
};

/// The CSV chunks of one patient (one per view), formatted on the worker thread.
struct PatientRows {
  output::PatientViews views;
  clinic::PatientRecord summary_record;
};

void run_cohort(const CohortArgs& a) {
  const auto load = [&a](std::span<const scenario::Override> o) {
    return scenario::load_scenario(a.scenario, o);
  };
  const auto setup =
      api::cohort_setup(load, set_overrides(a.sets), a.arm, a.patients, a.days, a.seed, a.threads);
  const auto lock = prepare_output_dir(a.out, a.force);
  const output::RowContext context = setup.context();
  const InterruptGuard interrupt;  // before the views open: a signal never leaves their files
  output::ViewFiles views(a.out);
  output::CohortSummary summary(setup.fold_offset);
  api::CohortTotals totals{a.patients, a.days, 0, {}};

  const std::function<PatientRows(std::size_t)> produce = [&](std::size_t i) {
    if (InterruptGuard::requested()) return PatientRows{};  // no new patient after a signal
    PatientRows rows;
    rows.summary_record = setup.simulate(i, a.days);
    // Room for the largest rows of a patient so far on this thread: a patient's ADLB rows (~30 kB)
    // would otherwise be copied at each doubling of the string.
    thread_local std::array<std::size_t, output::kPatientViewCount> largest{};
    for (std::size_t k = 0; k < largest.size(); ++k) rows.views[k].reserve(largest[k]);
    output::append_views(rows.views, context, rows.summary_record);
    for (std::size_t k = 0; k < largest.size(); ++k)
      largest[k] = std::max(largest[k], rows.views[k].size());
    return rows;
  };
  core::Progress progress(a.patients, "patients", core::progress_wanted(a.progress));
  const std::function<void(std::size_t, PatientRows&)> consume = [&](std::size_t i,
                                                                     PatientRows& rows) {
    if (InterruptGuard::requested()) return;  // the cohort stops; nothing will be written
    views.write(rows.views);
    summary.add(rows.summary_record);
    totals.add(rows.summary_record);
    progress.update(static_cast<long>(i + 1));
  };
  core::ordered_parallel_for<PatientRows>(static_cast<std::size_t>(a.patients), a.threads, produce,
                                          consume);
  progress.finish();
  if (InterruptGuard::requested()) {
    // The views' destructors remove their temporary files: nothing partial is left.
    InterruptGuard::stop(fmt::format(
        "cohort interrupted; no output was written into {} (a cohort cannot be resumed: run it "
        "again)",
        a.out));
  }
  views.commit();
  core::write_file_atomically(a.out + "/summary.json",
                              api::cohort_json(setup, summary, totals).dump(2) + "\n");
  for (const auto& f : totals.failures) std::fprintf(stderr, "il2sim: warning: %s\n", f.c_str());
}

}  // namespace

void register_cohort(CLI::App& app) {
  auto a = std::make_shared<CohortArgs>();
  auto* cmd = app.add_subcommand(
      "cohort", "N virtual patients through one arm (no trial design): CSV views and summary.json");
  cmd->add_option("scenario", a->scenario,
                  "Built-in scenario name or scenario .toml file (default: the built-in default)");
  cmd->add_option("--arm", a->arm, "Arm of the scenario")->required();
  cmd->add_option("--patients", a->patients, "Number of virtual patients")->required();
  cmd->add_option("--days", a->days, "Follow-up horizon from transplant (days)")
      ->capture_default_str();
  add_seed_option(*cmd, a->seed);
  add_set_option(*cmd, a->sets);
  cmd->add_option("--threads", a->threads, "Worker threads (outputs do not depend on it)")
      ->capture_default_str();
  cmd->add_option("--out", a->out, "Output directory")->required();
  cmd->add_flag("--force", a->force, "Write into a non-empty output directory");
  cmd->add_flag("--progress", a->progress,
                "Show a progress bar on stderr even when it is not a terminal");
  cmd->callback([a] { run_cohort(*a); });
}

}  // namespace il2sim::cli
