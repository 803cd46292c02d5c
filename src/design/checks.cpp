#include "design/checks.hpp"

#include <cmath>
#include <string>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/text.hpp"

namespace il2sim::design {
namespace {

[[noreturn]] void fail(std::string_view key, std::string problem, std::string allowed) {
  InputLocation where;
  where.key = std::string(key);
  throw UserError(std::move(where), std::move(problem), std::move(allowed));
}

std::string text(double v) {
  return core::format_double(v);
}

}  // namespace

void check_between(std::string_view key, double value, double lower, double upper) {
  if (!std::isfinite(value) || !(value > lower) || !(value < upper)) {
    fail(key, fmt::format("value {} is out of range", text(value)),
         fmt::format("strictly between {} and {}", text(lower), text(upper)));
  }
}

void check_open_unit(std::string_view key, double value) {
  check_between(key, value, 0.0, 1.0);
}

void check_int_range(std::string_view key, long value, long lower, long upper) {
  if (value < lower || value > upper) {
    fail(key, fmt::format("value {} is out of range", value),
         fmt::format("an integer from {} to {}", lower, upper));
  }
}

void check_information_fractions(std::string_view key, std::span<const double> info) {
  if (info.empty())
    fail(key, "no information fractions given", "t1,...,tK with 0 < t1 < ... < tK = 1");
  double previous = 0.0;
  for (std::size_t k = 0; k < info.size(); ++k) {
    const double t = info[k];
    if (!std::isfinite(t) || !(t > previous) || t > 1.0) {
      fail(key,
           fmt::format("information fraction {} (look {}) is not increasing within (0, 1]", text(t),
                       k + 1),
           "t1,...,tK with 0 < t1 < ... < tK = 1");
    }
    previous = t;
  }
  if (info.back() != 1.0) {
    fail(key, fmt::format("the last information fraction is {}, not 1", text(info.back())),
         "t1,...,tK with 0 < t1 < ... < tK = 1");
  }
}

void check_probabilities(std::string_view key, std::span<const double> p) {
  if (p.empty()) fail(key, "no probabilities given", "a comma-separated list of values in (0, 1)");
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (!std::isfinite(p[i]) || !(p[i] > 0.0) || !(p[i] < 1.0)) {
      fail(key, fmt::format("value {} (position {}) is out of range", text(p[i]), i + 1),
           "each value strictly between 0 and 1");
    }
  }
}

void check_dose_toxicity(std::string_view key, std::span<const double> p) {
  check_probabilities(key, p);
  for (std::size_t i = 1; i < p.size(); ++i) {
    if (p[i] < p[i - 1]) {
      fail(key,
           fmt::format("value {} (position {}) is below the previous one {}", text(p[i]), i + 1,
                       text(p[i - 1])),
           "DLT probabilities in (0, 1) that do not decrease with dose");
    }
  }
}

void check_skeleton(std::string_view key, std::span<const double> skeleton) {
  check_probabilities(key, skeleton);
  for (std::size_t i = 1; i < skeleton.size(); ++i) {
    if (!(skeleton[i] > skeleton[i - 1])) {
      fail(key,
           fmt::format("value {} (position {}) is not above the previous one {}", text(skeleton[i]),
                       i + 1, text(skeleton[i - 1])),
           "strictly increasing DLT probabilities in (0, 1)");
    }
  }
}

}  // namespace il2sim::design
