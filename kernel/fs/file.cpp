#include "file.hpp"

namespace rt {

ErrorOr<size_t> File::write(AddressSpace&, uint64_t, size_t, uint64_t) { return Error(Errno::BADF); }

}  // namespace rt
