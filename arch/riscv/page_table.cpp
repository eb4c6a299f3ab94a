#include "page_table.hpp"

#include "csr.hpp"
#include "kernel/mm/address.hpp"
#include "kernel/mm/frames.hpp"

namespace rt::arch {
namespace {

constexpr int kLevels = 3;
uint64_t level_size(int level) { return 4096ull << (9 * level); }
size_t index_at(uint64_t va, int level) { return (va >> (12 + 9 * level)) & 511; }
uint64_t pte_pa(Pte p) { return pte_to_pa(p); }
Pte make_pte(uint64_t pa, uint64_t flags) { return pa_to_pte(pa, flags); }
bool is_leaf(Pte p) { return p & (kPteR | kPteW | kPteX); }
Pte* table_at(uint64_t pa) { return phys_to_virt<Pte>(pa); }

void free_tree(uint64_t table_pa, int level, int entries) {
    Pte* t = table_at(table_pa);
    for (int i = 0; i < entries && level > 0; ++i)
        if ((t[i] & kPteV) && !is_leaf(t[i])) free_tree(pte_pa(t[i]), level - 1, 512);
    g_frames.free(table_pa, 0);
}

}  // namespace

ErrorOr<PageTable> PageTable::create() {
    void* root = TRY(alloc_pages(0));
    return PageTable(virt_to_phys(root));
}

ErrorOr<PageTable> PageTable::create_user(const PageTable& kernel) {
    PageTable t = TRY(create());
    const Pte* from = table_at(kernel.m_root);
    Pte* to = table_at(t.m_root);
    for (int i = 256; i < 512; ++i) to[i] = from[i];
    return t;
}

ErrorOr<Pte*> PageTable::leaf(uint64_t va, bool create) {
    if (!is_canonical(va)) return Error(Errno::FAULT);
    return walk(va, 0, create);
}

ErrorOr<Pte*> PageTable::walk(uint64_t va, int leaf_level, bool create) {
    Pte* table = table_at(m_root);
    for (int level = kLevels - 1; level > leaf_level; --level) {
        Pte& e = table[index_at(va, level)];
        if (!(e & kPteV)) {
            if (!create) return Error(Errno::FAULT);
            void* next = TRY(alloc_pages(0));
            e = make_pte(virt_to_phys(next), kPteV);
        } else if (is_leaf(e)) {
            return Error(create ? Errno::EXIST : Errno::FAULT);
        }
        table = table_at(pte_pa(e));
    }
    return &table[index_at(va, leaf_level)];
}

ErrorOr<void> PageTable::map(uint64_t va, uint64_t pa, uint64_t size, uint64_t flags) {
    if ((va | pa | size) & 4095 || !is_canonical(va) || !is_canonical(va + size - 1) || va + size < va)
        return Error(Errno::INVAL);
    flags |= kPteV | kPteA | kPteD;
    while (size) {
        int level = kLevels - 1;
        while (level > 0 && (((va | pa) & (level_size(level) - 1)) || size < level_size(level))) --level;
        Pte* e = TRY(walk(va, level, true));
        if (*e & kPteV) return Error(Errno::EXIST);
        *e = make_pte(pa, flags);
        va += level_size(level);
        pa += level_size(level);
        size -= level_size(level);
    }
    return {};
}

size_t PageTable::unmap(uint64_t va, uint64_t size) {
    size_t n = 0;
    for (uint64_t end = va + size; va < end; va += 4096) {
        auto e = walk(va, 0, false);
        if (!e.is_error() && (*e.value() & kPteV)) {
            *e.value() = 0;
            ++n;
        }
    }
    if (n) sfence_vma();
    return n;
}

ErrorOr<Translation> PageTable::translate(uint64_t va) const {
    if (!is_canonical(va)) return Error(Errno::FAULT);
    const Pte* table = table_at(m_root);
    for (int level = kLevels - 1; level >= 0; --level) {
        Pte e = table[index_at(va, level)];
        if (!(e & kPteV)) return Error(Errno::FAULT);
        if (is_leaf(e)) {
            uint64_t offset = va & (level_size(level) - 1);
            return Translation{pte_pa(e) + offset, e & 0x3ff};
        }
        table = table_at(pte_pa(e));
    }
    return Error(Errno::FAULT);
}

void PageTable::destroy() {
    if (m_root) free_tree(m_root, kLevels - 1, 256);
    m_root = 0;
}

void PageTable::activate() const {
    RT_CSR_WRITE(satp, satp());
    sfence_vma();
}

}  // namespace rt::arch
