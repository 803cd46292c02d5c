#pragma once
/// @file output_file.hpp
/// Outputs are written to a temporary name beside the target and renamed when complete, so that a
/// killed run never leaves a file that looks finished. Only regular files are replaced that way:
/// a device, a pipe or a symbolic link given as the path is not ours to replace.

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

/// Flushes standard output (C and C++ streams) and checks every earlier write to it.
/// @throws UserError naming standard output and the operating system's reason on failure (a full
///   disk, a closed pipe, /dev/full).
void flush_standard_output();

}  // namespace il2sim::core
