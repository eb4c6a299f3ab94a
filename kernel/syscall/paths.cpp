// The calls that name files by path: open, make and remove names, links, rename, stat and
// access, attributes (mode, owner, times, size), directories (getcwd, chdir, chroot, listing)
// and mounts. Each copies its path, finds where it starts (root, cwd or a directory fd) and
// hands the work to the VFS (kernel/fs/vfs.hpp).
#include <cstring>

#include "handlers.hpp"
#include "kernel/fs/fd_table.hpp"
#include "kernel/fs/pipe.hpp"
#include "kernel/fs/vfs.hpp"
#include "kernel/fs/vfs_file.hpp"
#include "kernel/mm/user_access.hpp"
#include "path_args.hpp"

namespace rt::sys {

FileRef file_of(Thread& t, uint64_t fd) {
    if (fd > INT32_MAX) return {};
    return t.process->files->get(static_cast<int>(fd));
}

ErrorOr<void> copy_path(Thread& t, UserPath& path, uint64_t addr, bool allow_empty) {
    if (!path.text) return Error(Errno::NOMEM);
    path.length = TRY(copy_string_from_user(*t.process->space, path.text, addr, UserPath::kMax));
    if (!path.length && !allow_empty) return Error(Errno::NOENT);
    return {};
}

ErrorOr<void> start_at(Thread& t, int64_t dirfd, const char* path, At& at) {
    at.root = t.process->fs.root();
    if (path[0] == '/') return {};
    if (static_cast<int32_t>(dirfd) == kAtFdcwd) {
        at.start = t.process->fs.cwd();
        return {};
    }
    FileRef f = file_of(t, static_cast<uint64_t>(static_cast<uint32_t>(dirfd)));
    if (!f) return Error(Errno::BADF);
    const PathRef* p = f->path();
    if (!p) return Error(Errno::NOTDIR);
    if (path[0] && !p->inode()->is_dir()) return Error(Errno::NOTDIR);
    at.start = *p;
    return {};
}

namespace {

uint64_t nofile_limit(const Thread& t) { return t.process->limits[7].cur; }

// The place `addr` names from `dirfd`, or with AT_EMPTY_PATH and an empty path the place of
// `dirfd` itself (the cwd for AT_FDCWD).
ErrorOr<PathRef> resolve(Thread& t, int64_t dirfd, uint64_t addr, uint64_t flags, bool follow) {
    UserPath path;
    TRY(copy_path(t, path, addr, flags & kAtEmptyPath));
    At at;
    TRY(start_at(t, dirfd, path.text, at));
    if (!path.length) {
        if (static_cast<int32_t>(dirfd) == kAtFdcwd) return t.process->fs.cwd();
        return at.start;
    }
    return walk(at.context(t), path.text, follow ? unsigned{kWalkFollow} : 0u);
}

// The calling process's credentials with the real ids in the file-system ids' place
// (access(2) asks about the real user).
Credentials real_ids(const Credentials& c) {
    Credentials r = c;
    r.uid.fs = r.uid.real;
    r.gid.fs = r.gid.real;
    return r;
}

}  // namespace

namespace {

// What an open asks for, from openat's arguments or openat2's struct open_how.
struct OpenRequest {
    int64_t dirfd;
    uint64_t path;
    uint32_t flags, mode;  // the mode already masked by the umask
    bool in_root;          // RESOLVE_IN_ROOT: the start is the root too
};

OpenRequest openat_request(Thread& t, const SyscallArgs& a) {
    return {static_cast<int64_t>(a.a[0]), a.a[1], static_cast<uint32_t>(a.a[2]) & ~kOFifoEndNow,
            static_cast<uint32_t>(a.a[3]) & 07777 & ~t.process->umask, false};
}

ErrorOr<OpenRequest> openat2_request(Thread& t, const SyscallArgs& a) {
    struct OpenHow {
        uint64_t flags, mode, resolve;
    } how;
    constexpr uint64_t kResolveInRoot = 0x10, kKnownFlags = 037777777;
    if (a.a[3] < sizeof how) return Error(Errno::INVAL);
    if (a.a[3] > 4096) return Error(Errno::TOOBIG);
    TRY(UserPtr<OpenHow>(a.a[2]).read(*t.process->space, how));
    if ((how.flags & ~kKnownFlags) || how.mode > 07777) return Error(Errno::INVAL);
    if (how.mode && !(how.flags & (kOCreat | kOTmpfile))) return Error(Errno::INVAL);
    // RESOLVE_IN_ROOT is the one resolution rule walks here know; the others are refused
    // rather than ignored.
    if (how.resolve & ~kResolveInRoot) return Error(Errno::INVAL);
    return OpenRequest{static_cast<int64_t>(a.a[0]), a.a[1], static_cast<uint32_t>(how.flags),
                       static_cast<uint32_t>(how.mode) & ~t.process->umask, how.resolve != 0};
}

// The open itself; `extra` may add kOFifoEndNow.
ErrorOr<FileRef> open_request(Thread& t, const OpenRequest& r, uint32_t extra) {
    UserPath path;
    TRY(copy_path(t, path, r.path));
    At at;
    TRY(start_at(t, r.dirfd, r.in_root && path.text[0] == '/' ? "." : path.text, at));
    if (r.in_root) {
        if (!at.start) at.start = t.process->fs.cwd();
        at.root = at.start;
    }
    return vfs_open(at.context(t), path.text, r.flags | extra, r.mode, t);
}

long open_now(Thread& t, ErrorOr<OpenRequest> r) {
    if (r.is_error()) return error_result(r.error());
    auto file = open_request(t, r.value(), 0);
    if (file.is_error()) return error_result(file.error());
    return to_result(t.process->files->install(file.release_value(), r.value().flags & kOCloexec, 0, nofile_limit(t)));
}

// A named pipe opened without O_NONBLOCK waits until the other side is open too: its end is
// opened first (so the other side's opener sees it), then the wait; a signal ends it.
Task<long> open_and_wait(Thread& t, ErrorOr<OpenRequest> r) {
    if (r.is_error()) co_return error_result(r.error());
    auto file = open_request(t, r.value(), kOFifoEndNow);
    if (file.is_error()) co_return error_result(file.error());
    if (Pipe* pipe = pipe_of(*file.value().get())) {
        bool reader = (r.value().flags & kOAccMode) == kORdonly;
        auto w = co_await pipe->readiness().wait([pipe, reader] { return (reader ? pipe->writers() : pipe->readers()) > 0; },
                                                 {.cancel = &t.cancel});
        if (w == WaitResult::Cancelled) co_return error_result(Errno::RESTARTSYS);
    }
    co_return to_result(t.process->files->install(file.release_value(), r.value().flags & kOCloexec, 0, nofile_limit(t)));
}

}  // namespace

// Each opens at once, unless a named pipe has to wait for its other side: then it answers
// WAITS and the async half (the _wait one) opens and waits.
long openat(Thread& t, const SyscallArgs& a) { return open_now(t, openat_request(t, a)); }
Task<long> openat_wait(Thread& t, SyscallArgs a) { return open_and_wait(t, openat_request(t, a)); }
long openat2(Thread& t, const SyscallArgs& a) { return open_now(t, openat2_request(t, a)); }
Task<long> openat2_wait(Thread& t, SyscallArgs a) { return open_and_wait(t, openat2_request(t, a)); }

long mknodat(Thread& t, const SyscallArgs& a) {
    uint32_t mode = static_cast<uint32_t>(a.a[2]);
    uint32_t type = mode & kSIfmt;
    if (type == 0) type = kSIfreg;
    if (type == kSIfdir || (type != kSIfreg && type != kSIfchr && type != kSIfblk && type != kSIfifo && type != kSIfsock))
        return error_result(Errno::INVAL);
    if ((type == kSIfchr || type == kSIfblk) && !t.process->creds.privileged()) return error_result(Errno::PERM);
    UserPath path;
    if (auto r = copy_path(t, path, a.a[1]); r.is_error()) return error_result(r.error());
    At at;
    if (auto r = start_at(t, static_cast<int64_t>(a.a[0]), path.text, at); r.is_error()) return error_result(r.error());
    // dev_t from user space: major in bits 8-19 and 32-43, minor in 0-7 and 20-31.
    uint64_t dev = a.a[3];
    uint64_t major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffull);
    uint64_t minor = (dev & 0xff) | ((dev >> 12) & ~0xffull);
    uint32_t perm = mode & 07777 & ~t.process->umask;
    return to_result(vfs_make_node(at.context(t), path.text, type | perm, (major << 8) | minor));
}

