// The boot hart's path from OpenSBI to the first coroutine, and every other hart's.
#include "arch/riscv/csr.hpp"
#include "arch/riscv/plic.hpp"
#include "arch/riscv/sbi.hpp"
#include "arch/riscv/timer.hpp"
#include "arch/riscv/trap.hpp"
#include "boot_info.hpp"
#include "drivers/rtc.hpp"
#include "drivers/test_device.hpp"
#include "drivers/uart.hpp"
#include "kernel/fs/root_fs.hpp"
#include "kernel/fs/console_file.hpp"
#include "kernel/console.hpp"
#include "kernel/mm/address.hpp"
#include "kernel/mm/frames.hpp"
#include "kernel/mm/kernel_map.hpp"
#include "kernel/panic.hpp"
#include "kernel/proc/vdso.hpp"
#include "kernel/random.hpp"
#include "kernel/sched/interrupts.hpp"
#include "kernel/sched/kthread.hpp"
#include "start.hpp"

extern "C" char boot_stack_top[], secondary_entry[];
extern "C" void (*__init_array_start[])(), (*__init_array_end[])();

namespace rt {
namespace {

void run_global_constructors() {
    for (auto* f = __init_array_start; f != __init_array_end; ++f) (*f)();
}

void set_tp(Hart& h) { asm volatile("mv tp, %0" ::"r"(&h)); }

void hart_common_init(Hart& h) {
    arch::install_trap_vector();
    RT_CSR_SET(sstatus, arch::kSstatusFSInitial);  // the kernel is built for rv64gc
    RT_CSR_WRITE(scounteren, 2);                   // user mode may read the time CSR (the vDSO)
    interrupts_init_hart();
    h.online.store(true, std::memory_order_release);
}

void start_secondary_harts() {
    uint64_t entry_pa = virt_to_phys(secondary_entry);
    for (size_t i = 1; i < g_boot_info.hart_count; ++i) {
        Hart& h = g_harts[i];
        auto stack = alloc_pages(2);
        if (stack.is_error()) panic("no memory for hart stacks");
        h.boot_sp = reinterpret_cast<uintptr_t>(stack.value()) + KSTACK_SIZE;
        auto r = sbi::hart_start(h.hartid, entry_pa, reinterpret_cast<uintptr_t>(&h));
        if (r.error) kprint("riptide: hart {} did not start (SBI error {})\n", h.hartid, r.error);
    }
    for (size_t i = 1; i < g_boot_info.hart_count; ++i) {
        uint64_t deadline = arch::now_ns() + 1'000'000'000;
        while (!g_harts[i].online.load(std::memory_order_acquire) && arch::now_ns() < deadline) {
        }
        if (!g_harts[i].online.load()) panic("a secondary hart did not come up");
    }
}

}  // namespace

extern "C" [[noreturn]] void boot_main(unsigned long hartid, unsigned long dtb_pa) {
    Hart& h = g_harts[0];
    h.hartid = static_cast<uint32_t>(hartid);
    set_tp(h);
    arch::install_trap_vector();
    run_global_constructors();

    BootInfo& info = g_boot_info;
    info.dtb_pa = dtb_pa;
    const char* err = parse_device_tree(phys_to_virt(dtb_pa), static_cast<uint32_t>(hartid), info);
    if (info.uart.base) uart::init(reinterpret_cast<uintptr_t>(phys_to_virt(info.uart.base)), info.uart_reg_shift);
    if (info.test_device.base) test_device::init(reinterpret_cast<uintptr_t>(phys_to_virt(info.test_device.base)));
    if (err) panic(err);

    g_hart_count = info.hart_count;
    for (size_t i = 0; i < info.hart_count; ++i) {
        g_harts[i].index = static_cast<uint32_t>(i);
        g_harts[i].hartid = info.hart_ids[i];
    }
    random_init(info.rng_seed, info.rng_seed_size);
    frames_init(info);
    kernel_map_init(info);
    arch::timer_init(info.timebase_hz, info.has_sstc);
    {
        uint64_t wall = rtc::read_ns(info.rtc.base ? reinterpret_cast<uintptr_t>(phys_to_virt(info.rtc.base)) : 0);
        uint64_t mono = arch::now_ns();
        vdso_init(info.timebase_hz, wall > mono ? wall - mono : 0);
    }
    arch::plic_init(reinterpret_cast<uintptr_t>(phys_to_virt(info.plic.base)));

    kprint("\nRiptide {} | {} hart{} | {} MiB RAM at {:#x} | timebase {} Hz{} | {} free frames\n",
           RIPTIDE_BUILD, info.hart_count, info.hart_count == 1 ? "" : "s", info.memory.size >> 20,
           info.memory.base, info.timebase_hz, info.has_sstc ? ", sstc" : "", g_frames.free_frames());

    kthreads_init(h, reinterpret_cast<uintptr_t>(boot_stack_top) - BOOT_STACK_SIZE,
                  reinterpret_cast<uintptr_t>(boot_stack_top));
    hart_common_init(h);
    register_irq(info.uart.irq, [](uint32_t) {
        uart::handle_interrupt();
        console_receive();
    });
    uart::set_rx_interrupt(true);
    if (auto r = vfs_init(); r.is_error()) kprint("riptide: the initramfs is malformed (errno {})\n", int(r.error().code));
    start_secondary_harts();
    start_first_task(info.bootargs);
    kthread_run();
}

extern "C" [[noreturn]] void secondary_main(Hart* hp) {
    Hart& h = *hp;
    kernel_map_activate();
    kthreads_init(h, h.boot_sp - KSTACK_SIZE, h.boot_sp);
    hart_common_init(h);
    kthread_run();
}

}  // namespace rt
