#include "wait_queue.hpp"

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
        if (m_node.is_linked()) m_queue->m_entries.remove(*this);
    }
    return m_wait.disarm();
}

size_t WaitQueue::notify(uint32_t mask, size_t max) noexcept {
    size_t woken = 0;
    SpinLockGuard g(m_lock);
    WaitEntry* e = m_entries.front();
    while (e && woken < max) {
        WaitEntry* next = m_entries.next_of(*e);
        if (e->m_wait.options().mask & mask) {
            m_entries.remove(*e);
            if (e->m_wait.waiter().complete(WaitResult::Woken)) ++woken;
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
