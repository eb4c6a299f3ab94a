#pragma once
// A hart's deadline queue: waits with a deadline register a TimerNode here; the timer interrupt
// calls fire_expired(now), which completes their waits with TimedOut.
#include <cstdint>

#include "../lib/list.hpp"
#include "../lib/spinlock.hpp"
#include "waiter.hpp"

namespace rt {

inline constexpr uint64_t kNoDeadline = ~uint64_t{0};

struct TimerNode {
    ListNode node;
    uint64_t deadline = kNoDeadline;
    Waiter* waiter = nullptr;
};

class TimerQueue {
public:
    // Registers n (deadline and waiter set); re-arms the hart's timer if n is now the earliest.
    void add(TimerNode& n) noexcept;
    // Unregisters n if it is still queued.
    void remove(TimerNode& n) noexcept;
    // Completes every wait whose deadline is <= now; returns how many it completed.
    size_t fire_expired(uint64_t now) noexcept;
    uint64_t next_deadline() noexcept;
    bool empty() noexcept;

private:
    SpinLock m_lock;
    IntrusiveList<TimerNode, &TimerNode::node> m_timers;  // sorted by deadline
};

}  // namespace rt
