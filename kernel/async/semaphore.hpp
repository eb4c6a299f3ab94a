#pragma once
// Semaphore with direct hand-off: release() gives its unit straight to the oldest waiter, so a
// newcomer cannot overtake a waiter and a woken acquirer never has to retry. An acquire can
// have a deadline and a Cancellation; one that ends that way holds nothing.
#include <coroutine>

#include "../lib/list.hpp"
#include "../lib/spinlock.hpp"
#include "timed_wait.hpp"

namespace rt {

class Semaphore {
public:
    explicit Semaphore(size_t initial) : m_count(initial) {}

    bool try_acquire() noexcept {
        SpinLockGuard g(m_lock);
        if (m_count == 0) return false;
        --m_count;
        return true;
    }
    void release() noexcept;

    class Acquire {
    public:
        Acquire(Semaphore& s, const WaitOptions& o) : m_sem(s), m_wait(o) {}
        ~Acquire() {
            if (m_suspended) unlink();  // the frame is being destroyed mid-wait
        }
        bool await_ready() noexcept { return m_acquired_at_once = m_sem.try_acquire(); }
        bool await_suspend(std::coroutine_handle<> h) noexcept;
        // Woken: one unit is ours. TimedOut or Cancelled: nothing is.
        WaitResult await_resume() noexcept;

    private:
        friend class Semaphore;
        void unlink() noexcept;
        Semaphore& m_sem;
        ListNode m_node;
        TimedWait m_wait;
        bool m_acquired_at_once = false;
        bool m_suspended = false;
    };
    // co_await sem.acquire(): Woken once it owns a unit (at once if one is free).
    Acquire acquire(const WaitOptions& o = {}) noexcept { return Acquire(*this, o); }

private:
    SpinLock m_lock;
    size_t m_count;
    IntrusiveList<Acquire, &Acquire::m_node> m_waiters;
};

// An async mutex: a semaphore of one, with a scoped guard.
class Mutex {
public:
    auto lock(const WaitOptions& o = {}) noexcept { return m_sem.acquire(o); }
    bool try_lock() noexcept { return m_sem.try_acquire(); }
    void unlock() noexcept { m_sem.release(); }

private:
    Semaphore m_sem{1};
};

class MutexLocker {
public:
    // Use as: co_await m.lock(); MutexLocker held(m, kAdopt);  (after a Woken lock)
    struct AdoptLock {};
    MutexLocker(Mutex& m, AdoptLock) : m_mutex(&m) {}
    ~MutexLocker() {
        if (m_mutex) m_mutex->unlock();
    }
    MutexLocker(const MutexLocker&) = delete;
    MutexLocker& operator=(const MutexLocker&) = delete;

private:
    Mutex* m_mutex;
};
inline constexpr MutexLocker::AdoptLock kAdopt{};

}  // namespace rt
