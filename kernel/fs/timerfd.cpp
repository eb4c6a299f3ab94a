#include "timerfd.hpp"

#include <new>

#include "kernel/async/sleep.hpp"
#include "kernel/async/task.hpp"
#include "kernel/lib/platform.hpp"
#include "kernel/mm/user_access.hpp"

namespace rt {

// The timer's state, shared by its file and the coroutine of its current arming.
struct TimerCore {
    struct Runner {
        Cancellation cancel;
        TimerCore* core;
    };

    explicit TimerCore(uint64_t offset) : clock_offset(offset) {}
    void retain() { refs.fetch_add(1, std::memory_order_relaxed); }
    void release() {
        if (refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
    }
    // What is left until the next expiry; 0 if disarmed or if it is due. lock held.
    TimerFd::Setting remaining_locked(uint64_t now) const {
        if (!armed) return {0, interval};
        if (now < deadline) return {deadline - now, interval};
        if (!interval) return {0, 0};
        return {interval - (now - deadline) % interval, interval};
    }

    SpinLock lock;
    const uint64_t clock_offset;
    bool armed = false;
    uint64_t deadline = 0, interval = 0;  // monotonic ns
    uint64_t ticks = 0;                   // expirations not read yet
    Runner* runner = nullptr;             // the current arming's coroutine
    WaitQueue readiness;
    std::atomic<int> refs{1};
};

namespace {

// Sleeps to each expiry of one arming and counts it, until re-armed, disarmed or closed.
Task<void> run_timer(TimerCore::Runner* runner) {
    TimerCore& core = *runner->core;
    for (;;) {
        uint64_t deadline;
        {
            SpinLockGuard g(core.lock);
            deadline = core.deadline;
        }
        if (co_await sleep_until(deadline, &runner->cancel) == WaitResult::Cancelled) break;
        bool fired = false, done = false;
        {
            SpinLockGuard g(core.lock);
            uint64_t now = platform::now_ns();
            if (core.runner != runner) {
                done = true;  // replaced meanwhile
            } else if (now >= core.deadline) {
                // Expiries missed meanwhile count too (a late wake, a short interval).
                uint64_t missed = core.interval ? (now - core.deadline) / core.interval : 0;
                core.ticks += 1 + missed;
                fired = true;
                if (core.interval) {
                    core.deadline += (1 + missed) * core.interval;
                } else {
                    core.armed = false;
                    core.runner = nullptr;
                    done = true;
                }
            }
        }
        if (fired) core.readiness.notify(kPollIn);
        if (done) break;
    }
    core.release();
    delete runner;
}

}  // namespace

TimerFd* TimerFd::create(uint64_t clock_offset_ns, uint32_t flags) {
    auto* core = new (std::nothrow) TimerCore(clock_offset_ns);
    if (!core) return nullptr;
    auto* file = new (std::nothrow) TimerFd(core, flags);
    if (!file) delete core;
    return file;
}

TimerFd::~TimerFd() {
    {
        SpinLockGuard g(m_core->lock);
        if (m_core->runner) m_core->runner->cancel.cancel();
        m_core->runner = nullptr;
        m_core->armed = false;
    }
    m_core->release();
}

ErrorOr<TimerFd::Setting> TimerFd::set(Setting s, bool absolute) {
    TimerCore::Runner* fresh = nullptr;
    Task<void> task;
    if (s.value_ns) {
        fresh = new (std::nothrow) TimerCore::Runner{{}, m_core};
        if (!fresh) return Error(Errno::NOMEM);
        task = run_timer(fresh);
        if (!task.valid()) {
            delete fresh;
            return Error(Errno::NOMEM);
        }
        m_core->retain();  // the coroutine's
    }
    Setting old;
    {
        SpinLockGuard g(m_core->lock);
        uint64_t now = platform::now_ns();
        old = m_core->remaining_locked(now);
        if (m_core->runner) m_core->runner->cancel.cancel();
        m_core->runner = fresh;
        m_core->ticks = 0;
        m_core->armed = fresh != nullptr;
        m_core->interval = s.interval_ns;
        if (!absolute) m_core->deadline = s.value_ns > kNoDeadline - 1 - now ? kNoDeadline - 1 : now + s.value_ns;
        else m_core->deadline = s.value_ns > m_core->clock_offset ? s.value_ns - m_core->clock_offset : 0;
    }
    if (fresh) (void)spawn(std::move(task));
    return old;
}

TimerFd::Setting TimerFd::get() {
    SpinLockGuard g(m_core->lock);
    return m_core->remaining_locked(platform::now_ns());
}

ErrorOr<size_t> TimerFd::read(AddressSpace& space, uint64_t buf, size_t len, uint64_t) {
    if (len < sizeof(uint64_t)) return Error(Errno::INVAL);
    uint64_t ticks;
    {
        SpinLockGuard g(m_core->lock);
        if (!m_core->ticks) return Error(Errno::AGAIN);
        ticks = m_core->ticks;
        m_core->ticks = 0;
    }
    // Taken already: a bad buffer loses them, as on Linux.
    TRY(copy_to_user(space, buf, &ticks, sizeof ticks));
    return sizeof ticks;
}

Stat TimerFd::stat() const {
    return anonymous_inode_stat();
}

uint32_t TimerFd::poll() const {
    SpinLockGuard g(m_core->lock);
    return m_core->ticks ? kPollIn : 0;
}

WaitQueue* TimerFd::readiness() { return &m_core->readiness; }

}  // namespace rt
