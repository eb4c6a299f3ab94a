// The files that stand for events: eventfd2 (a counter), timerfd_create/settime/gettime (a
// timer) and signalfd4 (pending signals).
#include "handlers.hpp"
#include "kernel/fs/eventfd.hpp"
#include "kernel/fs/fd_table.hpp"
#include "kernel/fs/timerfd.hpp"
#include "kernel/mm/user_access.hpp"
#include "kernel/proc/signal.hpp"
#include "kernel/proc/signalfd.hpp"
#include "kernel/proc/vdso.hpp"
#include "path_args.hpp"
#include "timespec.hpp"

namespace rt::sys {
namespace {

constexpr uint64_t kEfdSemaphore = 1;
constexpr uint64_t kTfdTimerAbstime = 1, kTfdTimerCancelOnSet = 2;
constexpr int kClockRealtime = 0, kClockMonotonic = 1, kClockBoottime = 7, kClockRealtimeAlarm = 8,
              kClockBoottimeAlarm = 9;

struct Itimerspec {
    Timespec interval, value;
};

ErrorOr<int> install(Thread& t, File* file, uint64_t flags) {
    if (!file) return Error(Errno::NOMEM);
    return t.process->files->install(FileRef(file), flags & kOCloexec, 0, t.process->limits[kRlimitNofile].cur);
}

template <typename T>
ErrorOr<T*> file_of_kind(Thread& t, uint64_t fd, FileRef& ref) {
    ref = file_of(t, fd);
    if (!ref) return Error(Errno::BADF);
    T* file = file_cast<T>(ref.get());
    if (!file) return Error(Errno::INVAL);
    return file;
}

Itimerspec to_itimerspec(TimerFd::Setting s) { return {to_timespec(s.interval_ns), to_timespec(s.value_ns)}; }

}  // namespace

long eventfd2(Thread& t, const SyscallArgs& a) {
    uint64_t flags = a.a[1];
    if (flags & ~(kEfdSemaphore | kOCloexec | kONonblock)) return error_result(Errno::INVAL);
    uint32_t initial = static_cast<uint32_t>(a.a[0]);  // an unsigned int
    return to_result(install(t, make_eventfd(initial, flags & kEfdSemaphore, kORdwr | (flags & kONonblock)), flags));
}

long timerfd_create(Thread& t, const SyscallArgs& a) {
    int clock = static_cast<int>(a.a[0]);
    uint64_t flags = a.a[1];
    if (flags & ~uint64_t{kOCloexec | kONonblock}) return error_result(Errno::INVAL);
    uint64_t offset;
    switch (clock) {
    case kClockRealtimeAlarm:
    case kClockBoottimeAlarm:
        // Alarm clocks would wake a suspended system; there is no suspend here.
        if (!t.process->creds.privileged()) return error_result(Errno::PERM);
        offset = clock == kClockRealtimeAlarm ? realtime_offset_ns() : 0;
        break;
    case kClockRealtime: offset = realtime_offset_ns(); break;
    case kClockMonotonic:
    case kClockBoottime: offset = 0; break;
    default: return error_result(Errno::INVAL);
    }
    return to_result(install(t, TimerFd::create(offset, kORdwr | (flags & kONonblock)), flags));
}

long timerfd_settime(Thread& t, const SyscallArgs& a) {
    uint64_t flags = a.a[1];
    // TFD_TIMER_CANCEL_ON_SET: the realtime clock is never set here, so nothing cancels.
    if (flags & ~(kTfdTimerAbstime | kTfdTimerCancelOnSet)) return error_result(Errno::INVAL);
    AddressSpace& space = *t.process->space;
    Itimerspec fresh;
    if (auto r = UserPtr<Itimerspec>(a.a[2]).read(space, fresh); r.is_error()) return error_result(r.error());
    auto value = timespec_ns(fresh.value);
    auto interval = timespec_ns(fresh.interval);
    if (value.is_error() || interval.is_error()) return error_result(Errno::INVAL);
    FileRef ref;
    auto timer = file_of_kind<TimerFd>(t, a.a[0], ref);
    if (timer.is_error()) return error_result(timer.error());
    auto old = timer.value()->set({value.value(), interval.value()}, flags & kTfdTimerAbstime);
    if (old.is_error()) return error_result(old.error());
    if (a.a[3]) return to_result(UserPtr<Itimerspec>(a.a[3]).write(space, to_itimerspec(old.value())));
    return 0;
}

long timerfd_gettime(Thread& t, const SyscallArgs& a) {
    FileRef ref;
    auto timer = file_of_kind<TimerFd>(t, a.a[0], ref);
    if (timer.is_error()) return error_result(timer.error());
    return to_result(UserPtr<Itimerspec>(a.a[1]).write(*t.process->space, to_itimerspec(timer.value()->get())));
}

long signalfd4(Thread& t, const SyscallArgs& a) {
    int fd = static_cast<int>(a.a[0]);
    uint64_t flags = a.a[3];
    if (flags & ~uint64_t{kOCloexec | kONonblock}) return error_result(Errno::INVAL);
    if (a.a[2] != sizeof(uint64_t)) return error_result(Errno::INVAL);
    uint64_t mask;
    if (auto r = UserPtr<uint64_t>(a.a[1]).read(*t.process->space, mask); r.is_error()) return error_result(r.error());
    mask &= ~kUnblockable;
    if (fd == -1) return to_result(install(t, SignalFd::create(*t.process, mask, kORdonly | (flags & kONonblock)), flags));
    FileRef ref;
    auto existing = file_of_kind<SignalFd>(t, static_cast<uint32_t>(fd), ref);
    if (existing.is_error()) return error_result(existing.error());
    existing.value()->set_mask(mask);
    return fd;
}

}  // namespace rt::sys
