#pragma once
/// @file output_file.hpp
/// Outputs are written to a temporary name beside the target and renamed when complete, so that a
/// killed run never leaves a file that looks finished. Only regular files are replaced that way:
/// a device, a pipe or a symbolic link given as the path is not ours to replace.

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace il2sim::core {

/// Writes `content` to `path`.
/// - A new path or an existing regular file: atomically (a temporary file beside it, renamed into
///   place when complete).
/// - A symbolic link: the link is kept; the regular file it points to is replaced atomically, and
///   anything else it points to (or a dangling link's target) is written in place through it.
/// - Any other existing file (a device such as /dev/stdout, a named pipe): written in place.
/// Every write, flush and close is checked.
/// @throws UserError naming the path and the operating system's reason when it cannot be written
///   (missing or unwritable directory, a directory at the path, a full disk).
void write_file_atomically(const std::string& path, std::string_view content);

/// An output file written in pieces (outputs too large to hold in memory), with the guarantees of
/// write_file_atomically: a new path or a regular file is written to a temporary file beside it
/// and renamed into place by commit(); a device or a pipe is written in place. Destroyed without
/// commit() (an error, an interrupted run), the temporary file is removed.
class OutputFile {
 public:
  /// @throws UserError as write_file_atomically when the file cannot be opened.
  explicit OutputFile(std::string path);
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile();

  /// Appends `text` (buffered). @throws UserError naming the path on a failed write.
  void append(std::string_view text);
  /// Flushes, closes and renames the file into place; every write is checked.
  /// @throws UserError naming the path on failure (the temporary file is removed).
  void commit();

 private:
  void fail_and_discard(std::string_view what, int error);

  std::string path_;     ///< as the user gave it (errors name it)
  std::string target_;   ///< the file replaced (a link's target)
  std::string writing_;  ///< the file written: target_ + ".partial", or target_ in place
  std::FILE* file_ = nullptr;
  std::unique_ptr<char[]> buffer_;  ///< the stream's buffer (large: views grow by ~30 kB rows)
  bool atomic_ = true;
};

/// Flushes standard output (C and C++ streams) and checks every earlier write to it.
/// @throws UserError naming standard output and the operating system's reason on failure (a full
///   disk, a closed pipe, /dev/full).
void flush_standard_output();

}  // namespace il2sim::core
