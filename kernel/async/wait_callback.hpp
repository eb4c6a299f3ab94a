#pragma once
// WaitCallback: a WaitQueue entry that runs a function when the queue is notified, instead of
// resuming a coroutine. It is how one waiter hears from many queues: poll and select put one
// on each file's readiness queue, an epoll instance one per registered file. Unlike a
// coroutine's wait it stays queued across notifies, until remove().
#include "wait_queue.hpp"

namespace rt {

class WaitCallback : WaitLink {
public:
    // Runs under the notifying queue's lock (interrupts off): short, and taking only locks
    // that come after that queue's. `events` is the notify's mask and this entry's in common.
    // Returns whether it counts as a wake.
    using Fn = bool (*)(void* context, uint32_t events);

    // An exclusive callback shares each notify with the other exclusive ones on its queue:
    // once one of them reports a wake, the rest are skipped (EPOLLEXCLUSIVE).
    WaitCallback(Fn fn, void* context, uint32_t mask = ~0u, bool exclusive = false) : m_fn(fn), m_context(context) {
        this->mask = mask;
        this->exclusive = exclusive;
        is_callback = true;
    }
    ~WaitCallback() { remove(); }
    WaitCallback(const WaitCallback&) = delete;
    WaitCallback& operator=(const WaitCallback&) = delete;

    // Queues it on `q` (it must not be queued already): from now on every notify of `q` whose
    // mask intersects runs it. The queue must outlive the registration.
    void add_to(WaitQueue& q) noexcept;
    // Unqueues it, if queued. When this returns the function is not running on any hart and
    // will not run again (calls run under the queue's lock, which this takes). Never call it
    // from the function itself.
    void remove() noexcept;
    bool is_queued() const noexcept { return m_queue != nullptr; }
    // The notifies it hears of; changed only while it is not queued.
    void set_mask(uint32_t m) noexcept { mask = m; }

private:
    friend class WaitQueue;
    bool run(uint32_t events) noexcept { return m_fn(m_context, events); }

    Fn m_fn;
    void* m_context;
    WaitQueue* m_queue = nullptr;  // changed only by add_to and remove, on the owner's side
};

}  // namespace rt
