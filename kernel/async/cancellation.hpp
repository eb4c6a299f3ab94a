#pragma once
// Cancellation: lets something outside a wait end it (a signal for a thread's system call, a
// test, a shutdown). A thread owns one; each wait it makes attaches to it for its duration.
#include "../lib/spinlock.hpp"
#include "waiter.hpp"

namespace rt {

class Cancellation {
public:
    // Ends the attached wait (if any) with Cancelled, and any later wait until reset().
    void cancel() noexcept {
        SpinLockGuard g(m_lock);
        m_cancelled = true;
        if (m_waiter) m_waiter->complete(WaitResult::Cancelled);
    }
    void reset() noexcept {
        SpinLockGuard g(m_lock);
        m_cancelled = false;
    }
    bool is_cancelled() noexcept {
        SpinLockGuard g(m_lock);
        return m_cancelled;
    }

    // A wait registers here; if already cancelled the waiter is completed at once.
    void attach(Waiter& w) noexcept {
        SpinLockGuard g(m_lock);
        m_waiter = &w;
        if (m_cancelled) w.complete(WaitResult::Cancelled);
    }
    void detach(Waiter& w) noexcept {
        SpinLockGuard g(m_lock);
        if (m_waiter == &w) m_waiter = nullptr;
    }

private:
    Waiter* m_waiter = nullptr;
    SpinLock m_lock;  // with the flag after it, the whole is two words (it is in every Thread)
    bool m_cancelled = false;
};

}  // namespace rt
