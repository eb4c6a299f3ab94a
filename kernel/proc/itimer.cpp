#include "itimer.hpp"

#include <new>

#include "arch/riscv/timer.hpp"
#include "kernel/async/sleep.hpp"
#include "signal.hpp"

namespace rt {

// One armed timer; owned by its coroutine, which frees it when it ends.
struct RealTimer {
    Cancellation cancel;
    Process* process;
    uint64_t deadline_ns, interval_ns;
};

namespace {

Task<void> run_timer(RealTimer* timer) {
    for (;;) {
        auto w = co_await sleep_until(timer->deadline_ns, &timer->cancel);
        if (w == WaitResult::Cancelled) break;
        send_signal(*timer->process, kSigAlrm);
        SpinLockGuard g(timer->process->signal_lock);
        if (timer->process->real_timer != timer) break;  // replaced meanwhile
        if (!timer->interval_ns) {
            timer->process->real_timer = nullptr;
            break;
        }
        timer->deadline_ns += timer->interval_ns;
    }
    release_process(timer->process);
    delete timer;
}

ItimerValue remaining(const RealTimer* t) {
    if (!t) return {0, 0};
    uint64_t now = arch::now_ns();
    // An expired one-shot not yet cleared reads as disarmed; Linux reports at least 1 µs left
    // for a timer about to fire, which callers use to tell "armed" from "disarmed".
    return {t->deadline_ns > now ? t->deadline_ns - now : 1000, t->interval_ns};
}

}  // namespace

ErrorOr<ItimerValue> set_real_timer(Process& p, ItimerValue v) {
    RealTimer* fresh = nullptr;
    if (v.value_ns) {
        fresh = new (std::nothrow) RealTimer{{}, &p, arch::now_ns() + v.value_ns, v.interval_ns};
        if (!fresh) return Error(Errno::NOMEM);
    }
    Task<void> task;
    if (fresh) {
        task = run_timer(fresh);
        if (!task.valid()) {
            delete fresh;
            return Error(Errno::NOMEM);
        }
        p.refs.fetch_add(1);  // the timer's coroutine keeps the process alive
    }
    ItimerValue old;
    {
        SpinLockGuard g(p.signal_lock);
        old = remaining(p.real_timer);
        if (p.real_timer) p.real_timer->cancel.cancel();
        p.real_timer = fresh;
    }
    if (fresh) (void)spawn(std::move(task));
    return old;
}

ItimerValue get_real_timer(Process& p) {
    SpinLockGuard g(p.signal_lock);
    return remaining(p.real_timer);
}

void cancel_real_timer(Process& p) {
    SpinLockGuard g(p.signal_lock);
    if (p.real_timer) p.real_timer->cancel.cancel();
    p.real_timer = nullptr;
}

namespace {

uint64_t cpu_time(const Process& p, CpuClock which) {
    uint64_t user = p.utime.load(std::memory_order_relaxed);
    return which == CpuClock::Virtual ? user : user + p.stime.load(std::memory_order_relaxed);
}

ItimerValue cpu_remaining(const Process& p, CpuClock which) {
    const Process::CpuTimer& timer = p.cpu_timers[static_cast<int>(which)];
    if (!timer.expires) return {0, arch::ticks_to_ns(timer.interval)};
    uint64_t now = cpu_time(p, which);
    // As for the real timer: one about to fire reads as 1 µs left, not as disarmed.
    return {timer.expires > now ? arch::ticks_to_ns(timer.expires - now) : 1000, arch::ticks_to_ns(timer.interval)};
}

}  // namespace

ItimerValue set_cpu_timer(Process& p, CpuClock which, ItimerValue v) {
    SpinLockGuard g(p.signal_lock);
    ItimerValue old = cpu_remaining(p, which);
    Process::CpuTimer& timer = p.cpu_timers[static_cast<int>(which)];
    timer.expires = v.value_ns ? cpu_time(p, which) + arch::ns_to_ticks(v.value_ns) : 0;
    timer.interval = arch::ns_to_ticks(v.interval_ns);
    p.cpu_timers_armed = p.cpu_timers[0].expires || p.cpu_timers[1].expires;
    return old;
}

ItimerValue get_cpu_timer(Process& p, CpuClock which) {
    SpinLockGuard g(p.signal_lock);
    return cpu_remaining(p, which);
}

void check_cpu_timers(Process& p) {
    int fired[2] = {0, 0};
    {
        SpinLockGuard g(p.signal_lock);
        for (CpuClock which : {CpuClock::Virtual, CpuClock::Prof}) {
            Process::CpuTimer& timer = p.cpu_timers[static_cast<int>(which)];
            uint64_t now = cpu_time(p, which);
            if (!timer.expires || now < timer.expires) continue;
            fired[static_cast<int>(which)] = which == CpuClock::Virtual ? kSigVtalrm : kSigProf;
            // The next expiry an interval on, but never in the past: time charged in one step
            // may span several intervals, and one signal stands for them (as Linux's does).
            timer.expires = !timer.interval ? 0 : now >= timer.expires + timer.interval ? now + timer.interval
                                                                                       : timer.expires + timer.interval;
        }
        p.cpu_timers_armed = p.cpu_timers[0].expires || p.cpu_timers[1].expires;
    }
    for (int sig : fired)
        if (sig) send_signal(p, sig);
}

}  // namespace rt
