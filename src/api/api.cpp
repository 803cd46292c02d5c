// The public API (include/il2sim/il2sim.hpp): each function runs the library code of the CLI
// subcommand of the same name (src/api/commands.hpp holds what they share) and returns its
// outputs as typed tables and text instead of files.
#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "api/commands.hpp"
#include "api/scenario_input.hpp"
#include "api/tables.hpp"
#include "clinic/patient.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/version.hpp"
#include "il2sim/il2sim.hpp"
#include "model/parameters.hpp"
#include "output/patient_data.hpp"
#include "trial/programme.hpp"
#include "trial/summary.hpp"

namespace il2sim::api {
namespace {

/// Runs f, turning a UserError (the CLI's message, exit 2) into an api::Error.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const UserError& e) {
    throw Error(e.what());
  }
}

/// The overrides as the CLI's `--set PATH=VALUE` texts would give them (the same checks).
std::vector<scenario::Override> overrides_of(const Overrides& set) {
  std::vector<scenario::Override> out;
  for (const auto& [path, value] : set) {
    if (path.find('=') != std::string::npos)
      throw UserError(fmt::format("--set {}={}: a PATH holds no '='", path, value));
    out.push_back(scenario::parse_override(path + "=" + value));
  }
  return out;
}

ScenarioLoader loader_of(const ScenarioInput& in) {
  return [&in](std::span<const scenario::Override> o) { return load_input(in, o); };
}

/// The operating characteristics of a run: every stage's outputs, as sweep.csv's last columns.
Table summary_table(const std::vector<output::SweepStage>& stages) {
  TableBuilder<output::SweepRow> b(output::sweep_row_fields());
  for (const auto& st : stages)
    for (const auto& o : st.outputs) b.add({st, o});
  return std::move(b.table());
}

/// Every replicate of `s` (threads over replicates; one replicate parallelizes its patients), in
/// replicate order, into `summary`; replicate 0 with its patient records.
trial::ReplicateResult run_replicates(const scenario::Scenario& s, unsigned threads,
                                      trial::ProgrammeSummary& summary) {
  const auto n = static_cast<std::size_t>(s.replicates);
  const unsigned outer = n > 1 ? threads : 1;
  const unsigned inner = n > 1 ? 1 : threads;
  trial::ReplicateResult first;
  const std::function<trial::ReplicateResult(std::size_t)> produce = [&](std::size_t i) {
    return trial::run_replicate(s, static_cast<std::uint32_t>(i), i == 0, inner);
  };
  const std::function<void(std::size_t, trial::ReplicateResult&)> consume =
      [&](std::size_t i, trial::ReplicateResult& r) {
        summary.add(r);
        if (i == 0) first = std::move(r);
      };
  core::ordered_parallel_for<trial::ReplicateResult>(n, outer, produce, consume);
  return first;
}

void fill_views(ViewTables& views, CohortResult& r) {
  r.adsl = views.take_adsl();
  r.adtte = views.take_adtte();
  r.adlb = views.take_adlb();
  r.adae = views.take_adae();
  r.ex = views.take_ex();
}

}  // namespace

RunResult run(const ScenarioInput& scenario, const RunOptions& options) {
  return guarded([&] {
    const auto sets = overrides_of(options.set);
    check_seed(options.seed);
    const auto s = run_scenario(loader_of(scenario), sets, options.seed, options.replicates,
                                options.threads, options.patient_data);
    trial::ProgrammeSummary summary(s);
    auto first = run_replicates(s, options.threads, summary);
    const trial::ReplicateRunner runner = [&s](std::uint32_t r, bool keep, unsigned threads) {
      return trial::run_replicate(s, r, keep, threads);
    };
    first = trial::example_replicates(s, summary, std::move(first), options.threads, runner);
    const auto stats = trial::stage_summaries(summary);
    RunResult result;
    result.summary = summary_table(output::sweep_stages(s, stats));
    result.summary_json = trial::summary_json(summary, stats).dump(2) + "\n";
    result.scenario_toml = scenario::to_toml(s);
    ViewTables views;
    output::for_each_chosen_replicate(
        s, output::parse_patient_data(options.patient_data, s.replicates), first, runner,
        options.threads,
        [&](const trial::ReplicateResult& r) {
          output::for_each_patient_row(s, r, [&](const output::PatientRow& p) { views.add(p); });
        },
        [](std::uint32_t) {});
    CohortResult views_only;
    fill_views(views, views_only);
    result.adsl = std::move(views_only.adsl);
    result.adtte = std::move(views_only.adtte);
    result.adlb = std::move(views_only.adlb);
    result.adae = std::move(views_only.adae);
    result.ex = std::move(views_only.ex);
    result.adtte_cuts = views.take_adtte_cuts();
    return result;
  });
}

