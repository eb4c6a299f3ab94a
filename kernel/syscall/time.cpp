// Clocks, sleeping and yielding.
#include "arch/riscv/timer.hpp"
#include "handlers.hpp"
#include "kernel/async/sleep.hpp"
#include "kernel/mm/user_access.hpp"
#include "kernel/proc/itimer.hpp"
#include "kernel/proc/vdso.hpp"
#include "timespec.hpp"

namespace rt::sys {
namespace {

constexpr int kClockRealtime = 0, kClockMonotonic = 1, kClockProcessCputime = 2,
              kClockThreadCputime = 3, kClockMonotonicRaw = 4, kClockRealtimeCoarse = 5,
              kClockMonotonicCoarse = 6, kClockBoottime = 7;

// Nanoseconds on `clock`, or EINVAL; the same answers as the vDSO's. The CPU-time clocks are
// not kept yet (EINVAL).
ErrorOr<uint64_t> clock_now(int64_t clock) {
    switch (clock) {
    case kClockRealtime:
    case kClockRealtimeCoarse: return arch::now_ns() + realtime_offset_ns();
    case kClockMonotonic:
    case kClockMonotonicRaw:
    case kClockMonotonicCoarse:
    case kClockBoottime: return arch::now_ns();
    default: return Error(Errno::INVAL);
    }
}

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

namespace {

// Sleeps until `req` (relative, or absolute on `clock` when `absolute`). A signal ends it
// first: a relative sleep returns EINTR with the time left in `rem_addr`; an absolute one is
// restarted unless a handler runs (Linux's restart block resumes a relative sleep with the
// time left too; here the caller sees EINTR and `rem` instead).
Task<long> sleep_on(Thread& t, int64_t clock, bool absolute, uint64_t req_addr, uint64_t rem_addr) {
    Timespec req;
    auto r = UserPtr<Timespec>(req_addr).read(*t.process->space, req);
    if (r.is_error()) co_return error_result(r.error());
    auto req_ns = timespec_ns(req);
    if (req_ns.is_error()) co_return error_result(req_ns.error());
    auto now_on_clock = clock_now(clock);
    if (now_on_clock.is_error()) co_return error_result(now_on_clock.error());
    uint64_t ns = req_ns.value();
    // Deadlines are kept on the monotonic clock: an absolute realtime deadline is converted.
    uint64_t offset = now_on_clock.value() - arch::now_ns();
    uint64_t deadline = !absolute ? deadline_after(ns) : ns > offset ? ns - offset : 0;
    auto w = co_await sleep_until(deadline, &t.cancel);
    if (w != WaitResult::Cancelled) co_return 0;
    uint64_t now = arch::now_ns();
    if (!absolute && rem_addr)
        (void)UserPtr<Timespec>(rem_addr).write(*t.process->space, to_timespec(deadline > now ? deadline - now : 0));
    co_return error_result(absolute ? Errno::RESTARTNOHAND : Errno::INTR);
}

}  // namespace

Task<long> nanosleep(Thread& t, SyscallArgs a) { return sleep_on(t, kClockMonotonic, false, a.a[0], a.a[1]); }

Task<long> clock_nanosleep(Thread& t, SyscallArgs a) {
    constexpr uint64_t kTimerAbstime = 1;
    if (a.a[1] & ~kTimerAbstime) co_return error_result(Errno::INVAL);
    long r = co_await sleep_on(t, static_cast<int64_t>(a.a[0]), a.a[1] & kTimerAbstime, a.a[2], a.a[3]);
    co_return r;
}

Task<long> sched_yield(Thread&, SyscallArgs) {
    co_await yield();
    co_return 0;
}

}  // namespace rt::sys

namespace rt::sys {

long gettimeofday(Thread& t, const SyscallArgs& a) {
    struct Timeval {
        int64_t sec, usec;
    };
    struct Timezone {
        int32_t minuteswest, dsttime;  // the kernel keeps no time zone: UTC
    };
    AddressSpace& space = *t.process->space;
    if (a.a[0]) {
        uint64_t ns = arch::now_ns() + realtime_offset_ns();
        Timeval tv{static_cast<int64_t>(ns / 1'000'000'000), static_cast<int64_t>(ns % 1'000'000'000 / 1000)};
        auto r = UserPtr<Timeval>(a.a[0]).write(space, tv);
        if (r.is_error()) return error_result(r.error());
    }
    if (a.a[1]) return to_result(UserPtr<Timezone>(a.a[1]).write(space, Timezone{0, 0}));
    return 0;
}

}  // namespace rt::sys

namespace rt::sys {
namespace {

struct Timeval {
    int64_t sec, usec;
};
struct Itimerval {
    Timeval interval, value;
};
constexpr uint64_t kItimerReal = 0, kItimerVirtual = 1, kItimerProf = 2;

uint64_t tv_ns(const Timeval& tv) {
    constexpr uint64_t kMaxSec = 100ull * 365 * 24 * 3600;  // far enough: no overflow below
    uint64_t s = static_cast<uint64_t>(tv.sec) > kMaxSec ? kMaxSec : static_cast<uint64_t>(tv.sec);
    return s * 1'000'000'000 + static_cast<uint64_t>(tv.usec) * 1000;
}
Timeval ns_tv(uint64_t ns) { return {static_cast<int64_t>(ns / 1'000'000'000), static_cast<int64_t>(ns % 1'000'000'000 / 1000)}; }
Itimerval to_user(ItimerValue v) { return {ns_tv(v.interval_ns), ns_tv(v.value_ns)}; }

long check_which(uint64_t which) {
    return which == kItimerReal || which == kItimerVirtual || which == kItimerProf ? 0 : error_result(Errno::INVAL);
}

}  // namespace

long setitimer(Thread& t, const SyscallArgs& a) {
    if (long e = check_which(a.a[0])) return e;
    Process& p = *t.process;
    Itimerval fresh{};
    if (a.a[1]) {
        auto r = UserPtr<Itimerval>(a.a[1]).read(*p.space, fresh);
        if (r.is_error()) return error_result(r.error());
    }
    for (const Timeval& tv : {fresh.interval, fresh.value})
        if (tv.sec < 0 || tv.usec < 0 || tv.usec >= 1'000'000) return error_result(Errno::INVAL);
    ItimerValue value{tv_ns(fresh.value), tv_ns(fresh.interval)}, old;
    if (a.a[0] == kItimerReal) {
        auto r = set_real_timer(p, value);
        if (r.is_error()) return error_result(r.error());
        old = r.value();
    } else {
        old = set_cpu_timer(p, a.a[0] == kItimerVirtual ? CpuClock::Virtual : CpuClock::Prof, value);
    }
    if (a.a[2]) return to_result(UserPtr<Itimerval>(a.a[2]).write(*p.space, to_user(old)));
    return 0;
}

long getitimer(Thread& t, const SyscallArgs& a) {
    if (long e = check_which(a.a[0])) return e;
    Process& p = *t.process;
    ItimerValue v = a.a[0] == kItimerReal      ? get_real_timer(p)
                    : a.a[0] == kItimerVirtual ? get_cpu_timer(p, CpuClock::Virtual)
                                               : get_cpu_timer(p, CpuClock::Prof);
    return to_result(UserPtr<Itimerval>(a.a[1]).write(*p.space, to_user(v)));
}

}  // namespace rt::sys
