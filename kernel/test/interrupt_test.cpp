// IPIs, device interrupts through the PLIC, and priority preemption.
#include <atomic>

#include "arch/riscv/csr.hpp"
#include "arch/riscv/timer.hpp"
#include "drivers/uart.hpp"
#include "kernel/async/event.hpp"
#include "kernel/async/sleep.hpp"
#include "kernel/sched/interrupts.hpp"
#include "kernel/sched/kthread.hpp"
#include "ktest.hpp"

namespace rt {

KTEST(ipis_reach_every_other_hart) {
    for (size_t i = 0; i < g_hart_count; ++i) {
        if (i == this_hart_index()) continue;
        uint64_t before = g_harts[i].ipis.load();
        send_ipi(i);
        uint64_t deadline = arch::now_ns() + 1'000'000'000;
        while (g_harts[i].ipis.load() == before && arch::now_ns() < deadline) co_await sleep_for(100'000);
        KEXPECT(g_harts[i].ipis.load() > before);
    }
}

// Spinlocks mask interrupts by count, not in sstatus (sched/platform.cpp): an interrupt that
// comes while one is held is deferred, not lost, and taken as the lock is let go.
KTEST(an_interrupt_under_a_spinlock_is_taken_when_it_is_released) {
    KASSERT(arch::irq_enabled());
    Hart& h = this_hart();
    SpinLock lock;
    uint64_t before = h.ipis.load();
    {
        SpinLockGuard g(lock);
        send_ipi(this_hart_index());
        uint64_t until = arch::now_ns() + 5'000'000;
        while (arch::now_ns() < until) {
        }
        KEXPECT(h.ipis.load() == before);
        KEXPECT(h.deferred_irqs != 0);
    }
    KEXPECT(h.ipis.load() > before);
    KEXPECT(h.deferred_irqs == 0);
}

KTEST(plic_delivers_uart_interrupt) {
    uint64_t before = uart::tx_empty_interrupts();
    uart::set_tx_empty_interrupt(true);  // the transmitter is idle, so this raises at once
    uint64_t deadline = arch::now_ns() + 1'000'000'000;
    while (uart::tx_empty_interrupts() == before && arch::now_ns() < deadline) co_await sleep_for(100'000);
    KEXPECT(uart::tx_empty_interrupts() > before);
    KEXPECT(g_harts[0].external_irqs.load() > 0);
}

namespace {

struct PreemptProbe {
    std::atomic<bool> loop_running{false};
    std::atomic<bool> urgent_ran_during_loop{false};
    std::atomic<uint64_t> urgent_latency_ns{0};
    std::atomic<size_t> urgent_hart{99}, loop_hart{98};
    Event loop_done, urgent_done;
};

// Never yields: only preemption on trap exit can let anything else run on this hart.
Task<void> cpu_bound_loop(PreemptProbe& p, uint64_t ns) {
    p.loop_hart = this_hart_index();
    p.loop_running = true;
    uint64_t end = arch::now_ns() + ns;
    while (arch::now_ns() < end) {
    }
    p.loop_running = false;
    p.loop_done.set();
    co_return;
}

Task<void> urgent_sleeper(PreemptProbe& p, uint64_t ns) {
    uint64_t deadline = arch::now_ns() + ns;
    co_await sleep_until(deadline);
    p.urgent_latency_ns = arch::now_ns() - deadline;
    p.urgent_hart = this_hart_index();
    p.urgent_ran_during_loop = p.loop_running.load();
    p.urgent_done.set();
}

}  // namespace

KTEST(urgent_timer_work_preempts_a_cpu_bound_coroutine) {
    // Both on the last hart: the urgent one first (it registers its timer and waits), then the
    // loop, which holds the hart's normal thread for 300 ms.
    size_t hart = g_hart_count - 1;
    PreemptProbe p;
    KASSERT(!spawn(urgent_sleeper(p, 20'000'000), executor_on(hart, Priority::Urgent)).is_error());
    KASSERT(!spawn(cpu_bound_loop(p, 300'000'000), executor_on(hart, Priority::Normal), Affinity::Pinned).is_error());
    co_await p.loop_done.wait({.deadline_ns = arch::now_ns() + 5'000'000'000});
    co_await p.urgent_done.wait({.deadline_ns = arch::now_ns() + 5'000'000'000});
    KEXPECT(p.urgent_hart.load() == hart);
    KEXPECT(p.loop_hart.load() == hart);
    KEXPECT(p.urgent_ran_during_loop.load());
    kprint("    urgent wake latency under a busy loop: {} us\n", p.urgent_latency_ns.load() / 1000);
}

}  // namespace rt
