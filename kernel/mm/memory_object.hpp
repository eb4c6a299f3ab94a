#pragma once
// What a shared region maps: a refcounted, page-indexed set of frames that every mapping of it
// sees, in whichever process. A region refers to an object and the object's page at its start;
// fork shares the object (no copy on write), splitting a region keeps it with adjusted offsets,
// and the last reference lets go of the frames. Anonymous objects (MAP_SHARED|MAP_ANONYMOUS)
// hand out a zeroed frame the first time a page is wanted; the page cache will fill its
// objects' pages from files instead.
#include <atomic>
#include <cstdint>

#include "kernel/lib/error_or.hpp"
#include "kernel/lib/page_slots.hpp"
#include "kernel/lib/spinlock.hpp"

namespace rt {

class MemoryObject {
public:
    // An object of `pages` zero-filled pages, with one reference (the caller's). EINVAL for 0
    // pages or more than an object can index, ENOMEM.
    static ErrorOr<MemoryObject*> create_anonymous(uint64_t pages);
    MemoryObject(const MemoryObject&) = delete;

    void ref() { m_refs.fetch_add(1, std::memory_order_relaxed); }
    // Drops a reference; the last one frees the object and gives back its use of each frame
    // (a frame still mapped somewhere lives on until that mapping goes).
    void unref();

    uint64_t page_count() const { return m_pages; }
    // The frame of page `index` with one use taken for the caller's mapping (given back with
    // release_frame); a zeroed frame on first use. ENXIO past the end (the fault is a SIGBUS, as
    // on Linux), ENOMEM.
    ErrorOr<uint64_t> map_page(uint64_t index);
    // Pages that have a frame (for tests and accounting).
    size_t resident_pages();

private:
    explicit MemoryObject(uint64_t pages) : m_pages(pages) {}
    ~MemoryObject();

    std::atomic<uint32_t> m_refs{1};
    const uint64_t m_pages;
    SpinLock m_lock;      // guards m_frames
    PageSlots m_frames;   // page index -> physical address of its frame (the object holds a use)
};

}  // namespace rt
