#include "executor.hpp"

namespace rt {

RT_HOT_PATH void Executor::post(Runnable& r) noexcept {
    if (!platform::runs_executor(*this)) return post_shared(r);
    m_local.push_back(r);
}

void Executor::post_shared(Runnable& r) noexcept {
    {
        SpinLockGuard g(m_lock);
        m_inbox.push_back(r);
        m_inbox_count.fetch_add(1, std::memory_order_seq_cst);
    }
    if (is_sleeping()) platform::kick(*this);
}

// The oldest inbox entry. One at a time, so what is left stays available to idle harts.
Runnable* Executor::take_inbox() noexcept {
    SpinLockGuard g(m_lock);
    Runnable* r = m_inbox.pop_front();
    if (r) m_inbox_count.fetch_sub(1, std::memory_order_relaxed);
    return r;
}

// The inbox goes first, so a coroutine that yields runs after everything that was ready when
// it yielded; a bounded streak keeps a busy inbox from starving the owner's queue.
bool Executor::run_once() noexcept {
    Runnable* r = nullptr;
    if (m_inbox_count.load(std::memory_order_relaxed) && (m_inbox_streak < kMaxInboxStreak || m_local.empty())) {
        r = take_inbox();
        m_inbox_streak = r ? m_inbox_streak + 1 : 0;
    }
    if (!r) {
        r = m_local.pop_front();
        m_inbox_streak = 0;
    }
    if (!r) return false;
    int depth = platform::lock_depth();
    ++m_resumed;
    m_running_pinned = r->pinned;
    r->handle.resume();  // r may be gone from here on: it lives in the coroutine's frame
    if (platform::lock_depth() != depth) platform::fatal("spinlock held across co_await");
    return true;
}

size_t Executor::run(size_t budget) noexcept {
    size_t n = 0;
    while (n < budget && run_once()) ++n;
    return n;
}

Runnable* Executor::steal() noexcept {
    if (!m_inbox_count.load(std::memory_order_relaxed)) return nullptr;
    SpinLockGuard g(m_lock);
    Runnable* r = m_inbox.back();
    while (r && r->pinned) r = m_inbox.prev_of(*r);
    if (!r) return nullptr;
    m_inbox.remove(*r);
    m_inbox_count.fetch_sub(1, std::memory_order_relaxed);
    return r;
}

RT_HOT_PATH void YieldAwaiter::await_suspend(std::coroutine_handle<> h) noexcept {
    Executor& ex = platform::current_executor();
    runnable.handle = h;
    runnable.pinned = ex.running_pinned();
    ex.post(runnable);
}

}  // namespace rt
