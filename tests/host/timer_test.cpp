#include <gtest/gtest.h>

#include <vector>

#include "host_platform.hpp"
#include "kernel/async/sleep.hpp"
#include "kernel/async/task.hpp"
#include "kernel/async/timer_queue.hpp"
#include "test_util.hpp"

namespace rt {
namespace {

// A wait registered with a timer queue directly. It is never armed, so completing it posts
// nothing: the tests only look at the result.
struct TimerProbe {
    explicit TimerProbe(uint64_t deadline) {
        node.deadline = deadline;
        node.waiter = &waiter;
    }
    Waiter waiter;
    TimerNode node;
};

Task<void> sleeper(uint64_t deadline, std::vector<int>& order, int id, WaitResult& result,
                   Cancellation* cancel = nullptr) {
    result = co_await sleep_until(deadline, cancel);
    order.push_back(id);
}

Task<void> nap(uint64_t ns, WaitResult& result) { result = co_await sleep_for(ns); }

}  // namespace

TEST(TimerQueue, EmptyQueue) {
    TimerQueue q;
    EXPECT_TRUE(q.empty());
    EXPECT_EQ(q.next_deadline(), kNoDeadline);
    EXPECT_EQ(q.fire_expired(~uint64_t{0} - 1), 0u);
}

TEST(TimerQueue, FiresOnlyWhatIsDueAndTracksTheNextDeadline) {
    TimerQueue q;
    TimerProbe a(30), b(10), c(20);
    q.add(a.node);
    q.add(b.node);
    q.add(c.node);
    EXPECT_EQ(q.next_deadline(), 10u);
    EXPECT_EQ(q.fire_expired(9), 0u);
    EXPECT_EQ(q.fire_expired(15), 1u);
    EXPECT_EQ(b.waiter.result(), WaitResult::TimedOut);
    EXPECT_EQ(a.waiter.result(), WaitResult::Pending);
    EXPECT_FALSE(b.node.node.is_linked());
    EXPECT_EQ(q.next_deadline(), 20u);
    EXPECT_EQ(q.fire_expired(30), 2u);  // a deadline equal to now is due
    EXPECT_EQ(a.waiter.result(), WaitResult::TimedOut);
    EXPECT_EQ(c.waiter.result(), WaitResult::TimedOut);
    EXPECT_TRUE(q.empty());
}

TEST(TimerQueue, RemoveUnregisters) {
    TimerQueue q;
    TimerProbe a(10), b(20);
    q.add(a.node);
    q.add(b.node);
    q.remove(a.node);
    EXPECT_FALSE(a.node.node.is_linked());
    EXPECT_EQ(q.next_deadline(), 20u);
    q.remove(a.node);  // removing twice is harmless
    EXPECT_EQ(q.fire_expired(100), 1u);
    EXPECT_EQ(a.waiter.result(), WaitResult::Pending);
    EXPECT_EQ(b.waiter.result(), WaitResult::TimedOut);
    q.remove(b.node);  // already fired: harmless too
    EXPECT_TRUE(q.empty());
}

TEST(TimerQueue, AWaitEndedElsewhereIsDroppedButNotCounted) {
    TimerQueue q;
    TimerProbe a(10);
    q.add(a.node);
    EXPECT_TRUE(a.waiter.complete(WaitResult::Woken));
    EXPECT_EQ(q.fire_expired(10), 0u);
    EXPECT_TRUE(q.empty());
    EXPECT_EQ(a.waiter.result(), WaitResult::Woken);
}

TEST(Sleep, SleepersWakeInDeadlineOrderAndTiesInArrivalOrder) {
    test::FakeClock clock(0);
    host::CurrentThreadHart hart;
    std::vector<int> order;
    WaitResult r[4]{};
    uint64_t deadlines[] = {300, 100, 200, 100};
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(spawn(sleeper(deadlines[i], order, i, r[i])));
    hart.pump();
    EXPECT_EQ(hart.timers().next_deadline(), 100u);
    clock.set(1000);
    hart.pump();
    EXPECT_EQ(order, (std::vector<int>{1, 3, 2, 0}));
    for (auto result : r) EXPECT_EQ(result, WaitResult::TimedOut);
    EXPECT_EQ(host::live_frames(), 0);
}

TEST(Sleep, SleepersWakeOneAtATimeAsTheClockAdvances) {
    test::FakeClock clock(0);
    host::CurrentThreadHart hart;
    std::vector<int> order;
    WaitResult r[3]{};
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(spawn(sleeper(100 * (3 - i), order, i, r[i])));
    hart.pump();
    for (uint64_t t : {100, 200, 300}) {
        clock.set(t);
        hart.pump();
        EXPECT_EQ(order.size(), t / 100);
    }
    EXPECT_EQ(order, (std::vector<int>{2, 1, 0}));
    EXPECT_TRUE(hart.timers().empty());
}

TEST(Sleep, SleepUntilAPastDeadlineTimesOutAtTheNextTick) {
    test::FakeClock clock(5000);
    host::CurrentThreadHart hart;
    std::vector<int> order;
    WaitResult r = WaitResult::Pending;
    ASSERT_TRUE(spawn(sleeper(1000, order, 0, r)));
    hart.pump();
    EXPECT_EQ(r, WaitResult::TimedOut);
    EXPECT_TRUE(hart.timers().empty());
    EXPECT_EQ(host::live_frames(), 0);
}

TEST(Sleep, SleepForIsRelativeToNow) {
    test::FakeClock clock(1000);
    host::CurrentThreadHart hart;
    WaitResult r = WaitResult::Pending;
    ASSERT_TRUE(spawn(nap(500, r)));
    hart.pump();
    EXPECT_EQ(hart.timers().next_deadline(), 1500u);
    clock.set(1499);
    hart.pump();
    EXPECT_EQ(r, WaitResult::Pending);
    clock.set(1500);
    hart.pump();
    EXPECT_EQ(r, WaitResult::TimedOut);
}

TEST(Sleep, CancelEndsASleepEarly) {
    test::FakeClock clock(0);
    host::CurrentThreadHart hart;
    Cancellation cancel;
    std::vector<int> order;
    WaitResult r = WaitResult::Pending;
    ASSERT_TRUE(spawn(sleeper(1'000'000, order, 0, r, &cancel)));
    hart.pump();
    EXPECT_FALSE(hart.timers().empty());
    cancel.cancel();
    hart.pump();
    EXPECT_EQ(r, WaitResult::Cancelled);
    EXPECT_TRUE(hart.timers().empty());
    EXPECT_EQ(host::live_frames(), 0);
}

}  // namespace rt
