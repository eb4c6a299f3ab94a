// pipe2: a new pipe's two ends as two descriptors.
#include "handlers.hpp"
#include "kernel/fs/fd_table.hpp"
#include "kernel/fs/pipe.hpp"
#include "kernel/mm/user_access.hpp"

namespace rt::sys {

long pipe2(Thread& t, const SyscallArgs& a) {
    uint64_t flags = a.a[1];
    if (flags & ~uint64_t{kOCloexec | kONonblock}) return error_result(Errno::INVAL);
    UserPtr<int[2]> fds_out(a.a[0]);
    AddressSpace& space = *t.process->space;
    // Writable before any descriptor exists, so a bad array leaks none.
    const int unset[2] = {-1, -1};
    if (auto r = fds_out.write(space, unset); r.is_error()) return error_result(r.error());
    auto ends = make_pipe(static_cast<uint32_t>(flags), t.process->creds.uid.fs, t.process->creds.gid.fs);
    if (ends.is_error()) return error_result(ends.error());
    FdTable& files = *t.process->files;
    uint64_t limit = t.process->limits[kRlimitNofile].cur;
    bool cloexec = flags & kOCloexec;
    auto reader = files.install(std::move(ends->reader), cloexec, 0, limit);
    if (reader.is_error()) return error_result(reader.error());
    auto writer = files.install(std::move(ends->writer), cloexec, 0, limit);
    if (writer.is_error()) {
        (void)files.close(reader.value());
        return error_result(writer.error());
    }
    const int fds[2] = {reader.value(), writer.value()};
    if (auto r = fds_out.write(space, fds); r.is_error()) {
        // Unmapped by another thread meanwhile: the descriptors go again.
        (void)files.close(fds[0]);
        (void)files.close(fds[1]);
        return error_result(r.error());
    }
    return 0;
}

}  // namespace rt::sys
