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

unsigned long irq_save() noexcept { return arch::irq_save(); }
void irq_restore(unsigned long s) noexcept { arch::irq_restore(s); }
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
