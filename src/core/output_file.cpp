#include "core/output_file.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "core/error.hpp"

namespace il2sim::core {

namespace {

[[noreturn]] void fail(const std::string& path, std::string_view what, int error) {
  throw UserError({path, std::nullopt, std::nullopt, ""},
                  fmt::format("{} ({})", what, std::strerror(error)),
                  "a path in an existing, writable directory, on a file system with free space");
}

/// Writes `content` to `file_path` (created or truncated), checking the write, the flush and the
/// close; errors name `shown` (the path as the user gave it).
void write_whole(const std::string& file_path, std::string_view content, const std::string& shown,
                 std::string_view opening) {
  errno = 0;
  std::FILE* f = std::fopen(file_path.c_str(), "wb");
  if (f == nullptr) fail(shown, opening, errno);
  const bool written = std::fwrite(content.data(), 1, content.size(), f) == content.size();
  const bool flushed = written && std::fflush(f) == 0;
  const int error = errno;
  const bool closed = std::fclose(f) == 0;
  if (!written || !flushed || !closed) {
    fail(shown, "writing the output file failed", error != 0 ? error : errno);
  }
}

/// How a path is written: replaced atomically (at `target`) or written in place.
struct Plan {
  bool atomic = true;
  std::string target;
};

Plan plan_for(const std::string& path) {
  struct stat link_info {};
  if (::lstat(path.c_str(), &link_info) != 0) return {true, path};  // a new file
  if (S_ISREG(link_info.st_mode)) return {true, path};
  if (S_ISDIR(link_info.st_mode)) fail(path, "is a directory, not a file", EISDIR);
  if (S_ISLNK(link_info.st_mode)) {
    struct stat target_info {};
    std::error_code ec;
    if (::stat(path.c_str(), &target_info) == 0 && S_ISREG(target_info.st_mode)) {
      const auto target = std::filesystem::canonical(path, ec);
      if (!ec) return {true, target.string()};
    }
    if (::stat(path.c_str(), &target_info) == 0 && S_ISDIR(target_info.st_mode)) {
      fail(path, "links to a directory, not a file", EISDIR);
    }
  }
  return {false, path};  // a device, a pipe, a socket or a dangling link: in place
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view content) {
  const Plan plan = plan_for(path);
  if (!plan.atomic) {
    write_whole(plan.target, content, path, "cannot open the output for writing");
    return;
  }
  const std::string tmp = plan.target + ".partial";
  try {
    write_whole(tmp, content, path, "cannot write the output file");
  } catch (const UserError&) {
    std::remove(tmp.c_str());
    throw;
  }
  if (std::rename(tmp.c_str(), plan.target.c_str()) != 0) {
    const int error = errno;
    std::remove(tmp.c_str());
    fail(path, "cannot rename the finished output into place", error);
  }
}

OutputFile::OutputFile(std::string path) : path_(std::move(path)) {
  const Plan plan = plan_for(path_);
  atomic_ = plan.atomic;
  target_ = plan.target;
  writing_ = atomic_ ? target_ + ".partial" : target_;
  errno = 0;
  file_ = std::fopen(writing_.c_str(), "wb");
  if (file_ == nullptr) {
    fail(path_, atomic_ ? "cannot write the output file" : "cannot open the output for writing",
         errno);
  }
  constexpr std::size_t kBufferBytes = std::size_t{1} << 20;
  buffer_ = std::make_unique<char[]>(kBufferBytes);
  std::setvbuf(file_, buffer_.get(), _IOFBF, kBufferBytes);
}

OutputFile::~OutputFile() {
  if (file_ == nullptr) return;
  std::fclose(file_);
  if (atomic_) std::remove(writing_.c_str());
}

void OutputFile::fail_and_discard(std::string_view what, int error) {
  if (file_ != nullptr) std::fclose(file_);
  file_ = nullptr;
  if (atomic_) std::remove(writing_.c_str());
  fail(path_, what, error != 0 ? error : EIO);
}

void OutputFile::append(std::string_view text) {
  IL2SIM_ASSERT(file_ != nullptr, "OutputFile::append after commit");
  errno = 0;
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size())
    fail_and_discard("writing the output file failed", errno);
}

void OutputFile::commit() {
  IL2SIM_ASSERT(file_ != nullptr, "OutputFile::commit twice");
  errno = 0;
  const bool flushed = std::fflush(file_) == 0 && std::ferror(file_) == 0;
  const int error = errno;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!flushed || !closed) {
    const int reason = error != 0 ? error : errno != 0 ? errno : EIO;
    if (atomic_) std::remove(writing_.c_str());
    fail(path_, "writing the output file failed", reason);
  }
  if (atomic_ && std::rename(writing_.c_str(), target_.c_str()) != 0) {
    const int rename_error = errno;
    std::remove(writing_.c_str());
    fail(path_, "cannot rename the finished output into place", rename_error);
  }
}

void flush_standard_output() {
  // A write that failed earlier (inside puts or fwrite) left its reason in errno and the error flag
  // on the stream; keep that reason unless the flush below gives its own.
  const int earlier = errno;
  errno = 0;
  std::cout.flush();
  int error = errno;
  const bool cpp_ok = static_cast<bool>(std::cout);
  errno = 0;
  const bool c_ok = std::fflush(stdout) == 0 && std::ferror(stdout) == 0;
  if (error == 0) error = errno;
  if (!cpp_ok || !c_ok) {
    if (error == 0) error = earlier != 0 ? earlier : EIO;
    std::clearerr(stdout);
    throw UserError({"standard output", std::nullopt, std::nullopt, ""},
                    fmt::format("writing the output failed ({})", std::strerror(error)),
                    "standard output to a terminal, a pipe or a file with free space");
  }
}

}  // namespace il2sim::core
