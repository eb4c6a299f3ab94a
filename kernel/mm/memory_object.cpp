#include "memory_object.hpp"

#include <cstring>
#include <new>

#include "address.hpp"
#include "frames.hpp"
#include "user_access.hpp"

namespace rt {

ErrorOr<MemoryObject*> MemoryObject::create_anonymous(uint64_t pages) {
    if (pages == 0 || pages > PageSlots::kLimit) return Error(Errno::INVAL);
    auto* o = new (std::nothrow) MemoryObject(pages);
    if (!o) return Error(Errno::NOMEM);
    return o;
}

ErrorOr<MemoryObject*> MemoryObject::create_file(const uint8_t* initial, uint64_t size) {
    auto* o = new (std::nothrow) MemoryObject((size + kPageSize - 1) / kPageSize);
    if (!o) return Error(Errno::NOMEM);
    o->m_initial = initial;
    o->m_initial_size = size;
    return o;
}

MemoryObject::~MemoryObject() {
    m_frames.for_each([](uint64_t, uint64_t pa) { release_frame(pa); });
}

void MemoryObject::unref() {
    if (m_refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
}

ErrorOr<uint64_t> MemoryObject::frame_locked(uint64_t index) {
    uint64_t* slot = TRY(m_frames.slot(index));
    if (!*slot) {
        auto* page = static_cast<uint8_t*>(TRY(alloc_pages(0)));  // zeroed; the object's own use
        uint64_t at = index * kPageSize;
        if (at < m_initial_size) {
            uint64_t n = m_initial_size - at < kPageSize ? m_initial_size - at : kPageSize;
            memcpy(page, m_initial + at, n);
        }
        *slot = virt_to_phys(page);
    }
    return *slot;
}

ErrorOr<uint64_t> MemoryObject::map_page(uint64_t index, bool shared) {
    if (index >= m_pages.load(std::memory_order_relaxed)) return Error(Errno::NXIO);
    SpinLockGuard g(m_lock);
    uint64_t pa = TRY(frame_locked(index));
    if (shared) m_written = true;  // a shared mapping may write it any time
    share_frame(pa);   // the caller's mapping
    return pa;
}

ErrorOr<void> MemoryObject::read(void* buf, uint64_t offset, size_t len) {
    auto* out = static_cast<uint8_t*>(buf);
    SpinLockGuard g(m_lock);
    while (len) {
        uint64_t index = offset / kPageSize, in = offset % kPageSize;
        size_t n = kPageSize - in < len ? kPageSize - in : len;
        uint64_t* slot = m_frames.find(index);
        if (slot && *slot) {
            memcpy(out, phys_to_virt<uint8_t>(*slot) + in, n);
        } else {
            // A page never touched: the initial bytes where there are some, zeros past them.
            size_t from_initial = offset < m_initial_size ? (m_initial_size - offset < n ? m_initial_size - offset : n) : 0;
            memcpy(out, m_initial + offset, from_initial);
            memset(out + from_initial, 0, n - from_initial);
        }
        out += n;
        offset += n;
        len -= n;
    }
    return {};
}

ErrorOr<size_t> MemoryObject::read_to_user(AddressSpace& space, uint64_t buf, uint64_t offset, size_t len) {
    static const uint8_t kZeros[kPageSize] = {};  // what a hole reads as
    size_t done = 0;
    while (done < len) {
        uint64_t at = offset + done, in = at % kPageSize;
        size_t n = kPageSize - in < len - done ? kPageSize - in : len - done;
        uint64_t held = 0;
        const uint8_t* src = kZeros;
        size_t from_source = n;  // the rest of the piece is a hole past the initial bytes
        {
            SpinLockGuard g(m_lock);
            uint64_t* slot = m_frames.find(at / kPageSize);
            if (slot && *slot) {
                held = *slot;
                share_frame(held);  // a truncation meanwhile frees it only after us
                src = phys_to_virt<uint8_t>(held) + in;
            } else if (at < m_initial_size) {
                src = m_initial + at;  // the archive's bytes stay for good
                from_source = m_initial_size - at < n ? m_initial_size - at : n;
            }
        }
        auto r = copy_to_user(space, buf + done, src, from_source);
        if (!r.is_error() && from_source < n) r = copy_to_user(space, buf + done + from_source, kZeros, n - from_source);
        if (held) release_frame(held);
        if (r.is_error()) {
            if (done) break;
            return r.error();
        }
        done += n;
    }
    return done;
}

ErrorOr<void> MemoryObject::write(const void* buf, uint64_t offset, size_t len) {
    auto* in_buf = static_cast<const uint8_t*>(buf);
    SpinLockGuard g(m_lock);
    m_written = true;
    while (len) {
        uint64_t index = offset / kPageSize, in = offset % kPageSize;
        size_t n = kPageSize - in < len ? kPageSize - in : len;
        uint64_t pa = TRY(frame_locked(index));
        memcpy(phys_to_virt<uint8_t>(pa) + in, in_buf, n);
        in_buf += n;
        offset += n;
        len -= n;
    }
    return {};
}

void MemoryObject::resize(uint64_t size) {
    uint64_t pages = (size + kPageSize - 1) / kPageSize;
    SpinLockGuard g(m_lock);
    if (size < m_initial_size) m_initial_size = size;
    // Frames past the end go; the last page's tail is zeroed, so growing again shows zeros.
    m_frames.for_each([&](uint64_t index, uint64_t pa) {
        if (index >= pages) {
            *m_frames.find(index) = 0;
            release_frame(pa);
        } else if (index == pages - 1 && size % kPageSize) {
            memset(phys_to_virt<uint8_t>(pa) + size % kPageSize, 0, kPageSize - size % kPageSize);
        }
    });
    m_pages.store(pages, std::memory_order_relaxed);
}

const uint8_t* MemoryObject::pristine(uint64_t& size) {
    SpinLockGuard g(m_lock);
    if (m_written || !m_initial) return nullptr;
    size = m_initial_size;
    return m_initial;
}

size_t MemoryObject::resident_pages() {
    SpinLockGuard g(m_lock);
    size_t n = 0;
    m_frames.for_each([&](uint64_t, uint64_t) { ++n; });
    return n;
}

}  // namespace rt
