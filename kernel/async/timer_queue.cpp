#include "timer_queue.hpp"

namespace rt {

void TimerQueue::add(TimerNode& n) noexcept {
    bool earliest;
    {
        SpinLockGuard g(m_lock);
        TimerNode* pos = m_timers.front();
        while (pos && pos->deadline <= n.deadline) pos = m_timers.next_of(*pos);
        if (pos) m_timers.insert_before(*pos, n);
        else m_timers.push_back(n);
        earliest = m_timers.front() == &n;
    }
    if (earliest) platform::timer_rearm(*this, n.deadline);
}

void TimerQueue::remove(TimerNode& n) noexcept {
    SpinLockGuard g(m_lock);
    if (n.node.is_linked()) m_timers.remove(n);
}

size_t TimerQueue::fire_expired(uint64_t now) noexcept {
    size_t fired = 0;
    SpinLockGuard g(m_lock);
    while (TimerNode* n = m_timers.front()) {
        if (n->deadline > now) break;
        m_timers.remove(*n);
        // Completed under the lock: the waiter's owner unregisters through remove(), which
        // waits for this lock, so its frame outlives this call.
        if (n->waiter->complete(WaitResult::TimedOut)) ++fired;
    }
    return fired;
}

uint64_t TimerQueue::next_deadline() noexcept {
    SpinLockGuard g(m_lock);
    TimerNode* n = m_timers.front();
    return n ? n->deadline : kNoDeadline;
}

bool TimerQueue::empty() noexcept {
    SpinLockGuard g(m_lock);
    return m_timers.empty();
}

}  // namespace rt
