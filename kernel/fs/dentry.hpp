#pragma once
// Dentries: the names of inodes, in a tree. For tmpfs and devfs the tree *is* the directory
// contents (nothing lies behind it); for procfs, whose entries are made up on demand, a
// looked-up dentry is private to the walk that made it and never enters the tree. Children are
// found through one hash table keyed by (parent, name): the dentry cache. One lock guards the
// tree's shape (links, names, parents): every change to it is short and in memory.
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "inode.hpp"
#include "kernel/lib/list.hpp"

namespace rt {

inline constexpr size_t kNameMax = 255;

class Dentry {
public:
    // A root dentry for `inode` (adopting its reference).
    static ErrorOr<Dentry*> make_root(Inode* inode);

    void ref() { m_refs.fetch_add(1, std::memory_order_relaxed); }
    void unref();

    Inode* inode() const { return m_inode; }  // immutable: a dentry names one inode for life
    // The parent (nullptr for a file system's root); under g_dcache_lock or while the caller
    // knows no rename can move it.
    Dentry* parent() const { return m_parent; }
    const char* name() const { return m_name; }
    size_t name_len() const { return m_name_len; }
    bool linked() const { return m_linked; }  // still in its directory (not unlinked)
    std::atomic<int> mounts{0};  // how many mounts sit on it

    // The child of this directory named `name`, with a reference of its own; nullptr if
    // there is none in the tree.
    Dentry* find_child(const char* name, size_t len);
    // Links a new child named `name` for `inode` (adopting its reference) and returns it with a
    // reference for the caller. EEXIST if the name is taken meanwhile, ENOMEM.
    ErrorOr<Dentry*> add_child(const char* name, size_t len, Inode* inode);
    // A dentry for `inode` under this one that is not linked into the tree (procfs).
    ErrorOr<Dentry*> make_private_child(const char* name, size_t len, Inode* inode);
    // Removes this dentry from its directory (unlink, rmdir); the inode lives while open.
    void unlink();
    // Calls f(Dentry&) for each linked child (under g_dcache_lock: f must not block or take
    // it), past the first `skip`; stops when f returns false. Returns how many f saw.
    template <typename F>
    size_t for_each_child(size_t skip, F&& f);
    bool has_children();

    // Moves `from` (a child of `from_dir`) to be `to_dir`'s child `name`, replacing `victim`
    // (the dentry there now, or nullptr) which is unlinked. The caller has checked the rules.
    static ErrorOr<void> rename(Dentry& from, Dentry& to_dir, const char* name, size_t len, Dentry* victim);

private:
    Dentry(Dentry* parent, Inode* inode) : m_parent(parent), m_inode(inode) {}
    ~Dentry();
    ErrorOr<void> set_name(const char* name, size_t len);
    Dentry* find_locked(const char* name, size_t len);  // g_dcache_lock held
    static size_t bucket_of(const Dentry* parent, const char* name, size_t len);
    void hash_in();
    void hash_out();

    std::atomic<int> m_refs{1};
    Dentry* m_parent;  // holds a reference
    Inode* m_inode;    // holds a reference
    char* m_name = nullptr;
    size_t m_name_len = 0;
    char m_inline_name[24];  // short names need no allocation
    bool m_linked = false;
    Dentry* m_hash_next = nullptr;
    ListNode m_sibling;
    IntrusiveList<Dentry, &Dentry::m_sibling> m_children;
};

extern SpinLock g_dcache_lock;

template <typename F>
size_t Dentry::for_each_child(size_t skip, F&& f) {
    SpinLockGuard g(g_dcache_lock);
    size_t seen = 0;
    for (Dentry* d = m_children.front(); d; d = m_children.next_of(*d)) {
        if (skip) {
            --skip;
            continue;
        }
        ++seen;
        if (!f(*d)) break;
    }
    return seen;
}

}  // namespace rt