long mkdirat(Thread& t, const SyscallArgs& a) {
    UserPath path;
    if (auto r = copy_path(t, path, a.a[1]); r.is_error()) return error_result(r.error());
    At at;
    if (auto r = start_at(t, static_cast<int64_t>(a.a[0]), path.text, at); r.is_error()) return error_result(r.error());
    uint32_t perm = static_cast<uint32_t>(a.a[2]) & 01777 & ~t.process->umask;
    return to_result(vfs_make_node(at.context(t), path.text, kSIfdir | perm, 0));
}

long unlinkat(Thread& t, const SyscallArgs& a) {
    if (a.a[2] & ~kAtRemovedir) return error_result(Errno::INVAL);
    UserPath path;
    if (auto r = copy_path(t, path, a.a[1]); r.is_error()) return error_result(r.error());
    At at;
    if (auto r = start_at(t, static_cast<int64_t>(a.a[0]), path.text, at); r.is_error()) return error_result(r.error());
    return to_result(vfs_remove(at.context(t), path.text, a.a[2] & kAtRemovedir));
}

long symlinkat(Thread& t, const SyscallArgs& a) {
    UserPath target, path;
    if (auto r = copy_path(t, target, a.a[0]); r.is_error()) return error_result(r.error());
    if (auto r = copy_path(t, path, a.a[2]); r.is_error()) return error_result(r.error());
    At at;
    if (auto r = start_at(t, static_cast<int64_t>(a.a[1]), path.text, at); r.is_error()) return error_result(r.error());
    return to_result(vfs_symlink(at.context(t), target.text, path.text));
}

