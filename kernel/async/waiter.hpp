#pragma once
// Waiter: the one wait a suspended coroutine is in, which several sources may end (a wait
// queue's notify, a timer, a cancellation). The first to complete it wins and posts the
// coroutine to its executor; the others find it already completed and do nothing.
#include <atomic>
#include <coroutine>
#include <cstdint>

#include "executor.hpp"

namespace rt {

enum class WaitResult : uint32_t { Pending, Woken, TimedOut, Cancelled };

class Waiter {
public:
    // Completion may come before the coroutine has finished suspending (it is still
    // registering with its sources). Then nobody posts: arm() sees it and the awaiter resumes
    // at once. After arm() returns true the awaiter must not touch its frame: another hart may
    // already be running the coroutine.
    void prepare(std::coroutine_handle<> h, Executor& ex) noexcept {
        m_runnable.handle = h;
        m_runnable.pinned = ex.running_pinned();
        m_executor = &ex;
    }
    // Called last in await_suspend; false means "already completed, don't suspend".
    bool arm() noexcept { return !(m_state.fetch_or(kArmed, std::memory_order_acq_rel) & kDone); }

    // Ends the wait with `r` unless something else ended it first. Returns true if this call won.
    bool complete(WaitResult r) noexcept {
        WaitResult expected = WaitResult::Pending;
        if (!m_result.compare_exchange_strong(expected, r, std::memory_order_acq_rel)) return false;
        if (m_state.fetch_or(kDone, std::memory_order_acq_rel) & kArmed) m_executor->post(m_runnable);
        return true;
    }

    WaitResult result() const noexcept { return m_result.load(std::memory_order_acquire); }

private:
    static constexpr uint32_t kArmed = 1, kDone = 2;
    Runnable m_runnable;
    Executor* m_executor = nullptr;
    std::atomic<WaitResult> m_result{WaitResult::Pending};
    std::atomic<uint32_t> m_state{0};  // word-sized: rv64 has no byte AMOs
};

}  // namespace rt
