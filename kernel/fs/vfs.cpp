#include "vfs.hpp"

#include <cstring>

namespace rt {
namespace {

SpinLock g_rename_lock;  // one rename at a time: the subtree check must hold while it moves

bool is_dot_or_dotdot(const ParentWalk& p) {
    return (p.last_len == 1 && p.last[0] == '.') || (p.last_len == 2 && p.last[0] == '.' && p.last[1] == '.');
}

// Adding or removing an entry of `dir` needs write and search permission there, and a file
// system that can change.
ErrorOr<void> may_change(const Inode& dir, const Credentials& creds) {
    if (!may_access(dir, creds, 3)) return Error(Errno::ACCES);
    if (!dir.writable_dir()) return Error(Errno::ACCES);
    return {};
}

// The sticky bit: in such a directory only a file's owner, the directory's owner or root may
// remove or rename it.
bool sticky_blocks(const Inode& dir, const Inode& victim, const Credentials& creds) {
    if (creds.uid.fs == 0) return false;
    SpinLockGuard g(dir.lock);
    if (!(dir.mode & kSIsvtx)) return false;
    return creds.uid.fs != dir.uid && creds.uid.fs != victim.uid;
}

// The entry `name` of `dir` itself (no mount crossing): what unlink, rename and link act on.
Dentry* entry_of(const ParentWalk& p) { return p.dir.dentry->find_child(p.last, p.last_len); }

void touch_dir(Inode& dir) {
    Timespec now = current_time();
    SpinLockGuard g(dir.lock);
    dir.mtime = dir.ctime = now;
}

// Links a new inode as `p`'s last component. EEXIST if the name was taken meanwhile.
ErrorOr<Dentry*> link_new(const ParentWalk& p, Inode* inode) {
    Inode& dir = *p.dir.inode();
    bool is_dir = inode->is_dir();
    Dentry* d = TRY(p.dir.dentry->add_child(p.last, p.last_len, inode));
    if (is_dir) {
        SpinLockGuard g(dir.lock);
        ++dir.nlink;
    }
    touch_dir(dir);
    return d;
}

}  // namespace

bool owns(const Inode& inode, const Credentials& creds) {
    if (creds.uid.fs == 0) return true;
    SpinLockGuard g(inode.lock);
    return inode.uid == creds.uid.fs;
}

ErrorOr<FileRef> vfs_open(const WalkContext& ctx, const char* path, uint32_t flags, uint32_t mode, Thread& opener) {
    PathRef target;
    bool created = false;
    if (flags & kOCreat) {
        ParentWalk p = TRY(walk_parent(ctx, path));
        if (p.last_len == 0 || is_dot_or_dotdot(p)) return Error(Errno::ISDIR);
        if (Dentry* d = entry_of(p)) {
            PathRef found(p.dir.mount, d);
            cross_mounts(found);
            if (flags & kOExcl) return Error(Errno::EXIST);
            if (found.inode()->is_symlink()) {
                if (flags & kONofollow) return Error(Errno::LOOP);
                target = TRY(walk(ctx, path, kWalkFollow));
            } else {
                target = static_cast<PathRef&&>(found);
            }
        } else {
            if (p.trailing_slash) return Error(Errno::ISDIR);
            Inode& dir = *p.dir.inode();
            TRY(may_change(dir, ctx.creds));
            Inode* inode = TRY(dir.make(kSIfreg | (mode & 07777), 0, ctx.creds));
            auto made = link_new(p, inode);
            if (made.is_error()) {
                if (made.error().code != Errno::EXIST || (flags & kOExcl)) return made.error();
                target = TRY(walk(ctx, path, kWalkFollow));  // made by someone else meanwhile
            } else {
                target = PathRef(p.dir.mount, made.value());
                created = true;
            }
        }
        if (target.inode()->is_dir()) return Error(Errno::ISDIR);
    } else {
        unsigned walk_flags = (flags & kONofollow) ? 0u : unsigned{kWalkFollow};
        if (flags & kODirectory) walk_flags |= kWalkDirectory;
        target = TRY(walk(ctx, path, walk_flags));
    }
    Inode& inode = *target.inode();
    if ((flags & kODirectory) && !inode.is_dir()) return Error(Errno::NOTDIR);
    if (flags & kOPath) return inode.open(target, flags & (kOPath | kOCloexec | kODirectory | kONofollow), opener);
    if (inode.is_symlink()) return Error(Errno::LOOP);  // O_NOFOLLOW on a symlink
    uint32_t acc = flags & kOAccMode;
    if (acc == 3) return Error(Errno::INVAL);
    if (inode.is_dir() && (acc != kORdonly || (flags & kOTrunc))) return Error(Errno::ISDIR);
    if (!created) {
        uint32_t want = (acc == kORdonly ? 4 : acc == kOWronly ? 2 : 6) | ((flags & kOTrunc) ? 2 : 0);
        if (!may_access(inode, ctx.creds, want)) return Error(Errno::ACCES);
    }
    // O_NOCTTY goes on: a terminal's open reads it (and File keeps it from the file's flags).
    FileRef file = TRY(inode.open(target, flags & ~(kOCreat | kOExcl | kOTrunc), opener));
    if ((flags & kOTrunc) && !created && inode.is_regular()) {
        // An open for writing holds write access already; O_RDONLY|O_TRUNC takes it to truncate.
        if (acc == kORdonly && !get_write_access(inode)) return Error(Errno::TXTBSY);
        auto r = inode.truncate(0);
        if (acc == kORdonly) put_write_access(inode);
        if (r.is_error()) return r.error();
    }
    return file;
}

ErrorOr<void> vfs_make_node(const WalkContext& ctx, const char* path, uint32_t mode, uint64_t rdev) {
    ParentWalk p = TRY(walk_parent(ctx, path));
    if (p.last_len == 0 || is_dot_or_dotdot(p)) return Error(Errno::EXIST);
    if (Dentry* d = entry_of(p)) {
        d->unref();
        return Error(Errno::EXIST);
    }
    if (p.trailing_slash && (mode & kSIfmt) != kSIfdir) return Error(Errno::NOENT);
    Inode& dir = *p.dir.inode();
    TRY(may_change(dir, ctx.creds));
    Inode* inode = TRY(dir.make(mode, rdev, ctx.creds));
    Dentry* d = TRY(link_new(p, inode));
    d->unref();
    return {};
}

ErrorOr<void> vfs_remove(const WalkContext& ctx, const char* path, bool directory) {
    ParentWalk p = TRY(walk_parent(ctx, path));
    if (p.last_len == 0) return Error(Errno::BUSY);
    if (is_dot_or_dotdot(p)) {
        if (!directory) return Error(Errno::ISDIR);
        return Error(p.last_len == 1 ? Errno::INVAL : Errno::NOTEMPTY);
    }
    Dentry* d = entry_of(p);
    if (!d) return Error(Errno::NOENT);
    PathRef victim(p.dir.mount, d);
    Inode& inode = *d->inode();
    Inode& dir = *p.dir.inode();
    if (directory && !inode.is_dir()) return Error(Errno::NOTDIR);
    if (!directory && inode.is_dir()) return Error(Errno::ISDIR);
    if (!directory && p.trailing_slash) return Error(Errno::NOTDIR);
    TRY(may_change(dir, ctx.creds));
    if (sticky_blocks(dir, inode, ctx.creds)) return Error(Errno::PERM);
    if (d->mounts.load()) return Error(Errno::BUSY);
    if (directory && d->has_children()) return Error(Errno::NOTEMPTY);
    d->unlink();
    {
        SpinLockGuard g(inode.lock);
        inode.nlink = directory ? 0 : inode.nlink - 1;
        inode.ctime = current_time();
    }
    if (directory) {
        SpinLockGuard g(dir.lock);
        --dir.nlink;
    }
    touch_dir(dir);
    return {};
}

ErrorOr<void> vfs_symlink(const WalkContext& ctx, const char* target, const char* path) {
    size_t len = strlen(target);
    if (len == 0) return Error(Errno::NOENT);
    ParentWalk p = TRY(walk_parent(ctx, path));
    if (p.last_len == 0 || is_dot_or_dotdot(p)) return Error(Errno::EXIST);
    if (Dentry* d = entry_of(p)) {
        d->unref();
        return Error(Errno::EXIST);
    }
    Inode& dir = *p.dir.inode();
    TRY(may_change(dir, ctx.creds));
    Inode* inode = TRY(dir.make(kSIflnk | 0777, 0, ctx.creds));
    if (auto r = inode->set_link(target, len); r.is_error()) {
        inode->unref();
        return r.error();
    }
    Dentry* d = TRY(link_new(p, inode));
    d->unref();
    return {};
}

ErrorOr<void> vfs_link(const WalkContext& from_ctx, const char* from, const WalkContext& to_ctx, const char* to,
                       bool follow) {
    PathRef old = TRY(walk(from_ctx, from, follow ? unsigned{kWalkFollow} : 0u));
    Inode& inode = *old.inode();
    if (inode.is_dir()) return Error(Errno::PERM);
    ParentWalk p = TRY(walk_parent(to_ctx, to));
    if (p.last_len == 0 || is_dot_or_dotdot(p)) return Error(Errno::EXIST);
    if (Dentry* d = entry_of(p)) {
        d->unref();
        return Error(Errno::EXIST);
    }
    if (p.dir.mount != old.mount) return Error(Errno::XDEV);
    TRY(may_change(*p.dir.inode(), to_ctx.creds));
    {
        SpinLockGuard g(inode.lock);
        if (inode.nlink == 0) return Error(Errno::NOENT);  // unlinked meanwhile (Linux's rule)
        ++inode.nlink;
        inode.ctime = current_time();
    }
    inode.ref();
    auto d = link_new(p, &inode);
    if (d.is_error()) {
        SpinLockGuard g(inode.lock);
        --inode.nlink;
        return d.error();
    }
    d.value()->unref();
    return {};
}

ErrorOr<void> vfs_rename(const WalkContext& from_ctx, const char* from, const WalkContext& to_ctx, const char* to,
                         uint32_t flags) {
    if (flags & ~(kRenameNoreplace | kRenameExchange | kRenameWhiteout)) return Error(Errno::INVAL);
    if ((flags & kRenameNoreplace) && (flags & kRenameExchange)) return Error(Errno::INVAL);
    if (flags & (kRenameExchange | kRenameWhiteout)) return Error(Errno::INVAL);  // not supported by tmpfs here
    ParentWalk a = TRY(walk_parent(from_ctx, from));
    ParentWalk b = TRY(walk_parent(to_ctx, to));
    if (a.last_len == 0 || b.last_len == 0 || is_dot_or_dotdot(a) || is_dot_or_dotdot(b)) return Error(Errno::BUSY);
    Dentry* src = entry_of(a);
    if (!src) return Error(Errno::NOENT);
    PathRef src_ref(a.dir.mount, src);
    Inode& moving = *src->inode();
    if (a.dir.mount != b.dir.mount) return Error(Errno::XDEV);
    if (!moving.is_dir() && (a.trailing_slash || b.trailing_slash)) return Error(Errno::NOTDIR);
    Dentry* dst = entry_of(b);
    PathRef dst_ref(b.dir.mount, dst);  // may be empty
    if (dst && dst->inode() == &moving) return {};  // the same file: nothing to do
    if (dst && (flags & kRenameNoreplace)) return Error(Errno::EXIST);
    if (dst) {
        Inode& over = *dst->inode();
        if (moving.is_dir() && !over.is_dir()) return Error(Errno::NOTDIR);
        if (!moving.is_dir() && over.is_dir()) return Error(Errno::ISDIR);
        if (over.is_dir() && dst->has_children()) return Error(Errno::NOTEMPTY);
        if (dst->mounts.load()) return Error(Errno::BUSY);
        if (sticky_blocks(*b.dir.inode(), over, to_ctx.creds)) return Error(Errno::PERM);
    }
    if (src->mounts.load()) return Error(Errno::BUSY);
    TRY(may_change(*a.dir.inode(), from_ctx.creds));
    TRY(may_change(*b.dir.inode(), to_ctx.creds));
    if (sticky_blocks(*a.dir.inode(), moving, from_ctx.creds)) return Error(Errno::PERM);
    // A directory moving to another parent needs write permission on itself ("..").
    if (moving.is_dir() && a.dir.dentry != b.dir.dentry && !may_access(moving, from_ctx.creds, 2))
        return Error(Errno::ACCES);
    SpinLockGuard g(g_rename_lock);
    if (moving.is_dir()) {
        // Not into itself or its own subtree.
        SpinLockGuard d(g_dcache_lock);
        for (Dentry* up = b.dir.dentry; up; up = up->parent())
            if (up == src) return Error(Errno::INVAL);
    }
    TRY(Dentry::rename(*src, *b.dir.dentry, b.last, b.last_len, dst));
    if (dst) {
        Inode& over = *dst->inode();
        SpinLockGuard l(over.lock);
        over.nlink = over.is_dir() ? 0 : over.nlink - 1;
        over.ctime = current_time();
    }
    if (moving.is_dir() && a.dir.dentry != b.dir.dentry) {
        {
            SpinLockGuard l(a.dir.inode()->lock);
            --a.dir.inode()->nlink;
        }
        if (!dst) {
            SpinLockGuard l(b.dir.inode()->lock);
            ++b.dir.inode()->nlink;
        }
    } else if (moving.is_dir() && dst) {
        SpinLockGuard l(b.dir.inode()->lock);
        --b.dir.inode()->nlink;  // the replaced directory's ".." is gone
    }
    touch_dir(*a.dir.inode());
    touch_dir(*b.dir.inode());
    {
        SpinLockGuard l(moving.lock);
        moving.ctime = current_time();
    }
    return {};
}

}  // namespace rt
