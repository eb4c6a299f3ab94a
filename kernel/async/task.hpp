#pragma once
// Task<T>: a lazily started coroutine. `co_await task` starts it and resumes the awaiter when it
// finishes (symmetric transfer, so chains of awaits use no stack). spawn() detaches a
// Task<void> onto an executor. Frames come from platform::frame_alloc; when that fails the
// Task is empty and spawn()/co_await report ENOMEM instead of crashing.
#include <coroutine>
#include <new>
#include <type_traits>
#include <utility>

#include "../lib/error_or.hpp"
#include "executor.hpp"

namespace rt {

template <typename T>
inline constexpr bool kIsErrorOr = false;
template <typename T>
inline constexpr bool kIsErrorOr<ErrorOr<T>> = true;

template <typename T>
class Task;

namespace detail {

struct PromiseBase {
    std::coroutine_handle<> continuation;
    Runnable runnable;  // used when the task is detached onto an executor
    bool detached = false;

    static void* operator new(size_t size) noexcept { return platform::frame_alloc(size); }
    static void operator delete(void* p) noexcept { platform::frame_free(p); }

    std::suspend_always initial_suspend() noexcept { return {}; }
    [[noreturn]] void unhandled_exception() noexcept { platform::fatal("exception in coroutine"); }

    // Where control goes when this coroutine is done: its awaiter, or nowhere if detached
    // (then the frame frees itself).
    struct FinalAwaiter {
        bool await_ready() const noexcept { return false; }
        template <typename P>
        std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
            return h.promise().finish(h);
        }
        void await_resume() const noexcept {}
    };
    FinalAwaiter final_suspend() noexcept { return {}; }

    std::coroutine_handle<> finish(std::coroutine_handle<> self) noexcept {
        if (detached) {
            self.destroy();
            return std::noop_coroutine();
        }
        return continuation ? continuation : std::noop_coroutine();
    }
};

template <typename T>
struct Promise : PromiseBase {
    alignas(T) unsigned char storage[sizeof(T)];
    bool has_value = false;

    Task<T> get_return_object() noexcept;
    static Task<T> get_return_object_on_allocation_failure() noexcept;
    template <typename U>
    void return_value(U&& v) noexcept {
        new (storage) T(std::forward<U>(v));
        has_value = true;
    }
    T take() noexcept { return std::move(*std::launder(reinterpret_cast<T*>(storage))); }
    ~Promise() {
        if (has_value) std::launder(reinterpret_cast<T*>(storage))->~T();
    }
};

template <>
struct Promise<void> : PromiseBase {
    Task<void> get_return_object() noexcept;
    static Task<void> get_return_object_on_allocation_failure() noexcept;
    void return_void() noexcept {}
};

}  // namespace detail

template <typename T = void>
class [[nodiscard]] Task {
public:
    using promise_type = detail::Promise<T>;
    using Handle = std::coroutine_handle<promise_type>;

    Task() = default;
    explicit Task(Handle h) : m_handle(h) {}
    Task(Task&& o) noexcept : m_handle(std::exchange(o.m_handle, {})) {}
    Task& operator=(Task&& o) noexcept {
        if (this != &o) {
            reset();
            m_handle = std::exchange(o.m_handle, {});
        }
        return *this;
    }
    ~Task() { reset(); }

    // False when the frame could not be allocated.
    bool valid() const { return bool(m_handle); }

    struct Awaiter {
        Handle handle;
        bool await_ready() const noexcept { return !handle; }
        std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
            handle.promise().continuation = awaiting;
            return handle;
        }
        T await_resume() noexcept {
            if (!handle) {
                // Out of memory is an answer, not a crash: an ErrorOr says ENOMEM, and so does a
                // long (a system call's result, by the Linux convention -ENOMEM).
                if constexpr (kIsErrorOr<T>) return Error(Errno::NOMEM);
                else if constexpr (std::is_same_v<T, long>) return error_result(Errno::NOMEM);
                else platform::fatal("awaited a task whose frame could not be allocated");
            }
            if constexpr (!std::is_void_v<T>) return handle.promise().take();
        }
    };
    Awaiter operator co_await() && noexcept { return Awaiter{m_handle}; }

    // Hands the frame over (for spawn).
    Handle release() { return std::exchange(m_handle, {}); }

private:
    void reset() {
        if (m_handle) m_handle.destroy();
        m_handle = {};
    }
    Handle m_handle;
};

namespace detail {
template <typename T>
Task<T> Promise<T>::get_return_object() noexcept {
    return Task<T>(std::coroutine_handle<Promise<T>>::from_promise(*this));
}
template <typename T>
Task<T> Promise<T>::get_return_object_on_allocation_failure() noexcept {
    return Task<T>();
}
inline Task<void> Promise<void>::get_return_object() noexcept {
    return Task<void>(std::coroutine_handle<Promise<void>>::from_promise(*this));
}
inline Task<void> Promise<void>::get_return_object_on_allocation_failure() noexcept {
    return Task<void>();
}
}  // namespace detail

enum class Affinity : bool { Any, Pinned };

// Runs `task` on `ex` on its own; its frame is freed when it finishes. A pinned task starts on
// `ex` for certain (idle executors do not steal it before it first runs).
inline ErrorOr<void> spawn(Task<void>&& task, Executor& ex, Affinity affinity = Affinity::Any) noexcept {
    if (!task.valid()) return Error(Errno::NOMEM);
    auto h = task.release();
    auto& p = h.promise();
    p.detached = true;
    p.runnable.handle = h;
    p.runnable.pinned = affinity == Affinity::Pinned;
    ex.post_shared(p.runnable);
    return {};
}
inline ErrorOr<void> spawn(Task<void>&& task) noexcept {
    return spawn(std::move(task), platform::current_executor());
}

}  // namespace rt
