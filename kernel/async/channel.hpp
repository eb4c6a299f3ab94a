#pragma once
// Channel<T, N>: a bounded queue between coroutines. send() waits for room, receive() for an
// item; after close() sends fail with EPIPE and receives drain what is left, then fail with EPIPE.
#include <cstddef>
#include <new>
#include <utility>

#include "../lib/error_or.hpp"
#include "task.hpp"
#include "wait_queue.hpp"

namespace rt {

template <typename T, size_t N>
class Channel {
    static_assert(N > 0);

public:
    Channel() = default;
    ~Channel() {
        while (m_count) pop();
    }

    ErrorOr<void> try_send(T v) noexcept { return try_send_from(v); }
    ErrorOr<T> try_receive() noexcept {
        ErrorOr<T> r = take();
        if (!r.is_error()) m_writable.notify_one();
        return r;
    }

    Task<ErrorOr<void>> send(T v, WaitOptions o = {}) {
        for (;;) {
            auto r = try_send_from(v);  // v stays ours until it is queued
            if (!r.is_error() || r.error().code != Errno::AGAIN) co_return r;
            auto w = co_await m_writable.wait([this] { return has_room_or_closed(); }, o);
            if (w != WaitResult::Woken) co_return wait_error(w);
        }
    }
    Task<ErrorOr<T>> receive(WaitOptions o = {}) {
        for (;;) {
            auto r = try_receive();
            if (!r.is_error() || r.error().code != Errno::AGAIN) co_return r;
            auto w = co_await m_readable.wait([this] { return has_item_or_closed(); }, o);
            if (w != WaitResult::Woken) co_return wait_error(w);
        }
    }
    void close() noexcept {
        {
            SpinLockGuard g(m_lock);
            m_closed = true;
        }
        m_readable.notify();
        m_writable.notify();
    }

private:
    // Moves from v only when it is queued, so a send that has to wait can retry with it.
    ErrorOr<void> try_send_from(T& v) noexcept {
        {
            SpinLockGuard g(m_lock);
            if (m_closed) return Error(Errno::PIPE);
            if (m_count == N) return Error(Errno::AGAIN);
            new (slot(m_head + m_count)) T(std::move(v));
            ++m_count;
        }
        m_readable.notify_one();
        return {};
    }
    static Error wait_error(WaitResult w) {
        return Error(w == WaitResult::TimedOut ? Errno::TIMEDOUT : Errno::INTR);
    }
    // Predicates run under the wait queue's lock: lock order is queue, then m_lock.
    bool has_room_or_closed() {
        SpinLockGuard g(m_lock);
        return m_closed || m_count < N;
    }
    bool has_item_or_closed() {
        SpinLockGuard g(m_lock);
        return m_closed || m_count > 0;
    }
    ErrorOr<T> take() noexcept {
        SpinLockGuard g(m_lock);
        if (m_count == 0) return Error(m_closed ? Errno::PIPE : Errno::AGAIN);
        return pop();
    }
    T* slot(size_t i) { return std::launder(reinterpret_cast<T*>(m_storage + (i % N) * sizeof(T))); }
    T pop() {
        T* p = slot(m_head);
        T v = std::move(*p);
        p->~T();
        m_head = (m_head + 1) % N;
        --m_count;
        return v;
    }

    SpinLock m_lock;
    alignas(T) unsigned char m_storage[N * sizeof(T)];
    size_t m_head = 0, m_count = 0;
    bool m_closed = false;
    WaitQueue m_readable, m_writable;
};

}  // namespace rt
