#pragma once
// The kernel's page table: the linear map of devices and RAM (read/write, never executable)
// and the kernel image with W^X (text read+execute, rodata read-only, data read+write).
#include "arch/riscv/page_table.hpp"
#include "kernel/boot/boot_info.hpp"

namespace rt {

extern arch::PageTable g_kernel_table;

// Builds the table (boot hart) and switches to it.
void kernel_map_init(const BootInfo& info);
// Switches a secondary hart to the table.
void kernel_map_activate();

}  // namespace rt
