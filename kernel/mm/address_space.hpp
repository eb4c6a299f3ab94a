#pragma once
// A process's address space: a page table whose upper half is the kernel's, and regions (VMAs)
// of the lower half that say what may be mapped where. Pages are mapped lazily, on the first
// fault inside a region. Private pages are copied on write after fork; a shared region's pages
// belong to its MemoryObject and are the same frames in every space that maps it.
#include <atomic>
#include <cstdint>

#include "arch/riscv/page_table.hpp"
#include "kernel/lib/error_or.hpp"
#include "kernel/lib/list.hpp"
#include "kernel/lib/spinlock.hpp"

namespace rt {

class MemoryObject;

inline constexpr uint64_t kUserTop = 1ull << 38;  // the Sv39 lower half
inline constexpr uint64_t kUserBottom = 0x10000;  // nothing is mapped below (null pointers)

enum Prot : uint32_t { kProtRead = 1, kProtWrite = 2, kProtExec = 4 };
enum class Access : uint8_t { Read, Write, Execute };
// mremap's flags (Linux's values).
enum Remap : uint32_t { kRemapMayMove = 1, kRemapFixed = 2, kRemapDontUnmap = 4 };

struct Vma {
    ListNode node;
    uint64_t start, end;  // page-aligned, [start, end)
    uint32_t prot;
    bool kernel_pages = false;  // frames the kernel owns (the vDSO): shared, never freed or copied
    // A shared region: the object it maps (a reference held) and the object's page at `start`.
    // Private regions have none: their pages are their own, copied on write after fork.
    MemoryObject* object = nullptr;
    uint64_t object_page = 0;
    // A private mapping of a file: pages come from the object, read-only and copy-on-write,
    // so a write makes the page the region's own (MAP_PRIVATE of a file).
    bool private_object = false;
};

class AddressSpace {
public:
    static ErrorOr<AddressSpace*> create();
    // A copy for fork: the same regions; private pages shared copy-on-write (both sides lose
    // write access until the first write copies the page).
    ErrorOr<AddressSpace*> clone_for_fork();
    ~AddressSpace();
    AddressSpace(const AddressSpace&) = delete;

    // The processes using this space: one, or more after clone(CLONE_VM) without a thread
    // (vfork). The last release frees it.
    void retain() { m_users.fetch_add(1, std::memory_order_relaxed); }
    static void release(AddressSpace* space) {
        if (space && space->m_users.fetch_sub(1, std::memory_order_acq_rel) == 1) delete space;
    }

    // Adds a region [start, start+len) (page-aligned), private or (with `object`, of which it
    // maps the pages from `object_page` on; it takes its own reference) shared, or with
    // `private_object` a private copy-on-write view of the object. EINVAL outside
    // user space or if it overlaps an existing region, ENOMEM if no memory for the descriptor.
    ErrorOr<void> add_region(uint64_t start, uint64_t len, uint32_t prot, MemoryObject* object = nullptr,
                             uint64_t object_page = 0, bool private_object = false);
    // Maps the kernel's own frames [pa, pa+len) at va for user access: a region of their own,
    // shared by every space, never freed or copied on write.
    ErrorOr<void> map_kernel_pages(uint64_t va, uint64_t pa, uint64_t len, uint32_t prot);
    // Removes [start, start+len) from the regions and frees its pages.
    ErrorOr<void> remove_range(uint64_t start, uint64_t len);
    // Changes the protection of [start, start+len), splitting regions at the edges; ENOMEM if
    // part of the range is not in any region (nothing changes then).
    ErrorOr<void> protect(uint64_t start, uint64_t len, uint32_t prot);
    // madvise(MADV_DONTNEED): drops the pages of [start, start+len); the next touch sees zeros
    // in a private region and the same data in a shared one (the object keeps it). ENOMEM if
    // part of the range is not in any region, EINVAL for the kernel's own pages, and (`lazy`,
    // MADV_FREE, which only private memory takes) for shared regions.
    ErrorOr<void> discard(uint64_t start, uint64_t len, bool lazy = false);
    // A free gap of `len` bytes: at `hint` (rounded up to a page) if free there, else searching
    // down from the top. For mmap without MAP_FIXED. ENOMEM if none.
    ErrorOr<uint64_t> find_gap(uint64_t hint, uint64_t len);
    // mremap: resizes and/or moves [addr, addr+old_len) (kRemap* flags), moving page-table
    // entries rather than data. Returns the new address; errors as Linux (address_space_remap.cpp).
    ErrorOr<uint64_t> remap(uint64_t addr, uint64_t old_len, uint64_t new_len, uint32_t flags, uint64_t new_addr);

