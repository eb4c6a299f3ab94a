// futex(2): WAIT, WAKE, REQUEUE, CMP_REQUEUE, WAIT_BITSET, WAKE_BITSET, private and shared,
// relative and absolute timeouts (kernel/proc/futex.hpp does the work).
#include "handlers.hpp"
#include "kernel/mm/user_access.hpp"
#include "kernel/proc/futex.hpp"
#include "kernel/proc/vdso.hpp"
#include "timespec.hpp"

namespace rt::sys {
namespace {

enum Op : uint32_t { kWait = 0, kWake = 1, kRequeue = 3, kCmpRequeue = 4, kWaitBitset = 9, kWakeBitset = 10 };
constexpr uint32_t kPrivate = 128, kClockRealtime = 256;

// The timeout as an absolute monotonic deadline: WAIT's is relative, WAIT_BITSET's absolute
// (on CLOCK_REALTIME with FUTEX_CLOCK_REALTIME).
ErrorOr<uint64_t> deadline_of(Thread& t, uint64_t addr, bool absolute, bool realtime) {
    if (!addr) return kNoDeadline;
    Timespec ts;
    TRY(UserPtr<Timespec>(addr).read(*t.process->space, ts));
    uint64_t ns = TRY(timespec_ns(ts));
    if (!absolute) return deadline_after(ns);
    uint64_t offset = realtime ? realtime_offset_ns() : 0;
    return ns > offset ? ns - offset : 0;
}

}  // namespace

// Everything but the waits, which the async half does (FUTEX_WAIT, FUTEX_WAIT_BITSET).
long futex(Thread& t, const SyscallArgs& a) {
    uint64_t uaddr = a.a[0];
    uint32_t op = static_cast<uint32_t>(a.a[1]), val = static_cast<uint32_t>(a.a[2]);
    bool shared = !(op & kPrivate), realtime = op & kClockRealtime;
    uint32_t cmd = op & ~(kPrivate | kClockRealtime);
    if (realtime && cmd != kWaitBitset && cmd != kWait) return error_result(Errno::NOSYS);
    switch (cmd) {
    case kWait:
    case kWaitBitset: return error_result(Errno::WAITS);
    case kWake: return rt::futex_wake(t, uaddr, val, ~0u, shared);
    case kWakeBitset: return rt::futex_wake(t, uaddr, val, static_cast<uint32_t>(a.a[5]), shared);
    case kRequeue:
    case kCmpRequeue:
        // val2 (the requeue count) travels in the timeout argument's register.
        return futex_requeue(t, uaddr, val, static_cast<uint32_t>(a.a[3]), a.a[4], cmd == kCmpRequeue,
                             static_cast<uint32_t>(a.a[5]), shared);
    default: return error_result(Errno::NOSYS);
    }
}

// The waits: the task is rt::futex_wait's own (one coroutine frame).
Task<long> futex_wait(Thread& t, SyscallArgs a) {
    uint32_t op = static_cast<uint32_t>(a.a[1]);
    bool shared = !(op & kPrivate), realtime = op & kClockRealtime;
    uint32_t cmd = op & ~(kPrivate | kClockRealtime);
    uint32_t bitset = cmd == kWait ? ~0u : static_cast<uint32_t>(a.a[5]);
    auto deadline = deadline_of(t, a.a[3], cmd == kWaitBitset, realtime);
    if (deadline.is_error()) return answer(error_result(deadline.error()));
    return rt::futex_wait(t, a.a[0], static_cast<uint32_t>(a.a[2]), deadline.value(), bitset, shared);
}

}  // namespace rt::sys
