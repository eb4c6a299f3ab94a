// `make bench` for the async core. Every figure is the minimum over several rounds of many
// iterations, timed with the time CSR (10 MHz on QEMU virt), so short costs are averaged.
#include "bench.hpp"

#include <atomic>

#include "arch/riscv/csr.hpp"
#include "arch/riscv/timer.hpp"
#include "drivers/test_device.hpp"
#include "kernel/async/event.hpp"
#include "kernel/async/sleep.hpp"
#include "kernel/console.hpp"
#include "kernel/mm/address.hpp"
#include "kernel/fs/initramfs.hpp"
#include "kernel/mm/frames.hpp"
#include "kernel/mm/slab.hpp"
#include "kernel/proc/exec.hpp"
#include "kernel/proc/signal.hpp"
#include "kernel/sched/kthread.hpp"
#include "thread_switch.hpp"

namespace rt {
namespace {

constexpr int kRounds = 5;

// Nanoseconds per iteration of `body`, which runs `iters` iterations; minimum over rounds.
template <typename F>
Task<uint64_t> time_per_iter(uint64_t iters, F body) {
    uint64_t best = ~0ull;
    for (int r = 0; r < kRounds; ++r) {
        uint64_t start = arch::rdtime();
        co_await body(iters);
        uint64_t ns = arch::ticks_to_ns(arch::rdtime() - start);
        if (ns < best) best = ns;
    }
    co_return best / iters;
}

Task<int> child(int x) { co_return x + 1; }

Task<void> create_resume_complete(uint64_t n) {
    int acc = 0;
    for (uint64_t i = 0; i < n; ++i) acc = co_await child(acc);
    if (acc != int(n)) kprint("bench: wrong result\n");
}

Task<void> yielder(uint64_t n, std::atomic<int>& left, Event& done) {
    for (uint64_t i = 0; i < n; ++i) co_await yield();
    if (left.fetch_sub(1) == 1) done.set();
}

// Two coroutines yielding to each other on one executor: 2n switches.
Task<void> coroutine_ping_pong(uint64_t n) {
    std::atomic<int> left{2};
    Event done;
    Executor& ex = platform::current_executor();
    (void)spawn(yielder(n / 2, left, done), ex, Affinity::Pinned);
    (void)spawn(yielder(n / 2, left, done), ex, Affinity::Pinned);
    co_await done.wait();
}

Task<void> thread_ping_pong(uint64_t n) {
    thread_switch_ping_pong(n);
    co_return;
}

// Cross-hart wake: hart 0 sets an event a coroutine pinned to the last hart waits for; the
// latency is from set() to the waiter running. The waiter's hart is idle in wfi, so this
// includes the IPI.
struct WakeProbe {
    Event go, ready, back;
    std::atomic<uint64_t> woke_at{0};
};

Task<void> remote_waiter(WakeProbe& p) {
    p.ready.set();
    co_await p.go.wait();
    p.woke_at = arch::rdtime();
    p.back.set();
}

Task<uint64_t> cross_hart_wake_ns(size_t hart) {
    constexpr int kSamples = 31;
    uint64_t samples[kSamples];
    for (int i = 0; i < kSamples; ++i) {
        WakeProbe p;
        (void)spawn(remote_waiter(p), executor_on(hart, Priority::Normal), Affinity::Pinned);
        co_await p.ready.wait();
        co_await sleep_for(1'000'000);  // let the waiter block and its hart go idle
        uint64_t t0 = arch::rdtime();
        p.go.set();
        co_await p.back.wait();
        samples[i] = arch::ticks_to_ns(p.woke_at.load() - t0);
    }
    for (int i = 1; i < kSamples; ++i)
        for (int j = i; j > 0 && samples[j] < samples[j - 1]; --j) {
            uint64_t t = samples[j];
            samples[j] = samples[j - 1];
            samples[j - 1] = t;
        }
    co_return samples[kSamples / 2];
}

// A blocked coroutine as a system call would leave it: an outer task awaiting an inner one
// that waits on an event with a deadline.
Task<void> blocked_inner(Event& ev) { co_await ev.wait({.deadline_ns = kNoDeadline - 1}); }
Task<void> blocked_outer(Event& ev, std::atomic<int>& left) {
    co_await blocked_inner(ev);
    left.fetch_sub(1);
}

Task<uint64_t> blocked_coroutine_bytes() {
    constexpr int kCount = 2000;
    Event ev;
    std::atomic<int> left{kCount};
    size_t before = g_frames.free_frames();
    Executor& ex = platform::current_executor();
    for (int i = 0; i < kCount; ++i) (void)spawn(blocked_outer(ev, left), ex, Affinity::Pinned);
    co_await yield();  // all of them run up to their wait
    while (ex.has_work()) co_await yield();
    size_t after = g_frames.free_frames();
    ev.set();
    while (left.load()) co_await yield();
    co_return (before - after) * kPageSize / kCount;
}

// Kernel memory per user thread blocked in a system call (a futex wait): what the slabs hold
// (the Thread with its registers, its coroutine frames, its stack's regions) for 200 such
// threads of bin/blocked_threads, over theirs. Page tables are not counted (user memory's own
// cost, as on Linux). 0 if the program cannot run (no initramfs).
Task<uint64_t> blocked_user_thread_bytes() {
    constexpr int kThreads = 200;
    const char* const argv[] = {"bin/blocked_threads", "200", nullptr};
    const char* const envp[] = {nullptr};
    auto file = initramfs_find("bin/blocked_threads");
    if (file.is_error()) co_return 0;
    size_t before = slab_stats().slabs;
    auto started = spawn_program(file.value().data, file.value().size, {argv[0], argv, envp}, executor(Priority::Normal));
    if (started.is_error()) co_return 0;
    Process* p = started.value();
    uint64_t give_up = arch::now_ns() + 20'000'000'000;
    while (p->live_threads.load() < kThreads + 1 && !p->exited.is_set() && arch::now_ns() < give_up)
        (void)co_await sleep_for(10'000'000);
    (void)co_await sleep_for(200'000'000);  // the last ones reach their wait
    size_t after = slab_stats().slabs;
    bool all_there = p->live_threads.load() == kThreads + 1;
    exit_process(*p, kSigKill);
    (void)co_await p->exited.wait();
    release_process(p);
    co_return all_there && after > before ? (after - before) * kPageSize / kThreads : 0;
}

void print_ratio(const char* what, uint64_t a, uint64_t b, const char* target) {
    uint64_t hundredths = b ? (a * 100 + b / 2) / b : 0;
    kprint("  {:<44} {}.{:02}  ({})\n", what, hundredths / 100, hundredths % 100, target);
}

}  // namespace

Task<void> run_benchmarks() {
    kprint("Riptide async-core benchmarks ({} harts; minimum of {} rounds)\n", g_hart_count, kRounds);
    uint64_t create = co_await time_per_iter(20000, create_resume_complete);
    uint64_t co_switch = co_await time_per_iter(20000, coroutine_ping_pong);
    uint64_t th_switch = co_await time_per_iter(20000, thread_ping_pong);
    kprint("  {:<44} {:>8} ns\n", "coroutine create + resume + complete", create);
    kprint("  {:<44} {:>8} ns\n", "coroutine switch through the executor", co_switch);
    kprint("  {:<44} {:>8} ns\n", "kernel-thread switch (stacks, run queue)", th_switch);
    print_ratio("coroutine switch / kernel-thread switch", co_switch, th_switch, "target <= 0.50");
    if (g_hart_count > 1) {
        uint64_t wake = co_await cross_hart_wake_ns(g_hart_count - 1);
        kprint("  {:<44} {:>8} ns\n", "cross-hart wake latency (median, idle target)", wake);
    }
    uint64_t co_bytes = co_await blocked_coroutine_bytes();
    uint64_t th_bytes = KSTACK_SIZE + sizeof(arch::Context) + sizeof(arch::TrapFrame);
    kprint("  {:<44} {:>8} B\n", "kernel memory per blocked coroutine", co_bytes);
    kprint("  {:<44} {:>8} B\n", "kernel memory per blocked kernel thread", th_bytes);
    print_ratio("blocked coroutine / blocked kernel thread", co_bytes, th_bytes, "target < 1 KiB");
    uint64_t user_bytes = co_await blocked_user_thread_bytes();
    kprint("  {:<44} {:>8} B  (Thread {} B with registers {} B; FP state {} B more once used)\n",
           "kernel memory per user thread blocked in futex", user_bytes, sizeof(Thread), sizeof(arch::UserFrame),
           sizeof(FpState));
    test_device::power_off(true);
}

}  // namespace rt
