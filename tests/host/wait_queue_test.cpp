#include <gtest/gtest.h>

#include <vector>

#include "host_platform.hpp"
#include "kernel/async/task.hpp"
#include "kernel/async/wait_queue.hpp"
#include "test_util.hpp"

namespace rt {
namespace {

struct Probe {
    WaitResult result = WaitResult::Pending;
    bool done = false;
};

// Waits on q until `ready` holds (or a notify, deadline or cancellation ends the wait).
Task<void> wait_for(WaitQueue& q, const bool& ready, WaitOptions o, Probe& p,
                    std::vector<int>* order = nullptr, int id = 0) {
    p.result = co_await q.wait([&ready] { return ready; }, o);
    p.done = true;
    if (order) order->push_back(id);
}

class WaitQueueTest : public ::testing::Test {
protected:
    void TearDown() override { EXPECT_EQ(host::live_frames(), 0); }
    host::CurrentThreadHart m_hart;
    WaitQueue m_queue;
    bool m_ready = false;
};

}  // namespace

TEST_F(WaitQueueTest, PredicateAlreadyTrueDoesNotSuspend) {
    m_ready = true;
    Probe p;
    ASSERT_TRUE(spawn(wait_for(m_queue, m_ready, {}, p)));
    EXPECT_TRUE(m_hart.executor().run_once());
    EXPECT_TRUE(p.done);  // finished within its first resumption
    EXPECT_EQ(p.result, WaitResult::Woken);
    EXPECT_FALSE(m_queue.has_waiters());
    EXPECT_EQ(m_hart.executor().resumed(), 1u);
}

TEST_F(WaitQueueTest, WaitThenNotifyWakes) {
    Probe p;
    ASSERT_TRUE(spawn(wait_for(m_queue, m_ready, {}, p)));
    m_hart.pump();
    EXPECT_FALSE(p.done);
    EXPECT_TRUE(m_queue.has_waiters());
    m_ready = true;
    EXPECT_EQ(m_queue.notify(), 1u);
    EXPECT_FALSE(m_queue.has_waiters());
    EXPECT_FALSE(p.done);  // a wake is a post, never an inline resume
    m_hart.pump();
    EXPECT_TRUE(p.done);
    EXPECT_EQ(p.result, WaitResult::Woken);
}

TEST_F(WaitQueueTest, NotifyWithoutWaitersWakesNobody) {
    EXPECT_EQ(m_queue.notify(), 0u);
    EXPECT_EQ(m_queue.notify_one(), 0u);
    EXPECT_FALSE(m_hart.executor().has_work());
}

TEST_F(WaitQueueTest, AWakeIsAHintEvenIfThePredicateIsFalse) {
    Probe p;
    ASSERT_TRUE(spawn(wait_for(m_queue, m_ready, {}, p)));
    m_hart.pump();
    EXPECT_EQ(m_queue.notify(), 1u);
    m_hart.pump();
    EXPECT_EQ(p.result, WaitResult::Woken);  // the caller re-checks its condition
}

TEST_F(WaitQueueTest, NotifyMaskSelectsWaiters) {
    Probe a, b, c;
    ASSERT_TRUE(spawn(wait_for(m_queue, m_ready, {.mask = 0b01}, a)));
    ASSERT_TRUE(spawn(wait_for(m_queue, m_ready, {.mask = 0b10}, b)));
    ASSERT_TRUE(spawn(wait_for(m_queue, m_ready, {.mask = 0b11}, c)));
    m_hart.pump();
    EXPECT_EQ(m_queue.notify(0b10), 2u);
    m_hart.pump();
    EXPECT_FALSE(a.done);
    EXPECT_TRUE(b.done);
    EXPECT_TRUE(c.done);
    EXPECT_EQ(m_queue.notify(0b100), 0u);
    EXPECT_EQ(m_queue.notify(0b01), 1u);
    m_hart.pump();
    EXPECT_TRUE(a.done);
}

TEST_F(WaitQueueTest, NotifyCountsWakeOldestFirst) {
    Probe p[5];
    std::vector<int> order;
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(spawn(wait_for(m_queue, m_ready, {}, p[i], &order, i)));
    m_hart.pump();
    EXPECT_EQ(m_queue.notify_one(), 1u);
    m_hart.pump();
    EXPECT_EQ(order, (std::vector<int>{0}));
    EXPECT_EQ(m_queue.notify(~0u, 2), 2u);
    m_hart.pump();
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
    EXPECT_EQ(m_queue.notify(~0u, 10), 2u);
    m_hart.pump();
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST_F(WaitQueueTest, NotifyMaxCountsOnlyMatchingWaiters) {
    Probe p[4];
    std::vector<int> order;
    uint32_t masks[] = {1, 2, 1, 1};
    for (int i = 0; i < 4; ++i)
        ASSERT_TRUE(spawn(wait_for(m_queue, m_ready, {.mask = masks[i]}, p[i], &order, i)));
    m_hart.pump();
    EXPECT_EQ(m_queue.notify(1, 2), 2u);
    m_hart.pump();
    EXPECT_EQ(order, (std::vector<int>{0, 2}));
    EXPECT_EQ(m_queue.notify(), 2u);
    m_hart.pump();
    EXPECT_EQ(order, (std::vector<int>{0, 2, 1, 3}));
}

TEST_F(WaitQueueTest, DeadlineTimesOut) {
    test::FakeClock clock(1000);
    Probe p;
    ASSERT_TRUE(spawn(wait_for(m_queue, m_ready, {.deadline_ns = 2000}, p)));
    m_hart.pump();
    EXPECT_EQ(m_hart.timers().next_deadline(), 2000u);
    clock.set(1999);
    m_hart.pump();
    EXPECT_FALSE(p.done);
    clock.set(2000);
    m_hart.pump();
    ASSERT_TRUE(p.done);
    EXPECT_EQ(p.result, WaitResult::TimedOut);
    EXPECT_FALSE(m_queue.has_waiters());
    EXPECT_TRUE(m_hart.timers().empty());
}

TEST_F(WaitQueueTest, WakeBeforeDeadlineCancelsTheTimer) {
    test::FakeClock clock(1000);
    Probe p;
    ASSERT_TRUE(spawn(wait_for(m_queue, m_ready, {.deadline_ns = 2000}, p)));
    m_hart.pump();
    EXPECT_EQ(m_queue.notify(), 1u);
    m_hart.pump();
    EXPECT_EQ(p.result, WaitResult::Woken);
    EXPECT_TRUE(m_hart.timers().empty());
    clock.set(5000);
    m_hart.pump();  // nothing left to fire
    EXPECT_EQ(p.result, WaitResult::Woken);
}

TEST_F(WaitQueueTest, ReadyPredicateWinsOverAPastDeadline) {
    test::FakeClock clock(5000);
    m_ready = true;
    Probe p;
    ASSERT_TRUE(spawn(wait_for(m_queue, m_ready, {.deadline_ns = 1000}, p)));
    m_hart.pump();
    EXPECT_EQ(p.result, WaitResult::Woken);
    EXPECT_TRUE(m_hart.timers().empty());
}

TEST_F(WaitQueueTest, ExclusiveWakeSkipsAWaiterThatAlreadyTimedOut) {
    test::FakeClock clock(1000);
    Probe timed, patient;
    ASSERT_TRUE(spawn(wait_for(m_queue, m_ready, {.deadline_ns = 2000}, timed)));
    ASSERT_TRUE(spawn(wait_for(m_queue, m_ready, {}, patient)));
    m_hart.pump();
    // The timer fires, but the timed-out coroutine has not run yet: it is still queued.
    clock.set(2000);
    EXPECT_EQ(m_hart.timers().fire_expired(2000), 1u);
    EXPECT_TRUE(m_queue.has_waiters());
    EXPECT_EQ(m_queue.notify_one(), 1u);  // must go to the patient waiter
    m_hart.pump();
    EXPECT_EQ(timed.result, WaitResult::TimedOut);
    ASSERT_TRUE(patient.done);
    EXPECT_EQ(patient.result, WaitResult::Woken);
    EXPECT_FALSE(m_queue.has_waiters());
}

TEST_F(WaitQueueTest, CancelBeforeWait) {
    Cancellation cancel;
    cancel.cancel();
    Probe p;
    ASSERT_TRUE(spawn(wait_for(m_queue, m_ready, {.cancel = &cancel}, p)));
    m_hart.pump();
    ASSERT_TRUE(p.done);
    EXPECT_EQ(p.result, WaitResult::Cancelled);
    EXPECT_FALSE(m_queue.has_waiters());
}

TEST_F(WaitQueueTest, CancelDuringWait) {
    test::FakeClock clock(1000);
    Cancellation cancel;
    Probe p;
    ASSERT_TRUE(spawn(wait_for(m_queue, m_ready, {.deadline_ns = 9000, .cancel = &cancel}, p)));
    m_hart.pump();
    EXPECT_FALSE(p.done);
    cancel.cancel();
    m_hart.pump();
    ASSERT_TRUE(p.done);
    EXPECT_EQ(p.result, WaitResult::Cancelled);
    EXPECT_FALSE(m_queue.has_waiters());
    EXPECT_TRUE(m_hart.timers().empty());
    EXPECT_EQ(m_queue.notify(), 0u);
}

TEST_F(WaitQueueTest, CancelStaysUntilReset) {
    Cancellation cancel;
    Probe first, second, third;
    ASSERT_TRUE(spawn(wait_for(m_queue, m_ready, {.cancel = &cancel}, first)));
    m_hart.pump();
    cancel.cancel();
    m_hart.pump();
    EXPECT_EQ(first.result, WaitResult::Cancelled);
    ASSERT_TRUE(spawn(wait_for(m_queue, m_ready, {.cancel = &cancel}, second)));
    m_hart.pump();
    EXPECT_EQ(second.result, WaitResult::Cancelled);  // still cancelled
    cancel.reset();
    ASSERT_TRUE(spawn(wait_for(m_queue, m_ready, {.cancel = &cancel}, third)));
    m_hart.pump();
    EXPECT_FALSE(third.done);
    EXPECT_EQ(m_queue.notify(), 1u);
    m_hart.pump();
    EXPECT_EQ(third.result, WaitResult::Woken);
}

TEST_F(WaitQueueTest, CancelAfterWakeDoesNotChangeTheResult) {
    Cancellation cancel;
    Probe p;
    ASSERT_TRUE(spawn(wait_for(m_queue, m_ready, {.cancel = &cancel}, p)));
    m_hart.pump();
    EXPECT_EQ(m_queue.notify(), 1u);
    cancel.cancel();  // the wake already won; the coroutine has not run yet
    m_hart.pump();
    EXPECT_EQ(p.result, WaitResult::Woken);
}

}  // namespace rt
