#pragma once
// co_await resume_on(ex): the coroutine continues on executor `ex` (another hart's, say),
// pinned there so no idle hart steals it back.
#include "executor.hpp"

namespace rt {

struct ResumeOn {
    Executor& target;
    Runnable runnable;
    bool await_ready() const noexcept { return &platform::current_executor() == &target; }
    void await_suspend(std::coroutine_handle<> h) noexcept {
        runnable.handle = h;
        runnable.pinned = true;
        target.post_shared(runnable);
    }
    void await_resume() const noexcept {}
};
inline ResumeOn resume_on(Executor& ex) noexcept { return {ex, {}}; }

}  // namespace rt
