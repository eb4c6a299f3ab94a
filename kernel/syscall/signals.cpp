// Signal system calls: actions, masks, sending, the alternate stack and rt_sigreturn.
#include "handlers.hpp"
#include "kernel/mm/user_access.hpp"
#include "kernel/async/sleep.hpp"
#include "kernel/proc/signal.hpp"
#include "timespec.hpp"

namespace rt::sys {
namespace {

constexpr uint64_t kSigsetSize = 8;
constexpr int kSsOnstack = 1, kSsDisable = 2, kSsAutodisarm = int(1u << 31);
constexpr uint64_t kMinSigStackSize = 2048;

bool valid_signal(uint64_t sig) { return sig >= 1 && sig <= kSigCount; }

// What the receiver learns of a signal the caller sends.
SigInfo sent_by(const Thread& t, uint64_t sig, int code) {
    return {static_cast<int32_t>(sig), code, t.process->pid, t.process->creds.uid.real, 0, 0};
}

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

namespace {

bool leaving(const Thread& t) { return t.exiting.load() || t.process->exiting.load(); }

void set_waiting_for(Thread& t, uint64_t set) {
    SpinLockGuard g(g_process_lock);
    t.waiting_for = set;
}

}  // namespace

// Waits with `mask` as the signal mask until a signal is delivered; the handler then returns
// to the mask from before (deliver_signals saves it in the frame).
Task<long> rt_sigsuspend(Thread& t, SyscallArgs a) {
    if (a.a[1] != kSigsetSize) co_return error_result(Errno::INVAL);
    uint64_t mask;
    auto r = UserPtr<uint64_t>(a.a[0]).read(*t.process->space, mask);
    if (r.is_error()) co_return error_result(r.error());
    t.saved_blocked = t.blocked;
    t.restore_blocked = true;
    t.blocked = mask & ~kUnblockable;
    for (;;) {
        t.cancel.reset();  // a signal posted after the look below cancels the sleep
        if (has_deliverable_signal(t) || leaving(t)) break;
        (void)co_await sleep_until(kNoDeadline, &t.cancel);
    }
    co_return error_result(Errno::RESTARTNOHAND);  // EINTR once the handler is set up
}

// Takes a pending signal of `set` (normally blocked ones), waiting up to the timeout for one.
Task<long> rt_sigtimedwait(Thread& t, SyscallArgs a) {
    uint64_t set_addr = a.a[0], info_addr = a.a[1], timeout_addr = a.a[2];
    if (a.a[3] != kSigsetSize) co_return error_result(Errno::INVAL);
    AddressSpace& space = *t.process->space;
    uint64_t set;
    if (auto r = UserPtr<uint64_t>(set_addr).read(space, set); r.is_error()) co_return error_result(r.error());
    set &= ~kUnblockable;
    auto timeout = read_timeout(space, timeout_addr);
    if (timeout.is_error()) co_return error_result(timeout.error());
    uint64_t deadline = timeout.value();
    for (;;) {
        t.cancel.reset();
        set_waiting_for(t, set);  // from here on, a signal of `set` cancels the sleep
        SigInfo info;
        if (int sig = take_signal(t, set, info)) {
            set_waiting_for(t, 0);
            if (info_addr) {
                auto w = UserPtr<LinuxSiginfo>(info_addr).write(space, to_linux(info));
                if (w.is_error()) co_return error_result(w.error());
            }
            co_return sig;
        }
        if (has_deliverable_signal(t) || leaving(t)) break;
        auto w = co_await sleep_until(deadline, &t.cancel);
        if (w == WaitResult::TimedOut) {
            set_waiting_for(t, 0);
            co_return error_result(Errno::AGAIN);
        }
    }
    set_waiting_for(t, 0);
    co_return error_result(Errno::INTR);  // another signal's handler runs first
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
            if (sig) post_signal_locked(*p, nullptr, sent_by(t, sig, kSiUser));
        }
        return any ? 0 : error_result(Errno::SRCH);
    }
    Process* p = find_process_locked(pid);
    if (!p) return error_result(Errno::SRCH);
    if (!t.process->creds.may_signal(p->creds)) return error_result(Errno::PERM);
    if (sig) post_signal_locked(*p, nullptr, sent_by(t, sig, kSiUser));
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
    if (sig) post_signal_locked(*p, target, sent_by(t, sig, kSiTkill));
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
    if (sig) post_signal_locked(*th->process, th, sent_by(t, sig, kSiTkill));
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
