#include "core/output_file.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <system_error>

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