long linkat(Thread& t, const SyscallArgs& a) {
    uint64_t flags = a.a[4];
    if (flags & ~(kAtSymlinkFollow | kAtEmptyPath)) return error_result(Errno::INVAL);
    UserPath from, to;
    if (auto r = copy_path(t, from, a.a[1], flags & kAtEmptyPath); r.is_error()) return error_result(r.error());
    if (auto r = copy_path(t, to, a.a[3]); r.is_error()) return error_result(r.error());
    At from_at, to_at;
    if (auto r = start_at(t, static_cast<int64_t>(a.a[0]), from.text, from_at); r.is_error()) return error_result(r.error());
    if (auto r = start_at(t, static_cast<int64_t>(a.a[2]), to.text, to_at); r.is_error()) return error_result(r.error());
    if (!from.length) {  // AT_EMPTY_PATH: link the descriptor's file (root only, as Linux)
        if (!t.process->creds.privileged()) return error_result(Errno::NOENT);
        from.text[0] = '.';
        from.text[1] = 0;
    }
    return to_result(vfs_link(from_at.context(t), from.text, to_at.context(t), to.text, flags & kAtSymlinkFollow));
}

long renameat2(Thread& t, const SyscallArgs& a) {
    UserPath from, to;
    if (auto r = copy_path(t, from, a.a[1]); r.is_error()) return error_result(r.error());
    if (auto r = copy_path(t, to, a.a[3]); r.is_error()) return error_result(r.error());
    At from_at, to_at;
    if (auto r = start_at(t, static_cast<int64_t>(a.a[0]), from.text, from_at); r.is_error()) return error_result(r.error());
    if (auto r = start_at(t, static_cast<int64_t>(a.a[2]), to.text, to_at); r.is_error()) return error_result(r.error());
    if (a.a[4] > UINT32_MAX) return error_result(Errno::INVAL);
    return to_result(vfs_rename(from_at.context(t), from.text, to_at.context(t), to.text, static_cast<uint32_t>(a.a[4])));
}

long readlinkat(Thread& t, const SyscallArgs& a) {
    int64_t size = static_cast<int64_t>(a.a[3]);
    if (size <= 0) return error_result(Errno::INVAL);
    auto p = resolve(t, static_cast<int64_t>(a.a[0]), a.a[1], kAtEmptyPath, false);
    if (p.is_error()) return error_result(p.error());
    Inode& inode = *p.value().inode();
    if (!inode.is_symlink()) return error_result(Errno::INVAL);
    UserPath out;
    if (!out.text) return error_result(Errno::NOMEM);
    auto n = inode.readlink(out.text, UserPath::kMax, t.process);
    if (n.is_error()) return error_result(n.error());
    size_t len = n.value() < static_cast<uint64_t>(size) ? n.value() : static_cast<size_t>(size);
    if (auto r = copy_to_user(*t.process->space, a.a[2], out.text, len); r.is_error()) return error_result(r.error());
    return static_cast<long>(len);
}

