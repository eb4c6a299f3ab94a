#include "executor.hpp"

namespace rt {

void Executor::post(Runnable& r) noexcept {
    {
        SpinLockGuard g(m_lock);
        m_ready.push_back(r);
        m_ready_count.fetch_add(1, std::memory_order_seq_cst);
    }
    if (is_sleeping()) platform::kick(*this);
}

void Executor::resume(Runnable& r) noexcept {
    int depth = platform::lock_depth();
    ++m_resumed;
    r.handle.resume();  // r may be gone from here on: it lives in the coroutine's frame
    if (platform::lock_depth() != depth) platform::fatal("spinlock held across co_await");
}

bool Executor::run_once() noexcept {
    if (!has_work()) return false;
    Runnable* r;
    {
        SpinLockGuard g(m_lock);
        r = m_ready.pop_front();
        if (r) m_ready_count.fetch_sub(1, std::memory_order_relaxed);
    }
    if (!r) return false;
    resume(*r);
    return true;
}

size_t Executor::run(size_t budget) noexcept {
    size_t n = 0;
    while (n < budget && run_once()) ++n;
    return n;
}

Runnable* Executor::steal() noexcept {
    if (!has_work()) return nullptr;
    SpinLockGuard g(m_lock);
    Runnable* r = m_ready.back();
    while (r && r->pinned) r = m_ready.prev_of(*r);
    if (!r) return nullptr;
    m_ready.remove(*r);
    m_ready_count.fetch_sub(1, std::memory_order_relaxed);
    return r;
}

void YieldAwaiter::await_suspend(std::coroutine_handle<> h) noexcept {
    runnable.handle = h;
    platform::current_executor().post(runnable);
}

}  // namespace rt
