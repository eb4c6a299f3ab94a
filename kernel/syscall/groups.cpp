// Process groups and sessions: setpgid, getpgid, setsid, getsid (kill and wait4 address
// groups through them).
#include "handlers.hpp"

namespace rt::sys {
namespace {

// A live process by pid; g_process_lock held.
Process* find_live(int pid) {
    Process* p = find_process_locked(pid);
    return p && !p->zombie ? p : nullptr;
}

// getpgid and getsid: one id of the process `pid` names (0: the caller).
long id_of(Thread& t, uint64_t pid_arg, std::atomic<int> Process::*id) {
    int pid = static_cast<int>(pid_arg);
    if (pid == 0) return (t.process->*id).load();
    SpinLockGuard g(g_process_lock);
    Process* p = find_live(pid);
    return p ? (p->*id).load() : error_result(Errno::SRCH);
}

}  // namespace

long setpgid(Thread& t, const SyscallArgs& a) {
    Process& self = *t.process;
    int pid = static_cast<int>(a.a[0]), pgid = static_cast<int>(a.a[1]);
    if (pgid < 0) return error_result(Errno::INVAL);
    SpinLockGuard g(g_process_lock);
    Process* target = pid == 0 ? &self : find_live(pid);
    if (!target || (target != &self && target->parent != &self)) return error_result(Errno::SRCH);
    if (target != &self && target->did_exec) return error_result(Errno::ACCES);
    if (target->sid != self.sid) return error_result(Errno::PERM);
    if (target->sid == target->pid) return error_result(Errno::PERM);  // a session leader stays
    if (pgid == 0) pgid = target->pid;
    if (pgid != target->pid) {
        // Joining a group: it must exist in the same session.
        bool exists = false;
        for (Process* p = g_processes.front(); p && !exists; p = g_processes.next_of(*p))
            exists = p->pgid == pgid && p->sid == self.sid && !p->zombie;
        if (!exists) return error_result(Errno::PERM);
    }
    target->pgid = pgid;
    return 0;
}

long getpgid(Thread& t, const SyscallArgs& a) { return id_of(t, a.a[0], &Process::pgid); }

long setsid(Thread& t, const SyscallArgs&) {
    Process& self = *t.process;
    SpinLockGuard g(g_process_lock);
    // A group leader cannot start a session: its group would straddle two sessions.
    for (Process* p = g_processes.front(); p; p = g_processes.next_of(*p))
        if (p->pgid == self.pid && !p->zombie) return error_result(Errno::PERM);
    self.sid = self.pid;
    self.pgid = self.pid;
    self.ctty = nullptr;  // a new session starts without a terminal
    return self.pid;
}

long getsid(Thread& t, const SyscallArgs& a) { return id_of(t, a.a[0], &Process::sid); }

}  // namespace rt::sys
