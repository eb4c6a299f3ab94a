#include "user_thread.hpp"

#include "arch/riscv/csr.hpp"
#include "kernel/console.hpp"
#include "fpu.hpp"
#include "kernel/async/switch_executor.hpp"
#include "futex.hpp"
#include "signal.hpp"
#include "kernel/mm/user_access.hpp"
#include "kernel/sched/hart.hpp"
#include "kernel/sched/interrupts.hpp"
#include "kernel/sched/kthread.hpp"
#include "kernel/syscall/syscall.hpp"

namespace rt {
namespace {

enum Cause : unsigned long {
    kIllegalInstruction = 2, kBreakpoint = 3, kLoadMisaligned = 4, kLoadAccess = 5,
    kStoreMisaligned = 6, kStoreAccess = 7, kEcallU = 8,
    kInstructionPageFault = 12, kLoadPageFault = 13, kStorePageFault = 15,
};

// An interrupt that arrived while the thread was in user mode: handled as the kernel trap
// path would, then the hart may switch to higher-priority work.
void handle_interrupt(unsigned long cause) {
    Hart& h = this_hart();
    ++h.irq_depth;
    switch (cause & ~arch::kCauseInterrupt) {
    case arch::kIrqSoftware: on_software_interrupt(); break;
    case arch::kIrqTimer: on_timer_interrupt(); break;
    case arch::kIrqExternal: on_external_interrupt(); break;
    }
    --h.irq_depth;
    preempt_on_trap_exit();
}

Access access_of(unsigned long cause) {
    return cause == kStorePageFault ? Access::Write
           : cause == kInstructionPageFault ? Access::Execute
                                            : Access::Read;
}

}  // namespace

Task<void> run_user_thread(Thread& t) {
    Process& p = *t.process;
    if (t.set_child_tid) (void)UserPtr<int>(t.set_child_tid).write(*p.space, t.tid);
    // The end of this thread's turn: a thread that keeps trapping (system calls) takes the
    // timer interrupt in the kernel rather than in user mode, so the turn is checked on every
    // trap, not only on a timer trap.
    uint64_t turn_end = arch::rdtime() + time_slice_ticks();
    // Interrupts stay off from one trap to the next user entry when the trap needed nothing
    // that waits or runs long (an interrupt, an immediate system call): two sstatus writes
    // fewer per round trip. Anything pending is taken as soon as the user code runs.
    bool irqs_off = false;
    auto irqs_on = [&] {
        if (irqs_off) arch::irq_enable();
        irqs_off = false;
    };
    unsigned traps = 0;
    while (!t.exiting.load(std::memory_order_relaxed) && !p.exiting.load(std::memory_order_relaxed)) {
        if ((t.pending.load(std::memory_order_relaxed) | p.pending.load(std::memory_order_relaxed)) & ~t.blocked) {
            irqs_on();
            deliver_signals(t);
            continue;  // the default action may have ended the process
        }
        if (!(t.affinity >> this_hart_index() & 1)) {
            // sched_setaffinity took this hart away: continue on the first allowed one.
            irqs_on();
            co_await resume_on(executor_on(static_cast<size_t>(__builtin_ctzll(t.affinity)), Priority::Normal));
            continue;
        }
        // Interrupts off first: an interrupt could switch this hart to a higher-priority kernel
        // thread whose coroutines load another address space or FP state.
        if (!irqs_off) arch::irq_disable();
        activate_space(*p.space);
        fpu_before_enter(t);
        arm_time_slice(turn_end);
        unsigned long cause = arch::enter_user(&t.frame);
        irqs_off = true;
        fpu_after_trap(t);
        auto& regs = t.frame.trap.regs;
        const SyscallEntry* call = cause == kEcallU ? find_syscall(regs[17]) : nullptr;
        if (cause & arch::kCauseInterrupt) {
            handle_interrupt(cause);
        } else if (call && call->immediate && call->quick) {
            t.frame.trap.sepc += 4;
            regs[10] = static_cast<unsigned long>(
                call->immediate(t, SyscallArgs{{regs[10], regs[11], regs[12], regs[13], regs[14], regs[15]}}));
        } else {
            irqs_on();
            switch (cause) {
            case kEcallU: {
                t.frame.trap.sepc += 4;
                SyscallArgs args{{regs[10], regs[11], regs[12], regs[13], regs[14], regs[15]}};
                long result;
                if (call) {
                    if (call->immediate) result = call->immediate(t, args);
                    else result = co_await call->async(t, args);
                } else {
                    result = unknown_syscall(regs[17]);
                }
                regs[10] = static_cast<unsigned long>(result);
                break;
            }
            case kInstructionPageFault:
            case kLoadPageFault:
            case kStorePageFault:
                if (auto r = p.space->handle_fault(t.frame.trap.stval, access_of(cause)); r.is_error()) {
                    // As Linux logs these: one line, for whoever debugs the program. Out of
                    // memory ends the process the way the OOM killer would (SIGKILL).
                    bool oom = r.error().code == Errno::NOMEM;
                    kprint("riptide: pid {} {} at {:#x} pc {:#x}\n", p.pid, oom ? "out of memory" : "segfault",
                           t.frame.trap.stval, t.frame.trap.sepc);
                    exit_process(p, oom ? kSigKill : kSigSegv);
                }
                break;
            case kLoadAccess:
            case kStoreAccess: exit_process(p, kSigSegv); break;
            case kLoadMisaligned:
            case kStoreMisaligned: exit_process(p, kSigBus); break;
            case kBreakpoint: exit_process(p, kSigTrap); break;
            default: exit_process(p, kSigIll); break;
            }
        }
        // Reading the time costs a little on every trap, so a run of system calls looks at it
        // every 16th; an interrupt (the timer among them) always does.
        if (((++traps & 15) == 0 || (cause & arch::kCauseInterrupt)) && arch::rdtime() >= turn_end) {
            irqs_on();
            co_await yield();  // let the other ready coroutines of this executor run
            turn_end = arch::rdtime() + time_slice_ticks();
        }
    }
    irqs_on();
    fpu_forget(t);
    // CLONE_CHILD_CLEARTID: zero the tid word and wake its futex (how pthread_join learns).
    if (t.clear_child_tid && !p.exiting.load()) {
        if (!UserPtr<int>(t.clear_child_tid).write(*p.space, 0).is_error())
            (void)futex_wake(t, t.clear_child_tid, 1, ~0u, false);
    }
    {
        SpinLockGuard g(g_process_lock);
        p.threads.remove(t);
    }
    if (p.live_threads.fetch_sub(1) == 1) {
        p.exited.set();
        process_ended(p);
    } else {
        p.thread_exits.notify();
    }
    delete &t;
    release_process(&p);
}

}  // namespace rt
