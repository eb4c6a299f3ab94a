#pragma once
// The initramfs (cpio newc, from -initrd) as the kernel first sees it: files looked up by path
// in the archive itself, for the in-kernel tests and benchmarks (processes see the tmpfs root
// the archive is unpacked into: root_fs.hpp).
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

// The regular file at `path` ("bin/init" or "/bin/init"). ENOENT if absent or there is no initramfs, EINVAL if the archive
// is malformed.
ErrorOr<FileImage> initramfs_find(const char* path);

}  // namespace rt
