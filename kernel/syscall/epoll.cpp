// epoll_create1, epoll_ctl, epoll_pwait and epoll_pwait2 (kernel/fs/epoll.hpp does the work).
// A signal ends a wait with EINTR, as on Linux (even under SA_RESTART).
#include "handlers.hpp"
#include "kernel/fs/epoll.hpp"
#include "kernel/fs/fd_table.hpp"
#include "kernel/mm/user_access.hpp"
#include "path_args.hpp"
#include "temporary_sigmask.hpp"
#include "timespec.hpp"

namespace rt::sys {
namespace {

enum : uint64_t { kCtlAdd = 1, kCtlDel = 2, kCtlMod = 3 };
constexpr uint64_t kMaxEvents = INT32_MAX / 16;  // INT_MAX / sizeof(struct epoll_event)

struct EpollEvent {
    uint32_t events;
    uint64_t data;
};

// The checks of an epoll wait's arguments: the instance (held in `ref`), or EINVAL, EFAULT,
// EBADF as Linux orders them.
ErrorOr<Epoll*> wait_target(Thread& t, uint64_t epfd, uint64_t events, int32_t max, FileRef& ref) {
    if (max <= 0 || static_cast<uint64_t>(max) > kMaxEvents) return Error(Errno::INVAL);
    if (!user_range_ok(events, static_cast<uint64_t>(max) * sizeof(EpollEvent))) return Error(Errno::FAULT);
    ref = file_of(t, epfd);
    if (!ref) return Error(Errno::BADF);
    Epoll* ep = file_cast<Epoll>(ref.get());
    if (!ep) return Error(Errno::INVAL);
    return ep;
}

Task<long> wait_events(Thread& t, uint64_t epfd, uint64_t events, uint64_t max, uint64_t deadline) {
    FileRef ref;
    auto ep = wait_target(t, epfd, events, static_cast<int32_t>(max), ref);  // an int, as Linux takes it
    if (ep.is_error()) co_return error_result(ep.error());
    co_return co_await ep.value()->wait(*t.process->space, events, static_cast<int32_t>(max), deadline, &t.cancel);
}

}  // namespace

long epoll_create1(Thread& t, const SyscallArgs& a) {
    if (a.a[0] & ~uint64_t{kOCloexec}) return error_result(Errno::INVAL);
    Epoll* ep = Epoll::create(kORdwr);
    if (!ep) return error_result(Errno::NOMEM);
    return to_result(t.process->files->install(FileRef(ep), a.a[0] & kOCloexec, 0,
                                               t.process->limits[kRlimitNofile].cur));
}

long epoll_ctl(Thread& t, const SyscallArgs& a) {
    uint64_t op = a.a[1];
    EpollEvent event{};
    if (op != kCtlDel)
        if (auto r = UserPtr<EpollEvent>(a.a[3]).read(*t.process->space, event); r.is_error()) return error_result(r.error());
    FileRef f = file_of(t, a.a[0]);
    FileRef target = file_of(t, a.a[2]);
    if (!f || !target) return error_result(Errno::BADF);
    if (!target->readiness()) return error_result(Errno::PERM);  // its readiness never changes
    Epoll* ep = file_cast<Epoll>(f.get());
    if (!ep || f.get() == target.get()) return error_result(Errno::INVAL);
    int fd = static_cast<int>(a.a[2]);
    switch (op) {
    case kCtlAdd: return to_result(ep->add(*target.get(), fd, event.events, event.data));
    case kCtlMod: return to_result(ep->modify(*target.get(), fd, event.events, event.data));
    case kCtlDel: return to_result(ep->remove(*target.get(), fd));
    default: return error_result(Errno::INVAL);
    }
}

// The first look, without a coroutine: what is ready now, or a wait of no time, is answered
// at once; a call that may have to wait (or has a signal mask to set) goes to the async half.
long epoll_pwait_now(Thread& t, const SyscallArgs& a) {
    if (a.a[4]) return error_result(Errno::WAITS);
    FileRef ref;
    int32_t max = static_cast<int32_t>(a.a[2]);
    auto ep = wait_target(t, a.a[0], a.a[1], max, ref);
    if (ep.is_error()) return error_result(ep.error());
    long n = ep.value()->take_ready(*t.process->space, a.a[1], max);
    if (n || static_cast<int32_t>(a.a[3]) == 0) return n;
    return error_result(Errno::WAITS);
}

Task<long> epoll_pwait(Thread& t, SyscallArgs a) {
    int32_t timeout_ms = static_cast<int32_t>(a.a[3]);
    uint64_t deadline = timeout_ms < 0 ? kNoDeadline : deadline_after(static_cast<uint64_t>(timeout_ms) * 1'000'000);
    if (auto m = begin_temporary_sigmask(t, a.a[4], a.a[5]); m.is_error()) co_return error_result(m.error());
    co_return end_temporary_sigmask(t, co_await wait_events(t, a.a[0], a.a[1], a.a[2], deadline));
}

Task<long> epoll_pwait2(Thread& t, SyscallArgs a) {
    auto deadline = read_timeout(*t.process->space, a.a[3]);
    if (deadline.is_error()) co_return error_result(deadline.error());
    if (auto m = begin_temporary_sigmask(t, a.a[4], a.a[5]); m.is_error()) co_return error_result(m.error());
    co_return end_temporary_sigmask(t, co_await wait_events(t, a.a[0], a.a[1], a.a[2], deadline.value()));
}

}  // namespace rt::sys
