#include "timed_wait.hpp"

namespace rt {

bool TimedWait::arm() noexcept {
    if (m_options.deadline_ns != kNoDeadline) {
        m_timer.deadline = m_options.deadline_ns;
        m_timer.waiter = &m_waiter;
        m_timer_queue = &platform::current_timer_queue();
        m_timer_queue->add(m_timer);
    }
    if (m_options.cancel) m_options.cancel->attach(m_waiter);
    return m_waiter.arm();
}

WaitResult TimedWait::disarm() noexcept {
    if (m_timer_queue) m_timer_queue->remove(m_timer);
    m_timer_queue = nullptr;
    if (m_options.cancel) m_options.cancel->detach(m_waiter);
    // Every source has been unlinked under its own lock, so nothing can complete us now.
    return m_waiter.result();
}

}  // namespace rt
