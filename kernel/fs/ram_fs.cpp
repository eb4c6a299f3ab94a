#include "ram_fs.hpp"

#include <cstring>
#include <new>

#include "kernel/lib/path.hpp"
#include "kernel/lib/spinlock.hpp"
#include "kernel/mm/user_access.hpp"

namespace rt {
namespace {

constexpr uint64_t kMaxFileSize = 1ull << 30;  // EFBIG past it: memory is the only disk
constexpr size_t kChunk = 512;                 // user copies go through a buffer this big

struct RamNode {
    char* path;  // normalized, NUL-terminated
    uint32_t mode;
    uint32_t uid, gid;
    uint64_t ino;
    int64_t mtime;
    SpinLock lock;  // guards the contents
    const uint8_t* data;  // the archive's bytes, or `own`
    uint8_t* own = nullptr;
    uint64_t size, capacity = 0;
};

SpinLock g_lock;  // guards the table
RamNode** g_nodes;
size_t g_count, g_capacity;
uint64_t g_next_ino = 1ull << 32;  // above every inode number of the archive

RamNode* find_locked(const char* path) {
    for (size_t i = 0; i < g_count; ++i)
        if (strcmp(g_nodes[i]->path, path) == 0) return g_nodes[i];
    return nullptr;
}

// A new node for `path` in the table; nullptr if no memory. g_lock held.
RamNode* add_locked(const char* path, const FileImage& image, uint64_t ino) {
    if (g_count == g_capacity) {
        size_t capacity = g_capacity ? g_capacity * 2 : 64;
        auto** nodes = new (std::nothrow) RamNode*[capacity];
        if (!nodes) return nullptr;
        for (size_t i = 0; i < g_count; ++i) nodes[i] = g_nodes[i];
        delete[] g_nodes;
        g_nodes = nodes;
        g_capacity = capacity;
    }
    size_t n = strlen(path);
    auto* node = new (std::nothrow) RamNode{nullptr, image.mode, image.uid, image.gid, ino, image.mtime,
                                            {}, image.data, nullptr, image.size};
    char* copy = new (std::nothrow) char[n + 1];
    if (!node || !copy) {
        delete node;
        delete[] copy;
        return nullptr;
    }
    memcpy(copy, path, n + 1);
    node->path = copy;
    g_nodes[g_count++] = node;
    return node;
}

// The node for `path`: from the table, else made from the archive. ENOENT if neither has it.
// The archive is searched outside the lock: it is a walk through every entry.
ErrorOr<RamNode*> lookup(const char* path) {
    {
        SpinLockGuard g(g_lock);
        if (RamNode* node = find_locked(path)) return node;
    }
    FileImage image = TRY(initramfs_find(path));
    SpinLockGuard g(g_lock);
    if (RamNode* node = find_locked(path)) return node;  // made by someone else meanwhile
    RamNode* node = add_locked(path, image, image.ino);
    if (!node) return Error(Errno::NOMEM);
    return node;
}

// Room for `size` bytes of its own, keeping the node.size bytes it has. node->lock held (a
// reallocation under it: short files).
bool reserve_locked(RamNode& node, uint64_t size) {
    if (node.own && size <= node.capacity) return true;
    uint64_t need = size > node.size ? size : node.size;
    uint64_t capacity = node.capacity ? node.capacity : 256;
    while (capacity < need) capacity *= 2;
    auto* own = new (std::nothrow) uint8_t[capacity];
    if (!own) return false;
    memcpy(own, node.data, node.size);
    memset(own + node.size, 0, capacity - node.size);
    delete[] node.own;
    node.own = own;
    node.data = own;
    node.capacity = capacity;
    return true;
}

class RamFile final : public File {
public:
    RamFile(RamNode& node, uint32_t flags) : File(flags), m_node(node) {}

    ErrorOr<size_t> read(AddressSpace& space, uint64_t buf, size_t len, uint64_t offset) override {
        uint8_t chunk[kChunk];
        size_t done = 0;
        while (done < len) {
            size_t n;
            {
                SpinLockGuard g(m_node.lock);
                if (offset + done >= m_node.size) break;
                n = m_node.size - (offset + done);
                if (n > len - done) n = len - done;
                if (n > kChunk) n = kChunk;
                memcpy(chunk, m_node.data + offset + done, n);
            }
            if (auto r = copy_to_user(space, buf + done, chunk, n); r.is_error()) {
                if (done) break;
                return r.error();
            }
            done += n;
        }
        return done;
    }

    ErrorOr<size_t> write(AddressSpace& space, uint64_t buf, size_t len, uint64_t offset) override {
        if (offset >= kMaxFileSize) return Error(Errno::FBIG);
        if (len > kMaxFileSize - offset) len = kMaxFileSize - offset;
        uint8_t chunk[kChunk];
        size_t done = 0;
        while (done < len) {
            size_t n = len - done < kChunk ? len - done : kChunk;
            if (auto r = copy_from_user(space, chunk, buf + done, n); r.is_error()) {
                if (done) break;
                return r.error();
            }
            SpinLockGuard g(m_node.lock);
            uint64_t at = offset + done, end = at + n;
            if (!reserve_locked(m_node, end)) {
                if (done) break;
                return Error(Errno::NOSPC);
            }
            // A write past the end leaves a hole that reads as zeros, whatever a truncation
            // left in the buffer there.
            if (at > m_node.size) memset(m_node.own + m_node.size, 0, at - m_node.size);
            memcpy(m_node.own + at, chunk, n);
            if (end > m_node.size) m_node.size = end;
            done += n;
        }
        return done;
    }

