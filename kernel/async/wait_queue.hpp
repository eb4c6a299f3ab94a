#pragma once
// WaitQueue: the building block of every blocking operation. A coroutine waits until a
// predicate holds; the predicate is checked under the queue's lock before suspending, so a
// notify that follows a state change is never lost. Waits take a readiness mask (notify wakes
// only waiters whose mask intersects), an optional deadline and an optional Cancellation.
// After a Woken result the caller re-checks its condition: a wake is a hint, not a promise.
// Besides coroutines, a queue holds callbacks (WaitCallback, wait_callback.hpp): what lets one
// waiter hear from many queues (poll, epoll).
#include <cstdint>

#include "timed_wait.hpp"

namespace rt {

class WaitQueue;

// What a WaitQueue holds: one coroutine's wait (a WaitEntry, unlinked as it is woken) or a
// callback (a WaitCallback, which stays queued until it is removed).
struct WaitLink {
    ListNode node;
    uint32_t mask = ~0u;      // the notifies it hears of
    bool is_callback = false;
    bool exclusive = false;   // callbacks only: see WaitCallback
};

// The part of a wait that does not depend on the predicate's type.
class WaitEntry : WaitLink {
public:
    WaitEntry(WaitQueue* q, const WaitOptions& o) : m_queue(q), m_wait(o) { mask = o.mask; }
    // A frame destroyed while suspended in the wait must not stay linked anywhere.
    ~WaitEntry() {
        if (m_suspended) finish();
    }
    WaitEntry(const WaitEntry&) = delete;

    // Registers with every source; returns false if the wait already ended (don't suspend).
    bool register_and_arm(std::coroutine_handle<> h, bool (*pred)(void*), void* ctx) noexcept;
    // Unregisters from every source; returns why the wait ended.
    WaitResult finish() noexcept;

private:
    friend class WaitQueue;
    WaitQueue* m_queue;
    TimedWait m_wait;
    bool m_ready_at_once = false;
    bool m_suspended = false;
};

template <typename Pred>
class WaitAwaiter {
public:
    WaitAwaiter(WaitQueue* q, Pred pred, const WaitOptions& o) : m_entry(q, o), m_pred(pred) {}
    bool await_ready() noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> h) noexcept {
        return m_entry.register_and_arm(h, &call, &m_pred);
    }
    WaitResult await_resume() noexcept { return m_entry.finish(); }

private:
    static bool call(void* p) { return (*static_cast<Pred*>(p))(); }
    WaitEntry m_entry;
    Pred m_pred;
};

class WaitQueue {
public:
    WaitQueue() = default;
    WaitQueue(const WaitQueue&) = delete;
    WaitQueue& operator=(const WaitQueue&) = delete;

    // co_await wq.wait(pred, opts): Woken at once if pred() already holds, else suspends
    // until a matching notify (Woken), the deadline (TimedOut) or cancellation (Cancelled).
    template <typename Pred>
    WaitAwaiter<Pred> wait(Pred pred, const WaitOptions& o = {}) noexcept {
        return WaitAwaiter<Pred>(this, pred, o);
    }
    // Wakes up to `max` waiting coroutines whose mask intersects `mask`, oldest first, and
    // runs every matching callback (they do not count against `max`). Returns how many
    // coroutines it woke plus how many callbacks reported a wake.
    size_t notify(uint32_t mask = ~0u, size_t max = ~size_t{0}) noexcept;
    size_t notify_one(uint32_t mask = ~0u) noexcept { return notify(mask, 1); }
    // Whether anything (a coroutine or a callback) is queued.
    bool has_waiters() noexcept;

private:
    friend class WaitEntry;
    friend class WaitCallback;
    SpinLock m_lock;
    IntrusiveList<WaitLink, &WaitLink::node> m_entries;
    size_t m_callbacks = 0;  // how many of m_entries are callbacks
};

}  // namespace rt
