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
#include "kernel/mm/frames.hpp"
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
    test_device::power_off(true);
}

}  // namespace rt
