#include "file.hpp"

namespace rt {

ErrorOr<size_t> File::write(AddressSpace&, uint64_t, size_t, uint64_t) { return Error(Errno::BADF); }

ErrorOr<size_t> File::read_dir(AddressSpace&, uint64_t, size_t) { return Error(Errno::NOTDIR); }

ErrorOr<long> File::ioctl(Thread&, uint32_t, uint64_t) { return Error(Errno::NOTTY); }

ErrorOr<long> File::fcntl(Thread&, uint32_t, uint64_t) { return Error(Errno::INVAL); }

}  // namespace rt
