// libFuzzer target: arbitrary bytes as the command line of `il2sim`. The input is split into argv
// words at ASCII whitespace and NUL bytes and parsed by the app of `il2sim::cli::run`, built by the
// same registration functions (cli::build_app). Parsing stops before the chosen subcommand's
// callback: the top-level app's parse-complete callback, which CLI11 calls after every option,
// requirement and validator has been processed and before any subcommand's callback, throws.
// So only the parsing runs (options, flags, subcommands, CLI11 conversions and il2sim's
// validators such as --seed's), never a simulation or a file write, and each input is fast and
// deterministic. (Removing the subcommands' callbacks instead would free the option variables
// some of them own, such as `params`' flags.)
//
// A CLI11 parse error (including --help and --version, which CLI11 reports as "errors" with exit
// code 0) and il2sim::UserError are the expected outcomes for bad input; any other exception, a
// sanitizer report, a leak or a hang is a bug. A successful parse must have chosen exactly one
// subcommand (the app requires one).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/app.hpp"
#include "core/error.hpp"

namespace {

/// At most this many words, so one input stays cheap.
constexpr std::size_t kMaxWords = 64;

std::vector<std::string> split_words(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> words{"il2sim"};
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < size && words.size() <= kMaxWords; ++i) {
    const char c = static_cast<char>(data[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == '\0') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word && words.size() <= kMaxWords) words.push_back(word);
  return words;
}

/// Thrown when parsing is complete, before any subcommand's callback runs.
struct ParsedOnly {};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::string> words = split_words(data, size);
  std::vector<const char*> argv;
  argv.reserve(words.size() + 1);
  for (const auto& w : words) argv.push_back(w.c_str());
  argv.push_back(nullptr);
  // One app for every input (building it is most of the cost of an input): CLI11 clears what an
  // earlier parse left before each parse, and nothing of the parse reads the variables the options
  // write, so each input's outcome depends on it alone.
  static CLI::App& app = *[] {
    auto* a = new CLI::App;
    il2sim::cli::build_app(*a);
    a->parse_complete_callback([] { throw ParsedOnly{}; });
    return a;
  }();
  try {
    app.parse(static_cast<int>(words.size()), argv.data());
    std::fprintf(stderr, "fuzz_cli: parse returned without its parse-complete callback\n");
    std::abort();
  } catch (const ParsedOnly&) {
    // parsed: checked below
  } catch (const CLI::ParseError&) {
    return 0;
  } catch (const il2sim::UserError&) {
    return 0;
  }
  if (app.get_subcommands().size() != 1) {
    std::fprintf(stderr, "fuzz_cli: parsed with %zu subcommands\n", app.get_subcommands().size());
    std::abort();
  }
  return 0;
}
