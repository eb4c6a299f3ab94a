#pragma once
// Small-object allocation: size classes, each a cache of one-page slabs whose free objects
// form a list through themselves, with a per-hart magazine in front so the common allocation
// and free touch no shared lock. Coroutine frames and `operator new` come from here; blocks
// larger than the biggest class go to the buddy allocator. Failure is nullptr, never a panic.
#include <cstddef>

#include "buddy.hpp"

namespace rt {

void* kmalloc(size_t size) noexcept;
void kfree(void* p) noexcept;
// The size class kmalloc(size) uses, or the block size for large allocations.
size_t kmalloc_usable_size(size_t size) noexcept;

struct SlabStats {
    size_t slabs = 0, objects_in_use = 0;
};
SlabStats slab_stats() noexcept;

}  // namespace rt
