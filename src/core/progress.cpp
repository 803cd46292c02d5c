#include "core/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace il2sim::core {
namespace {

std::string clock_text(double seconds) {
  const auto s = static_cast<long>(std::llround(std::max(0.0, seconds)));
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

}  // namespace

bool progress_wanted(bool requested) {
  return requested || ::isatty(STDERR_FILENO) == 1;
}

std::string progress_line(long done, long total, std::string_view unit, double elapsed_seconds) {
  constexpr long kWidth = 30;
  total = std::max(total, 1L);
  done = std::clamp(done, 0L, total);
  const long filled = done * kWidth / total;
  std::string bar(static_cast<std::size_t>(kWidth), ' ');
  for (long k = 0; k < filled; ++k) bar[static_cast<std::size_t>(k)] = '=';
  if (filled < kWidth) bar[static_cast<std::size_t>(filled)] = '>';
  std::string eta;
  if (done == total) {
    eta = "done in " + clock_text(elapsed_seconds);
  } else if (done == 0) {
    eta = "ETA --:--";
  } else {
    eta = "ETA " + clock_text(elapsed_seconds / static_cast<double>(done) *
                              static_cast<double>(total - done));
  }
  return fmt::format("[{}] {}/{} {}, {}", bar, done, total, unit, eta);
}

Progress::Progress(long total, std::string unit, bool enabled, std::FILE* stream)
    : total_(total),
      unit_(std::move(unit)),
      enabled_(enabled),
      stream_(stream),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {
  if (enabled_) draw();
}

Progress::~Progress() {
  finish();
}

void Progress::update(long done) {
  if (!enabled_) return;
  const std::lock_guard lock(mutex_);
  done_ = std::max(done_, done);
  const auto now = std::chrono::steady_clock::now();
  if (done_ < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  draw();
}

void Progress::finish() {
  if (!enabled_) return;
  const std::lock_guard lock(mutex_);
  if (finished_) return;
  finished_ = true;
  draw();
  std::fputc('\n', stream_);
  std::fflush(stream_);
}

void Progress::draw() {
  last_draw_ = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(last_draw_ - start_).count();
  // "\r" returns to the line start; the trailing blanks cover a longer previous line.
  std::fprintf(stream_, "\r%s   ", progress_line(done_, total_, unit_, elapsed).c_str());
  std::fflush(stream_);
}

}  // namespace il2sim::core
