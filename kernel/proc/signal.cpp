#include "signal.hpp"

#include <new>

#include "fpu.hpp"
#include "kernel/mm/user_access.hpp"
#include "vdso.hpp"
#include "vdso_offsets.h"

namespace rt {
namespace {

constexpr uint64_t kSigDfl = 0, kSigIgn = 1;
constexpr uint64_t kSaOnstack = 0x08000000, kSaNodefer = 0x40000000, kSaResethand = 0x80000000;
constexpr int kSsOnstack = 1, kSsDisable = 2;

// The default actions: ignore, stop and continue; everything else terminates (core-dumping
// signals terminate without a dump).
constexpr uint64_t kDefaultIgnore = sig_bit(kSigChld) | sig_bit(kSigUrg) | sig_bit(kSigWinch) | sig_bit(kSigCont);
constexpr uint64_t kDefaultStop = sig_bit(kSigStop) | sig_bit(kSigTstp) | sig_bit(kSigTtin) | sig_bit(kSigTtou);

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
struct Siginfo {
    int32_t signo, errno_, code, pad;
    int32_t pid, uid;
    uint8_t rest[104];
};
static_assert(sizeof(Siginfo) == 128);
struct SignalFrame {
    Siginfo info;
    Ucontext uc;
};

void interrupt(Thread& t) { t.cancel.cancel(); }

bool on_altstack(const Thread& t, uint64_t sp) {
    return t.altstack.flags != kSsDisable && sp > t.altstack.sp && sp <= t.altstack.sp + t.altstack.size;
}

// The lowest deliverable signal, taken off its pending set; 0 if none.
int take_signal(Thread& t) {
    Process& p = *t.process;
    for (std::atomic<uint64_t>* set : {&t.pending, &p.pending}) {
        uint64_t ready = set->load(std::memory_order_acquire) & ~(t.blocked & ~kUnblockable);
        while (ready) {
            int sig = __builtin_ctzll(ready) + 1;
            if (set->fetch_and(~sig_bit(sig)) & sig_bit(sig)) return sig;
            ready &= ~sig_bit(sig);
        }
    }
    return 0;
}

bool build_frame(Thread& t, int sig, const SigAction& act) {
    auto& regs = t.frame.trap.regs;
    uint64_t sp = regs[2];
    if ((act.flags & kSaOnstack) && t.altstack.flags != kSsDisable && !on_altstack(t, sp))
        sp = t.altstack.sp + t.altstack.size;
    sp = (sp - sizeof(SignalFrame)) & ~15ull;
    auto* f = new (std::nothrow) SignalFrame{};
    if (!f) return false;
    f->info.signo = sig;
    f->info.code = 0;  // SI_USER
    f->uc.stack = {t.altstack.sp, t.altstack.flags | (on_altstack(t, regs[2]) ? kSsOnstack : 0), 0, t.altstack.size};
    f->uc.sigmask = t.blocked;
    f->uc.regs[0] = t.frame.trap.sepc;
    for (int i = 1; i < 32; ++i) f->uc.regs[i] = regs[i];
    for (int i = 0; i < 32; ++i) f->uc.fregs[i] = t.fp.f[i];
    // The d form's fcsr follows f[0..31].
    reinterpret_cast<uint32_t*>(&f->uc.fregs[32])[0] = t.fp.fcsr;
    bool ok = !copy_to_user(*t.process->space, sp, f, sizeof *f).is_error();
    delete f;
    if (!ok) return false;
    regs[1] = kVdsoBase + VDSO_RT_SIGRETURN_OFFSET;  // ra: back through rt_sigreturn
    regs[2] = sp;
    regs[10] = static_cast<uint64_t>(sig);
    regs[11] = sp + offsetof(SignalFrame, info);
    regs[12] = sp + offsetof(SignalFrame, uc);
    t.frame.trap.sepc = act.handler;
    return true;
}

}  // namespace

void post_signal_locked(Process& p, Thread* thread, int sig) {
    SigAction act;
    {
        SpinLockGuard g(p.signal_lock);
        act = p.actions[sig - 1];
    }
    bool ignored = sig != kSigKill && (act.handler == kSigIgn || (act.handler == kSigDfl && (sig_bit(sig) & kDefaultIgnore)));
    if (ignored || p.zombie) return;
    (thread ? thread->pending : p.pending).fetch_or(sig_bit(sig));
    // A process-directed signal interrupts a thread that does not block it.
    Thread* target = thread;
    if (!target)
        for (Thread* t = p.threads.front(); t && !target; t = p.threads.next_of(*t))
            if (!(t->blocked & sig_bit(sig) & ~kUnblockable)) target = t;
    if (target && !(target->blocked & sig_bit(sig) & ~kUnblockable)) interrupt(*target);
}

void send_signal(Process& p, int sig) {
    SpinLockGuard g(g_process_lock);
    post_signal_locked(p, nullptr, sig);
}

void deliver_signals(Thread& t) {
    Process& p = *t.process;
    for (;;) {
        // Reset before looking: a signal sent from here on cancels the next wait again.
        t.cancel.reset();
        int sig = take_signal(t);
        if (!sig) return;
        SigAction act;
        {
            SpinLockGuard g(p.signal_lock);
            act = p.actions[sig - 1];
            if (act.handler > kSigIgn && (act.flags & kSaResethand)) p.actions[sig - 1] = {};
        }
        if (sig == kSigKill || (act.handler == kSigDfl && !(sig_bit(sig) & (kDefaultIgnore | kDefaultStop)))) {
            exit_process(p, sig);
            return;
        }
        // Stopping (and so SIGCONT's resume) comes with job control; until then stop signals
        // are not acted on.
        if (act.handler == kSigDfl || act.handler == kSigIgn) continue;
        if (!build_frame(t, sig, act)) {
            exit_process(p, kSigSegv);
            return;
        }
        t.blocked |= act.mask | (act.flags & kSaNodefer ? 0 : sig_bit(sig));
        t.blocked &= ~kUnblockable;
        return;  // one handler at a time: the rest are seen when it returns
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
        for (int i = 0; i < 32; ++i) t.fp.f[i] = f->uc.fregs[i];
        t.fp.fcsr = reinterpret_cast<uint32_t*>(&f->uc.fregs[32])[0];
        fpu_forget(t);  // reload the restored values on the way out
    }
    delete f;
    return ok;
}

}  // namespace rt
