#pragma once
// What the path system calls share: a path copied in from user space, and where it starts
// (the process's root, and its working directory or a directory descriptor).
#include <new>

#include "kernel/fs/path_walk.hpp"
#include "syscall.hpp"

namespace rt::sys {

inline constexpr int64_t kAtFdcwd = -100;
inline constexpr uint64_t kAtSymlinkNofollow = 0x100, kAtRemovedir = 0x200, kAtEaccess = 0x200,
                          kAtSymlinkFollow = 0x400, kAtNoAutomount = 0x800, kAtEmptyPath = 0x1000;

// A path copied in from user space, in a buffer of its own (PATH_MAX is too big for a stack).
struct UserPath {
    static constexpr size_t kMax = 4096;
    char* text = new (std::nothrow) char[kMax];
    size_t length = 0;
    UserPath() = default;
    UserPath(const UserPath&) = delete;
    ~UserPath() { delete[] text; }
};

// A walk's starting points, held for as long as the walk needs them.
struct At {
    PathRef root, start;
    WalkContext context(Thread& t) const { return {root, start, t.process->creds, t.process}; }
};

// Copies the path at `addr`: EFAULT, ENAMETOOLONG, ENOMEM. An empty path is ENOENT unless
// `allow_empty` (AT_EMPTY_PATH: the call acts on `dirfd` itself).
ErrorOr<void> copy_path(Thread& t, UserPath& path, uint64_t addr, bool allow_empty = false);
// Where `path` starts for `dirfd`: EBADF for a bad descriptor, ENOTDIR for one that is not a
// directory (only when the path is relative: an absolute path ignores dirfd).
ErrorOr<void> start_at(Thread& t, int64_t dirfd, const char* path, At& at);
// The file at `fd` (a reference), empty if none.
FileRef file_of(Thread& t, uint64_t fd);

}  // namespace rt::sys
