// The kernel's side of rt::platform (kernel/lib/platform.hpp): what the portable async core
// asks of the machine.
#include "kernel/lib/platform.hpp"

#include "arch/riscv/csr.hpp"
#include "arch/riscv/sbi.hpp"
#include "arch/riscv/timer.hpp"
#include "hart.hpp"
#include "kernel/mm/slab.hpp"
#include "kernel/mm/user_access.hpp"
#include "kernel/panic.hpp"

namespace rt::platform {

// Spinlocks mask interrupts by count, not in sstatus: under QEMU every sstatus write ends the
// translated block and goes back through the emulator's main loop, and a pipe round trip took
// some seventy of them. An interrupt that comes while the count is up is deferred (kernel_trap
// masks its source and notes it) and taken when the count drops to zero: every source here keeps
// its interrupt pending until it is handled, so unmasking it brings the trap straight back.
unsigned long irq_save() noexcept {
    ++this_hart().irq_mask_depth;
    return 0;
}
void irq_restore(unsigned long) noexcept {
    Hart& h = this_hart();
    if (--h.irq_mask_depth == 0 && h.deferred_irqs) {
        unsigned long deferred = h.deferred_irqs;
        h.deferred_irqs = 0;
        RT_CSR_SET(sie, deferred);
    }
}
int& lock_depth() noexcept { return this_hart().lock_depth; }
uint64_t now_ns() noexcept { return arch::now_ns(); }
Executor& current_executor() noexcept { return this_hart().current->executor; }
bool runs_executor(const Executor& ex) noexcept {
    Hart& h = this_hart();
    return h.irq_depth == 0 && h.current && &h.current->executor == &ex;
}
TimerQueue& current_timer_queue() noexcept { return this_hart().timers; }

void kick(Executor& ex) noexcept {
    Hart* h = hart_of(ex);
    if (!h) return;
    // Our own hart notices on trap exit, or between coroutines through the flag.
    if (h == &this_hart()) h->need_resched = true;
    else sbi::send_ipi(1ul << h->hartid, 0);
}

void timer_rearm(TimerQueue& q, uint64_t deadline_ns) noexcept {
    Hart& h = this_hart();
    if (&q != &h.timers) return;  // only a hart's own waits register on its queue
    uint64_t ticks = arch::ns_to_ticks(deadline_ns);
    unsigned long irq = arch::irq_save();
    if (ticks < h.programmed_deadline) {
        h.programmed_deadline = ticks;
        arch::timer_program(ticks);
    }
    arch::irq_restore(irq);
}

void* frame_alloc(size_t size) noexcept { return kmalloc(size); }
void frame_free(void* p) noexcept { kfree(p); }
// A hart spinning (on a lock, or for another hart's answer) may have interrupts off; it
// still answers TLB-shootdown and retire requests here, so two harts that wait for each other
// with interrupts off cannot deadlock.
void cpu_relax() noexcept {
    arch::pause();
    answer_tlb_requests();
}
void fatal(const char* msg) noexcept { panic(msg); }

}  // namespace rt::platform
