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

// What select's three sets ask of poll, as Linux maps them.
constexpr uint32_t kSelectIn = kPollIn | kPollRdnorm | 0x080 /* RDBAND */ | kPollHup | kPollErr;
constexpr uint32_t kSelectOut = kPollOut | kPollWrnorm | 0x200 /* WRBAND */ | kPollErr;
constexpr uint32_t kSelectEx = kPollPri;

// select(2) over descriptors [0, nfds) of the three fd_sets at `addrs` (any may be null):
// EBADF for a descriptor in a set that is not open, EFAULT. The sets come back holding the
// ready descriptors.
Task<long> select_user_sets(Thread& t, uint64_t nfds, const uint64_t addrs[3], uint64_t deadline) {
    // Linux looks no further than its descriptor table (at least 64 long): past the highest
    // open descriptor, then, nothing is looked at.
    size_t table = t.process->files->size_hint();
    if (nfds > table && nfds > 64) nfds = table > 64 ? table : 64;
    size_t words = (nfds + 63) / 64;
    auto* sets = new (std::nothrow) uint64_t[3 * words + 1];
    if (!sets) co_return error_result(Errno::NOMEM);
    uint64_t* in[3] = {sets, sets + words, sets + 2 * words};
    AddressSpace& space = *t.process->space;
    for (int k = 0; k < 3; ++k) {
        for (size_t w = 0; w < words; ++w) in[k][w] = 0;
        if (!addrs[k] || !words) continue;
        if (auto r = copy_from_user(space, in[k], addrs[k], words * 8); r.is_error()) {
            delete[] sets;
            co_return error_result(r.error());
        }
        // Bits past nfds in the last word are not looked at.
        if (nfds % 64) in[k][words - 1] &= (uint64_t{1} << (nfds % 64)) - 1;
    }
    // One poll entry per descriptor in any set.
    size_t count = 0;
    for (size_t w = 0; w < words; ++w) count += __builtin_popcountll(in[0][w] | in[1][w] | in[2][w]);
    auto* fds = new (std::nothrow) int[count ? count : 1];
    PollSet set(count);
    if (!fds || !set.valid()) {
        delete[] fds;
        delete[] sets;
        co_return error_result(Errno::NOMEM);
    }
    FdTable& files = *t.process->files;
    long result = 0;
    size_t n = 0;
    for (size_t fd = 0; fd < nfds && n < count; ++fd) {
        uint64_t bit = uint64_t{1} << (fd % 64);
        size_t w = fd / 64;
        uint32_t events = (in[0][w] & bit ? kSelectIn : 0) | (in[1][w] & bit ? kSelectOut : 0) | (in[2][w] & bit ? kSelectEx : 0);
        if (!events) continue;
        if (!files.get(static_cast<int>(fd))) result = error_result(Errno::BADF);
        fds[n] = static_cast<int>(fd);
        set.set_events(n++, events);
    }
    uint64_t* out = new (std::nothrow) uint64_t[3 * words + 1];
    if (!out && !result) result = error_result(Errno::NOMEM);
    if (!result) {
        result = co_await wait_ready(t, set, deadline, [&] {
            for (size_t w = 0; w < 3 * words; ++w) out[w] = 0;
            long ready = 0;
            for (size_t i = 0; i < count; ++i) {
                int fd = fds[i];
                uint64_t bit = uint64_t{1} << (fd % 64);
                size_t w = fd / 64;
                uint32_t r = set.ready(i, files.get(fd));
                for (int k = 0; k < 3; ++k) {
                    uint32_t wanted = k == 0 ? kSelectIn : k == 1 ? kSelectOut : kSelectEx;
                    if ((in[k][w] & bit) && (r & wanted)) {
                        out[k * words + w] |= bit;
                        ++ready;
                    }
                }
            }
            return ready;
        });
    }
    for (int k = 0; k < 3 && result >= 0; ++k)
        if (addrs[k] && words)
            if (auto w = copy_to_user(space, addrs[k], out + k * words, words * 8); w.is_error()) result = error_result(w.error());
    delete[] out;
    delete[] fds;
    delete[] sets;
    co_return result;
}

}  // namespace

Task<long> pselect6(Thread& t, SyscallArgs a) {
    int32_t nfds = static_cast<int32_t>(a.a[0]);  // an int, as Linux takes it
    uint64_t timeout_addr = a.a[4];
    auto timeout = read_poll_timeout(t, timeout_addr);
    if (timeout.is_error()) co_return error_result(timeout.error());
    // The sixth argument points at the mask's address and size.
    struct {
        uint64_t mask, size;
    } sig{0, 0};
    if (a.a[5])
        if (auto r = UserPtr<decltype(sig)>(a.a[5]).read(*t.process->space, sig); r.is_error())
            co_return error_result(r.error());
    if (auto m = begin_temporary_sigmask(t, sig.mask, sig.size); m.is_error()) co_return error_result(m.error());
    long result;
    if (nfds < 0) {
        result = error_result(Errno::INVAL);
    } else {
        const uint64_t sets[3] = {a.a[1], a.a[2], a.a[3]};
        result = co_await select_user_sets(t, static_cast<uint64_t>(nfds), sets, timeout->deadline);
    }
    result = end_temporary_sigmask(t, result);
    co_return finish_timeout(t, timeout_addr, timeout->deadline, timeout->zero, result);
}

Task<long> ppoll(Thread& t, SyscallArgs a) {
    uint64_t timeout_addr = a.a[2];
    auto timeout = read_poll_timeout(t, timeout_addr);
    if (timeout.is_error()) co_return error_result(timeout.error());
    if (auto m = begin_temporary_sigmask(t, a.a[3], a.a[4]); m.is_error()) co_return error_result(m.error());
    long result = end_temporary_sigmask(t, co_await poll_user_fds(t, a.a[0], a.a[1], timeout->deadline));
    co_return finish_timeout(t, timeout_addr, timeout->deadline, timeout->zero, result);
}

}  // namespace rt::sys
