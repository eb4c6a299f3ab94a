#include "interrupts.hpp"

#include "arch/riscv/csr.hpp"
#include "arch/riscv/plic.hpp"
#include "arch/riscv/sbi.hpp"
#include "arch/riscv/timer.hpp"
#include "hart.hpp"
#include "kernel/mm/user_access.hpp"

namespace rt {
namespace {
constexpr uint32_t kMaxIrq = 128;
IrqHandler g_handlers[kMaxIrq];
}  // namespace

void interrupts_init_hart() {
    Hart& h = this_hart();
    arch::timer_program(~0ull);
    if (int ctx = g_boot_info.plic_context[h.index]; ctx >= 0) arch::plic_set_threshold(ctx, 0);
    RT_CSR_SET(sie, arch::kSipSSIP | arch::kSipSTIP | arch::kSipSEIP);
}

void register_irq(uint32_t irq, IrqHandler handler) {
    if (irq == 0 || irq >= kMaxIrq) return;
    g_handlers[irq] = handler;
    if (int ctx = g_boot_info.plic_context[0]; ctx >= 0) arch::plic_enable(irq, ctx);
}

void on_timer_interrupt() {
    Hart& h = this_hart();
    ++h.timer_irqs;
    h.programmed_deadline = ~0ull;
    arch::timer_program(~0ull);
    h.timers.fire_expired(arch::now_ns());
    uint64_t next = h.timers.next_deadline();
    if (next != kNoDeadline) {
        uint64_t ticks = arch::ns_to_ticks(next);
        if (ticks < h.programmed_deadline) {
            h.programmed_deadline = ticks;
            arch::timer_program(ticks);
        }
    }
}

uint64_t time_slice_ticks() {
    static const uint64_t slice_ticks = arch::ns_to_ticks(10'000'000);  // hot path: no division
    return slice_ticks;
}

void arm_time_slice(uint64_t deadline_ticks) {
    Hart& h = this_hart();
    if (h.programmed_deadline > deadline_ticks) {
        h.programmed_deadline = deadline_ticks;
        arch::timer_program(deadline_ticks);
    }
}

void on_software_interrupt() {
    RT_CSR_CLEAR(sip, arch::kSipSSIP);
    ++this_hart().ipis;
    answer_tlb_requests();
}

void on_external_interrupt() {
    Hart& h = this_hart();
    int ctx = g_boot_info.plic_context[h.index];
    if (ctx < 0) return;
    ++h.external_irqs;
    while (uint32_t irq = arch::plic_claim(ctx)) {
        if (irq < kMaxIrq && g_handlers[irq]) g_handlers[irq](irq);
        arch::plic_complete(ctx, irq);
    }
}

void send_ipi(size_t index) { sbi::send_ipi(1ul << g_harts[index].hartid, 0); }

}  // namespace rt
