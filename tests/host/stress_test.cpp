// Multi-hart stress tests: HostHarts (threads) waking each other's coroutines and idle harts
// stealing work. Run under ThreadSanitizer (`host_tests_tsan --gtest_filter='*Stress*'`), so
// they use the real clock and stay small enough to finish in a few seconds there. The races
// of wakes with timeouts and cancellation are in stress_race_test.cpp.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>

#include "host_platform.hpp"
#include "kernel/async/channel.hpp"
#include "kernel/async/event.hpp"
#include "kernel/async/semaphore.hpp"
#include "kernel/async/sleep.hpp"
#include "test_util.hpp"

namespace rt {
namespace {

using test::Counters;
constexpr size_t kHarts = 4;

// A ping-pong pair. `value` is plain memory handed back and forth, so the sanitizer checks
// that every wake orders the waker's writes before the woken coroutine's reads.
struct Pair {
    Event ping_event, pong_event;
    Semaphore ping_sem{0}, pong_sem{0};
    Channel<int, 1> to_pong, to_ping;
    int value = 0;
};

Task<void> event_ping(Pair& p, int rounds, Counters& c) {
    for (int i = 0; i < rounds; ++i) {
        if (p.value != 2 * i) ++c.errors;
        ++p.value;
        p.ping_event.set();
        co_await p.pong_event.wait();
        p.pong_event.reset();
    }
    ++c.done;
}

Task<void> event_pong(Pair& p, int rounds, Counters& c) {
    for (int i = 0; i < rounds; ++i) {
        co_await p.ping_event.wait();
        p.ping_event.reset();
        if (p.value != 2 * i + 1) ++c.errors;
        ++p.value;
        p.pong_event.set();
    }
    ++c.done;
}

Task<void> sem_ping(Pair& p, int rounds, Counters& c) {
    for (int i = 0; i < rounds; ++i) {
        if (p.value != 2 * i) ++c.errors;
        ++p.value;
        p.ping_sem.release();
        co_await p.pong_sem.acquire();
    }
    ++c.done;
}

Task<void> sem_pong(Pair& p, int rounds, Counters& c) {
    for (int i = 0; i < rounds; ++i) {
        co_await p.ping_sem.acquire();
        if (p.value != 2 * i + 1) ++c.errors;
        ++p.value;
        p.pong_sem.release();
    }
    ++c.done;
}

Task<void> channel_ping(Pair& p, int rounds, Counters& c) {
    for (int i = 0; i < rounds; ++i) {
        if (p.value != 2 * i) ++c.errors;
        ++p.value;
        auto sent = co_await p.to_pong.send(i);
        auto reply = co_await p.to_ping.receive();
        if (sent.is_error() || reply.is_error() || reply.value() != i) ++c.errors;
    }
    ++c.done;
}

Task<void> channel_pong(Pair& p, int rounds, Counters& c) {
    for (int i = 0; i < rounds; ++i) {
        auto got = co_await p.to_pong.receive();
        if (got.is_error() || got.value() != i || p.value != 2 * i + 1) ++c.errors;
        ++p.value;
        auto sent = co_await p.to_ping.send(i);
        if (sent.is_error()) ++c.errors;
    }
    ++c.done;
}

// Spawns each pair's two sides on different harts and waits for all of them.
template <typename Ping, typename Pong>
void run_ping_pong(Ping ping, Pong pong) {
    constexpr int kPairs = 8, kRounds = 5000;
    std::array<Pair, kPairs> pairs;
    Counters c;
    test::HartGroup harts(kHarts);
    harts.start();
    for (int i = 0; i < kPairs; ++i) {
        ASSERT_TRUE(spawn(ping(pairs[i], kRounds, c), harts.executor(i % kHarts)));
        ASSERT_TRUE(spawn(pong(pairs[i], kRounds, c), harts.executor((i + 1) % kHarts)));
    }
    ASSERT_TRUE(test::wait_until([&] { return c.done == 2 * kPairs; }));
    harts.stop();
    EXPECT_EQ(c.errors, 0);
    for (auto& p : pairs) EXPECT_EQ(p.value, 2 * kRounds);
    EXPECT_EQ(host::live_frames(), 0);
}

}  // namespace

TEST(StressEvent, PingPongAcrossHarts) { run_ping_pong(event_ping, event_pong); }

TEST(StressSemaphore, PingPongAcrossHarts) { run_ping_pong(sem_ping, sem_pong); }

TEST(StressChannel, PingPongAcrossHarts) { run_ping_pong(channel_ping, channel_pong); }

namespace {

Task<void> mutex_worker(Mutex& m, int& value, std::atomic<int>& inside, int rounds, Counters& c) {
    for (int i = 0; i < rounds; ++i) {
        co_await m.lock();
        MutexLocker held(m, kAdopt);
        if (inside.fetch_add(1) != 0) ++c.errors;
        int v = value;
        co_await yield();  // another hart may steal it here, mutex held
        value = v + 1;
        inside.fetch_sub(1);
    }
    ++c.done;
}

Task<void> repeated_sleeper(uint32_t seed, int naps, Counters& c) {
    for (int i = 0; i < naps; ++i) {
        uint64_t deadline = platform::now_ns() + test::next_random(seed) % 1'000'000;
        WaitResult r = co_await sleep_until(deadline);
        if (r != WaitResult::TimedOut || platform::now_ns() < deadline) ++c.errors;
    }
    ++c.done;
}

// Busy work that records which hart ran each part; it yields between parts (and may migrate).
Task<void> busy_task(test::HartGroup& harts, std::array<std::atomic<int>, kHarts>& ran_on,
                     Counters& c) {
    for (int part = 0; part < 3; ++part) {
        auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(20);
        while (std::chrono::steady_clock::now() < until) {
        }
        int h = harts.current_index();
        if (h < 0) ++c.errors;
        else ++ran_on[h];
        co_await yield();
    }
    ++c.done;
}

}  // namespace

TEST(StressMutex, ExcludesAcrossHarts) {
    constexpr int kWorkers = 16, kRounds = 1000;
    Mutex m;
    int value = 0;
    std::atomic<int> inside{0};
    Counters c;
    test::HartGroup harts(kHarts);
    harts.start();
    for (int i = 0; i < kWorkers; ++i)
        ASSERT_TRUE(spawn(mutex_worker(m, value, inside, kRounds, c), harts.executor(i % kHarts)));
    ASSERT_TRUE(test::wait_until([&] { return c.done == kWorkers; }));
    harts.stop();
    EXPECT_EQ(c.errors, 0);
    EXPECT_EQ(value, kWorkers * kRounds);
    EXPECT_EQ(host::live_frames(), 0);
}

TEST(StressSleep, ManySleepersOnEveryHart) {
    constexpr int kSleepers = 200;
    Counters c;
    test::HartGroup harts(kHarts);
    harts.start();
    for (int i = 0; i < kSleepers; ++i)
        ASSERT_TRUE(spawn(repeated_sleeper(99u + i, 10, c), harts.executor(i % kHarts)));
    ASSERT_TRUE(test::wait_until([&] { return c.done == kSleepers; }));
    harts.stop();
    EXPECT_EQ(c.errors, 0);
    for (size_t i = 0; i < kHarts; ++i) EXPECT_TRUE(harts[i].timers().empty());
    EXPECT_EQ(host::live_frames(), 0);
}

TEST(StressSteal, IdleHartsStealFromABusyOne) {
    constexpr int kTasks = 1000;
    std::array<std::atomic<int>, kHarts> ran_on{};
    Counters c;
    test::HartGroup harts(kHarts);
    // Everything is queued on hart 0 before any hart runs.
    for (int i = 0; i < kTasks; ++i)
        ASSERT_TRUE(spawn(busy_task(harts, ran_on, c), harts.executor(0)));
    harts.start();
    ASSERT_TRUE(test::wait_until([&] { return c.done == kTasks; }));
    harts.stop();
    EXPECT_EQ(c.errors, 0);
    int total = 0, elsewhere = 0;
    uint64_t resumed = 0;
    for (size_t i = 0; i < kHarts; ++i) {
        total += ran_on[i];
        if (i != 0) elsewhere += ran_on[i];
        resumed += harts.executor(i).resumed();
    }
    EXPECT_EQ(total, 3 * kTasks);
    EXPECT_GT(ran_on[0], 0);
    EXPECT_GT(elsewhere, 0) << "no hart stole any work";
    EXPECT_EQ(resumed, uint64_t{4 * kTasks});  // a start and three resumptions each
    EXPECT_EQ(host::live_frames(), 0);
}

}  // namespace rt
