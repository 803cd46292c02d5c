// libFuzzer target: arbitrary bytes as a journal entry (`<out>/.journal/replicate-NNNNNNN.json`)
// read back by `il2sim run --resume`. Every input must end either in a replicate result or in
// il2sim::UserError; any other exception, a sanitizer report, a leak or a hang is a bug.
//
// The entry is read as replicate 1 of the built-in programme (every stage type) in a run whose
// scenario hash is "fuzz" (the seed corpus carries both). An accepted entry must then do what a
// resumed run does with it without failing: be reduced into the run's summary and give its
// operating characteristics and summary.json; and it must round-trip through the writer: written
// again and read back, it gives the same entry.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "scenario/scenario.hpp"
#include "trial/journal.hpp"
#include "trial/summary.hpp"

namespace {

constexpr std::string_view kHash = "fuzz";
constexpr std::uint32_t kReplicate = 1;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_journal: %s\n%s\n", what, detail.c_str());
  std::abort();
}

const il2sim::scenario::Scenario& programme() {
  static const auto s = il2sim::scenario::load_scenario("programme");
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace trial = il2sim::trial;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const trial::EntryExpected expected{kReplicate, kHash, &programme()};
  trial::ReplicateResult r;
  try {
    r = trial::read_journal_entry(text, "fuzz.json", expected);
  } catch (const il2sim::UserError&) {
    return 0;  // refused with a message: the expected outcome for bad input
  }
  const std::string written = trial::journal_entry(r, kHash);
  std::string again;
  try {
    again = trial::journal_entry(trial::read_journal_entry(written, "again.json", expected), kHash);
  } catch (const il2sim::UserError& e) {
    fail("the entry written from an accepted entry is refused", e.what() + ("\n" + written));
  }
  if (again != written) fail("the entry is not stable under a round trip", written + "\n" + again);
  trial::ProgrammeSummary summary(programme());
  summary.add(r);
  const auto stages = trial::stage_summaries(summary);
  (void)trial::summary_json(summary, stages).dump();
  return 0;
}
