#include "trap.hpp"

#include "csr.hpp"
#include "kernel/panic.hpp"
#include "kernel/sched/hart.hpp"
#include "kernel/sched/interrupts.hpp"
#include "kernel/sched/kthread.hpp"

extern "C" char kernel_trap_vector[];

namespace rt::arch {

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
    if (!(frame->scause & kCauseInterrupt)) rt::panic_trap("exception in kernel", *frame);
    rt::Hart& hart = rt::this_hart();
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
