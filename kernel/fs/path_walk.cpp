#include "path_walk.hpp"

#include <cstring>
#include <new>

namespace rt {
namespace {

constexpr size_t kPathMax = 4096;
constexpr int kMaxLinks = 40;  // Linux's MAXSYMLINKS

bool is_dot(const char* c, size_t n) { return n == 1 && c[0] == '.'; }
bool is_dotdot(const char* c, size_t n) { return n == 2 && c[0] == '.' && c[1] == '.'; }

// One walk: the place reached so far and the text still to walk, which a symlink replaces
// by its target followed by what was left.
class Walker {
public:
    Walker(const WalkContext& ctx, const char* path)
        : cur(*path == '/' ? ctx.root : ctx.start), m_ctx(ctx), m_rest(path) {}
    ~Walker() { delete[] m_buffer; }

    // Walks every component but the last; then m_last/m_last_len name it (length 0: the path
    // was all slashes).
    ErrorOr<void> to_last();
    // Steps into the last component (following a final symlink if `follow`).
    ErrorOr<void> finish(bool follow);

    PathRef cur;
    const char* m_last = nullptr;
    size_t m_last_len = 0;
    bool m_trailing_slash = false;

private:
    ErrorOr<void> step(const char* name, size_t len);
    // Replaces the walk's text by the symlink `link`'s target then `rest`.
    ErrorOr<void> follow_link(const PathRef& link, const char* rest);

