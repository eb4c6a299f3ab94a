#include "vfs_file.hpp"

#include <cstring>
#include <new>

#include "kernel/mm/address.hpp"
#include "kernel/mm/memory_object.hpp"
#include "kernel/mm/slab.hpp"
#include "kernel/mm/user_access.hpp"
#include "tmpfs.hpp"

namespace rt {
namespace {

// The kernel buffer user copies of a regular file go through: a little one on the stack, or a
// page for a larger call (a 1 MiB read in 64 KiB calls took 1.6 times Linux's time through 1 KiB
// pieces, 1.1 through pages). Without memory for the page, the little one does.
class Bounce {
public:
    explicit Bounce(size_t len) {
        if (len <= sizeof m_small) return;
        if (auto* page = static_cast<uint8_t*>(kmalloc(kPageSize))) m_data = page, m_size = kPageSize;
    }
    ~Bounce() {
        if (m_data != m_small) kfree(m_data);
    }
    Bounce(const Bounce&) = delete;
    uint8_t* data() { return m_data; }
    size_t size() const { return m_size; }

private:
    uint8_t m_small[512];
    uint8_t* m_data = m_small;
    size_t m_size = sizeof m_small;
};

// A regular file; one open for writing holds write access to its inode (ETXTBSY).
class RegularFile final : public PathFile {
public:
    using PathFile::PathFile;
    ~RegularFile() override {
        if (writable()) put_write_access(inode());
    }

    ErrorOr<size_t> read(AddressSpace& space, uint64_t buf, size_t len, uint64_t offset) override {
        if (MemoryObject* data = tmpfs_memory(inode())) {  // straight from the file's pages
            uint64_t size = inode().size();
            if (offset >= size) return size_t{0};
            return data->read_to_user(space, buf, offset, len < size - offset ? len : size - offset);
        }
        Bounce chunk(len);
        size_t done = 0;
        while (done < len) {
            size_t want = len - done < chunk.size() ? len - done : chunk.size();
            auto n = inode().read(chunk.data(), want, offset + done);
            if (n.is_error()) {
                if (done) break;
                return n.error();
            }
            if (n.value() == 0) break;
            if (auto r = copy_to_user(space, buf + done, chunk.data(), n.value()); r.is_error()) {
                if (done) break;
                return r.error();
            }
            done += n.value();
            if (n.value() < want) break;
        }
        return done;
    }

    ErrorOr<size_t> write(AddressSpace& space, uint64_t buf, size_t len, uint64_t offset) override {
        Bounce chunk(len);
        size_t done = 0;
        while (done < len) {
            size_t want = len - done < chunk.size() ? len - done : chunk.size();
            if (auto r = copy_from_user(space, chunk.data(), buf + done, want); r.is_error()) {
                if (done) break;
                return r.error();
            }
            auto n = inode().write(chunk.data(), want, offset + done);
            if (n.is_error()) {
                if (done) break;
                return n.error();
            }
            done += n.value();
            if (n.value() < want) break;
        }
        return done;
    }

    bool seekable() const override { return true; }
};

// struct linux_dirent64.
struct Dirent64Header {
    uint64_t ino;
    int64_t off;
    uint16_t reclen;
    uint8_t type;
} __attribute__((packed));

class DirectoryFile final : public PathFile {
public:
    using PathFile::PathFile;

    ErrorOr<size_t> read(AddressSpace&, uint64_t, size_t, uint64_t) override { return Error(Errno::ISDIR); }
    bool seekable() const override { return true; }

    // Entries are numbered: 0 is ".", 1 is "..", then the dentry tree's children (or a made-up
    // directory's own list). The file position is the next number.
    ErrorOr<size_t> read_dir(AddressSpace& space, uint64_t buf, size_t len) override {
        constexpr size_t kBatch = 2048;
        auto* batch = new (std::nothrow) uint8_t[kBatch];
        if (!batch) return Error(Errno::NOMEM);
        size_t done = 0;
        ErrorOr<size_t> result = size_t{0};
        for (;;) {
            Fill fill{batch, len - done < kBatch ? len - done : kBatch, 0, position.load(), 0};
            collect(fill);
            if (fill.count == 0) {
                if (done == 0 && fill.too_small) result = Error(Errno::INVAL);
                break;
            }
            if (auto r = copy_to_user(space, buf + done, batch, fill.used); r.is_error()) {
                if (!done) result = r.error();
                break;
            }
            done += fill.used;
            position.store(position.load() + fill.count);
        }
        delete[] batch;
        if (result.is_error()) return result;
        return done;
    }

private:
    struct Fill {
        uint8_t* buf;
        size_t room, used;
        uint64_t next;  // the number of the entry to add next
        size_t count;   // entries added
        bool too_small = false;
    };

    static bool add(Fill& f, const char* name, size_t len, uint64_t ino, uint32_t type) {
        size_t reclen = (sizeof(Dirent64Header) + len + 1 + 7) & ~size_t{7};
        if (f.used + reclen > f.room) {
            f.too_small = f.count == 0;
            return false;
        }
        Dirent64Header h{ino, static_cast<int64_t>(f.next + f.count + 1), static_cast<uint16_t>(reclen),
                         static_cast<uint8_t>(type >> 12)};
        memcpy(f.buf + f.used, &h, sizeof h);
        memcpy(f.buf + f.used + sizeof h, name, len);
        memset(f.buf + f.used + sizeof h + len, 0, reclen - sizeof h - len);
        f.used += reclen;
        ++f.count;
        return true;
    }

    void collect(Fill& f) {
        const PathRef& p = *path();
        uint64_t n = f.next;
        if (n == 0 && !add(f, ".", 1, p.inode()->ino, kSIfdir)) return;
        if (n <= 1) {
            Dentry* up = p.dentry->parent();
            uint64_t up_ino = up ? up->inode()->ino : p.inode()->ino;
            if (!add(f, "..", 2, up_ino, kSIfdir)) return;
        }
        size_t skip = n > 2 ? n - 2 : 0;
        if (p.inode()->made_up()) {
            p.inode()->list(skip, [](void* c, const DirEntry& e) {
                return add(*static_cast<Fill*>(c), e.name, e.name_len, e.ino, e.type);
            }, &f);
            return;
        }
        p.dentry->for_each_child(skip, [&](Dentry& d) {
            Inode* i = d.inode();
            return add(f, d.name(), d.name_len(), i->ino, i->type());
        });
    }
};

}  // namespace

ErrorOr<FileRef> open_inode_file(const PathRef& path, uint32_t flags) {
    Inode& inode = *path.inode();
    File* f;
    if (flags & kOPath) f = new (std::nothrow) PathFile(path, flags);
    else if (inode.is_dir()) f = new (std::nothrow) DirectoryFile(path, flags);
    else if (inode.is_regular()) {
        bool writing = (flags & kOAccMode) != kORdonly;
        if (writing && !get_write_access(inode)) return Error(Errno::TXTBSY);
        f = new (std::nothrow) RegularFile(path, flags);
        if (!f && writing) put_write_access(inode);
    } else {
        return Error(Errno::NXIO);  // a kind that opens through its own inode's open()
    }
    if (!f) return Error(Errno::NOMEM);
    return FileRef(f);
}

}  // namespace rt
