#include "address_space.hpp"

#include <cstring>
#include <new>

#include "address.hpp"
#include "arch/riscv/csr.hpp"
#include "frames.hpp"
#include "kernel_map.hpp"
#include "memory_object.hpp"
#include "user_access.hpp"

namespace rt {

using namespace arch;

namespace {
// A user page's PTE bits for a region's protection. Sv39 has no "valid but no access" leaf
// (V without R/W/X points to a table), so a PROT_NONE page is parked: V clear, the frame's
// address kept in the entry (hardware ignores the rest of an invalid entry). A user page's
// entry is therefore "present" when nonzero.
// A software bit (RSW) in the PTE: the page is shared copy-on-write and mapped without W.
constexpr uint64_t kPteCow = 1ull << 8;

uint64_t pte_flags_for(uint32_t prot) {
    if (!(prot & (kProtRead | kProtWrite | kProtExec))) return 0;
    uint64_t flags = kPteU | kPteA | kPteD | kPteV;
    if (prot & kProtRead) flags |= kPteR;
    if (prot & kProtWrite) flags |= kPteR | kPteW;
    if (prot & kProtExec) flags |= kPteX;
    return flags;
}

// New flags for an existing entry: a copy-on-write page stays without W until it is copied.
Pte reprotect(Pte old, uint32_t prot) {
    uint64_t flags = pte_flags_for(prot);
    if (old & kPteCow) flags = (flags & ~kPteW) | kPteCow;
    return pa_to_pte(pte_to_pa(old), flags);
}
}  // namespace

ErrorOr<AddressSpace*> AddressSpace::create() {
    PageTable t = TRY(PageTable::create_user(g_kernel_table));
    auto* as = new (std::nothrow) AddressSpace(t);
    if (!as) {
        t.destroy();
        return Error(Errno::NOMEM);
    }
    return as;
}

AddressSpace::~AddressSpace() {
    retire_space(m_table.satp());
    while (Vma* v = m_vmas.pop_front()) {
        if (!v->kernel_pages) free_pages_in(v->start, v->end);
        destroy(v);
    }
    m_table.destroy();
}

ErrorOr<AddressSpace::Location> AddressSpace::locate(uint64_t addr) {
    SpinLockGuard g(m_lock);
    Vma* v = find(addr);
    if (!v) return Error(Errno::FAULT);
    if (!v->object || v->private_object) return Location{nullptr, 0};
    return Location{v->object, v->object_page * kPageSize + (addr - v->start)};
}

Vma* AddressSpace::find(uint64_t addr) {
    for (Vma* v = m_vmas.front(); v; v = m_vmas.next_of(*v))
        if (addr >= v->start && addr < v->end) return v;
    return nullptr;
}

ErrorOr<void> AddressSpace::add_region(uint64_t start, uint64_t len, uint32_t prot, MemoryObject* object,
                                       uint64_t object_page, bool private_object) {
    if ((start | len) & (kPageSize - 1) || len == 0 || start < kUserBottom || start + len > kUserTop ||
        start + len < start)
        return Error(Errno::INVAL);
    auto* vma = new (std::nothrow) Vma{{}, start, start + len, prot, false, object, object_page, private_object};
    if (!vma) return Error(Errno::NOMEM);
    if (object) object->ref();
    SpinLockGuard g(m_lock);
    if (auto r = insert(vma); r.is_error()) {
        destroy(vma);
        return r;
    }
    return {};
}

ErrorOr<void> AddressSpace::insert(Vma* vma) {
    Vma* pos = m_vmas.front();
    while (pos && pos->start < vma->start) pos = m_vmas.next_of(*pos);
    Vma* before = pos ? m_vmas.prev_of(*pos) : m_vmas.back();
    if ((pos && pos->start < vma->end) || (before && before->end > vma->start)) return Error(Errno::INVAL);
    if (pos) m_vmas.insert_before(*pos, *vma);
    else m_vmas.push_back(*vma);
    return {};
}

Vma* AddressSpace::tail_of(const Vma& v, uint64_t at) {
    uint64_t page = v.object_page + (at - v.start) / kPageSize;
    auto* tail = new (std::nothrow) Vma{{}, at, v.end, v.prot, v.kernel_pages, v.object, page, v.private_object};
    if (tail && tail->object) tail->object->ref();
    return tail;
}

void AddressSpace::destroy(Vma* v) {
    if (v->object) v->object->unref();
    delete v;
}

void AddressSpace::flush_tlb() {
    sfence_vma();
    shootdown_space(m_table.satp());
}

void AddressSpace::free_pages_in(uint64_t start, uint64_t end) {
    // Frames are freed only after no hart can still reach them through a stale TLB entry.
    uint64_t batch[64];
    size_t n = 0;
    auto flush = [&] {
        flush_tlb();
        for (size_t i = 0; i < n; ++i) release_frame(batch[i]);
        n = 0;
    };
    for_each_entry(start, end, [&](uint64_t, Pte& e) {
        batch[n++] = pte_to_pa(e);
        e = 0;
        --m_resident;
        if (n == sizeof batch / sizeof batch[0]) flush();
    });
    flush();
}

ErrorOr<void> AddressSpace::remove_range(uint64_t start, uint64_t len) {
    if ((start & (kPageSize - 1)) || len == 0 || start + len < start || start + len > kUserTop)
        return Error(Errno::INVAL);
    uint64_t end = start + page_round_up(len);
    SpinLockGuard g(m_lock);
    return remove_locked(start, end);
}

// Frames go first (free_pages_in shoots the TLB down), the regions' references to their
// objects after.
ErrorOr<void> AddressSpace::remove_locked(uint64_t start, uint64_t end) {
    for (Vma* v = m_vmas.front(); v;) {
        Vma* next = m_vmas.next_of(*v);
        if (v->end > start && v->start < end) {
            uint64_t lo = v->start > start ? v->start : start, hi = v->end < end ? v->end : end;
            if (v->kernel_pages) {
                // Unmapping the vDSO is allowed (Linux allows it); its frames are not ours.
                for_each_entry(lo, hi, [](uint64_t, Pte& e) { e = 0; });
                flush_tlb();
            } else {
                free_pages_in(lo, hi);
            }
            if (lo == v->start && hi == v->end) {
                m_vmas.remove(*v);
                destroy(v);
            } else if (lo == v->start) {
                v->object_page += (hi - v->start) / kPageSize;
                v->start = hi;
            } else if (hi == v->end) {
                v->end = lo;
            } else {  // a hole in the middle: split
                Vma* tail = tail_of(*v, hi);
                if (!tail) return Error(Errno::NOMEM);
                v->end = lo;
                if (next) m_vmas.insert_before(*next, *tail);
                else m_vmas.push_back(*tail);
            }
        }
        v = next;
    }
    return {};
}

ErrorOr<AddressSpace*> AddressSpace::clone_for_fork() {
    AddressSpace* child = TRY(create());
    SpinLockGuard g(m_lock);
    for (Vma* v = m_vmas.front(); v; v = m_vmas.next_of(*v)) {
        Vma* copy = tail_of(*v, v->start);  // a shared region's copy shares its object
        if (!copy) {
            delete child;  // what was shared so far is released with it
            return Error(Errno::NOMEM);
        }
        child->m_vmas.push_back(*copy);
        bool failed = false;
        for_each_entry(v->start, v->end, [&](uint64_t va, Pte& pte) {
            if (failed) return;
            auto ce = child->m_table.leaf(va, true);
            if (ce.is_error()) {
                failed = true;
                return;
            }
            if (v->kernel_pages) {
                *ce.value() = pte;  // the same kernel frames, read-only for everyone
                return;
            }
            // A private page is marked copy-on-write, writable or not (an mprotect may allow
            // writes later), and the parent loses W too. A shared page stays as it is.
            if (!v->object || v->private_object) pte = (pte & ~kPteW) | kPteCow;
            *ce.value() = pte;
            share_frame(pte_to_pa(pte));
            ++child->m_resident;
        });
        if (failed) {
            delete child;  // what was shared so far is released with it
            flush_tlb();   // some parent pages lost W
            return Error(Errno::NOMEM);
        }
    }
    flush_tlb();  // the parent's pages just lost write access
    return child;
}

ErrorOr<void> AddressSpace::break_cow(Pte* e, const Vma& v) {
    uint64_t pa = pte_to_pa(*e);
    FrameDesc* d = g_frames.desc(pa);
    if (__atomic_load_n(&d->shares, __ATOMIC_ACQUIRE) == 0) {
        *e = pa_to_pte(pa, pte_flags_for(v.prot));  // the last user: take it over
    } else {
        void* copy = TRY(alloc_pages(0));
        memcpy(copy, phys_to_virt(pa), kPageSize);
        *e = pa_to_pte(virt_to_phys(copy), pte_flags_for(v.prot));
        flush_tlb();
        release_frame(pa);
        return {};
    }
    flush_tlb();
    return {};
}

ErrorOr<void> AddressSpace::map_kernel_pages(uint64_t va, uint64_t pa, uint64_t len, uint32_t prot) {
    TRY(add_region(va, len, prot));
    SpinLockGuard g(m_lock);
    Vma* v = find(va);
    v->kernel_pages = true;
    for (uint64_t off = 0; off < len; off += kPageSize) {
        Pte* e = TRY(m_table.leaf(va + off, true));
        *e = pa_to_pte(pa + off, pte_flags_for(prot));
    }
    return {};
}

ErrorOr<void> AddressSpace::split_at(uint64_t at) {
    Vma* v = find(at);
    if (!v || v->start == at) return {};
    Vma* tail = tail_of(*v, at);
    if (!tail) return Error(Errno::NOMEM);
    v->end = at;
    if (Vma* next = m_vmas.next_of(*v)) m_vmas.insert_before(*next, *tail);
    else m_vmas.push_back(*tail);
    return {};
}

bool AddressSpace::mapped(uint64_t start, uint64_t len) {
    SpinLockGuard g(m_lock);
    return covered(start, start + len);
}

// Whether [start, end) is covered by regions without a hole; m_lock held.
bool AddressSpace::covered(uint64_t start, uint64_t end) {
    uint64_t at = start;
    for (Vma* v = m_vmas.front(); v && at < end; v = m_vmas.next_of(*v))
        if (v->start <= at && v->end > at) at = v->end;
    return at >= end;
}

ErrorOr<void> AddressSpace::discard(uint64_t start, uint64_t len, bool lazy) {
    if ((start & (kPageSize - 1)) || start + len < start || start + len > kUserTop) return Error(Errno::INVAL);
    uint64_t end = start + page_round_up(len);
    if (end == start) return {};
    SpinLockGuard g(m_lock);
    if (!covered(start, end)) return Error(Errno::NOMEM);
    for (Vma* v = m_vmas.front(); v; v = m_vmas.next_of(*v))
        if ((v->kernel_pages || (lazy && v->object)) && v->start < end && v->end > start)
            return Error(Errno::INVAL);
    free_pages_in(start, end);  // a shared page's data stays in its object
    return {};
}

ErrorOr<void> AddressSpace::protect(uint64_t start, uint64_t len, uint32_t prot) {
    if ((start & (kPageSize - 1)) || start + len < start || start + len > kUserTop) return Error(Errno::INVAL);
    uint64_t end = start + page_round_up(len);
    if (end == start) return {};
    SpinLockGuard g(m_lock);
    if (!covered(start, end)) return Error(Errno::NOMEM);
    // The kernel's own pages (the vDSO) are never writable by a process.
    if (prot & kProtWrite)
        for (Vma* v = m_vmas.front(); v; v = m_vmas.next_of(*v))
            if (v->kernel_pages && v->start < end && v->end > start) return Error(Errno::ACCES);
    TRY(split_at(start));
    TRY(split_at(end));
    for (Vma* v = m_vmas.front(); v; v = m_vmas.next_of(*v)) {
        if (v->start < start || v->end > end) continue;
        v->prot = prot;
        for_each_entry(v->start, v->end, [&](uint64_t, Pte& e) { e = reprotect(e, prot); });
    }
    flush_tlb();
    return {};
}

ErrorOr<uint64_t> AddressSpace::find_gap(uint64_t hint, uint64_t len) {
    SpinLockGuard g(m_lock);
    return find_gap_locked(hint, len);
}

ErrorOr<uint64_t> AddressSpace::find_gap_locked(uint64_t hint, uint64_t len) {
    len = page_round_up(len);
    if (len == 0 || len > kUserTop - kUserBottom) return Error(Errno::NOMEM);
    auto fits = [&](uint64_t at) {
        if (at < kUserBottom || at + len > kUserTop) return false;
        for (Vma* v = m_vmas.front(); v; v = m_vmas.next_of(*v))
            if (v->start < at + len && v->end > at) return false;
        return true;
    };
    if (hint && hint < kUserTop && fits(page_round_up(hint))) return page_round_up(hint);
    // Top-down from 1 GiB below the top (the stack's side), like Linux's mmap layout: each gap
    // is [end of a region, start of the region above it or the limit).
    uint64_t limit = kUserTop - (1ull << 30);
    for (Vma* v = m_vmas.back(); v; v = m_vmas.prev_of(*v)) {
        if (v->end <= limit && limit - v->end >= len) return limit - len;
        if (v->start < limit) limit = v->start;
    }
    if (limit >= kUserBottom + len) return limit - len;
    return Error(Errno::NOMEM);
}

ErrorOr<void> AddressSpace::handle_fault(uint64_t addr, Access access) {
    if (addr >= kUserTop) return Error(Errno::FAULT);
    SpinLockGuard g(m_lock);
    Vma* v = find(addr);
    if (!v) return Error(Errno::FAULT);
    uint32_t need = access == Access::Write ? kProtWrite : access == Access::Execute ? kProtExec : kProtRead;
    if (!(v->prot & need)) return Error(Errno::ACCES);  // mapped, but not for this access
    Pte* e = TRY(map_page(*v, page_round_down(addr)));
    if (access == Access::Write && (*e & kPteCow)) TRY(break_cow(e, *v));
    return {};
}

ErrorOr<Pte*> AddressSpace::map_page(const Vma& v, uint64_t page) {
    Pte* e = TRY(m_table.leaf(page, true));
    if (*e & kPteV) return e;  // another thread mapped it meanwhile
    if (*e) {  // parked by PROT_NONE earlier: give it the region's protection again
        *e = reprotect(*e, v.prot);
        return e;
    }
    uint64_t pa = v.object ? TRY(v.object->map_page(v.object_page + (page - v.start) / kPageSize, !v.private_object))
                           : virt_to_phys(TRY(alloc_pages(0)));
    *e = pa_to_pte(pa, pte_flags_for(v.prot));
    if (v.private_object) *e = (*e & ~kPteW) | kPteCow;  // the file's page until first written
    ++m_resident;
    return e;
}

ErrorOr<void> AddressSpace::write(uint64_t addr, const void* src, uint64_t len) {
    auto* from = static_cast<const uint8_t*>(src);
    while (len) {
        uint64_t page = page_round_down(addr), off = addr - page;
        uint64_t n = kPageSize - off < len ? kPageSize - off : len;
        Pte* e;
        {
            // Whatever the region's own protection: the loader fills read-only text too.
            SpinLockGuard g(m_lock);
            Vma* v = find(addr);
            if (!v) return Error(Errno::FAULT);
            e = TRY(map_page(*v, page));
            if (*e & kPteCow) TRY(break_cow(e, *v));  // never into a file's or a parent's page
        }
        memcpy(phys_to_virt<uint8_t>(pte_to_pa(*e)) + off, from, n);
        addr += n;
        from += n;
        len -= n;
    }
    return {};
}

}  // namespace rt
