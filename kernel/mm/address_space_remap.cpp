// mremap: resizing and moving regions. Pages move by their page-table entries, so data is never
// copied and a private page shared copy-on-write stays so; a shared region keeps its object.
#include <new>

#include "address.hpp"
#include "address_space.hpp"
#include "memory_object.hpp"

namespace rt {

using namespace arch;

namespace {
// Whether b continues a in the way Linux would have merged them into one region (Riptide keeps
// regions split after mprotect or adjacent mmaps; mremap must not see a seam Linux wouldn't).
bool continues(const Vma& a, const Vma& b) {
    if (a.end != b.start || a.prot != b.prot || a.kernel_pages || b.kernel_pages || a.object != b.object ||
        a.private_object != b.private_object)
        return false;
    return !a.object || a.object_page + (a.end - a.start) / kPageSize == b.object_page;
}
}  // namespace

ErrorOr<uint64_t> AddressSpace::remap(uint64_t addr, uint64_t old_len, uint64_t new_len, uint32_t flags,
                                      uint64_t new_addr) {
    if (flags & ~(kRemapMayMove | kRemapFixed | kRemapDontUnmap)) return Error(Errno::INVAL);
    if ((flags & kRemapFixed) && !(flags & kRemapMayMove)) return Error(Errno::INVAL);
    // MREMAP_DONTUNMAP is always a move, never a resize.
    if ((flags & kRemapDontUnmap) && (!(flags & kRemapMayMove) || old_len != new_len)) return Error(Errno::INVAL);
    if (addr & (kPageSize - 1)) return Error(Errno::INVAL);
    // Lengths past the user half cannot be mapped; rounding them up must not wrap to zero.
    if (old_len > kUserTop) return Error(Errno::FAULT);
    if (new_len == 0 || new_len > ~0ull - kPageSize + 1) return Error(Errno::INVAL);  // rounds up to 0
    if (new_len > kUserTop) return Error((flags & kRemapFixed) ? Errno::INVAL : Errno::NOMEM);
    old_len = page_round_up(old_len);
    new_len = page_round_up(new_len);

    SpinLockGuard g(m_lock);
    Vma* v = find(addr);
    if (!v) return Error(Errno::FAULT);
    if (flags & (kRemapFixed | kRemapDontUnmap)) return remap_to(v, addr, old_len, new_len, flags, new_addr);

    // Shrinking (or keeping the size) always works: it unmaps the tail, holes and all.
    if (old_len >= new_len) {
        if (addr + old_len > kUserTop) return Error(Errno::INVAL);
        if (old_len > new_len) TRY(remove_locked(addr + new_len, addr + old_len));
        return addr;
    }
    // A zero old length asks for a second mapping of the same pages: only a shared region has
    // pages to map twice.
    if (old_len == 0) {
        if (!v->object) return Error(Errno::INVAL);
        if (!(flags & kRemapMayMove)) return Error(Errno::NOMEM);
        uint64_t dest = TRY(find_gap_locked(0, new_len));
        return duplicate(*v, addr, new_len, dest);
    }
    v = TRY(isolate(addr, addr + old_len));
    // Growing in place when the space after is free.
    Vma* next = m_vmas.next_of(*v);
    if (addr + new_len <= kUserTop && (!next || next->start >= addr + new_len)) {
        v->end = addr + new_len;
        return addr;
    }
    if (!(flags & kRemapMayMove)) return Error(Errno::NOMEM);
    uint64_t dest = TRY(find_gap_locked(0, new_len));
    return move(v, dest, new_len, false);
}

// MREMAP_FIXED (to new_addr, replacing what is there) and MREMAP_DONTUNMAP (new_addr a hint).
ErrorOr<uint64_t> AddressSpace::remap_to(Vma* v, uint64_t addr, uint64_t old_len, uint64_t new_len,
                                         uint32_t flags, uint64_t new_addr) {
    bool fixed = flags & kRemapFixed;
    if (new_addr & (kPageSize - 1)) return Error(Errno::INVAL);
    if (new_addr > kUserTop - new_len) return Error(Errno::INVAL);
    // The old and new ranges may not overlap.
    if (addr + old_len > new_addr && new_addr + new_len > addr) return Error(Errno::INVAL);
    if (fixed && new_addr < kUserBottom) return Error(Errno::PERM);  // as Linux's mmap_min_addr
    if (addr + old_len > kUserTop) return Error(Errno::INVAL);
    uint64_t keep = old_len < new_len ? old_len : new_len;  // what moves; a longer tail is unmapped
    if (keep == 0 && !v->object) return Error(Errno::INVAL);
    if (keep) v = TRY(isolate(addr, addr + keep));
    // From here on the old range is known good: make room (the target and the surplus tail
    // never overlap what moves).
    if (fixed) TRY(remove_locked(new_addr, new_addr + new_len));
    if (old_len > new_len) TRY(remove_locked(addr + new_len, addr + old_len));
    uint64_t dest = fixed ? new_addr : TRY(find_gap_locked(new_addr, new_len));
    if (keep == 0) return duplicate(*v, addr, new_len, dest);
    return move(v, dest, new_len, flags & kRemapDontUnmap);
}

// Makes [start, end) exactly one region, merging what Linux would have had as one; EFAULT if
// it is not covered so (a hole, a seam Linux keeps, the vDSO). m_lock held.
ErrorOr<Vma*> AddressSpace::isolate(uint64_t start, uint64_t end) {
    Vma* first = find(start);
    if (!first || first->kernel_pages) return Error(Errno::FAULT);
    for (Vma* v = first; v->end < end;) {
        Vma* next = m_vmas.next_of(*v);
        if (!next || !continues(*v, *next)) return Error(Errno::FAULT);
        v = next;
    }
    // Splitting and merging change nothing a process can see, so an ENOMEM halfway is harmless.
    TRY(split_at(start));
    TRY(split_at(end));
    Vma* v = find(start);
    while (v->end < end) {
        Vma* next = m_vmas.next_of(*v);
        v->end = next->end;
        m_vmas.remove(*next);
        destroy(next);  // the same object (if any): v holds its own reference
    }
    return v;
}

// Moves region v (its pages by their entries) to [dest, dest+new_len), which is free; new_len
// is at least v's length. With keep_old (MREMAP_DONTUNMAP) v stays, empty: a private region
// reads zeros from then on, a shared one its object's pages again. m_lock held.
ErrorOr<uint64_t> AddressSpace::move(Vma* v, uint64_t dest, uint64_t new_len, bool keep_old) {
    uint64_t start = v->start, end = v->end;
    // Everything that can fail comes first, while nothing has moved: the table pages at the
    // destination and the descriptor.
    bool failed = false;
    for_each_entry(start, end, [&](uint64_t va, Pte&) {
        failed = failed || m_table.leaf(dest + (va - start), true).is_error();
    });
    if (failed) return Error(Errno::NOMEM);
    Vma* moved = v;
    if (keep_old) {
        moved = tail_of(*v, start);
        if (!moved) return Error(Errno::NOMEM);
    } else {
        m_vmas.remove(*v);
    }
    for_each_entry(start, end, [&](uint64_t va, Pte& e) {
        Pte* to = m_table.leaf(dest + (va - start), false).value();
        *to = e;  // the frame's use moves with its entry
        e = 0;
    });
    flush_tlb();  // no hart may still reach a page through its old address
    moved->start = dest;
    moved->end = dest + new_len;
    (void)insert(moved);  // the destination was free
    return dest;
}

// A second region at dest mapping the same object pages as v does from addr on. m_lock held.
ErrorOr<uint64_t> AddressSpace::duplicate(const Vma& v, uint64_t addr, uint64_t new_len, uint64_t dest) {
    Vma* copy = tail_of(v, addr);
    if (!copy) return Error(Errno::NOMEM);
    copy->start = dest;
    copy->end = dest + new_len;
    (void)insert(copy);
    return dest;
}

}  // namespace rt
