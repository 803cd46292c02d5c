// libFuzzer target: arbitrary bytes as a scenario file. parse_scenario is the input edge for user
// TOML, so every input must end either in a Scenario or in il2sim::UserError; any other exception,
// a sanitizer report, a leak or a hang is a bug. An accepted scenario must also survive the
// round trip through to_toml (the scenario.toml written next to every run): the resolved text
// parses again and resolves to the same text.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "scenario/scenario.hpp"

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_scenario: %s\n%s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  il2sim::scenario::Scenario scenario;
  try {
    scenario = il2sim::scenario::parse_scenario(text, "fuzz.toml");
  } catch (const il2sim::UserError&) {
    return 0;  // refused with a message: the expected outcome for bad input
  }
  const std::string resolved = il2sim::scenario::to_toml(scenario);
  std::string again;
  try {
    again = il2sim::scenario::to_toml(il2sim::scenario::parse_scenario(resolved, "resolved.toml"));
  } catch (const il2sim::UserError& e) {
    fail("the resolved scenario of an accepted input does not parse",
         std::string(e.what()) + "\n" + resolved);
  }
  if (again != resolved)
    fail("to_toml is not stable under a round trip", resolved + "\n---\n" + again);
  return 0;
}
