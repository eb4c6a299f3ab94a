#pragma once
// An executor: the ready coroutines of one (hart, priority) kernel thread. Every wakeup is a
// post to an executor; nothing resumes a coroutine inline from an interrupt.
//
// Two queues keep the common case cheap. The owner's queue is touched only by the thread that
// runs the executor, outside interrupt handlers: a yield or a wake between coroutines of the
// same thread takes no lock and masks no interrupt. Everything else (other harts, other
// threads of this hart, interrupt handlers, new tasks) goes through the inbox, under a lock
// that masks interrupts; idle harts steal from the inbox.
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
    // Queues r in the inbox, where idle harts may steal it (new work).
    void post_shared(Runnable& r) noexcept;
    // Resumes one ready coroutine; false if there was none. Only the owner calls this.
    bool run_once() noexcept;
    // Resumes ready coroutines until the queue is empty or `budget` ran; returns how many ran.
    size_t run(size_t budget = ~size_t{0}) noexcept;
    // Takes the newest unpinned coroutine from the inbox, for an idle executor to run.
    Runnable* steal() noexcept;
    // Read by the owner, and by other threads of the owner's hart (never concurrently with
    // the owner: they run only while it is switched out or interrupted).
    // The idle re-check passes seq_cst (see below).
    bool has_work(std::memory_order order = std::memory_order_relaxed) const noexcept {
        return !m_local.empty() || m_inbox_count.load(order) != 0;
    }

    // The idle protocol: set_sleeping(true), re-check has_work(), then sleep; a post to the
    // inbox kicks a sleeping executor (platform::kick). The flag, the inbox count and the
    // re-check are sequentially consistent, so a post either sees the flag or the sleeper sees
    // the work.
    void set_sleeping(bool s) noexcept { m_sleeping.store(s, std::memory_order_seq_cst); }
    bool is_sleeping() const noexcept { return m_sleeping.load(std::memory_order_seq_cst); }

    // Whether the coroutine running now is pinned: its next wait's Runnable inherits it, so a
    // pinned coroutine stays on this executor for its whole life. Owner only.
    bool running_pinned() const noexcept { return m_running_pinned; }

    // Total coroutines resumed here; for benchmarks and tests.
    uint64_t resumed() const noexcept { return m_resumed; }

private:
    Runnable* take_inbox() noexcept;
    static constexpr unsigned kMaxInboxStreak = 16;

    IntrusiveList<Runnable, &Runnable::node> m_local;  // owner only

    SpinLock m_lock;
    IntrusiveList<Runnable, &Runnable::node> m_inbox;
    std::atomic<size_t> m_inbox_count{0};

    std::atomic<bool> m_sleeping{false};
    bool m_running_pinned = false;
    unsigned m_inbox_streak = 0;
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
