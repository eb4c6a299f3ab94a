#include "timespec.hpp"

#include "arch/riscv/timer.hpp"
#include "kernel/async/timer_queue.hpp"
#include "kernel/mm/user_access.hpp"

namespace rt::sys {

ErrorOr<uint64_t> timespec_ns(const Timespec& ts) {
    if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= static_cast<int64_t>(kNsPerSec)) return Error(Errno::INVAL);
    constexpr uint64_t kMaxSec = (kNoDeadline - 1) / kNsPerSec - 1;
    if (static_cast<uint64_t>(ts.sec) > kMaxSec) return kNoDeadline - 1;
    return static_cast<uint64_t>(ts.sec) * kNsPerSec + static_cast<uint64_t>(ts.nsec);
}

uint64_t deadline_after(uint64_t ns) {
    uint64_t now = arch::now_ns();
    return ns > kNoDeadline - 1 - now ? kNoDeadline - 1 : now + ns;
}

ErrorOr<uint64_t> read_timeout(AddressSpace& space, uint64_t addr) {
    if (!addr) return kNoDeadline;
    Timespec ts;
    TRY(UserPtr<Timespec>(addr).read(space, ts));
    return deadline_after(TRY(timespec_ns(ts)));
}

}  // namespace rt::sys
