#pragma once
// Physical frames for the kernel: the one buddy allocator over all RAM, and helpers that
// return kernel virtual addresses (through the linear map).
#include "buddy.hpp"
#include "kernel/boot/boot_info.hpp"

namespace rt {

extern BuddyAllocator g_frames;

// Sets up the allocator over RAM, leaving the kernel image, the device tree, the initrd and
// firmware regions reserved.
void frames_init(const BootInfo& info);

// A zeroed block of 2^order frames, as a kernel virtual address.
ErrorOr<void*> alloc_pages(unsigned order);
void free_pages(void* va, unsigned order);

}  // namespace rt
