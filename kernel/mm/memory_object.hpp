#pragma once
// What a shared region maps: a refcounted, page-indexed set of frames that every mapping of it
// sees, in whichever process. A region refers to an object and the object's page at its start;
// fork shares the object (no copy on write), splitting a region keeps it with adjusted offsets,
// and the last reference lets go of the frames. Anonymous objects (MAP_SHARED|MAP_ANONYMOUS)
// hand out a zeroed frame the first time a page is wanted. A file's object (tmpfs) grows and
// shrinks with the file, and may start as bytes already in memory (a file of the initramfs):
// a page is copied from them the first time it is wanted, and read in place until then.
#include <atomic>
#include <cstdint>

#include "kernel/lib/error_or.hpp"
#include "kernel/lib/page_slots.hpp"
#include "kernel/lib/spinlock.hpp"

namespace rt {

class AddressSpace;

class MemoryObject {
public:
    // An object of `pages` zero-filled pages, with one reference (the caller's). EINVAL for 0
    // pages or more than an object can index, ENOMEM.
    static ErrorOr<MemoryObject*> create_anonymous(uint64_t pages);
    // A file's object, with the `size` bytes at `initial` (which must outlive it) as its first
    // contents. ENOMEM.
    static ErrorOr<MemoryObject*> create_file(const uint8_t* initial, uint64_t size);
    MemoryObject(const MemoryObject&) = delete;

    void ref() { m_refs.fetch_add(1, std::memory_order_relaxed); }
    // Drops a reference; the last one frees the object and gives back its use of each frame
    // (a frame still mapped somewhere lives on until that mapping goes).
    void unref();

    uint64_t page_count() const { return m_pages; }
    // The frame of page `index` with one use taken for the caller's mapping (given back with
    // release_frame); a zeroed frame on first use. ENXIO past the end (the fault is a SIGBUS, as
    // on Linux), ENOMEM. `shared`: the mapping may write the frame (a private one copies a page
    // before it writes, so the object stays pristine for exec).
    ErrorOr<uint64_t> map_page(uint64_t index, bool shared = true);
    // Pages that have a frame (for tests and accounting).
    size_t resident_pages();

    // A file's contents: copies `len` bytes at byte `offset` out of (read) or into (write) the
    // object, within the page count (the caller keeps it at the file size). A write makes the
    // frames it needs; a read takes holes as zeros. ENOMEM (what was copied stays).
    ErrorOr<void> read(void* buf, uint64_t offset, size_t len);
    // The same straight into user memory at `buf` in `space`: no kernel buffer. Each page's frame
    // is held (a share) while it is copied, outside the lock, since the copy may fault. Returns
    // the bytes copied; a fault before any is EFAULT.
    ErrorOr<size_t> read_to_user(AddressSpace& space, uint64_t buf, uint64_t offset, size_t len);
    ErrorOr<void> write(const void* buf, uint64_t offset, size_t len);
    // A file's new size in bytes: pages past it go (a frame still mapped lives on until that
    // mapping goes), the tail of the last page reads as zeros, and growing adds holes.
    void resize(uint64_t size);
    // The initial bytes, if the object still reads some pages from them in place (exec reads
    // an unchanged file of the initramfs without copying it): nullptr otherwise.
    const uint8_t* pristine(uint64_t& size);

private:
    explicit MemoryObject(uint64_t pages) : m_pages(pages) {}
    ~MemoryObject();
    // The frame of page `index`, made if absent (m_lock held).
    ErrorOr<uint64_t> frame_locked(uint64_t index);

    std::atomic<uint32_t> m_refs{1};
    std::atomic<uint64_t> m_pages;
    const uint8_t* m_initial = nullptr;  // the first contents, read in place until copied
    uint64_t m_initial_size = 0;         // bytes of m_initial still in force (truncation cuts it)
    bool m_written = false;              // some page was written since creation
    SpinLock m_lock;      // guards m_frames
    PageSlots m_frames;   // page index -> physical address of its frame (the object holds a use)
};

}  // namespace rt
