#include "user_thread.hpp"

#include "arch/riscv/csr.hpp"
#include "kernel/console.hpp"
#include "fpu.hpp"
#include "kernel/async/switch_executor.hpp"
#include "futex.hpp"
#include "itimer.hpp"
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

// The signal a user-mode fault raises (SIGSEGV, SIGBUS, SIGILL, SIGTRAP), with its si_code and
// address.
SigInfo fault_signal(unsigned long cause, const arch::TrapFrame& trap, Errno fault_error) {
    switch (cause) {
    case kInstructionPageFault:
    case kLoadPageFault:
    case kStorePageFault:
        // Past the end of the object a shared region maps: SIGBUS, as Linux.
        if (fault_error == Errno::NXIO) return {kSigBus, kBusAdrerr, 0, 0, 0, trap.stval};
        return {kSigSegv, fault_error == Errno::ACCES ? kSegvAccerr : kSegvMaperr, 0, 0, 0, trap.stval};
    case kLoadAccess:
    case kStoreAccess: return {kSigSegv, kSegvAccerr, 0, 0, 0, trap.stval};
    case kLoadMisaligned:
    case kStoreMisaligned: return {kSigBus, kBusAdraln, 0, 0, 0, trap.stval};
    case kBreakpoint: return {kSigTrap, kTrapBrkpt, 0, 0, 0, trap.sepc};
    default: return {kSigIll, kIllIllopc, 0, 0, 0, trap.sepc};
    }
}

bool killed(const Thread& t) {
    return ((t.pending.load(std::memory_order_relaxed) | t.process->pending.load(std::memory_order_relaxed)) &
            sig_bit(kSigKill)) != 0;
}

// What user_quick_trap hands the user loop for a call it completed that still needs the loop,
// and for one whose immediate half handed over to its async half.
constexpr unsigned long kQuickCallDone = 0xfff, kQuickCallAsync = 0xffe;
constexpr long kTakeAsync = -static_cast<long>(Errno::WAITS);

// CPU time. Reading the clock costs a little, so a light trap (an interrupt, a quick system
// call) does not: the time since clock_since is charged as user time when it is next read,
// which for a run of light traps is every 16th (and on every interrupt). Any other trap is
// timed exactly: kernel time from the trap to the next entry, less the time spent suspended
// (a wait, a yield).
void charge(Thread& t, uint64_t now) {
    Process& p = *t.process;
    uint64_t used = now - t.clock_since;
    t.clock_since = now;
    (t.clock_in_kernel ? t.stime : t.utime) += used;
    (t.clock_in_kernel ? p.stime : p.utime).fetch_add(used, std::memory_order_relaxed);
    if (p.cpu_timers_armed.load(std::memory_order_relaxed)) check_cpu_timers(p);
}
// Kernel time starts now: what went before was the user's.
void enter_kernel_time(Thread& t) {
    charge(t, arch::rdtime());
    t.clock_in_kernel = true;
}
// User time starts now: what went before was the kernel's.
void leave_kernel_time(Thread& t) {
    if (!t.clock_in_kernel) return;
    charge(t, arch::rdtime());
    t.clock_in_kernel = false;
}

// Waits while t's process is stopped (and neither ending nor killed). A coroutine of its own,
// so that its wait takes room only while the process is stopped, not in every thread's frame.
Task<ErrorOr<void>> wait_while_stopped(Thread& t) {
    Process& p = *t.process;
    (void)co_await p.stop_queue.wait(
        [&] { return !p.stopped.load() || p.exiting.load() || t.exiting.load() || killed(t); });
    co_return ErrorOr<void>();
}

// The clock around a wait: stop charging before it, kernel time again after it.
void stop_clock(Thread& t) { charge(t, arch::rdtime()); }
void start_clock(Thread& t) {
    t.clock_since = arch::rdtime();
    t.clock_in_kernel = true;
}

void irqs_on(bool& irqs_off) {
    if (irqs_off) arch::irq_enable();
    irqs_off = false;
}

// A system call's arguments, a0 to a5 of the trapped thread.
SyscallArgs args_of(const arch::UserFrame& frame) {
    const auto& regs = frame.trap.regs;
    return SyscallArgs{{regs[10], regs[11], regs[12], regs[13], regs[14], regs[15]}};
}

// A system call's result into a0, and a signal-interrupted one kept for a restart.
void finish_call(Thread& t, long result) {
    auto& regs = t.frame.trap.regs;
    if (result == -static_cast<long>(Errno::RESTARTSYS) || result == -static_cast<long>(Errno::RESTARTNOHAND)) {
        t.restart_code = static_cast<int32_t>(result);
        t.restart_a0 = regs[10];  // still the call's first argument
    }
    regs[10] = static_cast<unsigned long>(result);
}

// The async half of a system call, its arguments taken from the frame.
Task<long> start_async(const SyscallEntry& call, Thread& t) {
    return call.async(t, args_of(t.frame));
}

