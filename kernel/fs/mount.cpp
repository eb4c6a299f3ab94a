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
    // The receivers are marked before any copy is made: a copy is never one, so it never
    // propagates again.
    for (Mount* m = g_mounts.front(); m; m = g_mounts.next_of(*m)) {
        if (m == at.mount || m == made || (m->group != from && m->master != from)) continue;
        m->receives = is_under(at.dentry, m->root);
    }
    for (Mount* m = g_mounts.front(); m; m = g_mounts.next_of(*m)) {
        if (!m->receives) continue;
        m->receives = false;
        // The mount itself stands; a copy short of memory is left out.
        if (Mount* copy = attach_locked(m, at.dentry, root, flags, m->group == from ? group : 0); copy && m->group != from)
            copy->master = group;  // a slave's copy is a slave
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
    Mount* last = g_mounts.back();  // mounts made from here on come after it: none is copied
    Mount* top = mount_locked(at, from.dentry, from.mount->flags, from.mount->group);
    if (!top) return Error(Errno::NOMEM);
    if (!recursive) return {};
    // The mounts below `from` in its subtree, each copied over the same place in its parent's
    // copy, until a pass finds no mount left whose parent is copied and it is not.
    from.mount->copied_to = top;
    ErrorOr<void> result{};
    for (bool copying = true; copying && !result.is_error();) {
        copying = false;
        for (Mount* m = g_mounts.front(); m; m = m == last ? nullptr : g_mounts.next_of(*m)) {
            if (m->copied_to || !m->parent || !m->parent->copied_to || m->unbindable) continue;
            if (m->parent == from.mount && !is_under(m->mountpoint, from.dentry)) continue;
            Mount* copy = mount_locked(path_of(m->parent->copied_to, m->mountpoint), m->root, m->flags, m->group);
            if (!copy) {
                result = Error(Errno::NOMEM);
                break;
            }
            m->copied_to = copy;
            copying = true;
        }
    }
    for (Mount* m = g_mounts.front(); m; m = m == last ? nullptr : g_mounts.next_of(*m)) m->copied_to = nullptr;
    return result;
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