namespace {

long access_check(Thread& t, int64_t dirfd, uint64_t addr, uint64_t mode, uint64_t flags) {
    if (mode & ~7ull) return error_result(Errno::INVAL);
    if (flags & ~(kAtEaccess | kAtSymlinkNofollow | kAtEmptyPath)) return error_result(Errno::INVAL);
    auto p = resolve(t, dirfd, addr, flags, !(flags & kAtSymlinkNofollow));
    if (p.is_error()) return error_result(p.error());
    if (mode == 0) return 0;
    Credentials creds = (flags & kAtEaccess) ? t.process->creds : real_ids(t.process->creds);
    if (!may_access(*p.value().inode(), creds, static_cast<uint32_t>(mode))) return error_result(Errno::ACCES);
    return 0;
}

}  // namespace

long faccessat(Thread& t, const SyscallArgs& a) { return access_check(t, static_cast<int64_t>(a.a[0]), a.a[1], a.a[2], 0); }
long faccessat2(Thread& t, const SyscallArgs& a) {
    return access_check(t, static_cast<int64_t>(a.a[0]), a.a[1], a.a[2], a.a[3]);
}

long newfstatat(Thread& t, const SyscallArgs& a) {
    uint64_t flags = a.a[3];
    if (flags & ~(kAtEmptyPath | kAtSymlinkNofollow | kAtNoAutomount)) return error_result(Errno::INVAL);
    UserPath path;
    if (auto r = copy_path(t, path, a.a[1], flags & kAtEmptyPath); r.is_error()) return error_result(r.error());
    Stat s;
    if (!path.length && static_cast<int32_t>(a.a[0]) != kAtFdcwd) {
        FileRef f = file_of(t, static_cast<uint32_t>(a.a[0]));
        if (!f) return error_result(Errno::BADF);
        s = f->stat();  // files without a path too (a pipe, the console)
    } else {
        auto p = resolve(t, static_cast<int64_t>(a.a[0]), a.a[1], flags, !(flags & kAtSymlinkNofollow));
        if (p.is_error()) return error_result(p.error());
        s = p.value().inode()->stat();
    }
    return to_result(UserPtr<Stat>(a.a[2]).write(*t.process->space, s));
}

long statx(Thread& t, const SyscallArgs& a) {
    struct Timestamp {
        int64_t sec;
        uint32_t nsec;
        int32_t reserved;
    };
    struct Statx {
        uint32_t mask, blksize;
        uint64_t attributes;
        uint32_t nlink, uid, gid;
        uint16_t mode, spare0;
        uint64_t ino, size, blocks, attributes_mask;
        Timestamp atime, btime, ctime, mtime;
        uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
        uint64_t mnt_id;
        uint32_t dio_mem_align, dio_offset_align;
        uint64_t spare3[12];
    };
    static_assert(sizeof(Statx) == 256);
    constexpr uint64_t kSyncTypes = 0x6000, kStatxReserved = 0x80000000u, kBasicStats = 0x7ff;
    uint64_t flags = a.a[2];
    if (flags & ~(kAtEmptyPath | kAtSymlinkNofollow | kAtNoAutomount | kSyncTypes)) return error_result(Errno::INVAL);
    if ((flags & kSyncTypes) == kSyncTypes || (a.a[3] & kStatxReserved)) return error_result(Errno::INVAL);
    UserPath path;
    if (auto r = copy_path(t, path, a.a[1], flags & kAtEmptyPath); r.is_error()) return error_result(r.error());
    Stat s;
    if (!path.length && static_cast<int32_t>(a.a[0]) != kAtFdcwd) {
        FileRef f = file_of(t, static_cast<uint32_t>(a.a[0]));
        if (!f) return error_result(Errno::BADF);
        s = f->stat();
    } else {
        auto p = resolve(t, static_cast<int64_t>(a.a[0]), a.a[1], flags, !(flags & kAtSymlinkNofollow));
        if (p.is_error()) return error_result(p.error());
        s = p.value().inode()->stat();
    }
    Statx x{};
    x.mask = kBasicStats;
    x.blksize = static_cast<uint32_t>(s.blksize);
    x.nlink = s.nlink;
    x.uid = s.uid;
    x.gid = s.gid;
    x.mode = static_cast<uint16_t>(s.mode);
    x.ino = s.ino;
    x.size = static_cast<uint64_t>(s.size);
    x.blocks = static_cast<uint64_t>(s.blocks);
    x.atime = {s.atime, static_cast<uint32_t>(s.atime_ns), 0};
    x.mtime = {s.mtime, static_cast<uint32_t>(s.mtime_ns), 0};
    x.ctime = {s.ctime, static_cast<uint32_t>(s.ctime_ns), 0};
    x.rdev_major = static_cast<uint32_t>(s.rdev >> 8), x.rdev_minor = static_cast<uint32_t>(s.rdev & 0xff);
    x.dev_major = static_cast<uint32_t>(s.dev >> 8), x.dev_minor = static_cast<uint32_t>(s.dev & 0xff);
    return to_result(UserPtr<Statx>(a.a[4]).write(*t.process->space, x));
}