CohortResult cohort(const ScenarioInput& scenario, const CohortOptions& options) {
  return guarded([&] {
    check_seed(options.seed);
    const double days = options.days.value_or(kCohortDays);
    const auto c = cohort_setup(loader_of(scenario), overrides_of(options.set), options.arm,
                                options.patients, days, options.seed, options.threads);
    const auto context = c.context();
    output::CohortSummary summary(c.fold_offset);
    CohortTotals totals{options.patients, days, 0, {}};
    ViewTables views;
    const std::function<clinic::PatientRecord(std::size_t)> produce = [&](std::size_t i) {
      return c.simulate(i, days);
    };
    const std::function<void(std::size_t, clinic::PatientRecord&)> consume =
        [&](std::size_t, clinic::PatientRecord& r) {
          views.add(output::PatientRow{context, r, output::usubjid(context.studyid, r.id)});
          summary.add(r);
          totals.add(r);
        };
    core::ordered_parallel_for<clinic::PatientRecord>(static_cast<std::size_t>(options.patients),
                                                      options.threads, produce, consume);
    CohortResult result;
    fill_views(views, result);
    result.summary_json = cohort_json(c, summary, totals).dump(2) + "\n";
    return result;
  });
}

Table trajectory(const ScenarioInput& scenario, const TrajectoryOptions& options) {
  return guarded([&] {
    check_seed(options.seed);
    if (options.typical && options.patient) throw UserError("--typical excludes --patient");
    // The CLI's checks of --patient and --typical (CLI11's Range and excludes, same messages).
    if (options.patient && (*options.patient < 1 || *options.patient > kMaxPatient)) {
      throw UserError(
          fmt::format("--patient: Value {} not in range 1 to {}", *options.patient, kMaxPatient));
    }
    TrajectorySettings t;
    t.arm = options.arm;
    if (options.patient) t.patient = static_cast<std::uint32_t>(*options.patient);
    t.seed = options.seed;
    t.days = options.days.value_or(kTrajectoryDays);
    t.step = options.step.value_or(kTrajectoryStep);
    t.mode = options.mode;
    const auto rec = trajectory_of(loader_of(scenario), overrides_of(options.set), t);
    const auto& cols = sim::trajectory_columns();
    Table table;
    table.columns.push_back(
        make_column("day", "days since graft infusion", "day", core::FieldType::kReal));
    for (const auto& c : cols)
      table.columns.push_back(make_column(c.name, c.description, c.unit, core::FieldType::kReal));
    for (std::size_t i = 0; i < rec.days().size(); ++i) {
      append_value(table.columns[0], rec.days()[i]);
      for (std::size_t j = 0; j < cols.size(); ++j)
        append_value(table.columns[j + 1], rec.values()[i * cols.size() + j]);
    }
    return table;
  });
}

namespace {

/// A swept path's column: integers or reals when every value is one, the values' text otherwise.
Column grid_column(const output::SweepTable& t, std::size_t k) {
  bool integers = true;
  bool numbers = true;
  for (const auto& p : t.points) {
    integers = integers && p.set[k].value.is_number_integer();
    numbers = numbers && p.set[k].value.is_number();
  }
  const auto type = integers  ? core::FieldType::kInteger
                    : numbers ? core::FieldType::kReal
                              : core::FieldType::kText;
  Column c = make_column(t.paths[k], "swept scenario path", "", type);
  for (const auto& p : t.points) {
    const auto& v = p.set[k].value;
    std::size_t rows = 0;
    for (const auto& st : p.stages) rows += st.outputs.size();
    for (std::size_t r = 0; r < rows; ++r) {
      if (integers) {
        append_value(c, v.get<std::int64_t>());
      } else if (numbers) {
        append_value(c, v.get<double>());
      } else {
        append_value(c, core::FieldValue(std::string_view(p.set[k].text)));
      }
    }
  }
  return c;
}

/// sweep.csv as a table: the swept paths' columns, then stage, output, value, mc_se.
Table sweep_table(const output::SweepTable& t) {
  TableBuilder<output::SweepRow> b(output::sweep_row_fields());
  for (const auto& p : t.points)
    for (const auto& st : p.stages)
      for (const auto& o : st.outputs) b.add({st, o});
  Table table;
  for (std::size_t k = 0; k < t.paths.size(); ++k) table.columns.push_back(grid_column(t, k));
  for (auto& c : b.table().columns) table.columns.push_back(std::move(c));
  return table;
}

}  // namespace

Table sweep(const ScenarioInput& scenario, const SweepOptions& options) {
  return guarded([&] {
    check_seed(options.seed);
    SweepSettings settings{
        options.seed, options.replicates, options.threads, overrides_of(options.set), {}};
    for (const auto& [path, value] : options.set) settings.set_texts.push_back(path + "=" + value);
    std::vector<Grid> grids;
    for (const auto& [path, values] : options.grid) {
      grids.push_back({path, {}});
      for (const auto& v : values) grids.back().values.push_back(grid_value(v));
    }
    check_grids(grids, settings);
    output::SweepTable table;
    const auto scenarios = sweep_scenarios(loader_of(scenario), settings, grids, table);
    std::size_t done = 0;
    auto stages = run_points(scenarios, options.threads, false, {}, done);
    for (std::size_t p = 0; p < stages.size(); ++p) table.points[p].stages = std::move(stages[p]);
    output::align_outputs(table);
    return sweep_table(table);
  });
}

Table params() {
  TableBuilder<model::ParamSpec> b(model::parameter_fields());
  for (const auto& p : model::parameter_table()) b.add(p);
  return std::move(b.table());
}

std::string version() {
  return std::string(kVersion);
}

std::uint64_t parse_seed(const std::string& text) {
  const auto problem = seed_problem(text);
  if (!problem.empty()) throw Error("--seed: " + problem);
  return std::stoull(text);
}

}  // namespace il2sim::api
