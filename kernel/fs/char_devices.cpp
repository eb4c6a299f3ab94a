#include "char_devices.hpp"

#include <cstring>
#include <new>

#include "console_file.hpp"
#include "kernel/mm/user_access.hpp"
#include "kernel/random.hpp"
#include "vfs_file.hpp"

namespace rt {
namespace {

enum class Mem { Null, Zero, Full, Random };

// The memory devices: reads and writes that never wait.
class MemDevice final : public PathFile {
public:
    MemDevice(Mem kind, const PathRef& path, uint32_t flags) : PathFile(path, flags), m_kind(kind) {}

    ErrorOr<size_t> read(AddressSpace& space, uint64_t buf, size_t len, uint64_t) override {
        if (m_kind == Mem::Null) return size_t{0};
        uint8_t chunk[256];
        if (m_kind != Mem::Random) memset(chunk, 0, sizeof chunk);
        size_t done = 0;
        while (done < len) {
            size_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
            if (m_kind == Mem::Random) random_fill(chunk, n);
            if (auto r = copy_to_user(space, buf + done, chunk, n); r.is_error()) {
                if (done) break;
                return r.error();
            }
            done += n;
        }
        return done;
    }

    ErrorOr<size_t> write(AddressSpace&, uint64_t buf, size_t len, uint64_t) override {
        if (m_kind == Mem::Full) return Error(Errno::NOSPC);
        if (!user_range_ok(buf, len)) return Error(Errno::FAULT);
        return len;  // null and zero drop it; random takes no entropy from users
    }

    bool seekable() const override { return true; }  // lseek succeeds and means nothing

private:
    Mem m_kind;
};

}  // namespace

ErrorOr<FileRef> open_char_device(uint64_t rdev, const PathRef& path, uint32_t flags, Thread&) {
    File* f = nullptr;
    switch (rdev) {
    case make_dev(1, 3): f = new (std::nothrow) MemDevice(Mem::Null, path, flags); break;
    case make_dev(1, 5): f = new (std::nothrow) MemDevice(Mem::Zero, path, flags); break;
    case make_dev(1, 7): f = new (std::nothrow) MemDevice(Mem::Full, path, flags); break;
    case make_dev(1, 8):
    case make_dev(1, 9): f = new (std::nothrow) MemDevice(Mem::Random, path, flags); break;
    case make_dev(5, 0):  // the controlling terminal: the console is the only terminal
    case make_dev(5, 1):
    case make_dev(4, 64): f = open_console(flags); break;
    default: return Error(Errno::NXIO);
    }
    if (!f) return Error(Errno::NOMEM);
    return FileRef(f);
}

}  // namespace rt
