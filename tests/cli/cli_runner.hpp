#pragma once
// Runs the real il2sim binary from tests: exit code, stdout and stderr.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace il2sim::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// A path in the temporary directory private to this test process: il2sim_<suite>_<pid>_<name>.
inline std::string temp_path(const std::string& suite, const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("il2sim_" + suite + "_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

/// Runs `build/il2sim <args>` through the shell; args are passed as written (quote them yourself).
inline CommandResult run_il2sim(const std::string& args) {
  static int counter = 0;
  const std::string base = std::string(IL2SIM_BINARY_DIR) + "/tests/cli_" +
                           std::to_string(::getpid()) + "_" + std::to_string(counter++);
  const std::string command =
      std::string(IL2SIM_BINARY_DIR) + "/il2sim " + args + " >" + base + ".out 2>" + base + ".err";
  const int status = std::system(command.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_text(base + ".out");
  r.err = read_text(base + ".err");
  std::remove((base + ".out").c_str());
  std::remove((base + ".err").c_str());
  return r;
}

}  // namespace il2sim::testing
