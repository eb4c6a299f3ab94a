#include "signal.hpp"

#include <cstring>
#include <new>
#include <utility>

#include "fpu.hpp"
#include "kernel/console.hpp"
#include "kernel/mm/user_access.hpp"
#include "vdso.hpp"
#include "vdso_offsets.h"

namespace rt {
namespace {

constexpr uint64_t kSaNocldstop = 1, kSaRestart = 0x10000000, kSaOnstack = 0x08000000,
                   kSaNodefer = 0x40000000, kSaResethand = 0x80000000;
constexpr int kSsOnstack = 1, kSsDisable = 2;

// The default actions: ignore, stop and continue; everything else terminates (core-dumping
// signals terminate without a dump).
constexpr uint64_t kDefaultIgnore = sig_bit(kSigChld) | sig_bit(kSigUrg) | sig_bit(kSigWinch) | sig_bit(kSigCont);

// The Linux riscv64 signal frame (uapi asm/ucontext.h, asm/sigcontext.h).
struct StackT {
    uint64_t sp;
    int32_t flags, pad;
    uint64_t size;
};
struct alignas(16) Ucontext {
    uint64_t flags;
    uint64_t link;
    StackT stack;
    uint64_t sigmask;
    uint8_t unused[120];
    uint64_t pad;             // sigcontext is 16-byte aligned
    uint64_t regs[32];        // pc, then x1..x31
    uint64_t fregs[64];       // the largest member of union __riscv_fp_state (the d form uses f[0..31])
    uint32_t fcsr_q, reserved[3];
};
static_assert(offsetof(Ucontext, regs) == 176 && sizeof(Ucontext) == 960);
struct SignalFrame {
    LinuxSiginfo info;
    Ucontext uc;
};

// A fault the kernel raised (its information is an address), not a signal someone sent.
bool is_fault(const SigInfo& info) {
    return info.code > 0 && info.code < kSiKernel &&
           (info.signo == kSigSegv || info.signo == kSigBus || info.signo == kSigIll || info.signo == kSigFpe ||
            info.signo == kSigTrap);
}

bool on_altstack(const Thread& t, uint64_t sp) {
    return t.altstack.flags != kSsDisable && sp > t.altstack.sp && sp <= t.altstack.sp + t.altstack.size;
}

// Whether `t` wants to hear of `sig` now: it does not block it, or it waits for it.
bool interested(const Thread& t, int sig) {
    return !(t.blocked & sig_bit(sig) & ~kUnblockable) || (t.waiting_for & sig_bit(sig));
}

// Clears `mask` from the process's and every thread's pending sets. Both locks held.
void discard_locked(Process& p, uint64_t mask) {
    auto drop = [&](std::atomic<uint64_t>& pending, SignalQueue& queue) {
        if (!(pending.fetch_and(~mask) & mask)) return;
        for (QueuedSignal* q = queue.front(); q;) {
            QueuedSignal* next = queue.next_of(*q);
            if (sig_bit(q->info.signo) & mask) {
                queue.remove(*q);
                delete q;
                --p.queued_count;
            }
            q = next;
        }
    };
    drop(p.pending, p.queued);
    p.threads.for_each([&](Thread& t) { drop(t.pending, t.queued); });
}

// Tells the parent that `p` stopped or continued (wait4 and SIGCHLD, unless the parent asked
// for no such SIGCHLD with SA_NOCLDSTOP). g_process_lock held.
void notify_parent_locked(Process& p, int code, int status) {
    Process* parent = p.parent;
    if (!parent) return;
    parent->child_events.notify();
    bool quiet;
    {
        SpinLockGuard g(parent->signal_lock);
        quiet = parent->actions[kSigChld - 1].flags & kSaNocldstop;
    }
    if (!quiet) post_signal_locked(*parent, nullptr, {kSigChld, code, p.pid, p.creds.uid.real, status, 0});
}

// The default action of a stop signal: every thread stops at its next way out to user mode.
void stop_process(Process& p, int sig) {
    SpinLockGuard g(g_process_lock);
    if (p.exiting.load() || p.stopped.load()) return;
    p.stopped = true;
    p.stop_signal = sig;
    p.report_stopped = true;
    p.report_continued = false;
    p.threads.for_each([](Thread& t) { t.cancel.cancel(); });
    notify_parent_locked(p, kCldStopped, sig);
}

// An interrupted system call, now that a handler is about to run: restarted if it allows that
// under SA_RESTART, else it returns EINTR.
void end_interrupted_call(Thread& t, const SigAction& act) {
    if (!t.restart_code) return;
    if (t.restart_code == -static_cast<long>(Errno::RESTARTSYS) && (act.flags & kSaRestart)) {
        restart_interrupted_call(t);
        return;
    }
    t.frame.trap.regs[10] = static_cast<uint64_t>(-static_cast<long>(Errno::INTR));
    t.restart_code = 0;
}

bool build_frame(Thread& t, const SigInfo& info, const SigAction& act) {
    auto& regs = t.frame.trap.regs;
    uint64_t sp = regs[2];
    if ((act.flags & kSaOnstack) && t.altstack.flags != kSsDisable && !on_altstack(t, sp))
        sp = t.altstack.sp + t.altstack.size;
    sp = (sp - sizeof(SignalFrame)) & ~15ull;
    auto* f = new (std::nothrow) SignalFrame{};
    if (!f) return false;
    f->info = to_linux(info);
    f->uc.stack = {t.altstack.sp, t.altstack.flags | (on_altstack(t, regs[2]) ? kSsOnstack : 0), 0, t.altstack.size};
    // After rt_sigsuspend the handler returns to the mask from before the call.
    f->uc.sigmask = t.restore_blocked ? t.saved_blocked : t.blocked;
    f->uc.regs[0] = t.frame.trap.sepc;
    for (int i = 1; i < 32; ++i) f->uc.regs[i] = regs[i];
    const FpState& fp = fp_state(t);
    for (int i = 0; i < 32; ++i) f->uc.fregs[i] = fp.f[i];
    // The d form's fcsr follows f[0..31].
    reinterpret_cast<uint32_t*>(&f->uc.fregs[32])[0] = fp.fcsr;
    bool ok = !copy_to_user(*t.process->space, sp, f, sizeof *f).is_error();
    delete f;
    if (!ok) return false;
    t.restore_blocked = false;
    regs[1] = kVdsoBase + VDSO_RT_SIGRETURN_OFFSET;  // ra: back through rt_sigreturn
    regs[2] = sp;
    regs[10] = static_cast<uint64_t>(info.signo);
    regs[11] = sp + offsetof(SignalFrame, info);
    regs[12] = sp + offsetof(SignalFrame, uc);
    t.frame.trap.sepc = act.handler;
    return true;
}

}  // namespace

LinuxSiginfo to_linux(const SigInfo& info) {
    LinuxSiginfo out{};
    out.signo = info.signo;
    out.code = info.code;
    if (is_fault(info)) {
        memcpy(out.fields, &info.addr, 8);  // si_addr
    } else {
        memcpy(out.fields, &info.pid, 4);  // si_pid, si_uid, then SIGCHLD's si_status
        memcpy(out.fields + 4, &info.uid, 4);
        memcpy(out.fields + 8, &info.status, 4);
    }
    return out;
}

void post_signal_locked(Process& p, Thread* thread, const SigInfo& info) {
    int sig = info.signo;
    if (p.zombie) return;
    bool ignored;
    {
        SpinLockGuard g(p.signal_lock);
        // Continuing and stopping undo each other at once, whatever the signal's action.
        if (sig == kSigCont) discard_locked(p, kStopSignals);
        if (sig_bit(sig) & kStopSignals) discard_locked(p, sig_bit(kSigCont));
        const SigAction& act = p.actions[sig - 1];
        ignored = sig != kSigKill && (act.handler == kSigIgn || (act.handler == kSigDfl && (sig_bit(sig) & kDefaultIgnore)));
        if (!ignored) {
            auto& pending = thread ? thread->pending : p.pending;
            auto& queue = thread ? thread->queued : p.queued;
            // A standard signal is pending once; a real-time one queues every instance, up to
            // RLIMIT_SIGPENDING for the process (beyond it, the information is lost).
            if ((!(pending.load() & sig_bit(sig)) || sig >= kSigRtMin) && p.queued_count < p.limits[kRlimitSigpending].cur) {
                if (auto* q = new (std::nothrow) QueuedSignal{{}, info}) {
                    queue.push_back(*q);
                    ++p.queued_count;
                }
            }
            pending.fetch_or(sig_bit(sig));
        }
    }
    if (sig == kSigCont && p.stopped.load()) {
        p.stopped = false;
        p.report_stopped = false;
        p.report_continued = true;
        p.stop_queue.notify();
        notify_parent_locked(p, kCldContinued, kSigCont);
    }
    if (ignored) return;
    p.signal_watches.for_each([sig](SignalWatch& w) { w.posted(w.context, sig); });
    if (sig == kSigKill) p.stop_queue.notify();  // a stopped process dies too
    // A process-directed signal interrupts a thread that wants it.
    Thread* target = thread;
    if (!target)
        for (Thread* t = p.threads.front(); t && !target; t = p.threads.next_of(*t))
            if (interested(*t, sig)) target = t;
    if (target && interested(*target, sig)) target->cancel.cancel();
}

void send_signal(Process& p, int sig) {
    SpinLockGuard g(g_process_lock);
    post_signal_locked(p, nullptr, {sig, kSiKernel, 0, 0, 0, 0});
}

void force_signal(Thread& t, const SigInfo& info) {
    Process& p = *t.process;
    {
        SpinLockGuard g(p.signal_lock);
        SigAction& act = p.actions[info.signo - 1];
        if (act.handler == kSigIgn || (t.blocked & sig_bit(info.signo))) act.handler = kSigDfl;
    }
    t.blocked &= ~sig_bit(info.signo);
    SpinLockGuard g(g_process_lock);
    post_signal_locked(p, &t, info);
}

int take_signal(Thread& t, uint64_t set, SigInfo& info) {
    Process& p = *t.process;
    SpinLockGuard g(p.signal_lock);
    for (auto [pending, queue] : {std::pair{&t.pending, &t.queued}, std::pair{&p.pending, &p.queued}}) {
        uint64_t ready = pending->load(std::memory_order_acquire) & set;
        if (!ready) continue;
        int sig = __builtin_ctzll(ready) + 1;
        info = {sig, kSiKernel, 0, 0, 0, 0};  // if its information was lost
        QueuedSignal* found = nullptr;
        bool more = false;
        for (QueuedSignal* q = queue->front(); q; q = queue->next_of(*q)) {
            if (q->info.signo != sig) continue;
            if (found) {
                more = true;
                break;
            }
            found = q;
        }
        if (found) {
            info = found->info;
            queue->remove(*found);
            delete found;
            --p.queued_count;
        }
        if (!more) pending->fetch_and(~sig_bit(sig));
        return sig;
    }
    return 0;
}

int take_process_signal(Process& p, uint64_t set, SigInfo& info) {
    for (Thread* t = p.threads.front(); t; t = p.threads.next_of(*t))
        if (int sig = take_signal(*t, set, info)) return sig;
    return 0;
}

uint64_t pending_anywhere_locked(Process& p) {
    uint64_t pending = p.pending.load();
    p.threads.for_each([&](Thread& t) { pending |= t.pending.load(); });
    return pending;
}

bool has_deliverable_signal(const Thread& t) {
    return ((t.pending.load() | t.process->pending.load()) & ~t.blocked) != 0;
}

void restart_interrupted_call(Thread& t) {
    t.frame.trap.sepc -= 4;  // the ecall again
    t.frame.trap.regs[10] = t.restart_a0;
    t.restart_code = 0;
    // No handler ran: the mask from before rt_sigsuspend comes back now.
    if (t.restore_blocked) t.blocked = t.saved_blocked;
    t.restore_blocked = false;
    // The cancellation that ended the call is spent; a signal sent from here on is seen at
    // the next look at the pending sets.
    t.cancel.reset();
}

void deliver_signals(Thread& t) {
    Process& p = *t.process;
    for (;;) {
        // Reset before looking: a signal sent from here on cancels the next wait again.
        t.cancel.reset();
        SigInfo info;
        int sig = take_signal(t, ~(t.blocked & ~kUnblockable), info);
        if (!sig) return;
        SigAction act;
        {
            SpinLockGuard g(p.signal_lock);
            act = p.actions[sig - 1];
            if (act.handler > kSigIgn && (act.flags & kSaResethand)) p.actions[sig - 1] = {};
        }
        if (act.handler == kSigDfl && (sig_bit(sig) & kStopSignals) && sig != kSigKill) {
            stop_process(p, sig);
            return;
        }
        if (sig == kSigKill || (act.handler == kSigDfl && !(sig_bit(sig) & kDefaultIgnore))) {
            // An unhandled fault is logged, as Linux logs it, for whoever debugs the program.
            if (is_fault(info))
                kprint("riptide: pid {} killed by signal {} at {:#x} pc {:#x}\n", p.pid, sig, info.addr, t.frame.trap.sepc);
            exit_process(p, sig);
            return;
        }
        if (act.handler == kSigDfl || act.handler == kSigIgn) continue;
        end_interrupted_call(t, act);
        if (!build_frame(t, info, act)) {
            exit_process(p, kSigSegv);
            return;
        }
        t.blocked |= act.mask | (act.flags & kSaNodefer ? 0 : sig_bit(sig));
        t.blocked &= ~kUnblockable;
        return;  // one handler at a time: the rest are seen when it returns
    }
}

void drop_queued_signals(Process& p, SignalQueue& queue) {
    SpinLockGuard g(p.signal_lock);
    while (QueuedSignal* q = queue.pop_front()) {
        delete q;
        --p.queued_count;
    }
}

bool restore_signal_frame(Thread& t) {
    auto* f = new (std::nothrow) SignalFrame;
    if (!f) return false;
    auto& regs = t.frame.trap.regs;
    bool ok = !copy_from_user(*t.process->space, f, regs[2], sizeof *f).is_error();
    if (ok) {
        t.frame.trap.sepc = f->uc.regs[0];
        for (int i = 1; i < 32; ++i) regs[i] = f->uc.regs[i];
        t.blocked = f->uc.sigmask & ~kUnblockable;
        FpState* fp = fp_state_for_writing(t);
        ok = fp != nullptr;
        if (fp) {
            for (int i = 0; i < 32; ++i) fp->f[i] = f->uc.fregs[i];
            fp->fcsr = reinterpret_cast<uint32_t*>(&f->uc.fregs[32])[0];
        }
        fpu_forget(t);  // reload the restored values on the way out
    }
    delete f;
    return ok;
}

}  // namespace rt