    const WalkContext& m_ctx;
    const char* m_rest;
    char* m_buffer = nullptr;
    int m_links = 0;
};

ErrorOr<void> Walker::step(const char* name, size_t len) {
    Inode* dir = cur.inode();
    if (!dir->is_dir()) return Error(Errno::NOTDIR);
    if (!may_access(*dir, m_ctx.creds, 1)) return Error(Errno::ACCES);
    if (is_dot(name, len)) return {};
    if (is_dotdot(name, len)) {
        if (cur == m_ctx.root) return {};
        if (!climb_out(cur)) return {};
        if (cur == m_ctx.root) return {};
        if (Dentry* up = cur.dentry->parent()) {
            SpinLockGuard g(g_dcache_lock);  // a rename may be moving it
            up = cur.dentry->parent();
            up->ref();
            cur.dentry->unref();
            cur.dentry = up;
        }
        return {};
    }
    if (len > kNameMax) return Error(Errno::NAMETOOLONG);
    cur = TRY(lookup_child(cur, name, len));
    return {};
}

ErrorOr<void> Walker::follow_link(const PathRef& link, const char* rest) {
    if (++m_links > kMaxLinks) return Error(Errno::LOOP);
    Inode* inode = link.inode();
    if (auto target = inode->follow(m_ctx.caller); !target.is_error()) {  // a kernel object (procfs)
        cur = target.release_value();
        m_rest = rest;
        return {};
    }
    auto* text = new (std::nothrow) char[kPathMax];
    if (!text) return Error(Errno::NOMEM);
    auto n = inode->readlink(text, kPathMax, m_ctx.caller);
    size_t rest_len = strlen(rest);
    if (n.is_error() || n.value() + 1 + rest_len >= kPathMax) {
        delete[] text;
        return n.is_error() ? n.error() : Error(Errno::NAMETOOLONG);
    }
    size_t at = n.value();
    if (rest_len) text[at++] = '/';
    memcpy(text + at, rest, rest_len + 1);
    delete[] m_buffer;  // `rest` may point into it: copied above
    m_buffer = text;
    m_rest = text;
    if (text[0] == '/') cur = m_ctx.root;
    return {};
}

ErrorOr<void> Walker::to_last() {
    for (;;) {
        while (*m_rest == '/') ++m_rest;
        const char* name = m_rest;
        const char* end = name;
        while (*end && *end != '/') ++end;
        const char* next = end;
        while (*next == '/') ++next;
        size_t len = static_cast<size_t>(end - name);
        if (*next == 0) {  // the last component (or none: the path was all slashes)
            m_last = name;
            m_last_len = len;
            m_trailing_slash = end != next;
            m_rest = next;
            return {};
        }
        TRY(step(name, len));
        m_rest = next;
        Inode* inode = cur.inode();
        if (inode->is_symlink()) {
            // Every symlink before the last component is followed from the directory holding
            // it: step back to it first.
            PathRef link = static_cast<PathRef&&>(cur);
            cur = path_of(link.mount, link.dentry->parent());
            TRY(follow_link(link, m_rest));
        }
    }
}

ErrorOr<void> Walker::finish(bool follow) {
    for (;;) {
        if (m_last_len == 0) return {};
        TRY(step(m_last, m_last_len));
        if (!cur.inode()->is_symlink() || !(follow || m_trailing_slash)) return {};
        PathRef link = static_cast<PathRef&&>(cur);
        cur = path_of(link.mount, link.dentry->parent());
        bool trailing = m_trailing_slash;
        TRY(follow_link(link, ""));
        TRY(to_last());
        m_trailing_slash |= trailing;
    }
}

}  // namespace

ErrorOr<PathRef> lookup_child(const PathRef& dir, const char* name, size_t len) {
    Dentry* d = dir.dentry->find_child(name, len);
    if (!d) {
        Inode* inode = dir.inode();
        if (!inode->made_up()) return Error(Errno::NOENT);
        d = TRY(dir.dentry->make_private_child(name, len, TRY(inode->lookup(name, len))));
    }
    PathRef p(dir.mount, d);
    cross_mounts(p);
    return p;
}

ErrorOr<PathRef> walk(const WalkContext& ctx, const char* path, unsigned flags) {
    Walker w(ctx, path);
    TRY(w.to_last());
    TRY(w.finish(flags & kWalkFollow));
    if ((w.m_trailing_slash || (flags & kWalkDirectory)) && !w.cur.inode()->is_dir()) return Error(Errno::NOTDIR);
    return static_cast<PathRef&&>(w.cur);
}

ErrorOr<ParentWalk> walk_parent(const WalkContext& ctx, const char* path) {
    Walker w(ctx, path);
    TRY(w.to_last());
    if (!w.cur.inode()->is_dir()) return Error(Errno::NOTDIR);
    if (w.m_last_len > kNameMax) return Error(Errno::NAMETOOLONG);
    ParentWalk out;
    out.dir = static_cast<PathRef&&>(w.cur);
    memcpy(out.last, w.m_last, w.m_last_len);
    out.last_len = w.m_last_len;
    out.trailing_slash = w.m_trailing_slash;
    return out;
}

ErrorOr<size_t> path_name(const PathRef& p, const PathRef& root, char* buf, size_t len) {
    if (len == 0) return Error(Errno::NAMETOOLONG);
    size_t at = len - 1;
    buf[at] = 0;
    auto put = [&](const char* s, size_t n) {
        if (n > at) return false;
        at -= n;
        memcpy(buf + at, s, n);
        return true;
    };
    PathRef cur = p;
    bool deleted = false, reached_root = false;
    {
        SpinLockGuard g(g_dcache_lock);
        deleted = !p.dentry->linked() && p.dentry->parent();
    }
    if (deleted && !put(" (deleted)", 10)) return Error(Errno::NAMETOOLONG);
    for (;;) {
        if (cur == root) {
            reached_root = true;
            break;
        }
        if (cur.mount && cur.dentry == cur.mount->root) {
            if (!climb_out(cur)) break;  // the top of the tree, outside the process's root
            continue;
        }
        SpinLockGuard g(g_dcache_lock);
        Dentry* d = cur.dentry;
        if (!d->parent()) {  // a file system mounted nowhere (memfd): named from its own root
            reached_root = true;
            break;
        }
        if (!put(d->name(), d->name_len()) || !put("/", 1)) return Error(Errno::NAMETOOLONG);
        Dentry* up = d->parent();
        up->ref();
        d->unref();
        cur.dentry = up;
    }
    if (at == len - 1 || (deleted && at == len - 11)) {
        if (!put("/", 1)) return Error(Errno::NAMETOOLONG);
    }
    if (!reached_root && !put("(unreachable)", 13)) return Error(Errno::NAMETOOLONG);
    size_t n = len - 1 - at;
    memmove(buf, buf + at, n + 1);
    return n;
}

}  // namespace rt
