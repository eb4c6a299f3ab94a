#include "buddy.hpp"

namespace rt {

void BuddyAllocator::init(uint64_t base_pa, size_t frames, FrameDesc* descs) {
    m_base = base_pa;
    m_frames = frames;
    m_descs = descs;
    for (size_t i = 0; i < frames; ++i) new (&descs[i]) FrameDesc();
}

FrameDesc* BuddyAllocator::desc(uint64_t pa) {
    if (pa < m_base) return nullptr;
    size_t i = (pa - m_base) / 4096;
    return i < m_frames ? &m_descs[i] : nullptr;
}

void BuddyAllocator::add_free_range(uint64_t pa, uint64_t end) {
    SpinLockGuard g(m_lock);
    pa = (pa + 4095) & ~4095ull;
    end &= ~4095ull;
    if (pa < m_base) pa = m_base;
    if (end > m_base + m_frames * 4096) end = m_base + m_frames * 4096;
    for (; pa < end; pa += 4096) {
        size_t i = (pa - m_base) / 4096;
        if (m_descs[i].state != FrameDesc::State::Reserved) continue;
        free_locked(i, 0);
    }
}

void BuddyAllocator::free_locked(size_t index, unsigned order) {
    m_free_frames += size_t{1} << order;
    // Buddies are aligned relative to m_base: merge while the buddy is a free block of our order.
    while (order + 1 < kMaxOrder) {
        size_t buddy = index ^ (size_t{1} << order);
        if (buddy + (size_t{1} << order) > m_frames) break;
        FrameDesc& b = m_descs[buddy];
        if (b.state != FrameDesc::State::Free || b.order != order) break;
        m_free[order].remove(b);
        b.state = FrameDesc::State::Reserved;  // no longer a block head
        index &= ~(size_t{1} << order);
        ++order;
    }
    FrameDesc& d = m_descs[index];
    d.state = FrameDesc::State::Free;
    d.order = static_cast<uint8_t>(order);
    m_free[order].push_front(d);
}

ErrorOr<uint64_t> BuddyAllocator::alloc(unsigned order) {
    if (order >= kMaxOrder) return Error(Errno::NOMEM);
    SpinLockGuard g(m_lock);
    unsigned o = order;
    while (o < kMaxOrder && m_free[o].empty()) ++o;
    if (o == kMaxOrder) return Error(Errno::NOMEM);
    FrameDesc* d = m_free[o].pop_front();
    size_t index = d - m_descs;
    while (o > order) {  // split, keeping the lower half
        --o;
        FrameDesc& upper = m_descs[index + (size_t{1} << o)];
        upper.state = FrameDesc::State::Free;
        upper.order = static_cast<uint8_t>(o);
        m_free[o].push_front(upper);
    }
    d->state = FrameDesc::State::Allocated;
    d->order = static_cast<uint8_t>(order);
    m_free_frames -= size_t{1} << order;
    return pa_of(d);
}

void BuddyAllocator::free(uint64_t pa, unsigned order) {
    SpinLockGuard g(m_lock);
    size_t index = (pa - m_base) / 4096;
    m_descs[index].state = FrameDesc::State::Reserved;
    free_locked(index, order);
}

}  // namespace rt
