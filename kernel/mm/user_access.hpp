#pragma once
// The only way the kernel touches user memory (DESIGN §4): checked ranges, typed pointers, and
// copies that turn a fault into a page-fault resolution and a retry, or into EFAULT.
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "address_space.hpp"

namespace rt {

// [addr, addr+len) lies in user space and does not wrap.
inline bool user_range_ok(uint64_t addr, uint64_t len) {
    return addr + len >= addr && addr + len <= kUserTop;
}

// Copies n bytes; EFAULT for a bad range or an address no region allows, ENOMEM if a page
// cannot be had. `space` must be the address space active on this hart (see activate_space).
ErrorOr<void> copy_from_user(AddressSpace& space, void* dst, uint64_t src, size_t n);
ErrorOr<void> copy_to_user(AddressSpace& space, uint64_t dst, const void* src, size_t n);
// Copies a NUL-terminated string of at most max-1 characters plus the NUL; returns its length.
// ENAMETOOLONG if it does not end within max bytes.
ErrorOr<size_t> copy_string_from_user(AddressSpace& space, char* dst, uint64_t src, size_t max);

// Atomically replaces the aligned 32-bit word at `addr` with `desired` if it holds `expected`;
// returns the value it held. EFAULT (or EINVAL if unaligned) as for the copies.
ErrorOr<uint32_t> cmpxchg_user_u32(AddressSpace& space, uint64_t addr, uint32_t expected, uint32_t desired);

// Makes `space` the hart's active address space (a satp write only if it changes: each one
// flushes QEMU's whole TLB).
void activate_space(AddressSpace& space);
// What a kernel thread notes of the hart's address space before higher-priority work runs,
// and puts back when it resumes (in the middle of a user copy, perhaps). If any space was
// retired meanwhile the noted one may be gone: the kernel's table is loaded instead, so a copy
// under way fails with EFAULT rather than reach freed memory.
struct SpaceNote {
    unsigned long satp;
    uint64_t retired;
};
SpaceNote note_space();
void restore_space(const SpaceNote& note);
// `satp` is about to be freed: no hart may keep it loaded. Harts holding it switch back to the
// kernel's table (others through an IPI, waited for).
void retire_space(unsigned long satp);
// Every other hart with `satp` loaded flushes its TLB (IPI, waited for): after a change that
// takes permissions away from a space whose threads run on several harts.
void shootdown_space(unsigned long satp);
// Honours retire_space and shootdown_space requests aimed at this hart: run by the IPI handler
// and by every spin-wait (platform::cpu_relax), so a hart waiting with interrupts off answers.
void answer_tlb_requests();

template <typename T>
class UserPtr {
    static_assert(std::is_trivially_copyable_v<T>);

public:
    explicit UserPtr(uint64_t addr) : m_addr(addr) {}
    uint64_t addr() const { return m_addr; }
    bool is_null() const { return m_addr == 0; }
    ErrorOr<void> read(AddressSpace& s, T& out) const { return copy_from_user(s, &out, m_addr, sizeof(T)); }
    ErrorOr<void> write(AddressSpace& s, const T& v) const { return copy_to_user(s, m_addr, &v, sizeof(T)); }

private:
    uint64_t m_addr;
};

}  // namespace rt
