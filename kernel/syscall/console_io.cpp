// The console as the only file there is until the VFS (the files issue): write and writev on
// fds 1 and 2, fstat on 0-2; every other fd is EBADF and every path ENOENT.
#include "handlers.hpp"
#include "kernel/console.hpp"
#include "kernel/mm/user_access.hpp"

namespace rt::sys {
namespace {

constexpr uint64_t kMaxRw = 0x7ffff000;  // Linux's MAX_RW_COUNT
constexpr uint64_t kIovMax = 1024;

bool is_console(uint64_t fd) { return fd == 1 || fd == 2; }

// Copies the user buffer through the console in chunks; returns bytes written or an error.
ErrorOr<uint64_t> console_write_user(AddressSpace& space, uint64_t buf, uint64_t len) {
    if (len > kMaxRw) len = kMaxRw;
    if (!user_range_ok(buf, len)) return Error(Errno::FAULT);
    char chunk[256];
    uint64_t done = 0;
    while (done < len) {
        uint64_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
        auto r = copy_from_user(space, chunk, buf + done, n);
        if (r.is_error()) {
            if (done) break;  // a partial write, as Linux reports it
            return r.error();
        }
        console_write(chunk, n);
        done += n;
    }
    return done;
}

}  // namespace

long write(Thread& t, const SyscallArgs& a) {
    if (!is_console(a.a[0])) return error_result(Errno::BADF);
    return to_result(console_write_user(*t.process->space, a.a[1], a.a[2]));
}

long writev(Thread& t, const SyscallArgs& a) {
    struct Iovec {
        uint64_t base, len;
    };
    if (!is_console(a.a[0])) return error_result(Errno::BADF);
    uint64_t count = a.a[2];
    if (count > kIovMax) return error_result(Errno::INVAL);
    AddressSpace& space = *t.process->space;
    uint64_t total = 0;
    for (uint64_t i = 0; i < count; ++i) {
        Iovec v;
        auto r = UserPtr<Iovec>(a.a[1] + i * sizeof(Iovec)).read(space, v);
        if (r.is_error()) return total ? static_cast<long>(total) : error_result(r.error());
        if (v.len > kMaxRw || total + v.len > kMaxRw) return total ? static_cast<long>(total) : error_result(Errno::INVAL);
        auto w = console_write_user(space, v.base, v.len);
        if (w.is_error()) return total ? static_cast<long>(total) : error_result(w.error());
        total += w.value();
        if (w.value() < v.len) break;
    }
    return static_cast<long>(total);
}

}  // namespace rt::sys

namespace rt::sys {
namespace {

// struct stat on riscv64 (asm-generic layout).
struct Stat {
    uint64_t dev, ino;
    uint32_t mode, nlink, uid, gid;
    uint64_t rdev, pad1;
    int64_t size;
    int32_t blksize, pad2;
    int64_t blocks, atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
    uint32_t unused[2];
};
static_assert(sizeof(Stat) == 128);

constexpr int64_t kAtFdcwd = -100;
constexpr uint64_t kAtEmptyPath = 0x1000, kAtSymlinkNofollow = 0x100, kAtNoAutomount = 0x800;

// The console, as /dev/console: character device 5:1.
Stat console_stat() {
    Stat s{};
    s.dev = 5;  // devtmpfs-like device number for the console's file system
    s.ino = 1;
    s.mode = 020000 | 0620;  // S_IFCHR, rw--w----
    s.nlink = 1;
    s.rdev = (5 << 8) | 1;
    s.blksize = 1024;
    return s;
}

long stat_fd(Thread& t, uint64_t fd, uint64_t buf) {
    if (!is_console(fd) && fd != 0) return error_result(Errno::BADF);
    return to_result(UserPtr<Stat>(buf).write(*t.process->space, console_stat()));
}

}  // namespace

long fstat(Thread& t, const SyscallArgs& a) { return stat_fd(t, a.a[0], a.a[1]); }

long newfstatat(Thread& t, const SyscallArgs& a) {
    int64_t dirfd = static_cast<int64_t>(a.a[0]);
    uint64_t flags = a.a[3];
    if (flags & ~(kAtEmptyPath | kAtSymlinkNofollow | kAtNoAutomount)) return error_result(Errno::INVAL);
    char first;
    auto r = copy_from_user(*t.process->space, &first, a.a[1], 1);
    if (r.is_error()) return error_result(r.error());
    if (first == 0 && (flags & kAtEmptyPath)) {
        if (dirfd == kAtFdcwd) return error_result(Errno::NOENT);  // the cwd: no file system yet
        return stat_fd(t, static_cast<uint64_t>(dirfd), a.a[2]);
    }
    // Paths need the file system (the files issue): there are no files to find yet.
    return error_result(Errno::NOENT);
}

}  // namespace rt::sys
