#include "frames.hpp"

#include <cstring>

#include "address.hpp"
#include "kernel/panic.hpp"

extern "C" char __kernel_start[], __kernel_end[];

namespace rt {

BuddyAllocator g_frames;

void frames_init(const BootInfo& info) {
    uint64_t base = info.memory.base, end = base + info.memory.size;
    size_t frames = (end - base) / kPageSize;
    // The descriptor array goes right after the kernel image.
    uint64_t desc_pa = page_round_up(virt_to_phys(__kernel_end));
    uint64_t desc_end = page_round_up(desc_pa + frames * sizeof(FrameDesc));
    RT_ASSERT(desc_end < end);
    g_frames.init(base, frames, phys_to_virt<FrameDesc>(desc_pa));

    // What must stay reserved: firmware below the kernel, the kernel and the descriptors, the
    // device tree, the initrd and the firmware's reserved-memory regions.
    MemRange taken[kMaxReserved + 3];
    size_t n = 0;
    taken[n++] = {base, desc_end - base};
    taken[n++] = {info.dtb_pa, info.dtb_size};
    if (info.initrd.size) taken[n++] = info.initrd;
    for (size_t i = 0; i < info.reserved_count; ++i) taken[n++] = info.reserved[i];
    // Sort by base (a handful of entries), then free the gaps between them.
    for (size_t i = 1; i < n; ++i)
        for (size_t j = i; j > 0 && taken[j].base < taken[j - 1].base; --j) {
            MemRange t = taken[j];
            taken[j] = taken[j - 1];
            taken[j - 1] = t;
        }
    uint64_t cursor = base;
    for (size_t i = 0; i < n; ++i) {
        uint64_t lo = page_round_down(taken[i].base), hi = page_round_up(taken[i].base + taken[i].size);
        if (lo > cursor) g_frames.add_free_range(cursor, lo);
        if (hi > cursor) cursor = hi;
    }
    if (cursor < end) g_frames.add_free_range(cursor, end);
}

ErrorOr<void*> alloc_pages(unsigned order) {
    uint64_t pa = TRY(g_frames.alloc(order));
    void* va = phys_to_virt(pa);
    memset(va, 0, kPageSize << order);
    return va;
}

void free_pages(void* va, unsigned order) { g_frames.free(virt_to_phys(va), order); }

void share_frame(uint64_t pa) { __atomic_fetch_add(&g_frames.desc(pa)->shares, 1, __ATOMIC_ACQ_REL); }

void release_frame(uint64_t pa) {
    FrameDesc* d = g_frames.desc(pa);
    // Two users may let go at once, each under its own lock: the last one (who finds no other
    // share) frees it.
    uint32_t shares = __atomic_load_n(&d->shares, __ATOMIC_ACQUIRE);
    while (shares > 0)
        if (__atomic_compare_exchange_n(&d->shares, &shares, shares - 1, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            return;
    g_frames.free(pa, 0);
}

}  // namespace rt