namespace {

long change_mode(Thread& t, const PathRef& p, uint64_t mode) {
    Inode& inode = *p.inode();
    if (!owns(inode, t.process->creds)) return error_result(Errno::PERM);
    SpinLockGuard g(inode.lock);
    inode.mode = (inode.mode & kSIfmt) | (mode & 07777);
    inode.ctime = current_time();
    return 0;
}

long change_owner(Thread& t, const PathRef& p, uint64_t uid, uint64_t gid) {
    Inode& inode = *p.inode();
    const Credentials& c = t.process->creds;
    bool keep_uid = static_cast<uint32_t>(uid) == UINT32_MAX, keep_gid = static_cast<uint32_t>(gid) == UINT32_MAX;
    if (!c.privileged()) {
        // An owner may only give the file to a group of its own.
        if (!owns(inode, c)) return error_result(Errno::PERM);
        SpinLockGuard g(inode.lock);
        if (!keep_uid && static_cast<uint32_t>(uid) != inode.uid) return error_result(Errno::PERM);
        bool member = c.gid.fs == static_cast<uint32_t>(gid);
        for (unsigned i = 0; !member && i < c.group_count; ++i) member = c.groups[i] == static_cast<uint32_t>(gid);
        if (!keep_gid && !member && static_cast<uint32_t>(gid) != inode.gid) return error_result(Errno::PERM);
    }
    SpinLockGuard g(inode.lock);
    if (!keep_uid) inode.uid = static_cast<uint32_t>(uid);
    if (!keep_gid) inode.gid = static_cast<uint32_t>(gid);
    // A change of owner drops set-user-ID (and set-group-ID where it means that), as Linux.
    if ((inode.mode & kSIfmt) != kSIfdir && (!keep_uid || !keep_gid)) {
        inode.mode &= ~kSIsuid;
        if (inode.mode & 010) inode.mode &= ~kSIsgid;
    }
    inode.ctime = current_time();
    return 0;
}

}  // namespace

long fchmod(Thread& t, const SyscallArgs& a) {
    FileRef f = file_of(t, a.a[0]);
    if (!f) return error_result(Errno::BADF);
    if (!f->path()) return error_result(Errno::INVAL);
    return change_mode(t, *f->path(), a.a[1]);
}

long fchmodat(Thread& t, const SyscallArgs& a) {
    auto p = resolve(t, static_cast<int64_t>(a.a[0]), a.a[1], 0, true);
    if (p.is_error()) return error_result(p.error());
    return change_mode(t, p.value(), a.a[2]);
}

long fchown(Thread& t, const SyscallArgs& a) {
    FileRef f = file_of(t, a.a[0]);
    if (!f) return error_result(Errno::BADF);
    if (!f->path()) return error_result(Errno::INVAL);
    return change_owner(t, *f->path(), a.a[1], a.a[2]);
}

long fchownat(Thread& t, const SyscallArgs& a) {
    uint64_t flags = a.a[4];
    if (flags & ~(kAtSymlinkNofollow | kAtEmptyPath)) return error_result(Errno::INVAL);
    auto p = resolve(t, static_cast<int64_t>(a.a[0]), a.a[1], flags, !(flags & kAtSymlinkNofollow));
    if (p.is_error()) return error_result(p.error());
    return change_owner(t, p.value(), a.a[2], a.a[3]);
}

