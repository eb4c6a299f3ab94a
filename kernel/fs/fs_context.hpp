#pragma once
// Where a process's paths start: its root (chroot) and its working directory. Threads share
// their process's; fork copies it (CLONE_FS without a thread copies it too: documented).
#include "mount.hpp"

namespace rt {

class FsContext {
public:
    PathRef root() const {
        SpinLockGuard g(m_lock);
        return m_root;
    }
    PathRef cwd() const {
        SpinLockGuard g(m_lock);
        return m_cwd;
    }
    void set_root(PathRef p) { swap_in(m_root, static_cast<PathRef&&>(p)); }
    void set_cwd(PathRef p) { swap_in(m_cwd, static_cast<PathRef&&>(p)); }
    // Both from `other` (fork), or from the tree's root when `other` is null (a process the
    // kernel starts).
    void copy_from(const FsContext* other) {
        set_root(other ? other->root() : root_path());
        set_cwd(other ? other->cwd() : root_path());
    }
    // A process that ends lets go of both (its mounts stop being busy).
    void clear() {
        set_root({});
        set_cwd({});
    }

private:
    // The old value is dropped outside the lock: dropping may free a dentry.
    void swap_in(PathRef& slot, PathRef&& p) {
        PathRef old;
        {
            SpinLockGuard g(m_lock);
            old = static_cast<PathRef&&>(slot);
            slot = static_cast<PathRef&&>(p);
        }
    }
    mutable SpinLock m_lock;
    PathRef m_root, m_cwd;
};

}  // namespace rt
