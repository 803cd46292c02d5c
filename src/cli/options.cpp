#include "cli/options.hpp"

#include <fmt/format.h>

#include <charconv>
#include <string>

namespace il2sim::cli {

namespace {

/// Empty when `text` is a seed; otherwise the message of the parse error.
std::string check_seed(const std::string& text) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const bool digits_only =
      !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (digits_only && ec == std::errc{} && ptr == end && value <= kMaxSeed) return {};
  return fmt::format("value '{}' is not a seed; allowed: an integer from 0 to {} (2^63 - 1)", text,
                     kMaxSeed);
}

}  // namespace

CLI::Option* add_seed_option(CLI::App& cmd, std::optional<std::uint64_t>& seed) {
  return cmd.add_option("--seed", seed, "Random seed, 0 to 2^63-1 (default: the scenario's)")
      ->check(CLI::Validator(check_seed, "SEED", "seed"));
}

}  // namespace il2sim::cli