long utimensat(Thread& t, const SyscallArgs& a) {
    constexpr int64_t kUtimeNow = (1 << 30) - 1, kUtimeOmit = (1 << 30) - 2;
    struct Ts {
        int64_t sec, nsec;
    } times[2];
    uint64_t flags = a.a[3];
    if (flags & ~(kAtSymlinkNofollow | kAtEmptyPath)) return error_result(Errno::INVAL);
    bool explicit_times = false;
    if (a.a[2]) {
        if (auto r = copy_from_user(*t.process->space, times, a.a[2], sizeof times); r.is_error())
            return error_result(r.error());
        for (auto& ts : times) {
            if (ts.nsec != kUtimeNow && ts.nsec != kUtimeOmit && (ts.nsec < 0 || ts.nsec > 999999999))
                return error_result(Errno::INVAL);
            explicit_times |= ts.nsec != kUtimeNow && ts.nsec != kUtimeOmit;
        }
    } else {
        times[0].nsec = times[1].nsec = kUtimeNow;
    }
    PathRef p;
    if (!a.a[1]) {  // utimensat(fd, NULL, ...): the descriptor's file (futimens)
        FileRef f = file_of(t, static_cast<uint32_t>(a.a[0]));
        if (!f) return error_result(Errno::BADF);
        if (!f->path()) return error_result(Errno::INVAL);
        p = *f->path();
    } else {
        auto r = resolve(t, static_cast<int64_t>(a.a[0]), a.a[1], flags, !(flags & kAtSymlinkNofollow));
        if (r.is_error()) return error_result(r.error());
        p = r.release_value();
    }
    Inode& inode = *p.inode();
    if (times[0].nsec == kUtimeOmit && times[1].nsec == kUtimeOmit) return 0;
    if (!owns(inode, t.process->creds) && (explicit_times || !may_access(inode, t.process->creds, 2)))
        return error_result(explicit_times ? Errno::PERM : Errno::ACCES);
    Timespec now = current_time();
    SpinLockGuard g(inode.lock);
    if (times[0].nsec != kUtimeOmit) inode.atime = times[0].nsec == kUtimeNow ? now : Timespec{times[0].sec, times[0].nsec};
    if (times[1].nsec != kUtimeOmit) inode.mtime = times[1].nsec == kUtimeNow ? now : Timespec{times[1].sec, times[1].nsec};
    inode.ctime = now;
    return 0;
}

long truncate(Thread& t, const SyscallArgs& a) {
    if (static_cast<int64_t>(a.a[1]) < 0) return error_result(Errno::INVAL);
    auto p = resolve(t, kAtFdcwd, a.a[0], 0, true);
    if (p.is_error()) return error_result(p.error());
    Inode& inode = *p.value().inode();
    if (inode.is_dir()) return error_result(Errno::ISDIR);
    if (!inode.is_regular()) return error_result(Errno::INVAL);
    if (!may_access(inode, t.process->creds, 2)) return error_result(Errno::ACCES);
    if (!get_write_access(inode)) return error_result(Errno::TXTBSY);
    long result = to_result(inode.truncate(a.a[1]));
    put_write_access(inode);
    return result;
}

long ftruncate(Thread& t, const SyscallArgs& a) {
    if (static_cast<int64_t>(a.a[1]) < 0) return error_result(Errno::INVAL);
    FileRef f = file_of(t, a.a[0]);
    if (!f) return error_result(Errno::BADF);
    if (!f->path() || !f->writable() || !f->path()->inode()->is_regular()) return error_result(Errno::INVAL);
    return to_result(f->path()->inode()->truncate(a.a[1]));
}

long fallocate(Thread& t, const SyscallArgs& a) {
    constexpr uint64_t kKeepSize = 1;
    int64_t offset = static_cast<int64_t>(a.a[2]), len = static_cast<int64_t>(a.a[3]);
    FileRef f = file_of(t, a.a[0]);
    if (!f) return error_result(Errno::BADF);
    if (offset < 0 || len <= 0) return error_result(Errno::INVAL);
    if (!f->writable()) return error_result(Errno::BADF);
    if (a.a[1] & ~kKeepSize) return error_result(Errno::OPNOTSUPP);  // punching holes: not here
    if (!f->path()) return error_result(Errno::SPIPE);
    Inode& inode = *f->path()->inode();
    if (inode.is_dir()) return error_result(Errno::ISDIR);
    if (!inode.is_regular()) return error_result(Errno::NODEV);
    int64_t end;
    if (__builtin_add_overflow(offset, len, &end)) return error_result(Errno::FBIG);
    // Memory is allocated as it is written: only the size can change here.
    if (!(a.a[1] & kKeepSize) && static_cast<uint64_t>(end) > inode.size()) return to_result(inode.truncate(end));
    return 0;
}

