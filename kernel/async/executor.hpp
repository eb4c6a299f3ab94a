#pragma once
// An executor: one run queue of ready coroutines, owned by one (hart, priority) kernel thread.
// Every wakeup is a post to an executor; nothing resumes a coroutine inline from an interrupt.
#include <atomic>
#include <coroutine>

#include "../lib/list.hpp"
#include "../lib/spinlock.hpp"

namespace rt {

// A coroutine ready to run. Embedded in the thing that waits (an awaiter in the coroutine's
// frame, or a detached task's promise), so posting never allocates.
struct Runnable {
    ListNode node;
    std::coroutine_handle<> handle;
    bool pinned = false;  // never taken by steal()
};

class Executor {
public:
    Executor() = default;
    Executor(const Executor&) = delete;
    Executor& operator=(const Executor&) = delete;

    // Queues r to run here. Callable from any hart and from interrupt handlers.
    void post(Runnable& r) noexcept;
    // Resumes one ready coroutine; false if there was none.
    bool run_once() noexcept;
    // Resumes ready coroutines until the queue is empty or `budget` ran; returns how many ran.
    size_t run(size_t budget = ~size_t{0}) noexcept;
    // Takes the newest ready coroutine that is not pinned, for an idle executor to run.
    Runnable* steal() noexcept;
    bool has_work() const noexcept { return m_ready_count.load(std::memory_order_acquire) != 0; }

    // The idle protocol: set_sleeping(true), re-check has_work(), then sleep; post() kicks a
    // sleeping executor (platform::kick). Both sides are sequentially consistent, so a post
    // either sees the flag or the sleeper sees the work.
    void set_sleeping(bool s) noexcept { m_sleeping.store(s, std::memory_order_seq_cst); }
    bool is_sleeping() const noexcept { return m_sleeping.load(std::memory_order_seq_cst); }

    // Total coroutines resumed here; for benchmarks and tests.
    uint64_t resumed() const noexcept { return m_resumed; }

private:
    void resume(Runnable& r) noexcept;

    SpinLock m_lock;
    IntrusiveList<Runnable, &Runnable::node> m_ready;
    std::atomic<size_t> m_ready_count{0};
    std::atomic<bool> m_sleeping{false};
    uint64_t m_resumed = 0;
};

// co_await yield(): go to the back of the current executor's queue.
struct YieldAwaiter {
    Runnable runnable;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) noexcept;
    void await_resume() const noexcept {}
};
inline YieldAwaiter yield() noexcept { return {}; }

}  // namespace rt
