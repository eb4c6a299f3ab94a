#pragma once
// TimedWait: a Waiter plus the two sources every kind of wait shares, a deadline on the hart's
// timer queue and a Cancellation. The wait kinds (WaitQueue entries, semaphore acquires) add
// their own source and call arm()/disarm() around it.
#include <cstdint>

#include "cancellation.hpp"
#include "timer_queue.hpp"
#include "waiter.hpp"

namespace rt {

struct WaitOptions {
    uint32_t mask = ~0u;                 // WaitQueue only: which notifies wake this wait
    uint64_t deadline_ns = kNoDeadline;  // absolute, platform::now_ns() clock
    Cancellation* cancel = nullptr;
};

class TimedWait {
public:
    explicit TimedWait(const WaitOptions& o) : m_options(o) {}
    TimedWait(const TimedWait&) = delete;
    TimedWait& operator=(const TimedWait&) = delete;

    Waiter& waiter() { return m_waiter; }
    const WaitOptions& options() const { return m_options; }

    // First step of await_suspend, before the wait kind registers its own source.
    void prepare(std::coroutine_handle<> h) noexcept { m_waiter.prepare(h, platform::current_executor()); }
    // Last step of await_suspend: registers the deadline and the cancellation and arms the
    // waiter; false if the wait already ended (then don't suspend).
    bool arm() noexcept;
    // Unregisters the deadline and the cancellation; the wait's result is final afterwards.
    WaitResult disarm() noexcept;

private:
    WaitOptions m_options;
    Waiter m_waiter;
    TimerNode m_timer;
    TimerQueue* m_timer_queue = nullptr;
};

}  // namespace rt
