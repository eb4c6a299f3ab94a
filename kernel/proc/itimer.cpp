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

}  // namespace rt
