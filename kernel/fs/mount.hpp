#pragma once
// Mounts and paths. A mount puts a dentry (a file system's root, or any directory for a bind
// mount) over a dentry of another mount (its mountpoint); a path is a (mount, dentry) pair, which
// is what ".." needs to climb out of a mounted file system. The mounts form a tree under the root
// mount. Shared mounts (mount(2)'s propagation types) form peer groups: a mount made under one
// is copied under each of its peers, and under their slaves, where the same place is visible.
#include <atomic>

#include "dentry.hpp"

namespace rt {

struct Mount {
    Mount* parent = nullptr;       // nullptr for the root mount
    Dentry* mountpoint = nullptr;  // in parent (a reference)
    Dentry* root = nullptr;        // the mounted file system's root (a reference)
    uint32_t flags = 0;            // MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC...
    uint32_t group = 0;            // its peer group (MS_SHARED); 0: private
    uint32_t master = 0;           // MS_SLAVE: receives what this group's mounts receive
    bool unbindable = false;       // MS_UNBINDABLE: no bind mount may copy it
    std::atomic<bool> detached{false};  // unmounted: freed as its last user lets go
    // Marks for the one mount operation running (under the mount lock): a receiver of the
    // mount being propagated, and the copy a recursive bind made of this mount.
    bool receives = false;
    Mount* copied_to = nullptr;
    std::atomic<int> users{0};     // paths holding it (umount says EBUSY while any do)
    ListNode node;                 // in the mount list
};

inline constexpr uint32_t kMsRdonly = 1, kMsNosuid = 2, kMsNodev = 4, kMsNoexec = 8;

// A reference to a place in the tree: both parts are held.
struct PathRef {
    Mount* mount = nullptr;
    Dentry* dentry = nullptr;

    PathRef() = default;
    // Adopts a reference to `d`, takes a use of `m`.
    PathRef(Mount* m, Dentry* d) : mount(m), dentry(d) {
        if (mount) mount->users.fetch_add(1, std::memory_order_relaxed);
    }
    PathRef(const PathRef& o) : mount(o.mount), dentry(o.dentry) { hold(); }
    PathRef(PathRef&& o) noexcept : mount(o.mount), dentry(o.dentry) { o.mount = nullptr, o.dentry = nullptr; }
    PathRef& operator=(const PathRef& o) {
        if (this != &o) {
            PathRef copy(o);
            *this = static_cast<PathRef&&>(copy);
        }
        return *this;
    }
    PathRef& operator=(PathRef&& o) noexcept {
        if (this != &o) {
            drop();
            mount = o.mount, dentry = o.dentry;
            o.mount = nullptr, o.dentry = nullptr;
        }
        return *this;
    }
    ~PathRef() { drop(); }
    explicit operator bool() const { return dentry != nullptr; }
    Inode* inode() const { return dentry->inode(); }
    bool operator==(const PathRef& o) const { return mount == o.mount && dentry == o.dentry; }

private:
    void hold() {
        if (dentry) dentry->ref();
        if (mount) mount->users.fetch_add(1, std::memory_order_relaxed);
    }
    void drop() {
        if (dentry) dentry->unref();
        if (mount && mount->users.fetch_sub(1, std::memory_order_acq_rel) == 1 &&
            mount->detached.load(std::memory_order_acquire))
            delete mount;
        mount = nullptr, dentry = nullptr;
    }
};

// Makes a PathRef from borrowed parts (taking references to both).
inline PathRef path_of(Mount* m, Dentry* d) {
    d->ref();
    return PathRef(m, d);
}

// The root mount and its root; set once at boot by vfs_init.
PathRef root_path();
// Makes `root` the root mount's file system (boot).
ErrorOr<void> mount_root(Dentry* root);
// Mounts the file system whose root is `root` (adopting the reference) over `at`. EBUSY if the
// same file system is already mounted there, ENOMEM.
ErrorOr<void> mount_at(const PathRef& at, Dentry* root, uint32_t flags);
// Mounts the directory `from` over `at` (a bind mount), with the mounts under it in `from`'s
// subtree too if `recursive`. EINVAL if `from`'s mount is unbindable, ENOMEM.
ErrorOr<void> bind_mount(const PathRef& from, const PathRef& at, bool recursive);
enum class Propagation { Shared, Private, Slave, Unbindable };
// Changes the propagation type of the mount whose root `at` is (and of every mount below it if
// `recursive`). EINVAL if `at` is not a mount's root.
ErrorOr<void> set_propagation(const PathRef& at, Propagation type, bool recursive);
// Unmounts the mount whose root `at` is. EINVAL if `at` is not a mount's root or is the root
// mount, EBUSY while anything uses it (an open file, a working directory, a mount on it).
ErrorOr<void> unmount(const PathRef& at);
// If a mount sits on `p`, moves p to the mounted root (repeatedly: mounts stack).
void cross_mounts(PathRef& p);
// ".." of a mount's root: the mountpoint in the parent mount (repeatedly). False at the root.
bool climb_out(PathRef& p);
// Calls f(const Mount&) for each mount under the mount lock (for /proc/mounts).
void for_each_mount(void (*f)(void*, const Mount&), void* ctx);

}  // namespace rt
