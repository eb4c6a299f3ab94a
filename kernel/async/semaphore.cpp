#include "semaphore.hpp"

namespace rt {

void Semaphore::release() noexcept {
    SpinLockGuard g(m_lock);
    if (Acquire* a = m_waiters.pop_front()) {
        a->m_waiter.complete(WaitResult::Woken);  // the unit passes to a directly
        return;
    }
    ++m_count;
}

bool Semaphore::Acquire::await_suspend(std::coroutine_handle<> h) noexcept {
    m_waiter.prepare(h, platform::current_executor());
    {
        SpinLockGuard g(m_sem.m_lock);
        if (m_sem.m_count > 0) {
            --m_sem.m_count;
            return false;
        }
        m_sem.m_waiters.push_back(*this);
    }
    return m_waiter.arm();
}

}  // namespace rt
