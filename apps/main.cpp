// il2sim command-line entry point: all logic lives in src/cli.
#include "cli/app.hpp"

int main(int argc, char** argv) {
  return il2sim::cli::run(argc, argv);
}
