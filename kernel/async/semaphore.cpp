#include "semaphore.hpp"

namespace rt {

void Semaphore::release() noexcept {
    SpinLockGuard g(m_lock);
    // Hand the unit to the oldest waiter that is still waiting; one that timed out or was
    // cancelled meanwhile lost the race for its own wait and must not swallow the unit.
    while (Acquire* a = m_waiters.pop_front()) {
        if (a->m_wait.waiter().complete(WaitResult::Woken)) return;
    }
    ++m_count;
}

bool Semaphore::Acquire::await_suspend(std::coroutine_handle<> h) noexcept {
    m_wait.prepare(h);
    {
        SpinLockGuard g(m_sem.m_lock);
        if (m_sem.m_count > 0) {
            --m_sem.m_count;
            m_acquired_at_once = true;
            return false;
        }
        m_sem.m_waiters.push_back(*this);
    }
    m_suspended = true;
    return m_wait.arm();
}

void Semaphore::Acquire::unlink() noexcept {
    m_suspended = false;
    {
        SpinLockGuard g(m_sem.m_lock);
        if (m_node.is_linked()) m_sem.m_waiters.remove(*this);
    }
    m_wait.disarm();
}

WaitResult Semaphore::Acquire::await_resume() noexcept {
    if (m_acquired_at_once) return WaitResult::Woken;
    unlink();
    return m_wait.waiter().result();
}

}  // namespace rt
