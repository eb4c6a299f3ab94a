#pragma once
// Character devices by number, as device nodes reach them: mem (1:3 null, 1:5 zero, 1:7 full,
// 1:8 random, 1:9 urandom), tty (5:0 the controlling terminal, 5:1 the console) and the
// UART (4:64 ttyS0).
#include "mount.hpp"

namespace rt {

inline constexpr uint64_t make_dev(uint32_t major, uint32_t minor) { return (uint64_t{major} << 8) | minor; }

// Opens device `rdev` for `opener` through `path`. ENXIO for a number no driver has.
ErrorOr<FileRef> open_char_device(uint64_t rdev, const PathRef& path, uint32_t flags, Thread& opener);

}  // namespace rt
