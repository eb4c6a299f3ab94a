#pragma once
// Event: a flag coroutines wait for. set() wakes every waiter; it stays set until reset().
#include <atomic>

#include "wait_queue.hpp"

namespace rt {

class Event {
public:
    // The store and the notify are one step under m_lock: a reset (and a wait begun after it)
    // cannot slip in between and be woken by a set that happened before it.
    void set() noexcept {
        SpinLockGuard g(m_lock);
        m_set.store(true, std::memory_order_release);
        m_queue.notify();
    }
    void reset() noexcept {
        SpinLockGuard g(m_lock);
        m_set.store(false, std::memory_order_release);
    }
    bool is_set() const noexcept { return m_set.load(std::memory_order_acquire); }

    // Woken once set (at once if already set), or TimedOut/Cancelled per the options.
    auto wait(const WaitOptions& o = {}) noexcept {
        return m_queue.wait([this] { return is_set(); }, o);
    }

private:
    SpinLock m_lock;  // lock order: m_lock, then the queue's lock
    std::atomic<bool> m_set{false};
    WaitQueue m_queue;
};

}  // namespace rt
