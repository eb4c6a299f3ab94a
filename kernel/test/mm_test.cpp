// Frames, slabs and allocation failure.
#include <cstring>

#include "kernel/mm/address.hpp"
#include "kernel/mm/frames.hpp"
#include "kernel/mm/slab.hpp"
#include "ktest.hpp"

namespace rt {
namespace {

// Takes every frame it can in blocks of `order`, returning them as a linked chain through the
// blocks themselves; frees them again with release_all.
void* hog_all(unsigned order) {
    void* chain = nullptr;
    for (;;) {
        auto pa = g_frames.alloc(order);
        if (pa.is_error()) return chain;
        void** block = phys_to_virt<void*>(pa.value());
        *block = chain;
        chain = block;
    }
}
void release_all(void* chain, unsigned order) {
    while (chain) {
        void* next = *static_cast<void**>(chain);
        g_frames.free(virt_to_phys(chain), order);
        chain = next;
    }
}
void* hog_everything() {
    void* chains = nullptr;
    for (int order = BuddyAllocator::kMaxOrder - 1; order >= 0; --order) {
        void* c = hog_all(order);
        // Remember each chain and its order in a small block of its own chain's first page.
        if (c) {
            void** rec = static_cast<void**>(c) + 1;
            rec[0] = chains;
            rec[1] = reinterpret_cast<void*>(static_cast<uintptr_t>(order));
            chains = c;
        }
    }
    return chains;
}
void release_everything(void* chains) {
    while (chains) {
        void** rec = static_cast<void**>(chains) + 1;
        void* next = rec[0];
        release_all(chains, static_cast<unsigned>(reinterpret_cast<uintptr_t>(rec[1])));
        chains = next;
    }
}

}  // namespace

KTEST(frames_alloc_free_merge) {
    size_t before = g_frames.free_frames();
    auto a = g_frames.alloc(0), b = g_frames.alloc(3);
    KASSERT(!a.is_error() && !b.is_error());
    KEXPECT(a.value() % 4096 == 0);
    KEXPECT(b.value() % (4096 * 8) == 0);
    KEXPECT(g_frames.free_frames() == before - 9);
    g_frames.free(a.value(), 0);
    g_frames.free(b.value(), 3);
    KEXPECT(g_frames.free_frames() == before);
    auto page = alloc_pages(1);
    KASSERT(!page.is_error());
    auto* bytes = static_cast<unsigned char*>(page.value());
    bool zero = true;
    for (size_t i = 0; i < 8192; ++i) zero = zero && bytes[i] == 0;
    KEXPECT(zero);
    free_pages(page.value(), 1);
    co_return;
}

KTEST(frames_exhaustion_is_enomem_and_recovers) {
    size_t before = g_frames.free_frames();
    void* hog = hog_everything();
    KEXPECT(g_frames.free_frames() == 0);
    auto r = g_frames.alloc(0);
    KEXPECT(r.is_error() && r.error().code == Errno::NOMEM);
    KEXPECT(alloc_pages(0).is_error());
    KEXPECT(kmalloc(64 * 1024) == nullptr);
    KEXPECT(g_frames.alloc(BuddyAllocator::kMaxOrder).is_error());
    release_everything(hog);
    KEXPECT(g_frames.free_frames() == before);
    co_return;
}

KTEST(slab_sizes_alignment_and_reuse) {
    static constexpr size_t kSizes[] = {1, 16, 17, 64, 100, 256, 1000, 2048, 2049, 5000};
    void* ptrs[sizeof kSizes / sizeof kSizes[0]];
    for (size_t i = 0; i < sizeof kSizes / sizeof kSizes[0]; ++i) {
        ptrs[i] = kmalloc(kSizes[i]);
        KASSERT(ptrs[i]);
        KEXPECT(reinterpret_cast<uintptr_t>(ptrs[i]) % 16 == 0);
        KEXPECT(kmalloc_usable_size(kSizes[i]) >= kSizes[i]);
        memset(ptrs[i], int(i), kSizes[i]);
    }
    for (size_t i = 0; i < sizeof kSizes / sizeof kSizes[0]; ++i) {
        auto* p = static_cast<unsigned char*>(ptrs[i]);
        KEXPECT(p[0] == i && p[kSizes[i] - 1] == i);  // no overlap between objects
        kfree(ptrs[i]);
    }
    void* again = kmalloc(64);
    KEXPECT(again != nullptr);
    kfree(again);
    kfree(nullptr);
    co_return;
}

KTEST(slab_many_objects_return_their_pages) {
    size_t before = g_frames.free_frames();
    constexpr size_t kCount = 4000;
    auto* table = static_cast<void**>(kmalloc(kCount * sizeof(void*)));
    KASSERT(table);
    for (size_t i = 0; i < kCount; ++i) {
        table[i] = kmalloc(128);
        KASSERT(table[i]);
    }
    KEXPECT(g_frames.free_frames() < before - kCount * 128 / 4096);
    for (size_t i = 0; i < kCount; ++i) kfree(table[i]);
    kfree(table);
    // Empty slabs go back (a few stay in magazines and as the last partial slab).
    KEXPECT(g_frames.free_frames() + 8 >= before);
    co_return;
}

namespace {
Task<void> big_frame(int& out) {
    volatile char pad[8192];  // makes the frame larger than any slab class
    pad[0] = 1;
    out = pad[0];
    co_return;
}
}  // namespace

KTEST(coroutine_frame_allocation_failure_is_enomem) {
    void* hog = hog_everything();
    int out = 0;
    Task<void> task = big_frame(out);
    KEXPECT(!task.valid());
    auto r = spawn(std::move(task));
    KEXPECT(r.is_error() && r.error().code == Errno::NOMEM);
    release_everything(hog);
    Task<void> ok = big_frame(out);
    KEXPECT(ok.valid());
    co_await std::move(ok);
    KEXPECT(out == 1);
}

}  // namespace rt
