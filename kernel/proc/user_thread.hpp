#pragma once
#include "kernel/async/task.hpp"
#include "process.hpp"

namespace rt {

// The life of a user thread: enter user mode, handle what made it trap (system call, page
// fault, interrupt, fault), repeat until it exits (DESIGN §6).
Task<void> run_user_thread(Thread& t);

}  // namespace rt
