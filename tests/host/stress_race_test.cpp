// Multi-hart stress tests where wakes race with deadlines (real clock, microseconds away) and
// with cancellation. Whatever wins, every wait must end exactly once, no item may be lost or
// duplicated, and no timer may stay queued. ThreadSanitizer runs them (`*Stress*`).
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <memory>
#include <vector>

#include "host_platform.hpp"
#include "kernel/async/channel.hpp"
#include "kernel/async/event.hpp"
#include "kernel/async/sleep.hpp"
#include "test_util.hpp"

namespace rt {
namespace {

using test::Counters;
using test::next_random;
constexpr size_t kHarts = 4;
constexpr int kPerProducer = 20000;

using Pipe = Channel<int, 4>;

struct Flow {
    std::atomic<long> sent{0}, received{0}, sent_sum{0}, received_sum{0};
    Counters c;
};

// Counts a received value; values of one producer must arrive in the order it sent them.
void take(int v, std::array<int, 2>& last, Flow& f) {
    int& prev = last[v / kPerProducer];
    if (v <= prev) ++f.c.errors;
    prev = v;
    f.received_sum += v;
    ++f.received;
}

// Sends `count` values, each with a deadline 200us away; a timed-out send is retried.
Task<void> producer(Pipe& ch, int base, int count, Flow& f) {
    for (int i = 0; i < count; ++i) {
        for (;;) {
            auto r = co_await ch.send(base + i, {.deadline_ns = platform::now_ns() + 200'000});
            if (!r.is_error()) break;
            if (r.error().code != Errno::TIMEDOUT) {
                ++f.c.errors;
                co_return;  // never done: the test fails on its deadline
            }
        }
        ++f.sent;
        f.sent_sum += base + i;
    }
    ++f.c.done;
}

// Receives without a deadline until the channel is closed.
Task<void> patient_consumer(Pipe& ch, Flow& f) {
    std::array<int, 2> last{-1, -1};
    for (;;) {
        auto r = co_await ch.receive();
        if (r.is_error()) {
            if (r.error().code != Errno::PIPE) ++f.c.errors;
            break;
        }
        take(r.value(), last, f);
    }
    ++f.c.done;
}

// Receives with deadlines up to 50us away, so timers fire while items arrive: a wake that
// reaches a waiter which already timed out must go on to the next waiter.
Task<void> impatient_consumer(Pipe& ch, uint32_t seed, int attempts, Flow& f) {
    std::array<int, 2> last{-1, -1};
    for (int i = 0; i < attempts; ++i) {
        uint64_t wait_ns = next_random(seed) % 50'000;
        auto r = co_await ch.receive({.deadline_ns = platform::now_ns() + wait_ns});
        if (r.is_error()) {
            Errno e = r.error().code;
            if (e == Errno::PIPE) break;
            if (e != Errno::TIMEDOUT) ++f.c.errors;
            continue;
        }
        take(r.value(), last, f);
    }
    ++f.c.done;
}

}  // namespace

TEST(StressChannel, WakesRaceWithTimeouts) {
    constexpr int kProducers = 2, kPatient = 2, kImpatient = 12;
    Pipe ch;
    Flow f;
    test::HartGroup harts(kHarts);
    harts.start();
    for (int i = 0; i < kPatient; ++i)
        ASSERT_TRUE(spawn(patient_consumer(ch, f), harts.executor(i % kHarts)));
    for (int i = 0; i < kImpatient; ++i)
        ASSERT_TRUE(spawn(impatient_consumer(ch, 12345u + i, 300, f), harts.executor(i % kHarts)));
    for (int i = 0; i < kProducers; ++i)
        ASSERT_TRUE(spawn(producer(ch, i * kPerProducer, kPerProducer, f),
                          harts.executor((i + 2) % kHarts)));
    // Every item must reach a consumer: a lost wake strands one once the impatient
    // consumers have given up and only the patient ones (asleep) are left.
    const long total = long{kProducers} * kPerProducer;
    ASSERT_TRUE(test::wait_until([&] { return f.received == total; }));
    ch.close();
    ASSERT_TRUE(test::wait_until([&] { return f.c.done == kProducers + kPatient + kImpatient; }));
    harts.stop();
    EXPECT_EQ(f.c.errors, 0);
    EXPECT_EQ(f.sent, total);
    EXPECT_EQ(f.received_sum, f.sent_sum);
    for (size_t i = 0; i < kHarts; ++i) EXPECT_TRUE(harts[i].timers().empty());
    EXPECT_EQ(host::live_frames(), 0);
}

namespace {

struct Race {
    Event event;
    Cancellation cancel;
};

struct Outcomes {
    std::atomic<int> woken{0}, timed_out{0}, cancelled{0};
    Counters c;
};

// Waits with a deadline a few microseconds away and a cancellation, both racing a set().
Task<void> racing_waiter(Race& race, uint64_t wait_ns, Outcomes& o) {
    WaitResult r = co_await race.event.wait(
        {.deadline_ns = platform::now_ns() + wait_ns, .cancel = &race.cancel});
    if (r == WaitResult::Woken && !race.event.is_set()) ++o.c.errors;
    if (r == WaitResult::Woken) ++o.woken;
    else if (r == WaitResult::TimedOut) ++o.timed_out;
    else if (r == WaitResult::Cancelled) ++o.cancelled;
    else ++o.c.errors;
    ++o.c.done;
}

Task<void> racing_setter(Race& race, int yields, Outcomes& o) {
    for (int i = 0; i < yields; ++i) co_await yield();
    race.event.set();
    ++o.c.done;
}

Task<void> racing_canceller(Race& race, int yields, Outcomes& o) {
    for (int i = 0; i < yields; ++i) co_await yield();
    race.cancel.cancel();
    ++o.c.done;
}

}  // namespace

TEST(StressTimeouts, WakeRacesWithDeadlineAndCancellation) {
    constexpr int kRaces = 5000;
    std::vector<std::unique_ptr<Race>> races;
    for (int i = 0; i < kRaces; ++i) races.push_back(std::make_unique<Race>());
    Outcomes o;
    uint32_t seed = 777;
    test::HartGroup harts(kHarts);
    harts.start();
    for (int i = 0; i < kRaces; ++i) {
        Race& r = *races[i];
        uint64_t wait_ns = next_random(seed) % 30'000;
        ASSERT_TRUE(spawn(racing_waiter(r, wait_ns, o), harts.executor(i % kHarts)));
        ASSERT_TRUE(spawn(racing_setter(r, next_random(seed) % 8, o),
                          harts.executor((i + 1) % kHarts)));
        ASSERT_TRUE(spawn(racing_canceller(r, next_random(seed) % 8, o),
                          harts.executor((i + 2) % kHarts)));
    }
    ASSERT_TRUE(test::wait_until([&] { return o.c.done == 3 * kRaces; }));
    harts.stop();
    EXPECT_EQ(o.c.errors, 0);
    EXPECT_EQ(o.woken + o.timed_out + o.cancelled, kRaces);
    for (size_t i = 0; i < kHarts; ++i) EXPECT_TRUE(harts[i].timers().empty());
    EXPECT_EQ(host::live_frames(), 0);
}

namespace {

// Receives until cancelled; what a cancelled receive does not take stays in the channel.
Task<void> cancellable_consumer(Pipe& ch, Cancellation& cancel, Flow& f) {
    std::array<int, 2> last{-1, -1};
    for (;;) {
        auto r = co_await ch.receive({.cancel = &cancel});
        if (r.is_error()) {
            if (r.error().code != Errno::INTR) ++f.c.errors;
            break;
        }
        take(r.value(), last, f);
    }
    ++f.c.done;
}

Task<void> cancel_after(Cancellation& cancel, uint64_t ns, Flow& f) {
    auto r = co_await sleep_for(ns);
    if (r != WaitResult::TimedOut) ++f.c.errors;
    cancel.cancel();
    ++f.c.done;
}

// Sends 0, 1, 2, ... until a send has waited 2ms for room (every consumer is gone by then).
Task<void> bounded_producer(Pipe& ch, Flow& f) {
    for (int v = 0; v < kPerProducer; ++v) {
        auto r = co_await ch.send(v, {.deadline_ns = platform::now_ns() + 2'000'000});
        if (r.is_error()) {
            if (r.error().code != Errno::TIMEDOUT) ++f.c.errors;
            break;
        }
        ++f.sent;
        f.sent_sum += v;
    }
    ++f.c.done;
}

}  // namespace

TEST(StressCancel, CancelRacesWithChannelWakes) {
    constexpr int kConsumers = 12;
    Pipe ch;
    std::array<Cancellation, kConsumers> cancels;
    Flow f;
    uint32_t seed = 4242;
    test::HartGroup harts(kHarts);
    harts.start();
    for (int i = 0; i < kConsumers; ++i) {
        ASSERT_TRUE(spawn(cancellable_consumer(ch, cancels[i], f), harts.executor(i % kHarts)));
        uint64_t ns = 1'000'000 + next_random(seed) % 20'000'000;
        ASSERT_TRUE(spawn(cancel_after(cancels[i], ns, f), harts.executor((i + 1) % kHarts)));
    }
    ASSERT_TRUE(spawn(bounded_producer(ch, f), harts.executor(kHarts - 1)));
    ASSERT_TRUE(test::wait_until([&] { return f.c.done == 2 * kConsumers + 1; }));
    harts.stop();
    EXPECT_EQ(f.c.errors, 0);
    EXPECT_GT(f.received, 0);
    // Nothing lost, nothing duplicated: received plus what is left is what was sent.
    long left = 0, left_sum = 0;
    for (;;) {
        auto r = ch.try_receive();
        if (r.is_error()) break;
        ++left;
        left_sum += r.value();
    }
    EXPECT_EQ(f.received + left, f.sent);
    EXPECT_EQ(f.received_sum + left_sum, f.sent_sum);
    for (size_t i = 0; i < kHarts; ++i) EXPECT_TRUE(harts[i].timers().empty());
    EXPECT_EQ(host::live_frames(), 0);
}

}  // namespace rt
