#include "cli/output_dir.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "core/error.hpp"

namespace il2sim::cli {

OutputDirLock& OutputDirLock::operator=(OutputDirLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

OutputDirLock::~OutputDirLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

namespace {

[[noreturn]] void refuse(const std::string& dir, const std::string& problem,
                         const std::string& allowed = {}) {
  throw UserError({dir, std::nullopt, std::nullopt, "--out"}, problem, allowed);
}

/// Opens the directory and takes an exclusive lock on it without waiting.
OutputDirLock lock_directory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) refuse(dir, fmt::format("cannot open the directory ({})", std::strerror(errno)));
  OutputDirLock lock(fd);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      refuse(dir, "another il2sim process is writing into this directory",
             "wait until it has finished, or another --out directory");
    }
    refuse(dir, fmt::format("cannot lock the directory ({})", std::strerror(errno)));
  }
  return lock;
}

}  // namespace

OutputDirLock prepare_output_dir(const std::string& dir, bool force) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    refuse(dir, "exists and is not a directory", "a new or empty directory");
  }
  fs::create_directories(dir, ec);
  if (ec) refuse(dir, fmt::format("cannot create the directory ({})", ec.message()));
  // Locked before the emptiness check: two runs with --force into one directory cannot both pass.
  OutputDirLock lock = lock_directory(dir);
  if (!fs::is_empty(dir, ec) && !force) {
    refuse(dir, "directory is not empty", "a new or empty directory, or --force to overwrite");
  }
  if (::access(dir.c_str(), W_OK) != 0) {
    refuse(dir, fmt::format("the directory is not writable ({})", std::strerror(errno)),
           "a directory you may write into");
  }
  return lock;
}

}  // namespace il2sim::cli
