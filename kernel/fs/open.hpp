#pragma once
// Opening a file by path, until the VFS (the files issue): the initramfs's regular files,
// read-only, and /dev/console. Paths are taken from the root (the only working directory
// there is yet), with "." and ".." resolved by name.
#include "file.hpp"

namespace rt {

inline constexpr uint32_t kOCreat = 0100, kOExcl = 0200, kOTrunc = 01000, kODirectory = 0200000,
                          kOCloexec = 02000000;

// Opens `path` (a kernel copy, rewritten in place by normalize_path) with open(2) flags
// `flags`. ENOENT if there is no such file, EROFS for a write
// or create on the read-only initramfs, EEXIST for O_CREAT|O_EXCL on an existing file,
// ENOTDIR for O_DIRECTORY on a file, ENAMETOOLONG for a component over 255 bytes, ENOMEM.
ErrorOr<FileRef> open_path(char* path, uint32_t flags);

}  // namespace rt
