#include "panic.hpp"

#include <atomic>

#include "arch/riscv/csr.hpp"
#include "arch/riscv/trap.hpp"
#include "console.hpp"
#include "drivers/test_device.hpp"
#include "drivers/uart.hpp"
#include "kernel/sched/hart.hpp"

namespace rt {
namespace {

std::atomic<uint32_t> g_panicking{0};

// Direct UART output: the console lock may be held by whoever panicked.
template <typename... Args>
void raw(fmt::format_string<Args...> f, Args&&... args) {
    char buf[256];
    size_t n = format_to(buf, sizeof buf, f, static_cast<Args&&>(args)...);
    uart::write(buf, n);
}

bool on_stack(uintptr_t a, uintptr_t base, uintptr_t top) { return a >= base && a + 16 <= top; }

// Walks frame records: with frame pointers, fp-8 holds the return address, fp-16 the caller's fp.
void backtrace(uintptr_t fp) {
    uintptr_t base = 0, top = ~uintptr_t{0};
    Hart& h = this_hart();
    if (h.current && h.current->stack_top) {
        base = h.current->stack_base;
        top = h.current->stack_top;
    }
    raw("backtrace:\n");
    for (int depth = 0; depth < 32 && fp && on_stack(fp - 16, base, top); ++depth) {
        auto* rec = reinterpret_cast<uintptr_t*>(fp);
        uintptr_t ra = rec[-1];
        if (!ra) break;
        raw("  #{} {:#018x}\n", depth, ra);
        fp = rec[-2];
    }
}

[[noreturn]] void die() {
    raw("riptide: kernel panic, powering off\n");
    test_device::power_off(false, 0x7e);
}

bool enter() {
    arch::irq_disable();
    return !g_panicking.exchange(1);
}

}  // namespace

void panic(const char* msg) {
    if (!enter()) for (;;) arch::wfi();  // another hart is already reporting
    raw("\nPANIC on hart {}: {}\n", this_hart().index, msg);
    backtrace(reinterpret_cast<uintptr_t>(__builtin_frame_address(0)));
    die();
}

void panic_trap(const char* msg, const arch::TrapFrame& f) {
    if (!enter()) for (;;) arch::wfi();
    raw("\nPANIC on hart {}: {}: {} (scause {:#x})\n", this_hart().index, msg,
        arch::cause_name(f.scause), f.scause);
    raw(" sepc {:#018x} stval {:#018x} sstatus {:#x}\n", f.sepc, f.stval, f.sstatus);
    static const char* const kNames[32] = {"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
        "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
        "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
    for (int i = 1; i < 32; i += 4) {
        raw(" {:>4} {:#018x} {:>4} {:#018x} {:>4} {:#018x}", kNames[i], f.regs[i],
            kNames[i + 1], f.regs[i + 1], kNames[i + 2], f.regs[i + 2]);
        if (i + 3 < 32) raw(" {:>4} {:#018x}", kNames[i + 3], f.regs[i + 3]);
        raw("\n");
    }
    raw("  #- {:#018x} (sepc)\n", f.sepc);
    backtrace(f.regs[8]);
    die();
}

}  // namespace rt
