#pragma once
// QEMU virt's real-time clock (google,goldfish-rtc): nanoseconds since the epoch.
#include <cstdint>

namespace rt::rtc {

// The wall-clock time, or 0 if there is no RTC.
uint64_t read_ns(uintptr_t base_va);

}  // namespace rt::rtc
