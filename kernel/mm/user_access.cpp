#include "user_access.hpp"

#include <atomic>

#include "address.hpp"
#include "arch/riscv/csr.hpp"
#include "arch/riscv/user_copy.hpp"
#include "kernel/mm/kernel_map.hpp"
#include "kernel/sched/hart.hpp"
#include "kernel/sched/interrupts.hpp"

namespace rt {
namespace {

// Runs `attempt` until it completes, resolving each fault it reports. A racing unmap can make
// the same page fault again; a bounded number of retries turns that into EFAULT.
template <typename F>
ErrorOr<unsigned long> with_fault_retry(AddressSpace& space, uint64_t len, Access access, F attempt) {
    uint64_t budget = len / kPageSize + 4;
    for (;;) {
        arch::UserAccess r = attempt();
        if (!r.faulted) return r.value;
        if (budget-- == 0) return Error(Errno::FAULT);
        auto fixed = space.handle_fault(r.value, access);
        if (fixed.is_error()) return Error(fixed.error().code == Errno::NOMEM ? Errno::NOMEM : Errno::FAULT);
    }
}

}  // namespace

void activate_space(AddressSpace& space) {
    Hart& h = this_hart();
    if (h.active_satp == space.satp()) return;
    h.active_satp = space.satp();
    space.activate();
}

namespace {
std::atomic<uint64_t> g_spaces_retired{0};
}

SpaceNote note_space() { return {this_hart().active_satp, g_spaces_retired.load(std::memory_order_acquire)}; }

void restore_space(const SpaceNote& note) {
    Hart& h = this_hart();
    unsigned long satp = g_spaces_retired.load(std::memory_order_acquire) == note.retired ? note.satp : 0;
    if (h.active_satp == satp) return;
    h.active_satp = satp;
    if (!satp) {
        g_kernel_table.activate();
        return;
    }
    RT_CSR_WRITE(satp, satp);
    arch::sfence_vma();
}

void retire_space(unsigned long satp) {
    g_spaces_retired.fetch_add(1, std::memory_order_acq_rel);
    Hart& self = this_hart();
    if (self.active_satp == satp) {
        g_kernel_table.activate();
        self.active_satp = 0;
    }
    for (size_t i = 0; i < g_hart_count; ++i) {
        Hart& h = g_harts[i];
        if (&h == &self || __atomic_load_n(&h.active_satp, __ATOMIC_ACQUIRE) != satp) continue;
        __atomic_store_n(&h.retire_satp, satp, __ATOMIC_RELEASE);
        send_ipi(i);
        while (__atomic_load_n(&h.active_satp, __ATOMIC_ACQUIRE) == satp) platform::cpu_relax();
    }
}

void shootdown_space(unsigned long satp) {
    Hart& self = this_hart();
    for (size_t i = 0; i < g_hart_count; ++i) {
        Hart& h = g_harts[i];
        if (&h == &self || __atomic_load_n(&h.active_satp, __ATOMIC_ACQUIRE) != satp) continue;
        unsigned long expected = 0;
        // One request at a time per hart: wait for an earlier one to be answered.
        while (!__atomic_compare_exchange_n(&h.flush_satp, &expected, satp, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            expected = 0;
            platform::cpu_relax();
        }
        send_ipi(i);
        while (__atomic_load_n(&h.flush_satp, __ATOMIC_ACQUIRE) != 0) platform::cpu_relax();
    }
}

void answer_tlb_requests() {
    Hart& h = this_hart();
    if (__atomic_load_n(&h.flush_satp, __ATOMIC_ACQUIRE)) {
        arch::sfence_vma();
        __atomic_store_n(&h.flush_satp, 0, __ATOMIC_RELEASE);
    }
    if (!__atomic_load_n(&h.retire_satp, __ATOMIC_ACQUIRE)) return;  // the common case: no AMO
    unsigned long satp = __atomic_exchange_n(&h.retire_satp, 0, __ATOMIC_ACQ_REL);
    if (satp && h.active_satp == satp) {
        g_kernel_table.activate();
        __atomic_store_n(&h.active_satp, 0, __ATOMIC_RELEASE);
    }
}

ErrorOr<void> copy_from_user(AddressSpace& space, void* dst, uint64_t src, size_t n) {
    if (!user_range_ok(src, n)) return Error(Errno::FAULT);
    if (n == 0) return {};
    activate_space(space);
    TRY(with_fault_retry(space, n, Access::Read,
                         [&] { return arch::user_copy(dst, reinterpret_cast<const void*>(src), n); }));
    return {};
}

ErrorOr<uint32_t> cmpxchg_user_u32(AddressSpace& space, uint64_t addr, uint32_t expected, uint32_t desired) {
    if (addr & 3) return Error(Errno::INVAL);
    if (!user_range_ok(addr, 4)) return Error(Errno::FAULT);
    activate_space(space);
    auto old = TRY(with_fault_retry(space, 4, Access::Write, [&] {
        return arch::user_cmpxchg32(reinterpret_cast<void*>(addr), expected, desired);
    }));
    return static_cast<uint32_t>(old);
}

ErrorOr<void> copy_to_user(AddressSpace& space, uint64_t dst, const void* src, size_t n) {
    if (!user_range_ok(dst, n)) return Error(Errno::FAULT);
    if (n == 0) return {};
    activate_space(space);
    TRY(with_fault_retry(space, n, Access::Write,
                         [&] { return arch::user_copy(reinterpret_cast<void*>(dst), src, n); }));
    return {};
}

ErrorOr<size_t> copy_string_from_user(AddressSpace& space, char* dst, uint64_t src, size_t max) {
    if (src >= kUserTop || max == 0) return Error(Errno::FAULT);
    uint64_t limit = kUserTop - src < max ? kUserTop - src : max;
    activate_space(space);
    size_t len = TRY(with_fault_retry(space, limit, Access::Read, [&] {
        return arch::user_strnlen(reinterpret_cast<const char*>(src), limit);
    }));
    if (len == limit) return Error(limit == max ? Errno::NAMETOOLONG : Errno::FAULT);
    TRY(copy_from_user(space, dst, src, len));
    dst[len] = 0;  // another thread may have changed the string meanwhile
    return len;
}

}  // namespace rt
