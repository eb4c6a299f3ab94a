#pragma once
// CO_TRY(expr): inside a Task<ErrorOr<U>>, evaluates an ErrorOr; on error the coroutine returns
// that error to its awaiter. Built on an awaiter because GCC miscompiles statement expressions
// that contain co_return.
#include "task.hpp"

namespace rt::detail {

template <typename T>
struct TryAwaiter {
    ErrorOr<T> result;
    bool await_ready() const noexcept { return !result.is_error(); }
    // The error path: deliver the error as the coroutine's result and leave it suspended for
    // good; its owner (the Task) destroys the frame as after any completion.
    template <typename P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
        h.promise().return_value(result.error());
        return h.promise().finish(h);
    }
    T await_resume() noexcept { return result.release_value(); }
};

template <typename T>
TryAwaiter(ErrorOr<T>) -> TryAwaiter<T>;

}  // namespace rt::detail

#define CO_TRY(expr) (co_await ::rt::detail::TryAwaiter{(expr)})
