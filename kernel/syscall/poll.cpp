// ppoll and pselect6 (poll and select of the C library): wait until one of several
// descriptors is ready, with a timeout and a temporary signal mask. A signal ends the wait
// with ERESTARTNOHAND: EINTR once a handler runs, else restarted (with the time left, which
// both write back into their timeout as Linux does).
#include <new>

#include "arch/riscv/timer.hpp"
#include "handlers.hpp"
#include "kernel/fs/fd_table.hpp"
#include "kernel/fs/poll_set.hpp"
#include "kernel/mm/user_access.hpp"
#include "temporary_sigmask.hpp"
#include "timespec.hpp"

namespace rt::sys {
namespace {

struct PollFd {
    int32_t fd;
    int16_t events, revents;
};

// Scans `set` until an entry is ready (the count of ready entries), the deadline (0) or a
// signal (ERESTARTNOHAND). `count_ready` scans and counts.
template <typename Scan>
Task<long> wait_ready(Thread& t, PollSet& set, uint64_t deadline, Scan count_ready) {
    bool timed_out = deadline <= arch::now_ns();
    for (;;) {
        set.begin_scan();
        long ready = count_ready();
        if (ready || timed_out) co_return ready;
        auto w = co_await set.wait(deadline, &t.cancel);
        if (w == WaitResult::Cancelled) co_return error_result(Errno::RESTARTNOHAND);
        timed_out = w == WaitResult::TimedOut;  // one more scan, then 0
    }
}

// Writes the time left until `deadline` into the timespec at `addr`, as Linux does on the way
// out of ppoll and pselect6 (not for a zero or absent timeout). A timeout no longer writable
// turns a restart into EINTR.
long finish_timeout(Thread& t, uint64_t addr, uint64_t deadline, bool zero_timeout, long result) {
    if (!addr || zero_timeout) return result;
    uint64_t now = arch::now_ns();
    Timespec left = to_timespec(deadline > now ? deadline - now : 0);
    if (UserPtr<Timespec>(addr).write(*t.process->space, left).is_error() &&
        result == -static_cast<long>(Errno::RESTARTNOHAND))
        return error_result(Errno::INTR);
    return result;
}

// The timeout at `addr` as a deadline, and whether it was zero (poll once).
struct Timeout {
    uint64_t deadline;
    bool zero;
};
ErrorOr<Timeout> read_poll_timeout(Thread& t, uint64_t addr) {
    if (!addr) return Timeout{kNoDeadline, false};
    Timespec ts;
    TRY(UserPtr<Timespec>(addr).read(*t.process->space, ts));
    uint64_t ns = TRY(timespec_ns(ts));
    return Timeout{deadline_after(ns), ns == 0};
}

uint64_t nofile_limit(const Thread& t) { return t.process->limits[kRlimitNofile].cur; }

// poll(2) over the `nfds` entries at `fds_addr`: EINVAL past RLIMIT_NOFILE, EFAULT.
Task<long> poll_user_fds(Thread& t, uint64_t fds_addr, uint64_t nfds, uint64_t deadline) {
    if (nfds > nofile_limit(t)) co_return error_result(Errno::INVAL);
    AddressSpace& space = *t.process->space;
    auto* fds = new (std::nothrow) PollFd[nfds ? nfds : 1];
    PollSet set(nfds);
    if (!fds || !set.valid()) {
        delete[] fds;
        co_return error_result(Errno::NOMEM);
    }
    if (auto r = copy_from_user(space, fds, fds_addr, nfds * sizeof(PollFd)); r.is_error()) {
        delete[] fds;
        co_return error_result(r.error());
    }
    FdTable& files = *t.process->files;
    for (uint64_t i = 0; i < nfds; ++i) set.set_events(i, static_cast<uint16_t>(fds[i].events));
    long result = co_await wait_ready(t, set, deadline, [&] {
        long ready = 0;
        for (uint64_t i = 0; i < nfds; ++i) {
            uint32_t r = fds[i].fd < 0 ? 0 : set.ready(i, files.get(fds[i].fd));
            fds[i].revents = static_cast<int16_t>(r);
            ready += r != 0;
        }
        return ready;
    });
    // Only revents goes back: another thread may be changing the rest.
    for (uint64_t i = 0; i < nfds && result >= 0; ++i) {
        uint64_t at = fds_addr + i * sizeof(PollFd) + offsetof(PollFd, revents);
        if (auto w = copy_to_user(space, at, &fds[i].revents, sizeof fds[i].revents); w.is_error())
            result = error_result(w.error());
    }
    delete[] fds;
    co_return result;
}

}  // namespace

Task<long> ppoll(Thread& t, SyscallArgs a) {
    uint64_t timeout_addr = a.a[2];
    auto timeout = read_poll_timeout(t, timeout_addr);
    if (timeout.is_error()) co_return error_result(timeout.error());
    if (auto m = begin_temporary_sigmask(t, a.a[3], a.a[4]); m.is_error()) co_return error_result(m.error());
    long result = end_temporary_sigmask(t, co_await poll_user_fds(t, a.a[0], a.a[1], timeout->deadline));
    co_return finish_timeout(t, timeout_addr, timeout->deadline, timeout->zero, result);
}

}  // namespace rt::sys
