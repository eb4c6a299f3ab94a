#include "trap.hpp"

#include "csr.hpp"
#include "user_copy.hpp"
#include "kernel/panic.hpp"
#include "kernel/sched/hart.hpp"
#include "kernel/sched/interrupts.hpp"
#include "kernel/sched/kthread.hpp"

extern "C" char kernel_trap_vector[], user_access_begin[], user_access_end[], user_access_fixup[];

namespace rt::arch {

bool in_user_access(unsigned long pc) {
    return pc >= reinterpret_cast<unsigned long>(user_access_begin) &&
           pc < reinterpret_cast<unsigned long>(user_access_end);
}
unsigned long user_access_fixup_pc() { return reinterpret_cast<unsigned long>(user_access_fixup); }

void install_trap_vector() { RT_CSR_WRITE(stvec, reinterpret_cast<unsigned long>(kernel_trap_vector)); }

const char* cause_name(unsigned long scause) {
    static const char* const kExceptions[] = {
        "instruction address misaligned", "instruction access fault", "illegal instruction",
        "breakpoint", "load address misaligned", "load access fault",
        "store address misaligned", "store access fault", "ecall from U-mode",
        "ecall from S-mode", "reserved", "reserved", "instruction page fault",
        "load page fault", "reserved", "store page fault"};
    if (scause & kCauseInterrupt) {
        switch (scause & ~kCauseInterrupt) {
        case kIrqSoftware: return "software interrupt";
        case kIrqTimer: return "timer interrupt";
        case kIrqExternal: return "external interrupt";
        default: return "unknown interrupt";
        }
    }
    return scause < 16 ? kExceptions[scause] : "unknown exception";
}

}  // namespace rt::arch

// Every trap taken while in the kernel lands here (trap_entry.S), interrupts disabled.
extern "C" void kernel_trap(rt::arch::TrapFrame* frame) {
    using namespace rt::arch;
    if (!(frame->scause & kCauseInterrupt)) {
        // A user-memory accessor touched an unmapped or protected user page: not a kernel bug.
        bool page_fault = frame->scause == 13 || frame->scause == 15 || frame->scause == 5 || frame->scause == 7;
        if (page_fault && in_user_access(frame->sepc)) {
            frame->regs[10] = frame->stval;
            frame->sepc = user_access_fixup_pc();
            return;
        }
        rt::panic_trap("exception in kernel", *frame);
    }
    rt::Hart& hart = rt::this_hart();
    if (hart.irq_mask_depth > 0) {
        // Masked by count (a spinlock is held): taken when the count drops (platform.cpp).
        unsigned long source = 1ul << (frame->scause & ~kCauseInterrupt);
        RT_CSR_CLEAR(sie, source);
        hart.deferred_irqs |= source;
        return;
    }
    ++hart.irq_depth;
    switch (frame->scause & ~kCauseInterrupt) {
    case kIrqSoftware: rt::on_software_interrupt(); break;
    case kIrqTimer: rt::on_timer_interrupt(); break;
    case kIrqExternal: rt::on_external_interrupt(); break;
    default: rt::panic_trap("unknown interrupt", *frame);
    }
    --hart.irq_depth;
    rt::preempt_on_trap_exit();  // switching threads leaves interrupt context
}
