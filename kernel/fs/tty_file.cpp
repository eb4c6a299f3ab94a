#include "tty_file.hpp"

#include <new>

#include "controlling_tty.hpp"
#include "kernel/proc/signal.hpp"
#include "mount.hpp"
#include "termios.hpp"
#include "tty.hpp"

namespace rt {
namespace {

class TtyFile final : public File {
public:
    TtyFile(Tty& tty, const PathRef& path, uint32_t flags, TtyNode node)
        : File(flags), m_tty(tty), m_node(node), m_path(path) {}

    ErrorOr<size_t> read(AddressSpace& space, uint64_t buf, size_t len, uint64_t) override {
        return m_tty.read(space, buf, len, flags() & kONonblock);
    }
    ErrorOr<size_t> write(AddressSpace& space, uint64_t buf, size_t len, uint64_t) override {
        return m_tty.write(space, buf, len);
    }

    const PathRef* path() const override { return m_path ? &m_path : nullptr; }

    Stat stat() const override {
        if (m_path) return m_path.inode()->stat();
        // Opened by the kernel: as its node in devtmpfs would show.
        struct Numbers {
            uint64_t ino, rdev;
        };
        static constexpr Numbers kNumbers[] = {{1, (5 << 8) | 1}, {2, (4 << 8) | 64}, {3, 5 << 8}};
        const Numbers& n = kNumbers[static_cast<int>(m_node)];
        Stat s{};
        s.dev = 5;  // as devtmpfs would number it
        s.ino = n.ino;
        s.mode = 020000 | 0620;  // S_IFCHR, rw--w----
        s.nlink = 1;
        s.rdev = n.rdev;
        s.blksize = 1024;
        return s;
    }

    uint32_t poll() const override { return m_tty.poll(); }
    bool stream() const override { return true; }
    WaitQueue* readiness() override { return &m_tty.readiness(); }
    ErrorOr<long> ioctl(Thread& caller, uint32_t request, uint64_t arg) override {
        return m_tty.ioctl(caller, *this, request, arg);
    }

    ErrorOr<void> check_job_control(Thread& caller, bool writing) override {
        if (m_node == TtyNode::Console) return {};
        if (!writing) return check_foreground(caller, m_tty, kSigTtin);
        if (!(m_tty.local_flags() & kTostop)) return {};
        return check_foreground(caller, m_tty, kSigTtou);
    }
    uint64_t read_deadline(uint64_t started) const override { return m_tty.read_deadline(started); }

private:
    Tty& m_tty;
    TtyNode m_node;
    PathRef m_path;
};

}  // namespace

FileRef open_tty_file(Tty& tty, const PathRef& path, uint32_t flags, TtyNode node) {
    return FileRef(new (std::nothrow) TtyFile(tty, path, flags, node));
}

ErrorOr<FileRef> open_controlling_tty(Process& opener, const PathRef& path, uint32_t flags) {
    Tty* tty;
    {
        SpinLockGuard g(g_process_lock);
        tty = opener.ctty;
    }
    if (!tty) return Error(Errno::NXIO);
    FileRef f = open_tty_file(*tty, path, flags, TtyNode::Controlling);
    if (!f) return Error(Errno::NOMEM);
    return f;
}

}  // namespace rt