long fsync(Thread& t, const SyscallArgs& a) {
    FileRef f = file_of(t, a.a[0]);
    if (!f) return error_result(Errno::BADF);
    return f->path() ? 0 : error_result(Errno::INVAL);  // every file system here is in memory
}

long sync(Thread&, const SyscallArgs&) { return 0; }

long getcwd(Thread& t, const SyscallArgs& a) {
    UserPath out;
    if (!out.text) return error_result(Errno::NOMEM);
    PathRef cwd = t.process->fs.cwd(), root = t.process->fs.root();
    auto n = path_name(cwd, root, out.text, UserPath::kMax);
    if (n.is_error()) return error_result(Errno::NAMETOOLONG);
    if (n.value() + 1 > a.a[1]) return error_result(Errno::RANGE);
    if (auto r = copy_to_user(*t.process->space, a.a[0], out.text, n.value() + 1); r.is_error()) return error_result(r.error());
    return static_cast<long>(n.value() + 1);
}

namespace {

long change_dir(Thread& t, PathRef p, bool root) {
    Inode& inode = *p.inode();
    if (!inode.is_dir()) return error_result(Errno::NOTDIR);
    if (!may_access(inode, t.process->creds, 1)) return error_result(Errno::ACCES);
    if (root) {
        if (!t.process->creds.privileged()) return error_result(Errno::PERM);
        t.process->fs.set_root(static_cast<PathRef&&>(p));
    } else {
        t.process->fs.set_cwd(static_cast<PathRef&&>(p));
    }
    return 0;
}

}  // namespace

long chdir(Thread& t, const SyscallArgs& a) {
    auto p = resolve(t, kAtFdcwd, a.a[0], 0, true);
    if (p.is_error()) return error_result(p.error());
    return change_dir(t, p.release_value(), false);
}

long fchdir(Thread& t, const SyscallArgs& a) {
    FileRef f = file_of(t, a.a[0]);
    if (!f) return error_result(Errno::BADF);
    if (!f->path()) return error_result(Errno::NOTDIR);
    return change_dir(t, *f->path(), false);
}

long chroot(Thread& t, const SyscallArgs& a) {
    auto p = resolve(t, kAtFdcwd, a.a[0], 0, true);
    if (p.is_error()) return error_result(p.error());
    return change_dir(t, p.release_value(), true);
}

// The extended-attribute calls (set/get/list/remove, by path, by path without following a
// final symlink, and by descriptor): the file is found as Linux finds it, and then, since no
// file system here keeps extended attributes, the answer is EOPNOTSUPP.
long xattr_by_path(Thread& t, const SyscallArgs& a) {
    auto p = resolve(t, kAtFdcwd, a.a[0], 0, true);
    return error_result(p.is_error() ? p.error() : Error(Errno::OPNOTSUPP));
}
long xattr_by_link(Thread& t, const SyscallArgs& a) {
    auto p = resolve(t, kAtFdcwd, a.a[0], 0, false);
    return error_result(p.is_error() ? p.error() : Error(Errno::OPNOTSUPP));
}
long xattr_by_fd(Thread& t, const SyscallArgs& a) {
    return error_result(file_of(t, a.a[0]) ? Errno::OPNOTSUPP : Errno::BADF);
}

long getdents64(Thread& t, const SyscallArgs& a) {
    FileRef f = file_of(t, a.a[0]);
    if (!f) return error_result(Errno::BADF);
    if (!user_range_ok(a.a[1], a.a[2])) return error_result(Errno::FAULT);
    if (a.a[2] > INT32_MAX) return error_result(Errno::INVAL);
    return to_result(f->read_dir(*t.process->space, a.a[1], a.a[2]));
}

long close_range(Thread& t, const SyscallArgs& a) {
    constexpr uint64_t kUnshare = 2, kCloexec = 4;
    if (a.a[2] & ~(kUnshare | kCloexec)) return error_result(Errno::INVAL);
    if (a.a[0] > a.a[1] || a.a[1] > UINT32_MAX) return error_result(Errno::INVAL);
    // CLOSE_RANGE_UNSHARE would copy a table shared by clone(CLONE_FILES) first: not supported.
    if (a.a[2] & kUnshare) return error_result(Errno::INVAL);
    t.process->files->close_range(static_cast<unsigned>(a.a[0]), static_cast<unsigned>(a.a[1]), a.a[2] & kCloexec);
    return 0;
}

}  // namespace rt::sys
