#pragma once
// Spinlocks for short sections. Interrupts are masked while one is held (an interrupt handler
// may take the same lock), from before the lock is taken until after it is let go;
// Protected<T> makes the guarded data reachable only under its lock.
#include <atomic>
#include <cstdint>
#include <utility>

#include "platform.hpp"

namespace rt {

class SpinLock {
public:
    // Returns the interrupt state to hand back to unlock(). While it waits, interrupts are as
    // the caller had them: a hart spinning here still answers IPIs (a TLB shootdown from the
    // holder must not wait for us).
    [[nodiscard]] unsigned long lock() noexcept {
        for (;;) {
            unsigned long irq = platform::irq_save();
            if (!m_locked.exchange(1, std::memory_order_acquire)) {
                ++platform::lock_depth();
                return irq;
            }
            platform::irq_restore(irq);
            while (m_locked.load(std::memory_order_relaxed)) platform::cpu_relax();
        }
    }
    void unlock(unsigned long irq) noexcept {
        --platform::lock_depth();
        m_locked.store(0, std::memory_order_release);
        platform::irq_restore(irq);
    }
    bool is_locked() const noexcept { return m_locked.load(std::memory_order_relaxed); }

private:
    std::atomic<uint32_t> m_locked{0};  // word-sized: rv64 has no byte AMOs
};

class SpinLockGuard {
public:
    explicit SpinLockGuard(SpinLock& l) noexcept : m_lock(l), m_irq(l.lock()) {}
    ~SpinLockGuard() { m_lock.unlock(m_irq); }
    SpinLockGuard(const SpinLockGuard&) = delete;
    SpinLockGuard& operator=(const SpinLockGuard&) = delete;

private:
    SpinLock& m_lock;
    unsigned long m_irq;
};

template <typename T>
class Protected {
public:
    template <typename... Args>
    explicit Protected(Args&&... args) : m_value(std::forward<Args>(args)...) {}

    template <typename F>
    decltype(auto) with(F&& f) {
        SpinLockGuard g(m_lock);
        return f(m_value);
    }

private:
    SpinLock m_lock;
    T m_value;
};

}  // namespace rt
