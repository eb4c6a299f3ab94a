#pragma once
// Deliberate kernel bugs, chosen on the command line, so `make test` can check what a panic
// looks like from outside: the message, the registers, a symbolised backtrace and a failure
// exit status. "probe-spinlock": a spinlock held across co_await; "probe-fault": a kernel
// load from an unmapped address.
#include "kernel/async/task.hpp"

namespace rt {

// The probe the command line asks for, or an empty task if none.
Task<void> panic_probe(const char* bootargs);

}  // namespace rt
