// getrusage and times: the CPU time each thread accounts in its user loop (user mode from
// entry to trap; the kernel from trap to the next entry, less its waits), for the thread and
// its process, and for the children the process has reaped.
#include "usage.hpp"

#include "arch/riscv/csr.hpp"
#include "arch/riscv/timer.hpp"
#include "handlers.hpp"
#include "kernel/mm/user_access.hpp"

namespace rt::sys {
namespace {

struct Times {
    uint64_t user, system;  // timer ticks
};

// Another thread's counters change as it runs: read them whole, without a lock.
uint64_t read_ticks(const uint64_t& v) { return __atomic_load_n(&v, __ATOMIC_RELAXED); }

Times times_of(Thread& t, RusageOf who) {
    Process& p = *t.process;
    if (who == RusageOf::Thread) return {read_ticks(t.utime), read_ticks(t.stime)};
    if (who == RusageOf::Children) return {p.children_utime.load(), p.children_stime.load()};
    return {p.utime.load(), p.stime.load()};
}

struct Timeval {
    int64_t sec, usec;
};
Timeval to_timeval(uint64_t ticks) {
    uint64_t ns = arch::ticks_to_ns(ticks);
    return {static_cast<int64_t>(ns / 1'000'000'000), static_cast<int64_t>(ns % 1'000'000'000 / 1000)};
}

// Linux's clock_t unit for times(): USER_HZ.
constexpr uint64_t kUserHz = 100;
int64_t to_clock_t(uint64_t ticks) { return static_cast<int64_t>(arch::ticks_to_ns(ticks) / (1'000'000'000 / kUserHz)); }

}  // namespace

long write_rusage(Thread& t, uint64_t addr, RusageOf who) {
    struct Rusage {
        Timeval utime, stime;
        int64_t maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock, msgsnd, msgrcv,
            nsignals, nvcsw, nivcsw;
    } r{};
    static_assert(sizeof(Rusage) == 144);
    Times times = times_of(t, who);
    r.utime = to_timeval(times.user);
    r.stime = to_timeval(times.system);
    // The resident set now, in KiB, stands in for its peak (which is not tracked).
    if (who != RusageOf::Children) r.maxrss = static_cast<int64_t>(t.process->space->resident_pages() * 4);
    return to_result(UserPtr<Rusage>(addr).write(*t.process->space, r));
}

long getrusage(Thread& t, const SyscallArgs& a) {
    constexpr int64_t kSelf = 0, kChildren = -1, kThread = 1;
    int64_t who = static_cast<int32_t>(a.a[0]);
    if (who == kSelf) return write_rusage(t, a.a[1], RusageOf::Self);
    if (who == kChildren) return write_rusage(t, a.a[1], RusageOf::Children);
    if (who == kThread) return write_rusage(t, a.a[1], RusageOf::Thread);
    return error_result(Errno::INVAL);
}

long times(Thread& t, const SyscallArgs& a) {
    struct Tms {
        int64_t utime, stime, cutime, cstime;
    };
    if (a.a[0]) {
        Times self = times_of(t, RusageOf::Self), children = times_of(t, RusageOf::Children);
        Tms tms{to_clock_t(self.user), to_clock_t(self.system), to_clock_t(children.user), to_clock_t(children.system)};
        auto w = UserPtr<Tms>(a.a[0]).write(*t.process->space, tms);
        if (w.is_error()) return error_result(w.error());
    }
    return to_clock_t(arch::rdtime());  // clock ticks since boot
}

}  // namespace rt::sys
