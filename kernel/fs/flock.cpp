#include "flock.hpp"

namespace rt {
namespace {

// Every release wakes every waiter, which looks again: contention on flock is rare.
WaitQueue g_released;

// Takes `mode` if nothing conflicts; inode.lock held.
bool try_take_locked(Inode& inode, File& file, FlockMode mode) {
    if (inode.flock_exclusive) return false;
    if (mode == FlockMode::Exclusive) {
        if (inode.flock_shared) return false;
        inode.flock_exclusive = true;
    } else {
        ++inode.flock_shared;
    }
    file.flock_mode = mode;
    return true;
}

// Drops what `file` holds; inode.lock held. Whether it held anything.
bool drop_locked(Inode& inode, File& file) {
    switch (file.flock_mode) {
    case FlockMode::None: return false;
    case FlockMode::Shared: --inode.flock_shared; break;
    case FlockMode::Exclusive: inode.flock_exclusive = false; break;
    }
    file.flock_mode = FlockMode::None;
    return true;
}

}  // namespace

Task<ErrorOr<void>> flock_acquire(File& file, FlockMode mode, bool nonblocking, Cancellation* cancel) {
    Inode& inode = *file.path()->inode();
    bool dropped, taken;
    {
        SpinLockGuard g(inode.lock);
        if (file.flock_mode == mode) co_return ErrorOr<void>{};
        // A conversion lets go first (so two holders upgrading at once cannot deadlock).
        dropped = drop_locked(inode, file);
        taken = try_take_locked(inode, file, mode);
    }
    // Waiters look at the inode under the queue's lock: notify without the inode's.
    if (dropped) g_released.notify();
    if (taken) co_return ErrorOr<void>{};
    if (nonblocking) co_return Error(Errno::AGAIN);
    for (;;) {
        auto r = co_await g_released.wait(
            [&] {
                SpinLockGuard g(inode.lock);
                return try_take_locked(inode, file, mode);
            },
            {.cancel = cancel});
        if (r == WaitResult::Cancelled) {
            // Taken by the predicate just as the signal came: keep it (the call succeeded).
            SpinLockGuard g(inode.lock);
            if (file.flock_mode == mode) co_return ErrorOr<void>{};
            co_return Error(Errno::RESTARTSYS);
        }
        SpinLockGuard g(inode.lock);
        if (file.flock_mode == mode) co_return ErrorOr<void>{};
    }
}

void flock_release(File& file) {
    if (file.flock_mode == FlockMode::None) return;
    Inode& inode = *file.path()->inode();
    bool dropped;
    {
        SpinLockGuard g(inode.lock);
        dropped = drop_locked(inode, file);
    }
    if (dropped) g_released.notify();
}

}  // namespace rt
