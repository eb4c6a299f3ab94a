#include "controlling_tty.hpp"

#include "kernel/proc/signal.hpp"
#include "tty.hpp"

namespace rt {
namespace {

// POSIX: a group is orphaned when no member has a parent in another group of the same
// session (nobody left who could continue it). g_process_lock held.
bool orphaned_group_locked(int pgrp, int sid) {
    for (Process* p = g_processes.front(); p; p = g_processes.next_of(*p)) {
        if (p->zombie || p->pgid != pgrp) continue;
        if (p->parent && p->parent->pgid != pgrp && p->parent->sid == sid) return false;
    }
    return true;
}

// The session `tty` controls loses it: no process of it refers to it any more. g_process_lock.
void detach_session_locked(Tty& tty) {
    for (Process* p = g_processes.front(); p; p = g_processes.next_of(*p))
        if (p->ctty == &tty) p->ctty = nullptr;
    tty.session = 0;
    tty.foreground = 0;
}

void attach_locked(Process& leader, Tty& tty) {
    tty.session = leader.sid;
    tty.foreground = leader.pgid;
    leader.ctty = &tty;
}

bool leads_session(const Process& p) { return p.sid == p.pid; }

}  // namespace

void signal_group_locked(int pgrp, int sig) {
    for (Process* p = g_processes.front(); p; p = g_processes.next_of(*p))
        if (!p->zombie && p->pgid == pgrp) post_signal_locked(*p, nullptr, {sig, kSiKernel, 0, 0, 0, 0});
}

ErrorOr<void> check_foreground(Thread& caller, Tty& tty, int sig) {
    Process& p = *caller.process;
    SpinLockGuard g(g_process_lock);
    if (p.ctty != &tty || !tty.foreground || p.pgid == tty.foreground) return {};
    bool ignored = caller.blocked & sig_bit(sig);
    {
        SpinLockGuard s(p.signal_lock);
        ignored = ignored || p.actions[sig - 1].handler == kSigIgn;
    }
    if (ignored) {
        if (sig == kSigTtin) return Error(Errno::IO);
        return {};
    }
    if (orphaned_group_locked(p.pgid, p.sid)) return Error(Errno::IO);
    signal_group_locked(p.pgid, sig);
    return Error(Errno::RESTARTSYS);
}

void acquire_on_open(Process& opener, Tty& tty, bool readable, bool noctty) {
    if (noctty) return;
    SpinLockGuard g(g_process_lock);
    // A session leader opening a terminal write-only does not take it (unless privileged).
    if (leads_session(opener) && !opener.ctty && !tty.session && (readable || opener.creds.privileged()))
        attach_locked(opener, tty);
}

ErrorOr<void> make_controlling(Process& caller, Tty& tty, bool readable, bool steal) {
    SpinLockGuard g(g_process_lock);
    if (leads_session(caller) && tty.session == caller.sid) return {};
    if (!leads_session(caller) || caller.ctty) return Error(Errno::PERM);
    if (tty.session) {
        if (!steal || !caller.creds.privileged()) return Error(Errno::PERM);
        detach_session_locked(tty);
    }
    if (!readable && !caller.creds.privileged()) return Error(Errno::PERM);
    attach_locked(caller, tty);
    return {};
}

ErrorOr<void> give_up_controlling(Process& caller, Tty& tty) {
    SpinLockGuard g(g_process_lock);
    if (caller.ctty != &tty) return Error(Errno::NOTTY);
    if (!leads_session(caller)) {
        caller.ctty = nullptr;
        return {};
    }
    int foreground = tty.foreground;
    detach_session_locked(tty);
    if (foreground) {
        signal_group_locked(foreground, kSigHup);
        signal_group_locked(foreground, kSigCont);  // a stopped group would never see the hangup
    }
    return {};
}

void session_leader_exits(Process& p) {
    SpinLockGuard g(g_process_lock);
    Tty* tty = p.ctty;
    if (!tty || !leads_session(p)) return;
    int foreground = tty->foreground;
    detach_session_locked(*tty);
    if (foreground) signal_group_locked(foreground, kSigHup);
}

}  // namespace rt
