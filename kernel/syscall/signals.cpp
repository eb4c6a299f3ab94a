// Signal system calls: actions, masks, sending, the alternate stack and rt_sigreturn.
#include "handlers.hpp"
#include "kernel/mm/user_access.hpp"
#include "kernel/proc/signal.hpp"

namespace rt::sys {
namespace {

constexpr uint64_t kSigsetSize = 8;
constexpr int kSsOnstack = 1, kSsDisable = 2, kSsAutodisarm = int(1u << 31);
constexpr uint64_t kMinSigStackSize = 2048;

bool valid_signal(uint64_t sig) { return sig >= 1 && sig <= kSigCount; }


}  // namespace

long rt_sigaction(Thread& t, const SyscallArgs& a) {
    uint64_t sig = a.a[0];
    if (a.a[3] != kSigsetSize || !valid_signal(sig)) return error_result(Errno::INVAL);
    Process& p = *t.process;
    SigAction fresh;
    if (a.a[1]) {
        if (sig_bit(static_cast<int>(sig)) & kUnblockable) return error_result(Errno::INVAL);
        auto r = UserPtr<SigAction>(a.a[1]).read(*p.space, fresh);
        if (r.is_error()) return error_result(r.error());
        fresh.mask &= ~kUnblockable;
    }
    SigAction old;
    {
        SpinLockGuard g(p.signal_lock);
        old = p.actions[sig - 1];
    }
    if (a.a[2]) {
        auto w = UserPtr<SigAction>(a.a[2]).write(*p.space, old);
        if (w.is_error()) return error_result(w.error());
    }
    if (a.a[1]) {
        SpinLockGuard g(p.signal_lock);
        p.actions[sig - 1] = fresh;
    }
    return 0;
}

long rt_sigprocmask(Thread& t, const SyscallArgs& a) {
    enum { kBlock = 0, kUnblock = 1, kSetmask = 2 };
    uint64_t how = a.a[0];
    if (a.a[3] != kSigsetSize) return error_result(Errno::INVAL);
    uint64_t set = 0;
    if (a.a[1]) {
        if (how > kSetmask) return error_result(Errno::INVAL);
        auto r = UserPtr<uint64_t>(a.a[1]).read(*t.process->space, set);
        if (r.is_error()) return error_result(r.error());
    }
    if (a.a[2]) {
        auto w = UserPtr<uint64_t>(a.a[2]).write(*t.process->space, t.blocked);
        if (w.is_error()) return error_result(w.error());
    }
    if (a.a[1]) {
        if (how == kBlock) t.blocked |= set;
        else if (how == kUnblock) t.blocked &= ~set;
        else t.blocked = set;
        t.blocked &= ~kUnblockable;
    }
    return 0;
}

long rt_sigpending(Thread& t, const SyscallArgs& a) {
    if (a.a[1] != kSigsetSize) return error_result(Errno::INVAL);
    uint64_t pending = (t.pending.load() | t.process->pending.load()) & t.blocked;
    return to_result(UserPtr<uint64_t>(a.a[0]).write(*t.process->space, pending));
}

long rt_sigreturn(Thread& t, const SyscallArgs&) {
    if (!restore_signal_frame(t)) exit_process(*t.process, kSigSegv);
    return static_cast<long>(t.frame.trap.regs[10]);  // the restored a0 stays as it was
}

long kill(Thread& t, const SyscallArgs& a) {
    int pid = static_cast<int>(a.a[0]);
    uint64_t sig = a.a[1];
    if (sig != 0 && !valid_signal(sig)) return error_result(Errno::INVAL);
    SpinLockGuard g(g_process_lock);
    // 0: the caller's process group; -1: every process but the caller; -N: group N.
    if (pid <= 0) {
        if (pid == INT32_MIN) return error_result(Errno::SRCH);
        int group = pid == 0 ? t.process->pgid.load() : -pid;
        bool any = false;
        for (Process* p = g_processes.front(); p; p = g_processes.next_of(*p)) {
            if (p->zombie || (pid == -1 ? p == t.process : p->pgid != group)) continue;
            if (!t.process->creds.may_signal(p->creds)) continue;
            any = true;
            if (sig) post_signal_locked(*p, nullptr, static_cast<int>(sig));
        }
        return any ? 0 : error_result(Errno::SRCH);
    }
    Process* p = find_process_locked(pid);
    if (!p) return error_result(Errno::SRCH);
    if (!t.process->creds.may_signal(p->creds)) return error_result(Errno::PERM);
    if (sig) post_signal_locked(*p, nullptr, static_cast<int>(sig));
    return 0;
}

long tgkill(Thread& t, const SyscallArgs& a) {
    int tgid = static_cast<int>(a.a[0]), tid = static_cast<int>(a.a[1]);
    uint64_t sig = a.a[2];
    if (tgid <= 0 || tid <= 0 || (sig != 0 && !valid_signal(sig))) return error_result(Errno::INVAL);
    SpinLockGuard g(g_process_lock);
    Process* p = find_process_locked(tgid);
    Thread* target = nullptr;
    if (p)
        for (Thread* th = p->threads.front(); th && !target; th = p->threads.next_of(*th))
            if (th->tid == tid) target = th;
    if (!target) return error_result(Errno::SRCH);
    if (!t.process->creds.may_signal(p->creds)) return error_result(Errno::PERM);
    if (sig) post_signal_locked(*p, target, static_cast<int>(sig));
    return 0;
}

long tkill(Thread& t, const SyscallArgs& a) {
    int tid = static_cast<int>(a.a[0]);
    uint64_t sig = a.a[1];
    if (tid <= 0 || (sig != 0 && !valid_signal(sig))) return error_result(Errno::INVAL);
    SpinLockGuard g(g_process_lock);
    Thread* th = find_thread_locked(tid);
    if (!th) return error_result(Errno::SRCH);
    if (!t.process->creds.may_signal(th->process->creds)) return error_result(Errno::PERM);
    if (sig) post_signal_locked(*th->process, th, static_cast<int>(sig));
    return 0;
}

long sigaltstack(Thread& t, const SyscallArgs& a) {
    struct StackT {
        uint64_t sp;
        int32_t flags, pad;
        uint64_t size;
    };
    AddressSpace& space = *t.process->space;
    uint64_t sp = t.frame.trap.regs[2];
    bool on_stack = t.altstack.flags != kSsDisable && sp > t.altstack.sp && sp <= t.altstack.sp + t.altstack.size;
    if (a.a[1]) {
        StackT old{t.altstack.sp, on_stack ? kSsOnstack : t.altstack.flags, 0, t.altstack.size};
        auto w = UserPtr<StackT>(a.a[1]).write(space, old);
        if (w.is_error()) return error_result(w.error());
    }
    if (a.a[0]) {
        StackT ss;
        auto r = UserPtr<StackT>(a.a[0]).read(space, ss);
        if (r.is_error()) return error_result(r.error());
        if (on_stack) return error_result(Errno::PERM);
        int mode = ss.flags & ~kSsAutodisarm;
        if (mode != 0 && mode != kSsDisable && mode != kSsOnstack) return error_result(Errno::INVAL);
        if (mode == kSsDisable) {
            t.altstack = {};
        } else {
            if (ss.size < kMinSigStackSize) return error_result(Errno::NOMEM);
            t.altstack = {ss.sp, ss.size, 0};
        }
    }
    return 0;
}

}  // namespace rt::sys
