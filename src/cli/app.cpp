#include "cli/app.hpp"

#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/distributed.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/version.hpp"

namespace il2sim::cli {

void build_app(CLI::App& app) {
  app.description(
      "il2sim: in-silico trials of interleukin-2 after bone-marrow or stem-cell transplantation");
  app.set_version_flag("--version", std::string(kVersion));
  app.require_subcommand(1);
  register_run(app);
  register_sweep(app);
  register_sensitivity(app);
  register_trajectory(app);
  register_cohort(app);
  register_params(app);
  register_scenarios(app);
  register_design(app);
  register_survival(app);
  register_calibrate(app);
  register_ensemble(app);
  register_schema(app);
  register_completion(app);
}

int run(int argc, char** argv) {
  const Distributed distributed(&argc, &argv);
  // Under mpirun every rank sees the same input: only rank 0 prints user-facing errors.
  const bool speaks = distributed.rank() == 0;
  CLI::App app;
  build_app(app);
  try {
    app.parse(argc, argv);
    core::flush_standard_output();  // a full disk or a closed pipe is an error, not exit 0
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with exit code 0 in CLI11; CLI11 prints them.
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      const int code = app.exit(e);
      try {
        core::flush_standard_output();
      } catch (const UserError& failed) {
        std::fprintf(stderr, "il2sim: error: %s\n", failed.what());
        return static_cast<int>(ExitCode::kUserError);
      }
      return code;
    }
    // A parse error is a user error: one message line on stderr, like every other (interfaces.md).
    std::fprintf(stderr, "il2sim: error: %s\n", e.what());
    return static_cast<int>(ExitCode::kUserError);
  } catch (const Interrupted& e) {
    if (speaks) std::fprintf(stderr, "il2sim: %s\n", e.what());
    return e.exit_code();
  } catch (const UserError& e) {
    if (speaks) std::fprintf(stderr, "il2sim: error: %s\n", e.what());
    return static_cast<int>(ExitCode::kUserError);
  } catch (const std::filesystem::filesystem_error& e) {
    // The file system refused an operation on the user's paths (permissions, a read-only or full
    // disk, a file where a directory is expected): the path and the reason, exit 2, as for every
    // output error.
    if (speaks) {
      std::fprintf(stderr, "il2sim: error: %s: %s\n",
                   e.path1().empty() ? "file system" : e.path1().c_str(),
                   e.code().message().c_str());
    }
    return static_cast<int>(ExitCode::kUserError);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "il2sim: internal error: %s\n", e.what());
    return static_cast<int>(ExitCode::kFailure);
  }
  return 0;
}

}  // namespace il2sim::cli
