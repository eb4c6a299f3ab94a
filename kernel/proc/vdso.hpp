#pragma once
// The vDSO (DESIGN §9) in every process: its code pages (read+execute) and the data page
// below them (read-only), both shared with the kernel image, at a fixed address under the
// stack. AT_SYSINFO_EHDR points at it.
#include <cstdint>

#include "kernel/mm/address_space.hpp"

namespace rt {

inline constexpr uint64_t kVdsoBase = kUserTop - (16ull << 20);  // below the 8 MiB stack

// Fills the data page (clock conversion, the realtime offset from the RTC).
void vdso_init(uint64_t timebase_hz, uint64_t realtime_offset_ns);
ErrorOr<void> map_vdso(AddressSpace& space);
// CLOCK_REALTIME minus CLOCK_MONOTONIC, for the system calls to agree with the vDSO.
uint64_t realtime_offset_ns();

}  // namespace rt
