#include "memory_object.hpp"

#include <new>

#include "address.hpp"
#include "frames.hpp"

namespace rt {

ErrorOr<MemoryObject*> MemoryObject::create_anonymous(uint64_t pages) {
    if (pages == 0 || pages > PageSlots::kLimit) return Error(Errno::INVAL);
    auto* o = new (std::nothrow) MemoryObject(pages);
    if (!o) return Error(Errno::NOMEM);
    return o;
}

MemoryObject::~MemoryObject() {
    m_frames.for_each([](uint64_t, uint64_t pa) { release_frame(pa); });
}

void MemoryObject::unref() {
    if (m_refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
}

ErrorOr<uint64_t> MemoryObject::map_page(uint64_t index) {
    if (index >= m_pages) return Error(Errno::NXIO);
    SpinLockGuard g(m_lock);
    uint64_t* slot = TRY(m_frames.slot(index));
    if (!*slot) *slot = virt_to_phys(TRY(alloc_pages(0)));  // the object's own use
    share_frame(*slot);  // the caller's mapping
    return *slot;
}

size_t MemoryObject::resident_pages() {
    SpinLockGuard g(m_lock);
    size_t n = 0;
    m_frames.for_each([&](uint64_t, uint64_t) { ++n; });
    return n;
}

}  // namespace rt
