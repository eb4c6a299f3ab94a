// Clocks, sleeping and yielding.
#include "arch/riscv/timer.hpp"
#include "handlers.hpp"
#include "kernel/async/sleep.hpp"
#include "kernel/mm/user_access.hpp"

namespace rt::sys {
namespace {

struct Timespec {
    int64_t sec, nsec;
};

constexpr int kClockRealtime = 0, kClockMonotonic = 1, kClockProcessCputime = 2,
              kClockThreadCputime = 3, kClockMonotonicRaw = 4, kClockRealtimeCoarse = 5,
              kClockMonotonicCoarse = 6, kClockBoottime = 7;

// Nanoseconds on `clock`, or EINVAL. There is no RTC driver yet, so the realtime clocks count
// from the epoch at boot; the CPU-time clocks are not kept yet (EINVAL).
ErrorOr<uint64_t> clock_now(int64_t clock) {
    switch (clock) {
    case kClockRealtime:
    case kClockMonotonic:
    case kClockMonotonicRaw:
    case kClockRealtimeCoarse:
    case kClockMonotonicCoarse:
    case kClockBoottime: return arch::now_ns();
    default: return Error(Errno::INVAL);
    }
}

Timespec to_timespec(uint64_t ns) { return {static_cast<int64_t>(ns / 1'000'000'000), static_cast<int64_t>(ns % 1'000'000'000)}; }

}  // namespace

long clock_gettime(Thread& t, const SyscallArgs& a) {
    auto now = clock_now(static_cast<int64_t>(a.a[0]));
    if (now.is_error()) return error_result(now.error());
    return to_result(UserPtr<Timespec>(a.a[1]).write(*t.process->space, to_timespec(now.value())));
}

long clock_getres(Thread& t, const SyscallArgs& a) {
    auto now = clock_now(static_cast<int64_t>(a.a[0]));
    if (now.is_error()) return error_result(now.error());
    if (a.a[1] == 0) return 0;
    uint64_t res = arch::ticks_to_ns(1) ? arch::ticks_to_ns(1) : 1;
    return to_result(UserPtr<Timespec>(a.a[1]).write(*t.process->space, to_timespec(res)));
}

Task<long> nanosleep(Thread& t, SyscallArgs a) {
    Timespec req;
    auto r = UserPtr<Timespec>(a.a[0]).read(*t.process->space, req);
    if (r.is_error()) co_return error_result(r.error());
    if (req.sec < 0 || req.nsec < 0 || req.nsec >= 1'000'000'000) co_return error_result(Errno::INVAL);
    uint64_t start = arch::now_ns();
    uint64_t ns = static_cast<uint64_t>(req.sec) > (~0ull - 999'999'999) / 1'000'000'000
                      ? kNoDeadline - 1 - start
                      : static_cast<uint64_t>(req.sec) * 1'000'000'000 + static_cast<uint64_t>(req.nsec);
    uint64_t deadline = ns > kNoDeadline - 1 - start ? kNoDeadline - 1 : start + ns;
    auto w = co_await sleep_until(deadline, &t.cancel);
    if (w != WaitResult::Cancelled) co_return 0;
    // Interrupted: report what was left, as Linux does through rem.
    uint64_t now = arch::now_ns();
    if (a.a[1]) (void)UserPtr<Timespec>(a.a[1]).write(*t.process->space, to_timespec(deadline > now ? deadline - now : 0));
    co_return error_result(Errno::INTR);
}

Task<long> sched_yield(Thread&, SyscallArgs) {
    co_await yield();
    co_return 0;
}

}  // namespace rt::sys
