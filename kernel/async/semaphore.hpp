#pragma once
// Semaphore with direct hand-off: release() gives its unit straight to the oldest waiter, so a
// newcomer cannot overtake a waiter and a woken acquirer never has to retry.
#include <coroutine>

#include "../lib/list.hpp"
#include "../lib/spinlock.hpp"
#include "waiter.hpp"

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
        explicit Acquire(Semaphore& s) : m_sem(s) {}
        bool await_ready() noexcept { return m_sem.try_acquire(); }
        bool await_suspend(std::coroutine_handle<> h) noexcept;
        void await_resume() const noexcept {}

    private:
        friend class Semaphore;
        Semaphore& m_sem;
        ListNode m_node;
        Waiter m_waiter;
    };
    // co_await sem.acquire(): resumes owning one unit.
    Acquire acquire() noexcept { return Acquire(*this); }

private:
    SpinLock m_lock;
    size_t m_count;
    IntrusiveList<Acquire, &Acquire::m_node> m_waiters;
};

// An async mutex: a semaphore of one, with a scoped guard.
class Mutex {
public:
    auto lock() noexcept { return m_sem.acquire(); }
    bool try_lock() noexcept { return m_sem.try_acquire(); }
    void unlock() noexcept { m_sem.release(); }

private:
    Semaphore m_sem{1};
};

class MutexLocker {
public:
    // Use as: co_await m.lock(); MutexLocker held(m, kAdopt);
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
