#pragma once
// eventfd: a 64-bit counter as a file. A write adds to it (waiting while the sum would reach
// 2^64 - 1); a read takes all of it, or 1 in semaphore mode (waiting while it is 0).
#include "file.hpp"

namespace rt {

// A new eventfd holding `initial`, with open flags `flags` (O_NONBLOCK); nullptr if no memory.
File* make_eventfd(uint64_t initial, bool semaphore, uint32_t flags);

}  // namespace rt
