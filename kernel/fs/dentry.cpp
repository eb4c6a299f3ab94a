#include "dentry.hpp"

#include <cstring>
#include <new>

namespace rt {

SpinLock g_dcache_lock;

namespace {

constexpr size_t kBuckets = 4096;
Dentry* g_buckets[kBuckets];

}  // namespace

size_t Dentry::bucket_of(const Dentry* parent, const char* name, size_t len) {
    uint64_t h = reinterpret_cast<uintptr_t>(parent) * 0x9e3779b97f4a7c15ull;
    for (size_t i = 0; i < len; ++i) h = (h ^ static_cast<uint8_t>(name[i])) * 0x100000001b3ull;
    return (h ^ (h >> 29)) % kBuckets;
}

ErrorOr<Dentry*> Dentry::make_root(Inode* inode) {
    auto* d = new (std::nothrow) Dentry(nullptr, inode);
    if (!d) {
        inode->unref();
        return Error(Errno::NOMEM);
    }
    d->m_name = d->m_inline_name;
    d->m_inline_name[0] = '/';
    d->m_inline_name[1] = 0;
    d->m_name_len = 1;
    return d;
}

Dentry::~Dentry() {
    if (m_name != m_inline_name) delete[] m_name;
    m_inode->unref();
    if (m_parent) m_parent->unref();
}

void Dentry::unref() {
    // A chain of parents whose last reference was their child's goes iteratively.
    if (m_refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
}

ErrorOr<void> Dentry::set_name(const char* name, size_t len) {
    char* text = len < sizeof m_inline_name ? m_inline_name : new (std::nothrow) char[len + 1];
    if (!text) return Error(Errno::NOMEM);
    memcpy(text, name, len);
    text[len] = 0;
    if (m_name && m_name != m_inline_name && m_name != text) delete[] m_name;
    m_name = text;
    m_name_len = len;
    return {};
}

void Dentry::hash_in() {
    size_t b = bucket_of(m_parent, m_name, m_name_len);
    m_hash_next = g_buckets[b];
    g_buckets[b] = this;
}

void Dentry::hash_out() {
    for (Dentry** p = &g_buckets[bucket_of(m_parent, m_name, m_name_len)]; *p; p = &(*p)->m_hash_next) {
        if (*p == this) {
            *p = m_hash_next;
            m_hash_next = nullptr;
            return;
        }
    }
}

Dentry* Dentry::find_child(const char* name, size_t len) {
    SpinLockGuard g(g_dcache_lock);
    Dentry* d = find_locked(name, len);
    if (d) d->ref();
    return d;
}

Dentry* Dentry::find_locked(const char* name, size_t len) {
    for (Dentry* d = g_buckets[bucket_of(this, name, len)]; d; d = d->m_hash_next)
        if (d->m_parent == this && d->m_name_len == len && memcmp(d->m_name, name, len) == 0) return d;
    return nullptr;
}

ErrorOr<Dentry*> Dentry::make_private_child(const char* name, size_t len, Inode* inode) {
    auto* d = new (std::nothrow) Dentry(this, inode);
    if (!d) {
        inode->unref();
        return Error(Errno::NOMEM);
    }
    ref();  // the child's hold on its parent
    if (auto r = d->set_name(name, len); r.is_error()) {
        d->unref();
        return r.error();
    }
    return d;
}

ErrorOr<Dentry*> Dentry::add_child(const char* name, size_t len, Inode* inode) {
    Dentry* d = TRY(make_private_child(name, len, inode));
    {
        SpinLockGuard g(g_dcache_lock);
        if (!find_locked(name, len)) {
            d->m_linked = true;
            d->ref();  // the tree's reference
            d->hash_in();
            m_children.push_back(*d);
            return d;
        }
    }
    d->unref();
    return Error(Errno::EXIST);
}

void Dentry::unlink() {
    {
        SpinLockGuard g(g_dcache_lock);
        if (!m_linked) return;
        m_linked = false;
        hash_out();
        m_parent->m_children.remove(*this);
    }
    unref();  // the tree's reference
}

bool Dentry::has_children() {
    SpinLockGuard g(g_dcache_lock);
    return !m_children.empty();
}

ErrorOr<void> Dentry::rename(Dentry& from, Dentry& to_dir, const char* name, size_t len, Dentry* victim) {
    // The new name is ready before anything moves, so the move itself cannot fail.
    char* text = nullptr;
    if (len >= sizeof from.m_inline_name) {
        text = new (std::nothrow) char[len + 1];
        if (!text) return Error(Errno::NOMEM);
        memcpy(text, name, len);
        text[len] = 0;
    }
    Dentry* old_parent;
    {
        SpinLockGuard g(g_dcache_lock);
        if (!from.m_linked) {
            delete[] text;
            return Error(Errno::NOENT);
        }
        if (victim && victim->m_linked) {
            victim->m_linked = false;
            victim->hash_out();
            victim->m_parent->m_children.remove(*victim);
        } else {
            victim = nullptr;  // gone meanwhile: nothing to drop
        }
        from.hash_out();
        from.m_parent->m_children.remove(from);
        old_parent = from.m_parent;
        to_dir.ref();
        from.m_parent = &to_dir;
        if (from.m_name != from.m_inline_name) delete[] from.m_name;
        if (text) {
            from.m_name = text;
        } else {
            memcpy(from.m_inline_name, name, len);
            from.m_inline_name[len] = 0;
            from.m_name = from.m_inline_name;
        }
        from.m_name_len = len;
        from.hash_in();
        to_dir.m_children.push_back(from);
    }
    old_parent->unref();
    if (victim) victim->unref();  // the tree's reference
    return {};
}

}  // namespace rt
