#pragma once
// The few services the portable code (kernel/lib, kernel/async) needs from whatever runs it.
// The kernel implements them in kernel/sched; the host tests in tests/host. Nothing here names
// an instruction set, which is what lets the host tests compile kernel/lib and kernel/async.
#include <cstddef>
#include <cstdint>

namespace rt {
class Executor;
class TimerQueue;
}

// The code every switch and system call runs goes in one page of its own (kernel.ld): QEMU
// chains translated blocks directly only within a page, so a hot loop that straddles a page
// boundary costs a lookup on every turn (measured: a coroutine switch 60 ns or 360 ns as the
// layout fell).
#define RT_HOT_PATH __attribute__((section(".text.hot")))

namespace rt::platform {

// Masks interrupts on the calling hart for a spinlock's hold and returns what irq_restore
// needs to end it (host: no-op). Nests. The kernel masks by count rather than in sstatus
// (kernel/sched/platform.cpp): no interrupt handler runs on the hart meanwhile.
unsigned long irq_save() noexcept;
void irq_restore(unsigned long state) noexcept;

// Spinlocks held by the calling context; the executor checks it is zero whenever a coroutine
// suspends, which is how a spinlock held across co_await is caught.
int& lock_depth() noexcept;

// Monotonic time in nanoseconds.
uint64_t now_ns() noexcept;

// The executor the caller runs on (the current (hart, priority) thread in the kernel).
Executor& current_executor() noexcept;
// True when the caller is the thread that runs `ex`, outside any interrupt handler: only
// then may it use the executor's lock-free owner queue.
bool runs_executor(const Executor& ex) noexcept;
// The deadline queue of the caller's hart.
TimerQueue& current_timer_queue() noexcept;
// `ex` went to sleep waiting for work and work was posted: wake whoever runs it.
void kick(Executor& ex) noexcept;
// The earliest deadline of `q` moved earlier: program the owner's timer.
void timer_rearm(TimerQueue& q, uint64_t deadline_ns) noexcept;

// Coroutine frames. nullptr on failure.
void* frame_alloc(size_t size) noexcept;
void frame_free(void* p) noexcept;

void cpu_relax() noexcept;
[[noreturn]] void fatal(const char* msg) noexcept;

}  // namespace rt::platform
