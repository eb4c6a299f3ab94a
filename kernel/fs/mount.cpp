#include "mount.hpp"

#include <new>

namespace rt {
namespace {

SpinLock g_mount_lock;  // guards the list and each mount's links
IntrusiveList<Mount, &Mount::node> g_mounts;
Mount* g_root_mount;

}  // namespace

PathRef root_path() {
    SpinLockGuard g(g_mount_lock);
    return path_of(g_root_mount, g_root_mount->root);
}

ErrorOr<void> mount_root(Dentry* root) {
    auto* m = new (std::nothrow) Mount;
    if (!m) return Error(Errno::NOMEM);
    m->root = root;
    m->users = 1;  // the tree's own use: a mount never counts as idle for umount
    SpinLockGuard g(g_mount_lock);
    g_mounts.push_back(*m);
    g_root_mount = m;
    return {};
}

ErrorOr<void> mount_at(const PathRef& at, Dentry* root, uint32_t flags) {
    auto* m = new (std::nothrow) Mount;
    if (!m) {
        root->unref();
        return Error(Errno::NOMEM);
    }
    at.dentry->ref();
    m->parent = at.mount;
    m->mountpoint = at.dentry;
    m->root = root;
    m->flags = flags;
    m->users = 1;
    at.mount->users.fetch_add(1, std::memory_order_relaxed);  // a child mount keeps its parent busy
    SpinLockGuard g(g_mount_lock);
    g_mounts.push_back(*m);
    at.dentry->mounts.fetch_add(1, std::memory_order_relaxed);
    return {};
}

ErrorOr<void> unmount(const PathRef& at) {
    Mount* m = at.mount;
    if (at.dentry != m->root || !m->parent) return Error(Errno::INVAL);
    {
        SpinLockGuard g(g_mount_lock);
        // The tree's use and the caller's `at`: anything more is a user.
        if (m->users.load() > 2) return Error(Errno::BUSY);
        g_mounts.remove(*m);
        m->mountpoint->mounts.fetch_sub(1, std::memory_order_relaxed);
    }
    m->parent->users.fetch_sub(1, std::memory_order_relaxed);
    m->mountpoint->unref();
    m->root->unref();
    // `at` still counts a use of the mount it names: the caller's PathRef lets go of it last.
    m->users.fetch_sub(1, std::memory_order_relaxed);
    return {};
}

void cross_mounts(PathRef& p) {
    while (p.dentry->mounts.load(std::memory_order_relaxed)) {
        Mount* found = nullptr;
        {
            SpinLockGuard g(g_mount_lock);
            // The latest mount over this place wins (mounts stack).
            for (Mount* m = g_mounts.back(); m; m = g_mounts.prev_of(*m)) {
                if (m->parent == p.mount && m->mountpoint == p.dentry) {
                    found = m;
                    break;
                }
            }
            if (found) p = path_of(found, found->root);
        }
        if (!found) return;
    }
}

bool climb_out(PathRef& p) {
    SpinLockGuard g(g_mount_lock);
    while (p.dentry == p.mount->root) {
        if (!p.mount->parent) return false;
        p = path_of(p.mount->parent, p.mount->mountpoint);
    }
    return true;
}

void for_each_mount(void (*f)(void*, const Mount&), void* ctx) {
    SpinLockGuard g(g_mount_lock);
    for (Mount* m = g_mounts.front(); m; m = g_mounts.next_of(*m)) f(ctx, *m);
}

}  // namespace rt
