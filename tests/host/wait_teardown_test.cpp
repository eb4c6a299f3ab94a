// Waits whose coroutine frame is destroyed while suspended, and semaphore acquires that end by
// deadline or cancellation: nothing may stay linked, and no unit may be lost.
#include <gtest/gtest.h>

#include "host_platform.hpp"
#include "kernel/async/semaphore.hpp"
#include "kernel/async/task.hpp"
#include "kernel/async/wait_queue.hpp"
#include "test_util.hpp"

namespace rt {
namespace {

Task<void> wait_forever(WaitQueue& q, Cancellation& c) {
    co_await q.wait([] { return false; }, {.deadline_ns = 1'000'000, .cancel = &c});
}

Task<void> acquire_once(Semaphore& s, WaitOptions o, WaitResult& out) {
    out = co_await s.acquire(o);
}

}  // namespace

TEST(WaitTeardown, DestroyingASuspendedWaitUnlinksItEverywhere) {
    test::FakeClock clock;
    host::CurrentThreadHart hart;
    WaitQueue q;
    Cancellation c;
    Task<void> t = wait_forever(q, c);
    auto h = t.release();
    h.resume();  // runs up to the wait and suspends there
    EXPECT_TRUE(q.has_waiters());
    EXPECT_FALSE(hart.timers().empty());
    h.destroy();
    EXPECT_FALSE(q.has_waiters());
    EXPECT_TRUE(hart.timers().empty());
    c.cancel();  // must not touch the destroyed frame
    EXPECT_EQ(q.notify(), 0u);
    EXPECT_EQ(host::live_frames(), 0);
}

TEST(SemaphoreWaits, AcquireTimesOutAndHoldsNothing) {
    test::FakeClock clock(1000);
    host::CurrentThreadHart hart;
    Semaphore s(0);
    WaitResult r = WaitResult::Pending;
    ASSERT_TRUE(spawn(acquire_once(s, {.deadline_ns = 5000}, r)));
    hart.pump();
    EXPECT_EQ(r, WaitResult::Pending);
    clock.set(5000);
    hart.pump();
    EXPECT_EQ(r, WaitResult::TimedOut);
    s.release();  // the unit must stay in the semaphore, not go to the timed-out waiter
    EXPECT_TRUE(s.try_acquire());
    EXPECT_FALSE(s.try_acquire());
    EXPECT_EQ(host::live_frames(), 0);
}

TEST(SemaphoreWaits, CancelledAcquireDoesNotSwallowTheNextRelease) {
    host::CurrentThreadHart hart;
    Semaphore s(0);
    Cancellation c;
    WaitResult first = WaitResult::Pending, second = WaitResult::Pending;
    ASSERT_TRUE(spawn(acquire_once(s, {.cancel = &c}, first)));
    ASSERT_TRUE(spawn(acquire_once(s, {}, second)));
    hart.pump();
    c.cancel();   // the first waiter loses its wait but is still queued until it runs
    s.release();  // so the unit must skip it and reach the second
    hart.pump();
    EXPECT_EQ(first, WaitResult::Cancelled);
    EXPECT_EQ(second, WaitResult::Woken);
    EXPECT_FALSE(s.try_acquire());
    EXPECT_EQ(host::live_frames(), 0);
}

TEST(SemaphoreWaits, DestroyingASuspendedAcquireUnlinksIt) {
    host::CurrentThreadHart hart;
    Semaphore s(0);
    WaitResult r = WaitResult::Pending;
    Task<void> t = acquire_once(s, {}, r);
    auto h = t.release();
    h.resume();
    h.destroy();
    s.release();  // no waiter left: the unit is counted
    EXPECT_TRUE(s.try_acquire());
    EXPECT_EQ(host::live_frames(), 0);
}

}  // namespace rt
