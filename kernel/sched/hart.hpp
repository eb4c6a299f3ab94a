#pragma once
// A hart and its priority kernel threads. Each hart runs a few kernel threads (urgent, normal,
// background), each with its own stack and executor; `tp` points at the running hart's Hart.
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "arch/riscv/layout.h"
#include "arch/riscv/trap.hpp"
#include "kernel/async/executor.hpp"
#include "kernel/async/timer_queue.hpp"
#include "kernel/boot/boot_info.hpp"

namespace rt {

enum class Priority : uint8_t { Urgent = 0, Normal = 1, Background = 2 };
inline constexpr size_t kPriorities = 3;

struct Hart;

struct KernelThread {
    arch::Context context;
    Executor executor;
    Hart* hart = nullptr;
    Priority priority = Priority::Normal;
    uintptr_t stack_base = 0, stack_top = 0;
    // Switched away from inside a trap handler: it must run again before any thread below it.
    bool preempted = false;
};

struct Hart {
    unsigned long boot_sp = 0;  // HART_BOOT_SP: the stack secondary_entry starts on
    uint32_t index = 0, hartid = 0;
    KernelThread threads[kPriorities];
    KernelThread* current = nullptr;
    TimerQueue timers;
    int lock_depth = 0;
    int irq_depth = 0;  // > 0 while an interrupt handler runs
    // Interrupts masked by count (platform::irq_save): one that arrives meanwhile has its
    // source masked in sie and noted in deferred_irqs, and is taken when the count drops to 0.
    int irq_mask_depth = 0;
    unsigned long deferred_irqs = 0;
    // Set when thread code posts to a sleeping executor of this hart: the running thread
    // looks for higher-priority work after its current coroutine.
    bool need_resched = false;
    uint64_t programmed_deadline = ~0ull;  // what the timer is set to, in ticks
    unsigned long active_satp = 0;         // 0: the kernel's table
    const void* fp_owner = nullptr;        // the thread whose FP state is in the registers (or zeros: fpu.cpp)
    unsigned long retire_satp = 0;         // another hart asks us to drop this table
    unsigned long flush_satp = 0;          // another hart asks us to flush our TLB (then 0)
    std::atomic<bool> online{false};
    // Interrupt counts, for tests and the banner.
    std::atomic<uint64_t> ipis{0}, timer_irqs{0}, external_irqs{0};

    KernelThread& thread(Priority p) { return threads[static_cast<size_t>(p)]; }
};
static_assert(offsetof(Hart, boot_sp) == HART_BOOT_SP);

extern Hart g_harts[kMaxHarts];
extern size_t g_hart_count;

inline Hart& this_hart() {
    Hart* h;
    asm("mv %0, tp" : "=r"(h));
    return *h;
}
inline size_t this_hart_index() { return this_hart().index; }

// The hart whose thread owns `ex`, or nullptr.
Hart* hart_of(const Executor& ex);

}  // namespace rt
