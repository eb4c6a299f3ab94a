#include <gtest/gtest.h>

#include "host_platform.hpp"
#include "kernel/async/cancellation.hpp"
#include "kernel/async/event.hpp"
#include "kernel/async/sleep.hpp"
#include "kernel/async/task.hpp"

namespace rt {
namespace {

Task<WaitResult> inner_wait(Event& e, Cancellation& c) { co_return co_await e.wait({.cancel = &c}); }

// A system call's shape: the thread's Cancellation reaches a wait nested in awaited tasks.
Task<void> outer(Event& e, Cancellation& c, WaitResult& out) {
    out = co_await inner_wait(e, c);
}

// One Cancellation serving a thread's successive waits of different kinds.
Task<void> successive_waits(Event& e, Cancellation& c, WaitResult (&out)[3]) {
    out[0] = co_await sleep_until(kNoDeadline, &c);
    c.reset();
    out[1] = co_await e.wait({.cancel = &c});
    out[2] = co_await sleep_until(kNoDeadline, &c);
}

}  // namespace

TEST(Cancellation, FlagIsSetByCancelAndClearedByReset) {
    Cancellation c;
    EXPECT_FALSE(c.is_cancelled());
    c.cancel();
    EXPECT_TRUE(c.is_cancelled());
    c.cancel();
    EXPECT_TRUE(c.is_cancelled());
    c.reset();
    EXPECT_FALSE(c.is_cancelled());
}

TEST(Cancellation, CancelCompletesTheAttachedWait) {
    Cancellation c;
    Waiter w;
    c.attach(w);
    EXPECT_EQ(w.result(), WaitResult::Pending);
    c.cancel();
    EXPECT_EQ(w.result(), WaitResult::Cancelled);
    c.detach(w);
}

TEST(Cancellation, AttachingAfterCancelCompletesAtOnce) {
    Cancellation c;
    c.cancel();
    Waiter w;
    c.attach(w);
    EXPECT_EQ(w.result(), WaitResult::Cancelled);
    c.detach(w);
}

TEST(Cancellation, ADetachedWaitIsNotCancelled) {
    Cancellation c;
    Waiter w;
    c.attach(w);
    c.detach(w);
    c.cancel();
    EXPECT_EQ(w.result(), WaitResult::Pending);
}

TEST(Cancellation, DetachingAnotherWaiterKeepsTheAttachedOne) {
    Cancellation c;
    Waiter old_wait, current;
    c.attach(current);
    c.detach(old_wait);
    c.cancel();
    EXPECT_EQ(current.result(), WaitResult::Cancelled);
    EXPECT_EQ(old_wait.result(), WaitResult::Pending);
    c.detach(current);
}

TEST(Cancellation, TheFirstSourceToCompleteWins) {
    Cancellation c;
    Waiter w;
    c.attach(w);
    EXPECT_TRUE(w.complete(WaitResult::Woken));
    c.cancel();
    EXPECT_EQ(w.result(), WaitResult::Woken);
    EXPECT_FALSE(w.complete(WaitResult::TimedOut));
    c.detach(w);
}

TEST(Cancellation, ReachesAWaitNestedInAwaitedTasks) {
    host::CurrentThreadHart hart;
    Event e;
    Cancellation c;
    WaitResult out = WaitResult::Pending;
    ASSERT_TRUE(spawn(outer(e, c, out)));
    hart.pump();
    EXPECT_EQ(out, WaitResult::Pending);
    c.cancel();
    hart.pump();
    EXPECT_EQ(out, WaitResult::Cancelled);
    EXPECT_EQ(host::live_frames(), 0);
}

TEST(Cancellation, ServesSuccessiveWaits) {
    host::CurrentThreadHart hart;
    Event e;
    Cancellation c;
    WaitResult out[3] = {};
    ASSERT_TRUE(spawn(successive_waits(e, c, out)));
    hart.pump();
    c.cancel();  // ends the endless sleep
    hart.pump();
    EXPECT_EQ(out[0], WaitResult::Cancelled);
    EXPECT_EQ(out[1], WaitResult::Pending);  // reset: the event wait really waits
    e.set();
    hart.pump();
    EXPECT_EQ(out[1], WaitResult::Woken);
    EXPECT_EQ(out[2], WaitResult::Pending);
    c.cancel();
    hart.pump();
    EXPECT_EQ(out[2], WaitResult::Cancelled);
    EXPECT_TRUE(hart.timers().empty());
    EXPECT_EQ(host::live_frames(), 0);
}

}  // namespace rt
