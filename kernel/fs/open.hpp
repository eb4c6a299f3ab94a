#pragma once
// Opening a file by path, until the VFS (the files issue): the in-memory files (ram_fs.hpp)
// and /dev/console. Paths are taken from the root (the only working directory there is yet),
// with "." and ".." resolved by name.
#include "file.hpp"

namespace rt {

// Opens `path` (a kernel copy, rewritten in place by normalize_path) with open(2) flags
// `flags` (and permission bits `mode` for a file it creates). ENOENT if there is no such file,
// EEXIST for O_CREAT|O_EXCL on an existing one, ENOTDIR for O_DIRECTORY on a file, EISDIR for
// writing a directory, ENAMETOOLONG for a component over 255 bytes, ENOMEM.
ErrorOr<FileRef> open_path(char* path, uint32_t flags, uint32_t mode);

}  // namespace rt
