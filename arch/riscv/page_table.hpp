#pragma once
// Sv39 page tables: three levels of 512 entries; leaves at any level (4 KiB, 2 MiB, 1 GiB).
#include <cstddef>
#include <cstdint>

#include "kernel/lib/error_or.hpp"
#include "layout.h"

namespace rt::arch {

using Pte = uint64_t;

enum PteFlags : uint64_t {
    kPteV = PTE_V, kPteR = PTE_R, kPteW = PTE_W, kPteX = PTE_X,
    kPteU = PTE_U, kPteG = PTE_G, kPteA = PTE_A, kPteD = PTE_D,
};

struct Translation {
    uint64_t pa;
    uint64_t flags;
};

class PageTable {
public:
    // A new table with an empty root; ENOMEM if no frame.
    static ErrorOr<PageTable> create();
    // A new table for a user address space: the upper half of its root is `kernel`'s (shared,
    // never freed with it), the lower half empty.
    static ErrorOr<PageTable> create_user(const PageTable& kernel);
    PageTable() = default;

    // Maps [va, va+size) to [pa, pa+size) with `flags` (V, A and D are added), using the
    // largest pages alignment allows. EINVAL for unaligned arguments or non-canonical va,
    // EEXIST if a page is already mapped, ENOMEM if a table frame cannot be had.
    ErrorOr<void> map(uint64_t va, uint64_t pa, uint64_t size, uint64_t flags);
    // Removes the 4 KiB mappings in [va, va+size); returns how many were mapped.
    size_t unmap(uint64_t va, uint64_t size);
    ErrorOr<Translation> translate(uint64_t va) const;
    // The 4 KiB leaf entry for va, creating the tables above it if `create`; EFAULT if absent
    // (or mapped by a larger page), ENOMEM if a table frame cannot be had.
    ErrorOr<Pte*> leaf(uint64_t va, bool create);
    // Frees the table frames of the lower half (not what they map); the upper half of a root
    // is the kernel's.
    void destroy();

    uint64_t root_pa() const { return m_root; }
    uint64_t satp() const { return SATP_MODE_SV39 | (m_root >> 12); }
    void activate() const;

private:
    explicit PageTable(uint64_t root) : m_root(root) {}
    ErrorOr<Pte*> walk(uint64_t va, int leaf_level, bool create);
    uint64_t m_root = 0;
};

inline uint64_t pte_to_pa(Pte p) { return (p >> 10) << 12; }
inline Pte pa_to_pte(uint64_t pa, uint64_t flags) { return ((pa >> 12) << 10) | flags; }

inline constexpr bool is_canonical(uint64_t va) {
    uint64_t top = va >> 38;
    return top == 0 || top == (~0ull >> 38);
}

}  // namespace rt::arch
