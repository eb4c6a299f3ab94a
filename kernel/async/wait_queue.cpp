#include "wait_queue.hpp"

#include "wait_callback.hpp"

namespace rt {

bool WaitEntry::register_and_arm(std::coroutine_handle<> h, bool (*pred)(void*), void* ctx) noexcept {
    m_wait.prepare(h);
    if (m_queue) {
        SpinLockGuard g(m_queue->m_lock);
        if (pred(ctx)) {
            m_ready_at_once = true;
            return false;
        }
        m_queue->m_entries.push_back(*this);
    }
    m_suspended = true;
    return m_wait.arm();
}

WaitResult WaitEntry::finish() noexcept {
    if (m_ready_at_once) return WaitResult::Woken;
    m_suspended = false;
    if (m_queue) {
        SpinLockGuard g(m_queue->m_lock);
        if (node.is_linked()) m_queue->m_entries.remove(*this);
    }
    return m_wait.disarm();
}

size_t WaitQueue::notify(uint32_t mask, size_t max) noexcept {
    size_t woken = 0, coroutines = 0;
    bool exclusive_taken = false;
    SpinLockGuard g(m_lock);
    WaitLink* e = m_entries.front();
    // Past `max` only callbacks are left to run: stop early when there are none.
    while (e && (coroutines < max || m_callbacks)) {
        WaitLink* next = m_entries.next_of(*e);
        uint32_t events = e->mask & mask;
        if (!events) {
            // not for this notify
        } else if (e->is_callback) {
            if (!(e->exclusive && exclusive_taken) && static_cast<WaitCallback*>(e)->run(events)) {
                ++woken;
                exclusive_taken |= e->exclusive;
            }
        } else if (coroutines < max) {
            m_entries.remove(*e);
            if (static_cast<WaitEntry*>(e)->m_wait.waiter().complete(WaitResult::Woken)) {
                ++coroutines;
                ++woken;
            }
        }
        e = next;
    }
    return woken;
}

bool WaitQueue::has_waiters() noexcept {
    SpinLockGuard g(m_lock);
    return !m_entries.empty();
}

}  // namespace rt
