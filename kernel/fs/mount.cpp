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

namespace {

uint32_t g_next_group = 1;  // g_mount_lock

// Whether `d` is `top` or below it (within one file system).
bool is_under(const Dentry* d, const Dentry* top) {
    SpinLockGuard g(g_dcache_lock);
    for (; d; d = d->parent())
        if (d == top) return true;
    return false;
}

// A new mount of `root` (a reference is taken) over `mountpoint` in `parent`, in peer group
// `group`; g_mount_lock held. nullptr if no memory.
Mount* attach_locked(Mount* parent, Dentry* mountpoint, Dentry* root, uint32_t flags, uint32_t group) {
    auto* m = new (std::nothrow) Mount;
    if (!m) return nullptr;
    mountpoint->ref();
    root->ref();
    m->parent = parent;
    m->mountpoint = mountpoint;
    m->root = root;
    m->flags = flags;
    m->group = group;
    m->users = 1;
    parent->users.fetch_add(1, std::memory_order_relaxed);  // a child mount keeps its parent busy
    g_mounts.push_back(*m);
    mountpoint->mounts.fetch_add(1, std::memory_order_relaxed);
    return m;
}

// Mounts `root` over `at`, and copies of it over the same place in every mount that receives
// what at.mount receives: its peers and their slaves, where that place is visible (under their
// root). The new mount joins `group` (a bind of a shared mount is its peer); under a shared
// parent it is shared with its copies. g_mount_lock held. The new mount, or nullptr (ENOMEM).
Mount* mount_locked(const PathRef& at, Dentry* root, uint32_t flags, uint32_t group) {
    uint32_t from = at.mount->group;
    if (from && !group) group = g_next_group++;
    Mount* made = attach_locked(at.mount, at.dentry, root, flags, group);
    if (!made || !from) return made;
    // The receivers, before any copy is made: a copy never propagates again.
    Mount* receivers[64];
    size_t n = 0;
    for (Mount* m = g_mounts.front(); m && n < 64; m = g_mounts.next_of(*m)) {
        if (m == at.mount || m == made || (m->group != from && m->master != from)) continue;
        if (is_under(at.dentry, m->root)) receivers[n++] = m;
    }
    for (size_t i = 0; i < n; ++i) {
        Mount* copy = attach_locked(receivers[i], at.dentry, root, flags, receivers[i]->group == from ? group : 0);
        if (!copy) break;  // the mount itself stands; a copy short of memory is left out
        if (receivers[i]->group != from) copy->master = group;  // a slave's copy is a slave
    }
    return made;
}

}  // namespace

ErrorOr<void> mount_at(const PathRef& at, Dentry* root, uint32_t flags) {
    SpinLockGuard g(g_mount_lock);
    Mount* m = mount_locked(at, root, flags, 0);
    root->unref();  // the mounts took references of their own
    if (!m) return Error(Errno::NOMEM);
    return {};
}

ErrorOr<void> bind_mount(const PathRef& from, const PathRef& at, bool recursive) {
    SpinLockGuard g(g_mount_lock);
    if (from.mount->unbindable) return Error(Errno::INVAL);
    Mount* top = mount_locked(at, from.dentry, from.mount->flags, from.mount->group);
    if (!top) return Error(Errno::NOMEM);
    if (!recursive) return {};
    // The mounts below `from` in its subtree, each copied over the same place in its copied
    // parent. One pass per level: a level's copies are found through the previous level's.
    struct Copied {
        Mount* original;
        Mount* copy;
    } level[64], next[64];
    size_t count = 1, next_count = 0;
    level[0] = {from.mount, top};
    while (count) {
        next_count = 0;
        for (Mount* m = g_mounts.front(); m; m = g_mounts.next_of(*m)) {
            for (size_t i = 0; i < count && next_count < 64; ++i) {
                if (m->parent != level[i].original || m == level[i].copy || m->unbindable) continue;
                if (level[i].original == from.mount && !is_under(m->mountpoint, from.dentry)) continue;
                PathRef place = path_of(level[i].copy, m->mountpoint);
                Mount* copy = mount_locked(place, m->root, m->flags, m->group);
                if (!copy) return Error(Errno::NOMEM);
                next[next_count++] = {m, copy};
            }
        }
        for (size_t i = 0; i < next_count; ++i) level[i] = next[i];
        count = next_count;
    }
    return {};
}

ErrorOr<void> set_propagation(const PathRef& at, Propagation type, bool recursive) {
    if (at.dentry != at.mount->root) return Error(Errno::INVAL);
    SpinLockGuard g(g_mount_lock);
    auto change = [type](Mount& m) {
        switch (type) {
        case Propagation::Shared:
            if (!m.group) m.group = g_next_group++;
            m.unbindable = false;
            break;
        case Propagation::Private: m.group = m.master = 0, m.unbindable = false; break;
        case Propagation::Slave:
            if (m.group) m.master = m.group;  // a private mount stays private
            m.group = 0;
            break;
        case Propagation::Unbindable: m.group = m.master = 0, m.unbindable = true; break;
        }
    };
    change(*at.mount);
    if (!recursive) return {};
    for (Mount* m = g_mounts.front(); m; m = g_mounts.next_of(*m)) {
        for (Mount* up = m->parent; up; up = up->parent) {
            if (up == at.mount) {
                change(*m);
                break;
            }
        }
    }
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
    // `at` still counts a use of the mount it names: the last PathRef to let go frees it.
    m->detached.store(true, std::memory_order_release);
    m->users.fetch_sub(1, std::memory_order_acq_rel);
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
