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

// A user page's frame may have several users: page-table entries (copy-on-write after fork, or
// a shared region's page in each space that maps it) and the memory object that holds it. Its
// descriptor's `shares` counts the users beyond the first.
// One more user of the frame at `pa`.
void share_frame(uint64_t pa);
// One user fewer: the last one frees the frame. A page-table entry gives its use back only
// after the TLB shootdown that makes the entry unreachable.
void release_frame(uint64_t pa);

}  // namespace rt
