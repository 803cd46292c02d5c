#pragma once
/// @file app.hpp
/// The il2sim command-line tool. Each subcommand lives in its own file and registers itself with
/// the top-level CLI11 app through a `register_*` function declared here.

namespace CLI {
class App;
}

namespace il2sim::cli {

/// Parses argv, runs the chosen subcommand, maps errors to exit codes (core/error.hpp). Never
/// throws.
int run(int argc, char** argv);

/// The top-level app of `run` with every subcommand registered (their callbacks run the commands;
/// the CLI fuzzer parses without them).
void build_app(CLI::App& app);

// One registration function per subcommand file. Each adds its subcommand(s) and callbacks to
// `app`.
void register_run(CLI::App& app);
void register_sweep(CLI::App& app);
void register_sensitivity(CLI::App& app);
void register_trajectory(CLI::App& app);
void register_cohort(CLI::App& app);
void register_params(CLI::App& app);
void register_scenarios(CLI::App& app);
/// `scenarios reference` and `scenarios upgrade`, under the `scenarios` command.
void register_scenario_tools(CLI::App& scenarios);
void register_design(CLI::App& app);
void register_survival(CLI::App& app);
void register_calibrate(CLI::App& app);
void register_ensemble(CLI::App& app);
void register_schema(CLI::App& app);
/// `completion bash` and the hidden `manpage`, generated from `app` as registered so far: call
/// last.
void register_completion(CLI::App& app);

}  // namespace il2sim::cli
