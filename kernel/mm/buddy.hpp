#pragma once
// The buddy frame allocator: blocks of 2^order frames, split on allocation and merged with
// their buddy on free. Portable (it never touches the frames themselves, only their
// descriptors), so the host tests drive it over a pretend physical range.
#include <cstddef>
#include <cstdint>

#include "kernel/lib/error_or.hpp"
#include "kernel/lib/list.hpp"
#include "kernel/lib/spinlock.hpp"

namespace rt {

class SlabCache;

// One per physical frame.
struct FrameDesc {
    enum class State : uint8_t { Reserved, Free, Allocated, Slab };
    ListNode node;          // free list (Free) or a slab cache's list (Slab)
    State state = State::Reserved;
    uint8_t order = 0;      // block order, on a block's first frame
    uint16_t in_use = 0;    // Slab: objects handed out
    uint32_t shares = 0;    // a user page: its users beyond the first (see share_frame)
    SlabCache* cache = nullptr;
    void* free_objects = nullptr;  // Slab: free list threaded through the objects
};

class BuddyAllocator {
public:
    static constexpr unsigned kMaxOrder = 11;  // blocks up to 2^10 frames (4 MiB)

    // Manages frames [base_pa, base_pa + frames * 4 KiB); all start Reserved.
    void init(uint64_t base_pa, size_t frames, FrameDesc* descs);
    // Makes the whole frames in [pa, end) available.
    void add_free_range(uint64_t pa, uint64_t end);

    ErrorOr<uint64_t> alloc(unsigned order);
    void free(uint64_t pa, unsigned order);

    FrameDesc* desc(uint64_t pa);  // nullptr outside the managed range
    uint64_t pa_of(const FrameDesc* d) const { return m_base + (d - m_descs) * 4096ull; }
    size_t free_frames() const { return m_free_frames; }
    size_t total_frames() const { return m_frames; }

private:
    void free_locked(size_t index, unsigned order);

    SpinLock m_lock;
    uint64_t m_base = 0;
    size_t m_frames = 0;
    FrameDesc* m_descs = nullptr;
    IntrusiveList<FrameDesc, &FrameDesc::node> m_free[kMaxOrder];
    size_t m_free_frames = 0;
};

}  // namespace rt
