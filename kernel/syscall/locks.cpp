// File locks: flock(2), whole-file locks held by open files.
#include "handlers.hpp"
#include "kernel/fs/flock.hpp"
#include "path_args.hpp"

namespace rt::sys {

Task<long> flock(Thread& t, SyscallArgs a) {
    constexpr uint64_t kShared = 1, kExclusive = 2, kNonblock = 4, kUnlock = 8;
    FileRef f = file_of(t, a.a[0]);
    if (!f) co_return error_result(Errno::BADF);
    uint64_t op = a.a[1] & ~kNonblock;
    if (op != kShared && op != kExclusive && op != kUnlock) co_return error_result(Errno::INVAL);
    // Files without a name (pipes, sockets) have no inode here to lock.
    if (!f->path()) co_return error_result(Errno::INVAL);
    if (op == kUnlock) {
        flock_release(*f.get());
        co_return 0;
    }
    auto r = co_await flock_acquire(*f.get(), op == kShared ? FlockMode::Shared : FlockMode::Exclusive,
                                    a.a[1] & kNonblock, &t.cancel);
    co_return r.is_error() ? error_result(r.error()) : 0;
}

}  // namespace rt::sys
