#include "wait_queue.hpp"

namespace rt {

bool WaitEntry::register_and_arm(std::coroutine_handle<> h, bool (*pred)(void*), void* ctx) noexcept {
    m_waiter.prepare(h, platform::current_executor());
    if (m_queue) {
        SpinLockGuard g(m_queue->m_lock);
        if (pred(ctx)) {
            m_ready_at_once = true;
            return false;
        }
        m_queue->m_entries.push_back(*this);
    }
    if (m_options.deadline_ns != kNoDeadline) {
        m_timer.deadline = m_options.deadline_ns;
        m_timer.waiter = &m_waiter;
        m_timer_queue = &platform::current_timer_queue();
        m_timer_queue->add(m_timer);
    }
    if (m_options.cancel) m_options.cancel->attach(m_waiter);
    return m_waiter.arm();
}

WaitResult WaitEntry::finish() noexcept {
    if (m_ready_at_once) return WaitResult::Woken;
    if (m_queue) {
        SpinLockGuard g(m_queue->m_lock);
        if (m_node.is_linked()) m_queue->m_entries.remove(*this);
    }
    if (m_timer_queue) m_timer_queue->remove(m_timer);
    if (m_options.cancel) m_options.cancel->detach(m_waiter);
    // A source may still be completing us (cancel under its lock); every source has been
    // unlinked under its own lock above, so the result is final now.
    return m_waiter.result();
}

size_t WaitQueue::notify(uint32_t mask, size_t max) noexcept {
    size_t woken = 0;
    SpinLockGuard g(m_lock);
    WaitEntry* e = m_entries.front();
    while (e && woken < max) {
        WaitEntry* next = m_entries.next_of(*e);
        if (e->m_options.mask & mask) {
            m_entries.remove(*e);
            if (e->m_waiter.complete(WaitResult::Woken)) ++woken;
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
