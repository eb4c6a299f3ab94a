#pragma once
// The host's stand-in for the kernel's platform layer: std::threads as harts, a switchable fake
// clock for deterministic timeout tests, and frame allocation that can be made to fail.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "kernel/async/executor.hpp"
#include "kernel/async/timer_queue.hpp"

namespace rt::host {

// A hart: a thread running one executor and one timer queue, stealing from the other harts
// when idle and sleeping (on a condition variable, as a hart in wfi) when there is nothing.
class HostHart {
public:
    HostHart();
    ~HostHart();  // stops and joins
    void start();
    void stop();
    Executor& executor() { return m_executor; }
    TimerQueue& timers() { return m_timers; }
    void kick();

private:
    void loop();
    Executor m_executor;
    TimerQueue m_timers;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_kicked = false;
    std::atomic<bool> m_stop{false};
};

// Makes the calling thread a hart of its own for single-threaded tests: it owns `ex` and `tq`
// until destroyed. Drive it with pump().
class CurrentThreadHart {
public:
    CurrentThreadHart();
    ~CurrentThreadHart();
    Executor& executor() { return m_executor; }
    TimerQueue& timers() { return m_timers; }
    // Runs ready coroutines and fires due timers until neither has anything to do.
    void pump();

private:
    Executor m_executor;
    TimerQueue m_timers;
    Executor* m_prev_executor;
    TimerQueue* m_prev_timers;
};

// The fake clock: while enabled, platform::now_ns() returns the value set here.
void use_fake_clock(bool on);
void set_fake_time(uint64_t ns);
// The next `n` frame allocations fail.
void fail_next_allocations(int n);
// Frames currently allocated (for leak checks).
long live_frames();
// Runs `fn` once, from the next platform::irq_save() on the calling thread, that is as the
// next spinlock it takes starts locking. Lets a test act at an exact point inside a primitive.
void on_next_irq_save(std::function<void()> fn);

}  // namespace rt::host
