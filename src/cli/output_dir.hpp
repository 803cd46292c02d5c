#pragma once
// Output directories of `run`, `cohort` and `calibrate`: created if missing, refused when non-empty
// without --force, and locked for the whole command so that two processes never mix their outputs
// in one directory.
#include <string>

namespace il2sim::cli {

/// An exclusive advisory lock (flock) on an output directory, held until destroyed.
class OutputDirLock {
 public:
  OutputDirLock() = default;
  explicit OutputDirLock(int fd) : fd_(fd) {}
  OutputDirLock(OutputDirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  OutputDirLock& operator=(OutputDirLock&& other) noexcept;
  OutputDirLock(const OutputDirLock&) = delete;
  OutputDirLock& operator=(const OutputDirLock&) = delete;
  ~OutputDirLock();

 private:
  int fd_ = -1;
};

/// Creates `dir` if missing, locks it, then checks that it is empty unless `force`.
/// @throws UserError when `dir` is not a directory, cannot be created or opened, is locked by
/// another
///   il2sim process, or is not empty and `force` is false.
[[nodiscard]] OutputDirLock prepare_output_dir(const std::string& dir, bool force);

}  // namespace il2sim::cli
