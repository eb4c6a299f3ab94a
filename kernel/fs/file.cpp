#include "file.hpp"

#include "flock.hpp"

namespace rt {

ErrorOr<size_t> File::write(AddressSpace&, uint64_t, size_t, uint64_t) { return Error(Errno::BADF); }

Stat anonymous_inode_stat() {
    Stat s{};
    s.dev = 0xe;
    s.mode = 0600;
    s.nlink = 1;
    s.blksize = 4096;
    return s;
}

void File::destroy() {
    if (flock_mode != FlockMode::None) flock_release(*this);
    if (epoll_watched.load(std::memory_order_acquire)) forget_epoll_watches(*this);
    delete this;
}

ErrorOr<size_t> File::read_dir(AddressSpace&, uint64_t, size_t) { return Error(Errno::NOTDIR); }

ErrorOr<long> File::ioctl(Thread&, uint32_t, uint64_t) { return Error(Errno::NOTTY); }

ErrorOr<void> File::check_job_control(Thread&, bool) { return {}; }

ErrorOr<long> File::fcntl(Thread&, uint32_t, uint64_t) { return Error(Errno::INVAL); }

}  // namespace rt
