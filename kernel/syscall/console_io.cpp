// write and writev on the console, the only files there are until the VFS (the files issue):
// fds 1 and 2 are the console, everything else is EBADF.
#include "handlers.hpp"
#include "kernel/console.hpp"
#include "kernel/mm/user_access.hpp"

namespace rt::sys {
namespace {

constexpr uint64_t kMaxRw = 0x7ffff000;  // Linux's MAX_RW_COUNT
constexpr uint64_t kIovMax = 1024;

bool is_console(uint64_t fd) { return fd == 1 || fd == 2; }

// Copies the user buffer through the console in chunks; returns bytes written or an error.
ErrorOr<uint64_t> console_write_user(AddressSpace& space, uint64_t buf, uint64_t len) {
    if (len > kMaxRw) len = kMaxRw;
    if (!user_range_ok(buf, len)) return Error(Errno::FAULT);
    char chunk[256];
    uint64_t done = 0;
    while (done < len) {
        uint64_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
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

}  // namespace

long write(Thread& t, const SyscallArgs& a) {
    if (!is_console(a.a[0])) return error_result(Errno::BADF);
    return to_result(console_write_user(*t.process->space, a.a[1], a.a[2]));
}

long writev(Thread& t, const SyscallArgs& a) {
    struct Iovec {
        uint64_t base, len;
    };
    if (!is_console(a.a[0])) return error_result(Errno::BADF);
    uint64_t count = a.a[2];
    if (count > kIovMax) return error_result(Errno::INVAL);
    AddressSpace& space = *t.process->space;
    uint64_t total = 0;
    for (uint64_t i = 0; i < count; ++i) {
        Iovec v;
        auto r = UserPtr<Iovec>(a.a[1] + i * sizeof(Iovec)).read(space, v);
        if (r.is_error()) return total ? static_cast<long>(total) : error_result(r.error());
        if (v.len > kMaxRw || total + v.len > kMaxRw) return total ? static_cast<long>(total) : error_result(Errno::INVAL);
        auto w = console_write_user(space, v.base, v.len);
        if (w.is_error()) return total ? static_cast<long>(total) : error_result(w.error());
        total += w.value();
        if (w.value() < v.len) break;
    }
    return static_cast<long>(total);
}

}  // namespace rt::sys
