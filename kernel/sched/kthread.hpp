#pragma once
// Switching among a hart's priority kernel threads. A thread runs its executor until it is
// empty, then hands the hart to the highest thread with work (or one it preempted), steals
// from other harts, or sleeps in wfi. An interrupt that readies work for a higher thread
// switches to it on trap exit; the interrupted thread resumes where it was once that drains.
#include "hart.hpp"

namespace rt {

// Sets up this hart's threads; the caller's stack [stack_base, stack_top) becomes the normal
// thread's, and the caller continues as that thread.
void kthreads_init(Hart& h, uintptr_t stack_base, uintptr_t stack_top);
// Runs the current (normal) thread's loop forever.
[[noreturn]] void kthread_run();
// Called at the end of every trap taken in the kernel, interrupts disabled.
void preempt_on_trap_exit();
// The executor of priority `p` on this hart / on hart `index`.
Executor& executor(Priority p);
Executor& executor_on(size_t hart_index, Priority p);

}  // namespace rt