// Handles the trap `cause` that ended the thread's turn in user mode, except a system call
// that may wait: that one is returned, for the loop to await. `irqs_off` says whether
// interrupts are still off from the trap (handling turns them on unless the trap is light).
const SyscallEntry* handle_trap(Thread& t, unsigned long cause, bool& irqs_off) {
    Process& p = *t.process;
    if (!fpu_after_trap(t)) {
        // No memory to keep the thread's FP registers: it cannot go on correctly, and is
        // ended as the OOM killer would end it.
        irqs_on(irqs_off);
        exit_process(p, kSigKill);
        return nullptr;
    }
    auto& regs = t.frame.trap.regs;
    if (cause & arch::kCauseInterrupt) {
        handle_interrupt(cause);
        return nullptr;
    }
    if (cause == kQuickCallDone) return nullptr;  // user_quick_trap ran the call
    const SyscallEntry* call = cause == kEcallU || cause == kQuickCallAsync ? find_syscall(regs[17]) : nullptr;
    if (cause == kEcallU && call && call->immediate && call->quick) {
        t.frame.trap.sepc += 4;
        regs[10] = static_cast<unsigned long>(
            call->immediate(t, args_of(t.frame)));
        return nullptr;
    }
    irqs_on(irqs_off);
    enter_kernel_time(t);
    switch (cause) {
    case kEcallU:
    case kQuickCallAsync: {
        // kQuickCallAsync: user_quick_trap ran the immediate half, the async one is next.
        if (cause == kEcallU) t.frame.trap.sepc += 4;
        if (!call) {
            finish_call(t, unknown_syscall(regs[17]));
            return nullptr;
        }
        long result = cause == kQuickCallAsync || !call->immediate
                          ? kTakeAsync
                          : call->immediate(t, args_of(t.frame));
        if (result == kTakeAsync) return call;
        // rt_sigreturn has put back the whole interrupted context, a0 included: it is no
        // system call's result, even one that looks like a restart code.
        if (call->full_frame) return nullptr;
        finish_call(t, result);
        return nullptr;
    }
    case kInstructionPageFault:
    case kLoadPageFault:
    case kStorePageFault:
        if (auto r = p.space->handle_fault(t.frame.trap.stval, access_of(cause)); r.is_error()) {
            // Out of memory ends the process the way the OOM killer would (SIGKILL); a bad
            // access is the thread's SIGSEGV. Logged as Linux logs unhandled ones.
            if (r.error().code == Errno::NOMEM) {
                kprint("riptide: pid {} out of memory at {:#x} pc {:#x}\n", p.pid, t.frame.trap.stval,
                       t.frame.trap.sepc);
                exit_process(p, kSigKill);
            } else {
                force_signal(t, fault_signal(cause, t.frame.trap, r.error().code));
            }
        }
        return nullptr;
    default: force_signal(t, fault_signal(cause, t.frame.trap, Errno::FAULT)); return nullptr;
    }
}

// Whether the thread's turn is over. A light trap reads the clock every 16th time (and on an
// interrupt); any other trap has read it already.
bool turn_over(Thread& t, uint64_t turn_end, unsigned traps, bool interrupted) {
    uint64_t now = t.clock_since;
    if (!t.clock_in_kernel && ((traps & 15) == 0 || interrupted)) {
        now = arch::rdtime();
        charge(t, now);
    }
    return now >= turn_end;
}

}  // namespace

// The register-light path of a system call (trap_entry.S), interrupts off, before the user
// loop sees the trap: an immediate call runs here and the thread goes straight back to user
// mode (0), unless something needs the loop. Returns kEcallU if the loop is to handle the call
// itself (async, needing the whole frame, or FP state to save first), kQuickCallAsync if its
// immediate half handed over to the async half, kQuickCallDone if it is done but the loop must
// look at the thread (a signal to deliver, an exit, a stop, a restart, a time-slice timer that
// fired, a hart it may no longer run on, or another thread's address space or FP state loaded
// meanwhile).
extern "C" RT_HOT_PATH unsigned long user_quick_trap(arch::UserFrame* frame) {
    static_assert(offsetof(Thread, frame) == 0);
    Thread& t = *reinterpret_cast<Thread*>(frame);
    auto& regs = frame->trap.regs;
    const SyscallEntry* call = find_syscall(regs[17]);
    if (!call || !call->immediate || call->full_frame) return kEcallU;
    if (fpu_dirty()) return kEcallU;  // the loop saves the user's FP state first
    frame->trap.sepc += 4;
    SyscallArgs args = args_of(*frame);
    Hart& h = this_hart();
    uint64_t timer_irqs = h.timer_irqs;
    long result;
    if (call->quick) {
        result = call->immediate(t, args);
    } else {
        // As on the loop's path: timed, and with interrupts on while it runs.
        enter_kernel_time(t);
        arch::irq_enable();
        result = call->immediate(t, args);
        arch::irq_disable();
        leave_kernel_time(t);
    }
    if (result == kTakeAsync) return kQuickCallAsync;
    finish_call(t, result);
    Process& p = *t.process;
    bool for_loop = t.exiting.load(std::memory_order_relaxed) || p.exiting.load(std::memory_order_relaxed) ||
                    p.stopped.load(std::memory_order_relaxed) || t.restart_code ||
                    ((t.pending.load(std::memory_order_relaxed) | p.pending.load(std::memory_order_relaxed)) & ~t.blocked) ||
                    h.timer_irqs != timer_irqs || h.active_satp != p.space->satp() || !fpu_live(t) ||
                    !(t.affinity >> this_hart_index() & 1);
    return for_loop ? kQuickCallDone : 0;
}

