#pragma once
// The initramfs (cpio newc, from -initrd) as the kernel first sees it: files looked up by path
// in the archive itself. (The in-memory file system it is unpacked into is the files issue.)
#include <cstddef>
#include <cstdint>

#include "kernel/lib/error_or.hpp"

namespace rt {

struct FileImage {
    const uint8_t* data;
    size_t size;
    uint32_t mode;  // permission bits
    uint32_t ino, uid, gid, mtime;
};

// The regular file at `path` ("bin/init" or "/bin/init"; the root is the only directory paths
// start from until the VFS). ENOENT if absent or there is no initramfs, EINVAL if the archive
// is malformed.
ErrorOr<FileImage> initramfs_find(const char* path);
// Whether the archive has a directory at `path` (normalized, as "bin"; "" is the root).
bool initramfs_has_directory(const char* path);

}  // namespace rt
