// getrandom: the kernel generator (kernel/random.hpp) is seeded at boot, so it never blocks.
#include "handlers.hpp"
#include "kernel/mm/user_access.hpp"
#include "kernel/random.hpp"

namespace rt::sys {

long getrandom(Thread& t, const SyscallArgs& a) {
    constexpr uint64_t kNonblock = 1, kRandom = 2, kInsecure = 4;
    constexpr uint64_t kMaxPerCall = (1u << 25) - 1;  // Linux returns at most 32 MiB - 1 per call
    uint64_t buf = a.a[0], len = a.a[1], flags = a.a[2];
    if (flags & ~(kNonblock | kRandom | kInsecure)) return error_result(Errno::INVAL);
    if ((flags & kInsecure) && (flags & kRandom)) return error_result(Errno::INVAL);
    if (len > kMaxPerCall) len = kMaxPerCall;
    if (!user_range_ok(buf, len)) return error_result(Errno::FAULT);
    uint8_t chunk[256];
    uint64_t done = 0;
    while (done < len) {
        uint64_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
        random_fill(chunk, n);
        auto r = copy_to_user(*t.process->space, buf + done, chunk, n);
        if (r.is_error()) return done ? static_cast<long>(done) : error_result(r.error());
        done += n;
    }
    return static_cast<long>(done);
}

}  // namespace rt::sys