Task<void> run_user_thread(Thread& t) {
    // Everything that lives across a co_await here sits in this coroutine's frame, which is
    // most of what a blocked thread costs: the trap is handled in plain functions, and what
    // stays is a handful of words.
    // The end of this thread's turn: a thread that keeps trapping (system calls) takes the
    // timer interrupt in the kernel rather than in user mode, so the turn is checked on every
    // trap, not only on a timer trap.
    uint64_t turn_end = arch::rdtime() + time_slice_ticks();
    start_clock(t);
    unsigned traps = 0;
    // Interrupts stay off from one trap to the next user entry when the trap needed nothing
    // that waits or runs long (an interrupt, an immediate system call): two sstatus writes
    // fewer per round trip. Anything pending is taken as soon as the user code runs.
    bool irqs_off = false;
    while (!t.exiting.load(std::memory_order_relaxed) && !t.process->exiting.load(std::memory_order_relaxed)) {
        Process& p = *t.process;
        if (p.stopped.load(std::memory_order_relaxed) && !killed(t)) {
            irqs_on(irqs_off);
            stop_clock(t);
            auto stopped = co_await wait_while_stopped(t);
            if (stopped.is_error()) co_await yield();  // no memory for the wait: look again later
            start_clock(t);
            continue;
        }
        if ((t.pending.load(std::memory_order_relaxed) | p.pending.load(std::memory_order_relaxed)) & ~t.blocked) {
            irqs_on(irqs_off);
            deliver_signals(t);
            continue;  // the default action may have ended or stopped the process
        }
        if (t.restart_code) restart_interrupted_call(t);
        if (!(t.affinity >> this_hart_index() & 1)) {
            // sched_setaffinity took this hart away: continue on the first allowed one.
            irqs_on(irqs_off);
            stop_clock(t);
            co_await resume_on(executor_on(static_cast<size_t>(__builtin_ctzll(t.affinity)), Priority::Normal));
            start_clock(t);
            continue;
        }
        // Interrupts off first: an interrupt could switch this hart to a higher-priority kernel
        // thread whose coroutines load another address space or FP state.
        if (!irqs_off) arch::irq_disable();
        activate_space(*p.space);
        fpu_before_enter(t);
        arm_time_slice(turn_end);
        leave_kernel_time(t);
        unsigned long cause = arch::enter_user(&t.frame);
        irqs_off = true;
        bool interrupted = cause & arch::kCauseInterrupt;
        if (const SyscallEntry* call = handle_trap(t, cause, irqs_off)) {
            // A system call that may wait. Kernel time is charged for it only if it never
            // waited: the executor resumed nothing else meanwhile.
            Executor* ex = &platform::current_executor();
            uint64_t resumed = ex->resumed();
            long result = kTakeAsync;
            // A read or write that found its file not ready left the file here: wait for it in
            // this frame and run the call's immediate half again on that file (try, wait,
            // retry), with no coroutine frame of the call's own. A signal or an exit ends the
            // wait (ERESTARTSYS).
            while (t.io_file && !t.io_moved) {
                FileRef waited = std::move(t.io_file);
                File* f = waited.get();
                uint32_t want = (t.io_writing ? kPollOut : kPollIn) | kPollErr | kPollHup;
                auto w = co_await f->readiness()->wait([f, want] { return (f->poll() & want) != 0; },
                                                       {.mask = want, .cancel = &t.cancel});
                if (w == WaitResult::Cancelled) {
                    result = -static_cast<long>(Errno::RESTARTSYS);
                    break;
                }
                t.io_file = std::move(waited);
                result = call->immediate(t, args_of(t.frame));
            }
            if (result == kTakeAsync) result = co_await start_async(*call, t);
            if (ex != &platform::current_executor() || ex->resumed() != resumed) start_clock(t);
            finish_call(t, result);
        }
        if (turn_over(t, turn_end, ++traps, interrupted)) {
            irqs_on(irqs_off);
            stop_clock(t);
            co_await yield();  // let the other ready coroutines of this executor run
            start_clock(t);
            turn_end = arch::rdtime() + time_slice_ticks();
        }
    }
    Process& p = *t.process;
    irqs_on(irqs_off);
    stop_clock(t);
    fpu_forget(t);
    exit_robust_list(t);  // even when the whole process ends: shared memory outlives it
    // CLONE_CHILD_CLEARTID: zero the tid word and wake its futex (how pthread_join learns).
    if (t.clear_child_tid && !p.exiting.load()) {
        if (!UserPtr<int>(t.clear_child_tid).write(*p.space, 0).is_error())
            (void)futex_wake(t, t.clear_child_tid, 1, ~0u, false);
    }
    {
        SpinLockGuard g(g_process_lock);
        p.threads.remove(t);
    }
    drop_queued_signals(p, t.queued);
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
