// Waiting for children: wait4 and waitid, with the exits, stops and continues they report.
#include "handlers.hpp"
#include "kernel/mm/user_access.hpp"
#include "kernel/proc/signal.hpp"
#include "usage.hpp"

namespace rt::sys {
namespace {

constexpr uint64_t kWnohang = 1, kWuntraced = 2, kWcontinued = 8, kWnothread = 0x20000000,
                   kWall = 0x40000000, kWclone = 0x80000000;

// wait4's pid: -1 any child, N that child, 0 a child in our group, -N a child in group N.
bool matches(const Process& child, int64_t pid, int own_group) {
    if (pid == -1) return true;
    if (pid > 0) return child.pid == pid;
    return child.pgid == (pid == 0 ? own_group : -pid);
}

}  // namespace

namespace {

enum class Change { Exited, Stopped, Continued };

struct Ended {
    int pid;     // 0: none yet (WNOHANG)
    int status;  // the wait status
    uint32_t uid;
    Change change;
};

// Which changes of a child a wait asks for.
struct WaitFor {
    bool exited, stopped, continued;
    bool nohang, keep;  // WNOHANG; WNOWAIT (the change stays reportable)
};

// The change `w` asks for that `c` has to report, if any. g_process_lock held.
bool reportable(const Process& c, const WaitFor& w, Change& change) {
    if (c.zombie) {
        change = Change::Exited;
        return w.exited;
    }
    if (w.stopped && c.report_stopped) change = Change::Stopped;
    else if (w.continued && c.report_continued) change = Change::Continued;
    else return false;
    return true;
}

// The first child that `pid` selects (as wait4 reads it) with a change `w` asks for, waiting
// for one unless WNOHANG; an ended child is reaped unless WNOWAIT. ECHILD if there is no such
// child at all.
Task<ErrorOr<Ended>> wait_for_child(Thread& t, int64_t pid, WaitFor w) {
    Process& self = *t.process;
    for (;;) {
        Process* found = nullptr;
        Ended e{};
        bool any = false;
        {
            SpinLockGuard g(g_process_lock);
            for (Process* c = self.children.front(); c; c = self.children.next_of(*c)) {
                if (!matches(*c, pid, self.pgid)) continue;
                any = true;
                if (!reportable(*c, w, e.change)) continue;
                e.pid = c->pid;
                e.uid = c->creds.uid.real;
                if (e.change == Change::Stopped) {
                    e.status = c->stop_signal << 8 | 0x7f;
                    if (!w.keep) c->report_stopped = false;
                    co_return e;
                }
                if (e.change == Change::Continued) {
                    e.status = 0xffff;
                    if (!w.keep) c->report_continued = false;
                    co_return e;
                }
                e.status = c->exit_status;
                if (w.keep) co_return e;
                found = c;
                self.children.remove(*c);
                break;
            }
        }
        if (found) {
            self.children_utime += found->utime + found->children_utime;
            self.children_stime += found->stime + found->children_stime;
            release_process(found);
            co_return e;
        }
        if (!any) co_return Error(Errno::CHILD);
        if (w.nohang) co_return Ended{0, 0, 0, Change::Exited};
        auto r = co_await self.child_events.wait(
            [&] {
                SpinLockGuard g(g_process_lock);
                Change change;
                for (Process* c = self.children.front(); c; c = self.children.next_of(*c))
                    if (matches(*c, pid, self.pgid) && reportable(*c, w, change)) return true;
                return false;
            },
            {.cancel = &t.cancel});
        if (r == WaitResult::Cancelled) co_return Error(Errno::RESTARTSYS);
    }
}

}  // namespace

Task<long> wait4(Thread& t, SyscallArgs a) {
    int64_t pid = static_cast<int32_t>(a.a[0]);
    uint64_t status_addr = a.a[1], options = a.a[2], rusage_addr = a.a[3];
    if (options & ~(kWnohang | kWuntraced | kWcontinued | kWnothread | kWall | kWclone))
        co_return error_result(Errno::INVAL);
    auto ended = co_await wait_for_child(
        t, pid, {true, (options & kWuntraced) != 0, (options & kWcontinued) != 0, (options & kWnohang) != 0, false});
    if (ended.is_error()) co_return error_result(ended.error());
    if (ended.value().pid == 0) co_return 0;
    AddressSpace& space = *t.process->space;
    if (status_addr && UserPtr<int>(status_addr).write(space, ended.value().status).is_error())
        co_return error_result(Errno::FAULT);
    if (rusage_addr) {
        long r = write_rusage(t, rusage_addr, RusageOf::Children);
        if (r < 0) co_return r;
    }
    co_return ended.value().pid;
}

Task<long> waitid(Thread& t, SyscallArgs a) {
    enum : uint64_t { kPAll = 0, kPPid = 1, kPPgid = 2 };
    constexpr uint64_t kWstopped = 2, kWexited = 4, kWnowait = 0x01000000;
    uint64_t idtype = a.a[0], id = a.a[1], info_addr = a.a[2], options = a.a[3], rusage_addr = a.a[4];
    if (options & ~(kWnohang | kWstopped | kWexited | kWcontinued | kWnowait | kWnothread | kWall | kWclone))
        co_return error_result(Errno::INVAL);
    if (!(options & (kWexited | kWstopped | kWcontinued))) co_return error_result(Errno::INVAL);
    int64_t pid;
    if (idtype == kPAll) pid = -1;
    else if (idtype == kPPid && static_cast<int32_t>(id) > 0) pid = static_cast<int32_t>(id);
    else if (idtype == kPPgid && static_cast<int32_t>(id) >= 0) pid = -static_cast<int64_t>(static_cast<int32_t>(id));
    else co_return error_result(Errno::INVAL);  // P_PIDFD needs file descriptors (the files issue)
    auto ended = co_await wait_for_child(t, pid,
                                         {(options & kWexited) != 0, (options & kWstopped) != 0,
                                          (options & kWcontinued) != 0, (options & kWnohang) != 0,
                                          (options & kWnowait) != 0});
    if (ended.is_error()) co_return error_result(ended.error());
    LinuxSiginfo info{};
    if (const Ended& e = ended.value(); e.pid) {
        SigInfo si{kSigChld, kCldExited, e.pid, e.uid, e.status >> 8, 0};
        if (e.change == Change::Stopped) si = {kSigChld, kCldStopped, e.pid, e.uid, e.status >> 8, 0};
        else if (e.change == Change::Continued) si = {kSigChld, kCldContinued, e.pid, e.uid, kSigCont, 0};
        else if (e.status & 0x7f) si = {kSigChld, kCldKilled, e.pid, e.uid, e.status & 0x7f, 0};
        info = to_linux(si);
    }
    AddressSpace& space = *t.process->space;
    if (info_addr && UserPtr<LinuxSiginfo>(info_addr).write(space, info).is_error()) co_return error_result(Errno::FAULT);
    if (rusage_addr) {
        long r = write_rusage(t, rusage_addr, RusageOf::Children);
        if (r < 0) co_return r;
    }
    co_return 0;
}

}  // namespace rt::sys