    // Resolves a fault at `addr`: maps the page (a zeroed one of its own in a private region,
    // the object's in a shared one) if a region allows `access` there. EFAULT outside every
    // region, EACCES where the region forbids `access` (either is a SIGSEGV, or -EFAULT for a
    // copy), ENXIO past the end of a shared region's object (a SIGBUS, as Linux), ENOMEM if
    // no frame.
    ErrorOr<void> handle_fault(uint64_t addr, Access access);

    // Copies into the mapped pages directly (for the loader, before the process runs).
    ErrorOr<void> write(uint64_t addr, const void* src, uint64_t len);

    void activate() const { m_table.activate(); }
    uint64_t satp() const { return m_table.satp(); }
    arch::PageTable& table() { return m_table; }
    size_t resident_pages() const { return m_resident; }

    // What names the memory at `addr` in every space that maps it: a shared region's object
    // and the byte offset in it; `object` is nullptr for private memory (named by this space
    // and the address). EFAULT if no region is there. For futex keys.
    struct Location {
        const MemoryObject* object;
        uint64_t offset;
    };
    ErrorOr<Location> locate(uint64_t addr);

private:
    explicit AddressSpace(arch::PageTable t) : m_table(t) {}
    Vma* find(uint64_t addr);
    bool covered(uint64_t start, uint64_t end);
    // Inserts a region in address order; EINVAL (and nothing inserted) if it overlaps one.
    ErrorOr<void> insert(Vma* vma);
    // A new descriptor for [at, v.end) of v: same protection and backing (another reference).
    static Vma* tail_of(const Vma& v, uint64_t at);
    // Frees a descriptor no longer in the list, dropping its reference to its object.
    static void destroy(Vma* v);
    // Splits the region containing `at` (if any, and `at` is inside it) into two at `at`.
    ErrorOr<void> split_at(uint64_t at);
    ErrorOr<void> remove_locked(uint64_t start, uint64_t end);
    ErrorOr<uint64_t> find_gap_locked(uint64_t hint, uint64_t len);
    // remap's helpers (address_space_remap.cpp), m_lock held.
    ErrorOr<Vma*> isolate(uint64_t start, uint64_t end);
    ErrorOr<uint64_t> remap_to(Vma* v, uint64_t addr, uint64_t old_len, uint64_t new_len, uint32_t flags,
                               uint64_t new_addr);
    ErrorOr<uint64_t> move(Vma* v, uint64_t dest, uint64_t new_len, bool keep_old);
    ErrorOr<uint64_t> duplicate(const Vma& v, uint64_t addr, uint64_t new_len, uint64_t dest);
    // After entries lost permissions or went away: this hart's TLB and every other hart's that
    // has this space loaded.
    void flush_tlb();
    // A write to a copy-on-write page: copies it (or takes it over if no longer shared).
    ErrorOr<void> break_cow(arch::Pte* e, const Vma& v);
    // The page's entry, mapping a page with v's protection if none is there yet: a zeroed frame
    // of its own for a private region, the object's page for a shared one.
    ErrorOr<arch::Pte*> map_page(const Vma& v, uint64_t page);
    void free_pages_in(uint64_t start, uint64_t end);
    // Calls f(va, entry) for each nonzero leaf entry in [start, end), stepping over absent
    // tables 2 MiB at a time (a huge sparse region costs its tables, not its pages).
    template <typename F>
    void for_each_entry(uint64_t start, uint64_t end, F&& f) {
        constexpr uint64_t kTableSpan = 512 * 4096;  // what one last-level table maps
        for (uint64_t va = start; va < end;) {
            auto e = m_table.leaf(va, false);
            if (e.is_error()) {
                va = (va | (kTableSpan - 1)) + 1;
                continue;
            }
            if (*e.value()) f(va, *e.value());
            va += 4096;
        }
    }

    SpinLock m_lock;  // guards the region list and the lower half of the table
    arch::PageTable m_table;
    IntrusiveList<Vma, &Vma::node> m_vmas;  // sorted by start, disjoint
    size_t m_resident = 0;
    std::atomic<int> m_users{1};
};

}  // namespace rt
