#pragma once
/// @file progress.hpp
/// A progress bar on stderr for long runs: "[=========>          ] 40/100 replicates, ETA 0:12".
/// It is drawn only when enabled (stderr is a terminal, or the user asked with --progress), redrawn
/// in place with a carriage return at most every 0.1 s and at the last item, and ended with a
/// newline. It never writes to stdout and changes no other output.

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace il2sim::core {

/// Whether a progress bar should be drawn: `requested` (--progress) or stderr is a terminal.
[[nodiscard]] bool progress_wanted(bool requested);

/// The bar's text for `done` of `total` items after `elapsed_seconds` (no carriage return):
/// a 30-character bar, the counts, the unit and the ETA (elapsed/done × remaining) as m:ss or
/// h:mm:ss; "ETA --:--" before the first item, "done in m:ss" at the end.
[[nodiscard]] std::string progress_line(long done, long total, std::string_view unit,
                                        double elapsed_seconds);

class Progress {
 public:
  /// @param stream where to draw (stderr in the tool; a file in tests)
  Progress(long total, std::string unit, bool enabled, std::FILE* stream = stderr);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /// Records that `done` items are finished (thread-safe) and redraws when due.
  void update(long done);
  /// Draws the final state and ends the line (once; also called by the destructor).
  void finish();

 private:
  long total_;
  std::string unit_;
  bool enabled_;
  std::FILE* stream_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  long done_ = 0;
  bool finished_ = false;
  std::mutex mutex_;
  void draw();
};

}  // namespace il2sim::core
