#pragma once
// What the device tree tells the kernel about the machine, parsed once at boot.
#include <cstddef>
#include <cstdint>

namespace rt {

inline constexpr size_t kMaxHarts = 8;
inline constexpr size_t kMaxVirtio = 8;
inline constexpr size_t kMaxReserved = 8;

struct MmioDevice {
    uint64_t base = 0, size = 0;
    uint32_t irq = 0;
};

struct MemRange {
    uint64_t base = 0, size = 0;
};

struct BootInfo {
    MemRange memory;                      // the RAM the kernel manages
    MemRange reserved[kMaxReserved];      // firmware regions inside it
    size_t reserved_count = 0;
    uint64_t dtb_pa = 0, dtb_size = 0;
    MemRange initrd;
    const char* bootargs = "";
    const uint8_t* rng_seed = nullptr;  // /chosen/rng-seed: entropy from the host (QEMU fills it)
    size_t rng_seed_size = 0;

    size_t hart_count = 0;
    uint32_t hart_ids[kMaxHarts];         // index = logical hart number; [0] is the boot hart
    int plic_context[kMaxHarts];          // the hart's S-mode PLIC context, -1 if none
    bool has_sstc = false;
    uint64_t timebase_hz = 0;

    MmioDevice plic, uart, test_device, rtc;
    uint32_t uart_reg_shift = 0;
    MmioDevice virtio[kMaxVirtio];
    size_t virtio_count = 0;
};

// Fills `info` from the flattened device tree at `dtb` (virtual address). Returns an error
// message, or nullptr on success. `boot_hartid` is placed first in hart_ids.
const char* parse_device_tree(const void* dtb, uint32_t boot_hartid, BootInfo& info);

extern BootInfo g_boot_info;

}  // namespace rt
