// The async core on real harts: executors everywhere, timers, cross-hart wakes.
#include <atomic>

#include "arch/riscv/timer.hpp"
#include "kernel/async/cancellation.hpp"
#include "kernel/async/channel.hpp"
#include "kernel/async/event.hpp"
#include "kernel/async/semaphore.hpp"
#include "kernel/async/sleep.hpp"
#include "kernel/sched/kthread.hpp"
#include "ktest.hpp"

namespace rt {
namespace {

Task<void> note_hart(std::atomic<uint32_t>& harts_seen, std::atomic<size_t>& left, Event& done) {
    harts_seen.fetch_or(1u << this_hart_index());
    // Long enough that no hart can drain the others' queues alone: all take part.
    for (uint64_t end = arch::now_ns() + 200'000; arch::now_ns() < end;) {
    }
    co_await yield();
    if (left.fetch_sub(1) == 1) done.set();
}

}  // namespace

KTEST(executor_runs_on_every_hart) {
    constexpr size_t kPerHart = 50;
    std::atomic<uint32_t> seen{0};
    std::atomic<size_t> left{kPerHart * g_hart_count};
    Event done;
    for (size_t h = 0; h < g_hart_count; ++h)
        for (size_t i = 0; i < kPerHart; ++i)
            KASSERT(!spawn(note_hart(seen, left, done), executor_on(h, Priority::Normal)).is_error());
    auto r = co_await done.wait({.deadline_ns = arch::now_ns() + 5'000'000'000});
    KASSERT(r == WaitResult::Woken);
    // Work may be stolen, but every hart runs some.
    KEXPECT(seen.load() == (1u << g_hart_count) - 1);
}

KTEST(sleep_waits_at_least_its_time_and_in_order) {
    uint64_t start = arch::now_ns();
    auto r = co_await sleep_for(3'000'000);
    KEXPECT(r == WaitResult::TimedOut);
    KEXPECT(arch::now_ns() - start >= 3'000'000);

    std::atomic<int> order{0};
    int woke[3] = {};
    Event done;
    auto sleeper = [](uint64_t deadline, std::atomic<int>& ord, int& slot, Event& d) -> Task<void> {
        co_await sleep_until(deadline);
        slot = ord.fetch_add(1) + 1;
        if (slot == 3) d.set();
    };
    // Absolute deadlines well ahead: a host that stalls the guest between the spawns cannot
    // change which comes first (relative sleeps started late once woke out of order).
    uint64_t base = arch::now_ns() + 20'000'000;
    KASSERT(!spawn(sleeper(base + 20'000'000, order, woke[2], done)).is_error());
    KASSERT(!spawn(sleeper(base, order, woke[0], done)).is_error());
    KASSERT(!spawn(sleeper(base + 10'000'000, order, woke[1], done)).is_error());
    co_await done.wait();
    KEXPECT(woke[0] == 1 && woke[1] == 2 && woke[2] == 3);
}

KTEST(wait_timeout_and_wake_and_cancel) {
    Event ev;
    auto r = co_await ev.wait({.deadline_ns = arch::now_ns() + 1'000'000});
    KEXPECT(r == WaitResult::TimedOut);

    auto setter = [](Event& e) -> Task<void> {
        co_await sleep_for(1'000'000);
        e.set();
    };
    KASSERT(!spawn(setter(ev), executor_on(g_hart_count - 1, Priority::Normal)).is_error());
    r = co_await ev.wait({.deadline_ns = arch::now_ns() + 2'000'000'000});
    KEXPECT(r == WaitResult::Woken);

    Cancellation cancel;
    Event never;
    auto canceller = [](Cancellation& c) -> Task<void> {
        co_await sleep_for(1'000'000);
        c.cancel();
    };
    KASSERT(!spawn(canceller(cancel), executor_on(g_hart_count - 1, Priority::Normal)).is_error());
    r = co_await never.wait({.deadline_ns = arch::now_ns() + 2'000'000'000, .cancel = &cancel});
    KEXPECT(r == WaitResult::Cancelled);
}

namespace {
// A token passed around a ring of harts through semaphores: every hop is a cross-hart wake.
Task<void> ring_member(Semaphore& mine, Semaphore& next, int rounds, std::atomic<int>& hops, Event& done, bool last) {
    for (int i = 0; i < rounds; ++i) {
        co_await mine.acquire();
        hops.fetch_add(1);
        next.release();
    }
    if (last) done.set();
}
}  // namespace

KTEST(cross_hart_wakes_in_a_ring) {
    constexpr int kRounds = 200;
    size_t n = g_hart_count < 2 ? 2 : g_hart_count;
    Semaphore* sems[kMaxHarts];
    for (size_t i = 0; i < n; ++i) sems[i] = new Semaphore(i == 0 ? 1 : 0);
    std::atomic<int> hops{0};
    Event done;
    for (size_t i = 0; i < n; ++i)
        KASSERT(!spawn(ring_member(*sems[i], *sems[(i + 1) % n], kRounds, hops, done, i == n - 1),
                       executor_on(i % g_hart_count, Priority::Normal)).is_error());
    auto r = co_await done.wait({.deadline_ns = arch::now_ns() + 10'000'000'000});
    KEXPECT(r == WaitResult::Woken);
    KEXPECT(hops.load() == kRounds * int(n));
    for (size_t i = 0; i < n; ++i) delete sems[i];
}

KTEST(channel_between_harts) {
    Channel<int, 4> ch;
    auto producer = [](Channel<int, 4>& c) -> Task<void> {
        for (int i = 1; i <= 100; ++i) (void)co_await c.send(i);
        c.close();
    };
    KASSERT(!spawn(producer(ch), executor_on(g_hart_count - 1, Priority::Normal)).is_error());
    int sum = 0;
    for (;;) {
        auto v = co_await ch.receive({.deadline_ns = arch::now_ns() + 5'000'000'000});
        if (v.is_error()) {
            KEXPECT(v.error().code == Errno::PIPE);
            break;
        }
        sum += v.value();
    }
    KEXPECT(sum == 5050);
}

}  // namespace rt
