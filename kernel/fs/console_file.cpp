#include "console_file.hpp"

#include <new>

#include "drivers/uart.hpp"
#include "kernel/console.hpp"
#include "kernel/mm/user_access.hpp"

namespace rt {
namespace {

// Received bytes not yet read: filled by the interrupt, emptied by readers. Bytes that find
// it full are dropped, as a UART's overrun drops them.
struct InputRing {
    SpinLock lock;
    char bytes[4096];
    size_t head = 0, count = 0;
    WaitQueue readable;
};
InputRing g_input;

constexpr size_t kChunk = 256;

class ConsoleFile final : public File {
public:
    using File::File;

    ErrorOr<size_t> read(AddressSpace& space, uint64_t buf, size_t len, uint64_t) override {
        if (len == 0) return size_t{0};
        char chunk[kChunk];
        size_t n = 0;
        {
            SpinLockGuard g(g_input.lock);
            if (!g_input.count) return Error(Errno::AGAIN);
            while (n < len && n < kChunk && g_input.count) {
                chunk[n++] = g_input.bytes[g_input.head];
                g_input.head = (g_input.head + 1) % sizeof g_input.bytes;
                --g_input.count;
            }
        }
        // A bad buffer loses the bytes taken, as it would on Linux.
        TRY(copy_to_user(space, buf, chunk, n));
        return n;
    }

    ErrorOr<size_t> write(AddressSpace& space, uint64_t buf, size_t len, uint64_t) override {
        if (!user_range_ok(buf, len)) return Error(Errno::FAULT);
        char chunk[kChunk];
        size_t done = 0;
        while (done < len) {
            size_t n = len - done < kChunk ? len - done : kChunk;
            auto r = copy_from_user(space, chunk, buf + done, n);
            if (r.is_error()) {
                if (done) break;  // a partial write, as Linux reports it
                return r.error();
            }
            console_write(chunk, n);
            done += n;
        }
        return done;
    }

    Stat stat() const override {
        Stat s{};
        s.dev = 5;  // as devtmpfs would number it
        s.ino = 1;
        s.mode = 020000 | 0620;  // S_IFCHR, rw--w----
        s.nlink = 1;
        s.rdev = (5 << 8) | 1;  // /dev/console: 5:1
        s.blksize = 1024;
        return s;
    }

    uint32_t poll() const override {
        SpinLockGuard g(g_input.lock);
        return kPollOut | (g_input.count ? kPollIn : 0);
    }
    WaitQueue* readiness() override { return &g_input.readable; }
};

}  // namespace

File* open_console(uint32_t flags) { return new (std::nothrow) ConsoleFile(flags); }

void console_receive() {
    bool any = false;
    {
        SpinLockGuard g(g_input.lock);
        for (int c; (c = uart::getc()) >= 0;) {
            if (g_input.count == sizeof g_input.bytes) continue;
            g_input.bytes[(g_input.head + g_input.count) % sizeof g_input.bytes] = static_cast<char>(c);
            ++g_input.count;
            any = true;
        }
    }
    if (any) g_input.readable.notify(kPollIn);
}

}  // namespace rt
