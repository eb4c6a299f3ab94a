#pragma once
// The comparison for the coroutine switch: two kernel threads with their own stacks yielding to
// each other through a run queue, as a stackful kernel's scheduler would.
#include <cstdint>

namespace rt {

// Runs n switches between two such threads; returns when done.
void thread_switch_ping_pong(uint64_t n);

}  // namespace rt
