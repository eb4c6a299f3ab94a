// Mounting (tmpfs, proc, devtmpfs), file-system statistics, and memfd_create (a tmpfs file
// with no name).
#include <cstring>

#include "handlers.hpp"
#include "kernel/fs/fd_table.hpp"
#include "kernel/fs/procfs.hpp"
#include "kernel/fs/tmpfs.hpp"
#include "kernel/fs/vfs_file.hpp"
#include "kernel/mm/frames.hpp"
#include "kernel/mm/user_access.hpp"
#include "path_args.hpp"

namespace rt::sys {
namespace {

constexpr uint64_t kMsRemount = 32, kMsBind = 4096, kMsMove = 8192, kMsRec = 16384, kMsSilent = 32768,
                   kMsUnbindable = 1 << 17, kMsPrivate = 1 << 18, kMsSlave = 1 << 19, kMsShared = 1 << 20,
                   kMsPropagation = kMsUnbindable | kMsPrivate | kMsSlave | kMsShared;
constexpr uint64_t kMntForce = 1, kMntDetach = 2, kMntExpire = 4, kUmountNofollow = 8;

// The named directory, for the calls that act on a mountpoint.
ErrorOr<PathRef> directory_at(Thread& t, uint64_t addr, bool follow) {
    UserPath path;
    TRY(copy_path(t, path, addr));
    At at;
    TRY(start_at(t, kAtFdcwd, path.text, at));
    return walk(at.context(t), path.text, follow ? unsigned{kWalkFollow} : 0u);
}

}  // namespace

// mount(source, target, type, flags, data): a new tmpfs, proc or devtmpfs; a bind mount
// (MS_BIND, with MS_REC the mounts below the source too); or a change of propagation type
// (MS_SHARED, MS_PRIVATE, MS_SLAVE or MS_UNBINDABLE, one at a time, with MS_REC for the whole
// subtree). Remounts and moves are not supported (EINVAL).
long mount(Thread& t, const SyscallArgs& a) {
    if (!t.process->creds.privileged()) return error_result(Errno::PERM);
    uint64_t flags = a.a[3];
    if (flags & (kMsRemount | kMsMove)) return error_result(Errno::INVAL);
    bool recursive = flags & kMsRec;
    if (uint64_t type = flags & kMsPropagation) {
        if (type & (type - 1)) return error_result(Errno::INVAL);  // one type at a time
        auto at = directory_at(t, a.a[1], true);
        if (at.is_error()) return error_result(at.error());
        Propagation p = type == kMsShared    ? Propagation::Shared
                        : type == kMsPrivate ? Propagation::Private
                        : type == kMsSlave   ? Propagation::Slave
                                             : Propagation::Unbindable;
        return to_result(set_propagation(at.value(), p, recursive));
    }
    if (flags & kMsBind) {
        auto from = directory_at(t, a.a[0], true);
        if (from.is_error()) return error_result(from.error());
        auto at = directory_at(t, a.a[1], true);
        if (at.is_error()) return error_result(at.error());
        // A file may be bound only over a file, a directory only over a directory.
        if (from.value().inode()->is_dir() != at.value().inode()->is_dir())
            return error_result(from.value().inode()->is_dir() ? Errno::NOTDIR : Errno::ISDIR);
        return to_result(bind_mount(from.value(), at.value(), recursive));
    }
    if (recursive) return error_result(Errno::INVAL);
    char type[32];
    auto n = copy_string_from_user(*t.process->space, type, a.a[2], sizeof type);
    if (n.is_error()) return error_result(n.error().code == Errno::NAMETOOLONG ? Errno::NODEV : n.error().code);
    auto at = directory_at(t, a.a[1], true);
    if (at.is_error()) return error_result(at.error());
    if (!at.value().inode()->is_dir()) return error_result(Errno::NOTDIR);
    ErrorOr<Dentry*> root = Error(Errno::NODEV);
    if (strcmp(type, "tmpfs") == 0) root = tmpfs_create("tmpfs", 01777);
    else if (strcmp(type, "proc") == 0) root = procfs_create();
    else if (strcmp(type, "devtmpfs") == 0) root = tmpfs_create("devtmpfs", 0755);
    if (root.is_error()) return error_result(root.error());
    uint32_t kept = static_cast<uint32_t>(flags & (kMsRdonly | kMsNosuid | kMsNodev | kMsNoexec));
    (void)kMsSilent;
    return to_result(mount_at(at.value(), root.value(), kept));
}

long umount2(Thread& t, const SyscallArgs& a) {
    if (!t.process->creds.privileged()) return error_result(Errno::PERM);
    if (a.a[1] & ~(kMntForce | kMntDetach | kMntExpire | kUmountNofollow)) return error_result(Errno::INVAL);
    if (a.a[1] & (kMntDetach | kMntExpire)) return error_result(Errno::INVAL);  // lazy unmounts: not here
    auto at = directory_at(t, a.a[0], !(a.a[1] & kUmountNofollow));
    if (at.is_error()) return error_result(at.error());
    return to_result(unmount(at.value()));
}

namespace {

struct Statfs {
    int64_t type, bsize;
    uint64_t blocks, bfree, bavail, files, ffree;
    int32_t fsid[2];
    int64_t namelen, frsize, flags, spare[4];
};
static_assert(sizeof(Statfs) == 120);

long fill_statfs(Thread& t, const PathRef& p, uint64_t out) {
    SuperBlock& sb = p.inode()->sb;
    Statfs s{};
    s.type = static_cast<int64_t>(sb.magic);
    s.bsize = s.frsize = 4096;
    // Memory file systems report the machine's memory, as tmpfs does without a size limit.
    s.blocks = g_frames.total_frames();
    s.bfree = s.bavail = g_frames.free_frames();
    s.files = s.blocks;
    s.ffree = s.files - sb.active_inodes.load();
    s.fsid[0] = static_cast<int32_t>(sb.dev);
    s.namelen = kNameMax;
    s.flags = p.mount ? p.mount->flags : 0;
    return to_result(UserPtr<Statfs>(out).write(*t.process->space, s));
}

}  // namespace

long statfs(Thread& t, const SyscallArgs& a) {
    auto p = directory_at(t, a.a[0], true);
    if (p.is_error()) return error_result(p.error());
    return fill_statfs(t, p.value(), a.a[1]);
}

long fstatfs(Thread& t, const SyscallArgs& a) {
    FileRef f = file_of(t, a.a[0]);
    if (!f) return error_result(Errno::BADF);
    if (!f->path()) return error_result(Errno::INVAL);
    return fill_statfs(t, *f->path(), a.a[1]);
}

long memfd_create(Thread& t, const SyscallArgs& a) {
    constexpr uint64_t kCloexec = 1, kAllowSealing = 2, kHugetlb = 4, kNoexecSeal = 8, kExec = 0x10;
    if (a.a[1] & ~(kCloexec | kAllowSealing | kHugetlb | kNoexecSeal | kExec)) return error_result(Errno::INVAL);
    if (a.a[1] & kHugetlb) return error_result(Errno::INVAL);  // no huge pages
    char name[256] = "memfd:";
    auto n = copy_string_from_user(*t.process->space, name + 6, a.a[0], sizeof name - 6 - 1);
    if (n.is_error()) return error_result(n.error().code == Errno::NAMETOOLONG ? Errno::INVAL : n.error().code);
    // One hidden tmpfs holds every memfd's inode; the dentry is private, so no path reaches it.
    static Dentry* s_memfd_root = nullptr;
    static SpinLock s_lock;
    {
        SpinLockGuard g(s_lock);
        if (!s_memfd_root) {
            auto root = tmpfs_create("tmpfs", 01777);
            if (root.is_error()) return error_result(root.error());
            s_memfd_root = root.value();
        }
    }
    auto inode = s_memfd_root->inode()->make(kSIfreg | 0777, 0, t.process->creds);
    if (inode.is_error()) return error_result(inode.error());
    auto d = s_memfd_root->make_private_child(name, strlen(name), inode.value());
    if (d.is_error()) return error_result(d.error());
    PathRef p(nullptr, d.value());
    auto file = open_inode_file(p, kORdwr);
    if (file.is_error()) return error_result(file.error());
    return to_result(t.process->files->install(file.release_value(), a.a[1] & kCloexec, 0, t.process->limits[7].cur));
}

}  // namespace rt::sys
