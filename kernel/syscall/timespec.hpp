#pragma once
// struct timespec as system calls read and write it, and the deadlines made from it.
#include <cstdint>

#include "kernel/lib/error_or.hpp"
#include "kernel/mm/address_space.hpp"

namespace rt::sys {

inline constexpr uint64_t kNsPerSec = 1'000'000'000;

struct Timespec {
    int64_t sec, nsec;
};

inline Timespec to_timespec(uint64_t ns) {
    return {static_cast<int64_t>(ns / kNsPerSec), static_cast<int64_t>(ns % kNsPerSec)};
}
// A timespec in nanoseconds: EINVAL if negative or if nsec is out of range; one past any
// uptime this kernel will see saturates (to kNoDeadline - 1).
ErrorOr<uint64_t> timespec_ns(const Timespec& ts);
// Reads a relative timeout at `addr` and makes it a deadline on the monotonic clock:
// kNoDeadline for a null pointer; EFAULT or EINVAL for a bad one.
ErrorOr<uint64_t> read_timeout(AddressSpace& space, uint64_t addr);
// now + ns, saturating below kNoDeadline.
uint64_t deadline_after(uint64_t ns);

}  // namespace rt::sys
