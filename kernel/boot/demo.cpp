#include "demo.hpp"

#include <atomic>

#include "arch/riscv/timer.hpp"
#include "drivers/test_device.hpp"
#include "kernel/async/event.hpp"
#include "kernel/async/sleep.hpp"
#include "kernel/console.hpp"
#include "kernel/fs/initramfs.hpp"
#include "kernel/proc/exec.hpp"
#include "kernel/sched/kthread.hpp"

namespace rt {
namespace {

// Each hart's worker sleeps a little and reports where it ran.
Task<void> worker(size_t n, std::atomic<size_t>& left, Event& done) {
    co_await sleep_for(1'000'000 * (n + 1));
    kprint("  coroutine {} woke after {} ms on hart {}\n", n, n + 1, this_hart_index());
    if (left.fetch_sub(1) == 1) done.set();
}

}  // namespace

Task<void> run_demo() {
    kprint("Demo: one sleeping coroutine per hart, each woken by its hart's timer.\n");
    std::atomic<size_t> left{g_hart_count};
    Event done;
    for (size_t i = 0; i < g_hart_count; ++i)
        (void)spawn(worker(i, left, done), executor_on(i, Priority::Normal));
    co_await done.wait();
    kprint("Demo: {} coroutines on {} harts done.\n", g_hart_count, g_hart_count);
    if (auto file = initramfs_find("bin/glibc_hello"); !file.is_error()) {
        kprint("Demo: a static glibc program from the initramfs, run as a coroutine thread:\n");
        const char* argv[] = {"/bin/glibc_hello", nullptr};
        auto p = spawn_program(file.value().data, file.value().size, {argv[0], argv, argv + 1},
                               executor(Priority::Normal));
        if (!p.is_error()) {
            co_await p.value()->exited.wait();
            kprint("Demo: it exited with status {}.\n", p.value()->exit_status >> 8);
            release_process(p.value());
        }
    }
    kprint("Demo done. Powering off.\n");
    test_device::power_off(true);
}

}  // namespace rt
