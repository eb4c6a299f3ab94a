#include "tmpfs.hpp"

#include <cstring>
#include <new>

#include "char_devices.hpp"
#include "kernel/mm/memory_object.hpp"
#include "pipe.hpp"

namespace rt {
namespace {

constexpr uint64_t kMaxFileSize = 1ull << 34;  // EFBIG past it
constexpr uint64_t kTmpfsMagic = 0x01021994;
std::atomic<uint64_t> g_next_dev{0x20};  // anonymous device numbers, as Linux's 0:N

class TmpfsInode final : public Inode {
public:
    using Inode::Inode;
    ~TmpfsInode() override {
        if (m_data) m_data->unref();
        if (m_fifo) m_fifo->release();
        delete[] m_link;
    }

    uint64_t size() const override {
        SpinLockGuard g(lock);
        return m_size;
    }

    ErrorOr<size_t> read(void* buf, size_t len, uint64_t offset) override {
        if (!is_regular()) return Inode::read(buf, len, offset);
        SpinLockGuard g(lock);
        if (offset >= m_size) return size_t{0};
        if (len > m_size - offset) len = m_size - offset;
        TRY(m_data->read(buf, offset, len));
        return len;
    }

    ErrorOr<size_t> write(const void* buf, size_t len, uint64_t offset) override {
        if (!is_regular()) return Inode::write(buf, len, offset);
        if (offset >= kMaxFileSize) return Error(Errno::FBIG);
        if (len > kMaxFileSize - offset) len = kMaxFileSize - offset;
        SpinLockGuard g(lock);
        if (offset + len > m_size) m_data->resize(offset + len);
        if (auto r = m_data->write(buf, offset, len); r.is_error()) {
            m_data->resize(m_size);  // the pages made for it go again
            return r.error();
        }
        if (offset + len > m_size) m_size = offset + len;
        mtime = ctime = current_time();
        return len;
    }

    ErrorOr<void> truncate(uint64_t size) override {
        if (!is_regular()) return Inode::truncate(size);
        if (size > kMaxFileSize) return Error(Errno::FBIG);
        SpinLockGuard g(lock);
        m_data->resize(size);
        m_size = size;
        mtime = ctime = current_time();
        return {};
    }

    ErrorOr<size_t> readlink(char* buf, size_t len, Process*) override {
        if (!is_symlink()) return Error(Errno::INVAL);
        size_t n = m_link_len < len ? m_link_len : len;
        memcpy(buf, m_link, n);
        return n;
    }

    ErrorOr<Inode*> make(uint32_t mode, uint64_t rdev, const Credentials& owner) override {
        auto* i = new (std::nothrow) TmpfsInode(sb, mode, &owner);
        if (!i) return Error(Errno::NOMEM);
        i->rdev = rdev;
        if ((mode & kSIfmt) == kSIfdir) i->nlink = 2;
        if ((mode & kSIfmt) == kSIfreg) {
            auto data = MemoryObject::create_file(nullptr, 0);
            if (data.is_error()) {
                i->unref();
                return data.error();
            }
            i->m_data = data.value();
        }
        return i;
    }
    bool writable_dir() const override { return is_dir(); }

    ErrorOr<FileRef> open(const PathRef& path, uint32_t flags, Thread& opener) override {
        if (type() == kSIfchr && !(flags & kOPath)) return open_char_device(rdev, path, flags, opener);
        if (type() == kSIfifo && !(flags & kOPath)) return open_fifo(flags);
        if ((type() == kSIfblk || type() == kSIfsock) && !(flags & kOPath))
            return Error(Errno::NXIO);  // no block devices or sockets here yet
        return Inode::open(path, flags, opener);
    }

    ErrorOr<void> set_link(const char* target, size_t len) override {
        m_link = new (std::nothrow) char[len ? len : 1];
        if (!m_link) return Error(Errno::NOMEM);
        memcpy(m_link, target, len);
        m_link_len = len;
        m_size = len;
        return {};
    }

    MemoryObject* m_data = nullptr;  // regular files
    uint64_t m_size = 0;

private:
    // A named pipe: its pipe, made by the first open. A blocking open that would wait for the
    // other side answers WAITS, unless kOFifoEndNow asks for the end at once (openat then
    // waits for the other side itself).
    ErrorOr<FileRef> open_fifo(uint32_t flags) {
        Pipe* pipe;
        {
            SpinLockGuard g(lock);
            if (!m_fifo) m_fifo = Pipe::create(uid, gid);
            if (!m_fifo) return Error(Errno::NOMEM);
            pipe = m_fifo;
            pipe->retain();
        }
        uint32_t acc = flags & kOAccMode;
        bool nonblock = flags & kONonblock;
        ErrorOr<FileRef> result = Error(Errno::NOMEM);
        if (acc == kOWronly && nonblock && pipe->readers() == 0) {
            result = Error(Errno::NXIO);
        } else if (!nonblock && acc != kORdwr && !(flags & kOFifoEndNow) &&
                   (acc == kORdonly ? pipe->writers() : pipe->readers()) == 0) {
            result = Error(Errno::WAITS);
        } else if (File* end = pipe->open_end(flags & ~kOFifoEndNow)) {
            result = FileRef(end);
        }
        pipe->release();
        return result;
    }

    Pipe* m_fifo = nullptr;
    char* m_link = nullptr;  // symlinks
    size_t m_link_len = 0;
};

}  // namespace

ErrorOr<Dentry*> tmpfs_create(const char* type, uint32_t mode) {
    auto* sb = new (std::nothrow) SuperBlock(type, g_next_dev.fetch_add(1), kTmpfsMagic);
    if (!sb) return Error(Errno::NOMEM);
    auto* root = new (std::nothrow) TmpfsInode(*sb, kSIfdir | (mode & 07777), nullptr);
    if (!root) {
        delete sb;
        return Error(Errno::NOMEM);
    }
    root->nlink = 2;
    return Dentry::make_root(root);
}

ErrorOr<Inode*> tmpfs_make_file_from(Inode& fs, uint32_t mode, const uint8_t* data, uint64_t size) {
    auto* i = new (std::nothrow) TmpfsInode(fs.sb, kSIfreg | (mode & 07777), nullptr);
    if (!i) return Error(Errno::NOMEM);
    auto object = MemoryObject::create_file(data, size);
    if (object.is_error()) {
        i->unref();
        return object.error();
    }
    i->m_data = object.value();
    i->m_size = size;
    return i;
}

MemoryObject* tmpfs_memory(Inode& inode) {
    if (!inode.is_regular() || inode.sb.magic != kTmpfsMagic) return nullptr;
    return static_cast<TmpfsInode&>(inode).m_data;
}

}  // namespace rt
