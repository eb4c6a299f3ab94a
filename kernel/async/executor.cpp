#include "executor.hpp"

namespace rt {

void Executor::post(Runnable& r) noexcept {
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

// Moves the inbox behind the owner's queue, keeping arrival order.
void Executor::take_inbox() noexcept {
    SpinLockGuard g(m_lock);
    while (Runnable* r = m_inbox.pop_front()) m_local.push_back(*r);
    m_inbox_count.store(0, std::memory_order_relaxed);
}

bool Executor::run_once() noexcept {
    if (m_inbox_count.load(std::memory_order_relaxed)) take_inbox();
    Runnable* r = m_local.pop_front();
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

void YieldAwaiter::await_suspend(std::coroutine_handle<> h) noexcept {
    Executor& ex = platform::current_executor();
    runnable.handle = h;
    runnable.pinned = ex.running_pinned();
    ex.post(runnable);
}

}  // namespace rt
