#pragma once
// co_await sleep_until(deadline): TimedOut when the deadline passes, Cancelled if the attached
// Cancellation fires first.
#include "wait_queue.hpp"

namespace rt {

inline auto sleep_until(uint64_t deadline_ns, Cancellation* cancel = nullptr) noexcept {
    return WaitAwaiter(nullptr, [] { return false; }, WaitOptions{~0u, deadline_ns, cancel});
}
inline auto sleep_for(uint64_t ns, Cancellation* cancel = nullptr) noexcept {
    return sleep_until(platform::now_ns() + ns, cancel);
}

}  // namespace rt
