#pragma once
// CPU-time accounting as user space reads it: getrusage, times, and the rusage of wait4.
#include "syscall.hpp"

namespace rt::sys {

enum class RusageOf { Self, Children, Thread };

// Writes the struct rusage of `who` (as seen from `t`) to `addr`: 0 or -EFAULT.
long write_rusage(Thread& t, uint64_t addr, RusageOf who);

}  // namespace rt::sys
