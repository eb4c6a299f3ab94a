#pragma once
// Physical <-> kernel virtual addresses: all RAM is linearly mapped at LINEAR_MAP_BASE, and the
// kernel image also runs at KERNEL_VIRT_OFFSET above its load address.
#include <cstdint>

#include "arch/riscv/layout.h"

namespace rt {

inline constexpr uint64_t kPageSize = 4096;
inline constexpr uint64_t kLinearMapBase = LINEAR_MAP_BASE;
inline constexpr uint64_t kKernelWindow = 0xffffffff80000000;

template <typename T = void>
inline T* phys_to_virt(uint64_t pa) {
    return reinterpret_cast<T*>(pa + kLinearMapBase);
}
inline uint64_t virt_to_phys(const void* va) {
    auto v = reinterpret_cast<uint64_t>(va);
    return v >= kKernelWindow ? v - KERNEL_VIRT_OFFSET : v - kLinearMapBase;
}
inline constexpr uint64_t page_round_up(uint64_t v) { return (v + kPageSize - 1) & ~(kPageSize - 1); }
inline constexpr uint64_t page_round_down(uint64_t v) { return v & ~(kPageSize - 1); }

}  // namespace rt