    Stat stat() const override {
        Stat s{};
        s.dev = 1;  // the initramfs
        s.ino = m_node.ino;
        s.mode = 0100000 | m_node.mode;  // S_IFREG
        s.nlink = 1;
        s.uid = m_node.uid;
        s.gid = m_node.gid;
        {
            SpinLockGuard g(m_node.lock);
            s.size = static_cast<int64_t>(m_node.size);
        }
        s.blksize = 4096;
        s.blocks = (s.size + 511) / 512;
        s.atime = s.mtime = s.ctime = m_node.mtime;
        return s;
    }

    bool seekable() const override { return true; }

    // O_TRUNC.
    ErrorOr<void> truncate() {
        SpinLockGuard g(m_node.lock);
        m_node.size = 0;  // first: nothing of the archive's bytes is copied
        if (!m_node.own && !reserve_locked(m_node, 0)) return Error(Errno::NOSPC);
        return {};
    }

private:
    RamNode& m_node;
};

// A directory of the archive (or the root), opened: it can be looked at (fstat) but not read
// or written; listing it (getdents64) and lookups relative to it come with the VFS.
class RamDirectory final : public File {
public:
    using File::File;
    ErrorOr<size_t> read(AddressSpace&, uint64_t, size_t, uint64_t) override { return Error(Errno::ISDIR); }
    Stat stat() const override {
        Stat s{};
        s.dev = 1;
        s.mode = 0040000 | 0755;  // S_IFDIR
        s.nlink = 2;
        s.blksize = 4096;
        return s;
    }
};

}  // namespace

ErrorOr<FileRef> ram_open(const char* path, bool trailing_slash, uint32_t flags, uint32_t mode) {
    auto found = *path ? lookup(path) : ErrorOr<RamNode*>(Error(Errno::NOENT));
    if (found.is_error() && found.error().code == Errno::NOENT && (*path == 0 || initramfs_has_directory(path))) {
        // The root, or a directory of the archive.
        if ((flags & kOCreat) && (flags & kOExcl)) return Error(Errno::EXIST);
        if ((flags & kOAccMode) != kORdonly || (flags & kOCreat)) return Error(Errno::ISDIR);
        File* dir = new (std::nothrow) RamDirectory(flags);
        if (!dir) return Error(Errno::NOMEM);
        return FileRef(dir);
    }
    RamNode* node;
    if (!found.is_error()) {
        if ((flags & kOCreat) && (flags & kOExcl)) return Error(Errno::EXIST);
        if ((flags & kODirectory) || trailing_slash) return Error(Errno::NOTDIR);
        node = found.value();
    } else {
        if (found.error().code != Errno::NOENT || !(flags & kOCreat)) return found.error();
        if (trailing_slash || (flags & kODirectory)) return Error(Errno::ISDIR);
        // A new file in the root or in one of the archive's directories.
        const char* slash = strrchr(path, '/');
        if (slash) {
            char parent[256];
            size_t n = static_cast<size_t>(slash - path);
            if (n >= sizeof parent) return Error(Errno::NOENT);
            memcpy(parent, path, n);
            parent[n] = 0;
            if (!initramfs_has_directory(parent)) return Error(Errno::NOENT);
        }
        SpinLockGuard g(g_lock);
        node = find_locked(path);  // someone else may have made it meanwhile
        if (node && (flags & kOExcl)) return Error(Errno::EXIST);
        if (!node) node = add_locked(path, {nullptr, 0, mode & 07777, 0, 0, 0, 0}, g_next_ino++);
        if (!node) return Error(Errno::NOMEM);
    }
    auto* file = new (std::nothrow) RamFile(*node, flags);
    if (!file) return Error(Errno::NOMEM);
    FileRef ref(file);
    if ((flags & kOTrunc) && (flags & kOAccMode) != kORdonly) TRY(file->truncate());
    return ref;
}

ErrorOr<void> ram_runnable(const char* user_path, RunnableImage& out) {
    auto* path = new (std::nothrow) char[4096];
    if (!path) return Error(Errno::NOMEM);
    size_t n = strlen(user_path);
    ErrorOr<RamNode*> found = Error(Errno::NAMETOOLONG);
    bool trailing_slash = false;
    if (n < 4096) {
        memcpy(path, user_path, n + 1);
        if (auto r = normalize_path(path, trailing_slash); r.is_error()) found = r.error();
        else if (*path == 0) found = Error(Errno::ACCES);  // a directory: Linux says EACCES
        else found = lookup(path);
        if (found.is_error() && found.error().code == Errno::NOENT && initramfs_has_directory(path))
            found = Error(Errno::ACCES);
    }
    delete[] path;
    RamNode* node = TRY(found);
    if (trailing_slash) return Error(Errno::NOTDIR);
    SpinLockGuard g(node->lock);
    out.image = {node->data, node->size, node->mode, static_cast<uint32_t>(node->ino), node->uid, node->gid,
                 static_cast<uint32_t>(node->mtime)};
    if (node->own) {  // written since: a copy that later writes cannot pull away
        out.copy = new (std::nothrow) uint8_t[node->size ? node->size : 1];
        if (!out.copy) return Error(Errno::NOMEM);
        memcpy(out.copy, node->data, node->size);
        out.image.data = out.copy;
    }
    return {};
}

}  // namespace rt
