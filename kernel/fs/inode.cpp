#include "inode.hpp"

#include "drivers/rtc.hpp"
#include "kernel/lib/platform.hpp"
#include "kernel/proc/vdso.hpp"
#include "vfs_file.hpp"

namespace rt {

Timespec current_time() {
    uint64_t ns = platform::now_ns() + realtime_offset_ns();
    return {static_cast<int64_t>(ns / 1000000000), static_cast<int64_t>(ns % 1000000000)};
}

Inode::Inode(SuperBlock& sb, uint32_t mode, const Credentials* owner)
    : sb(sb), ino(sb.next_ino.fetch_add(1, std::memory_order_relaxed)), mode(mode) {
    if (owner) {
        uid = owner->uid.fs;
        gid = owner->gid.fs;
    }
    atime = mtime = ctime = current_time();
    sb.active_inodes.fetch_add(1, std::memory_order_relaxed);
}

Inode::~Inode() { sb.active_inodes.fetch_sub(1, std::memory_order_relaxed); }

Stat Inode::stat() const {
    Stat s{};
    s.dev = sb.dev;
    s.ino = ino;
    s.blksize = 4096;
    s.size = static_cast<int64_t>(size());
    SpinLockGuard g(lock);
    s.mode = mode;
    s.nlink = nlink;
    s.uid = uid;
    s.gid = gid;
    s.rdev = rdev;
    s.blocks = (s.size + 511) / 512;
    s.atime = atime.sec, s.atime_ns = atime.nsec;
    s.mtime = mtime.sec, s.mtime_ns = mtime.nsec;
    s.ctime = ctime.sec, s.ctime_ns = ctime.nsec;
    return s;
}

ErrorOr<FileRef> Inode::open(const PathRef& path, uint32_t flags, Thread&) { return open_inode_file(path, flags); }

ErrorOr<size_t> Inode::read(void*, size_t, uint64_t) { return Error(is_dir() ? Errno::ISDIR : Errno::INVAL); }
ErrorOr<size_t> Inode::write(const void*, size_t, uint64_t) { return Error(is_dir() ? Errno::ISDIR : Errno::INVAL); }
ErrorOr<void> Inode::truncate(uint64_t) { return Error(is_dir() ? Errno::ISDIR : Errno::INVAL); }
ErrorOr<size_t> Inode::readlink(char*, size_t, Process*) { return Error(Errno::INVAL); }
ErrorOr<void> Inode::set_link(const char*, size_t) { return Error(Errno::PERM); }
ErrorOr<PathRef> Inode::follow(Process*) const { return Error(Errno::INVAL); }
ErrorOr<Inode*> Inode::lookup(const char*, size_t) { return Error(Errno::NOENT); }
size_t Inode::list(size_t, bool (*)(void*, const DirEntry&), void*) { return 0; }
ErrorOr<Inode*> Inode::make(uint32_t, uint64_t, const Credentials&) { return Error(Errno::PERM); }

bool get_write_access(Inode& inode) {
    int n = inode.write_access.load(std::memory_order_relaxed);
    do {
        if (n < 0) return false;
    } while (!inode.write_access.compare_exchange_weak(n, n + 1, std::memory_order_acq_rel));
    return true;
}
void put_write_access(Inode& inode) { inode.write_access.fetch_sub(1, std::memory_order_acq_rel); }

bool deny_write_access(Inode& inode) {
    int n = inode.write_access.load(std::memory_order_relaxed);
    do {
        if (n > 0) return false;
    } while (!inode.write_access.compare_exchange_weak(n, n - 1, std::memory_order_acq_rel));
    return true;
}
void allow_write_access(Inode& inode) { inode.write_access.fetch_add(1, std::memory_order_acq_rel); }

bool may_access(const Inode& inode, const Credentials& creds, uint32_t want) {
    // Read without the lock, as Linux does: each is one word, and a check racing a chmod may
    // see either side of it.
    uint32_t mode = __atomic_load_n(&inode.mode, __ATOMIC_RELAXED);
    uint32_t uid = __atomic_load_n(&inode.uid, __ATOMIC_RELAXED), gid = __atomic_load_n(&inode.gid, __ATOMIC_RELAXED);
    if (creds.uid.fs == 0) {
        // Root reads and writes anything; it executes a file only if someone may.
        if (!(want & 1) || (mode & kSIfmt) == kSIfdir) return true;
        return (mode & 0111) != 0;
    }
    uint32_t bits;
    if (creds.uid.fs == uid) {
        bits = (mode >> 6) & 7;
    } else {
        bool in_group = creds.gid.fs == gid;
        for (unsigned i = 0; !in_group && i < creds.group_count; ++i) in_group = creds.groups[i] == gid;
        bits = in_group ? (mode >> 3) & 7 : mode & 7;
    }
    return (bits & want) == want;
}

}  // namespace rt
