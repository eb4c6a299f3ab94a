#include "wait_callback.hpp"

namespace rt {

void WaitCallback::add_to(WaitQueue& q) noexcept {
    SpinLockGuard g(q.m_lock);
    m_queue = &q;
    q.m_entries.push_back(*this);
    ++q.m_callbacks;
}

void WaitCallback::remove() noexcept {
    WaitQueue* q = m_queue;
    if (!q) return;
    SpinLockGuard g(q->m_lock);
    q->m_entries.remove(*this);
    --q->m_callbacks;
    m_queue = nullptr;
}

}  // namespace rt
