// WaitCallback: callbacks on wait queues, alone and next to waiting coroutines, and the pattern
// poll and epoll build on it (one coroutine woken by any of several queues).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "host_platform.hpp"
#include "kernel/async/event.hpp"
#include "kernel/async/task.hpp"
#include "kernel/async/wait_callback.hpp"
#include "test_util.hpp"

namespace rt {
namespace {

// Counts its calls and the events it was given; answers `wake`.
struct Recorder {
    int calls = 0;
    uint32_t events = 0;
    bool wake = true;
    static bool fn(void* self, uint32_t events) {
        auto* r = static_cast<Recorder*>(self);
        ++r->calls;
        r->events |= events;
        return r->wake;
    }
};

Task<void> wait_on(WaitQueue& q, bool& done) {
    (void)co_await q.wait([] { return false; });
    done = true;
}

class WaitCallbackTest : public ::testing::Test {
protected:
    void TearDown() override { EXPECT_EQ(host::live_frames(), 0); }
    host::CurrentThreadHart m_hart;
    WaitQueue m_queue;
};

}  // namespace

TEST_F(WaitCallbackTest, RunsOnEveryMatchingNotifyAndStaysQueued) {
    Recorder r;
    WaitCallback cb(&Recorder::fn, &r, 0b011);
    cb.add_to(m_queue);
    EXPECT_TRUE(cb.is_queued());
    EXPECT_TRUE(m_queue.has_waiters());
    EXPECT_EQ(m_queue.notify(0b110), 1u);
    EXPECT_EQ(r.calls, 1);
    EXPECT_EQ(r.events, 0b010u);  // only the bits it listens for
    EXPECT_EQ(m_queue.notify(0b100), 0u);
    EXPECT_EQ(r.calls, 1);
    EXPECT_EQ(m_queue.notify(), 1u);
    EXPECT_EQ(r.calls, 2);
    EXPECT_TRUE(m_queue.has_waiters());
    EXPECT_FALSE(m_hart.executor().has_work());  // nothing was posted
}

TEST_F(WaitCallbackTest, RemovedCallbackNeverRuns) {
    Recorder r;
    {
        WaitCallback cb(&Recorder::fn, &r);
        cb.add_to(m_queue);
        cb.remove();
        EXPECT_FALSE(cb.is_queued());
        EXPECT_FALSE(m_queue.has_waiters());
        EXPECT_EQ(m_queue.notify(), 0u);
        cb.remove();  // a second remove does nothing
        cb.add_to(m_queue);  // and it can be queued again
    }  // the destructor removes it
    EXPECT_FALSE(m_queue.has_waiters());
    EXPECT_EQ(m_queue.notify(), 0u);
    EXPECT_EQ(r.calls, 0);
}

TEST_F(WaitCallbackTest, CallbacksRunWhateverMaxSays) {
    Recorder r;
    r.wake = false;
    bool first = false, second = false;
    ASSERT_TRUE(spawn(wait_on(m_queue, first)));
    m_hart.pump();
    WaitCallback cb(&Recorder::fn, &r);
    cb.add_to(m_queue);
    ASSERT_TRUE(spawn(wait_on(m_queue, second)));
    m_hart.pump();
    EXPECT_EQ(m_queue.notify_one(), 1u);  // one coroutine; the callback answered no wake
    EXPECT_EQ(r.calls, 1);
    m_hart.pump();
    EXPECT_TRUE(first);
    EXPECT_FALSE(second);
    EXPECT_EQ(m_queue.notify_one(), 1u);
    EXPECT_EQ(r.calls, 2);  // even after the coroutine used up `max`
    m_hart.pump();
    EXPECT_TRUE(second);
    EXPECT_EQ(m_queue.notify(0, 0), 0u);
    EXPECT_EQ(r.calls, 2);
}

TEST_F(WaitCallbackTest, ExclusiveCallbacksShareOneNotify) {
    Recorder a, b, shared;
    WaitCallback ca(&Recorder::fn, &a, ~0u, true), cb(&Recorder::fn, &b, ~0u, true),
        cs(&Recorder::fn, &shared, ~0u, false);
    ca.add_to(m_queue);
    cs.add_to(m_queue);
    cb.add_to(m_queue);
    EXPECT_EQ(m_queue.notify(), 2u);
    EXPECT_EQ(a.calls, 1);
    EXPECT_EQ(b.calls, 0);  // a took it
    EXPECT_EQ(shared.calls, 1);
    a.wake = false;  // a has nobody waiting: the next exclusive one is offered the event
    EXPECT_EQ(m_queue.notify(), 2u);
    EXPECT_EQ(a.calls, 2);
    EXPECT_EQ(b.calls, 1);
    EXPECT_EQ(shared.calls, 2);
}

namespace {

// The poll pattern: a callback on each queue sets one Event, which one coroutine waits for.
struct AnyOf {
    Event fired;
    static bool fn(void* self, uint32_t) {
        static_cast<AnyOf*>(self)->fired.set();
        return true;
    }
};

Task<void> wait_any(AnyOf& any, WaitResult& result, bool& done) {
    result = co_await any.fired.wait();
    done = true;
}

}  // namespace

TEST_F(WaitCallbackTest, OneCoroutineWokenByAnyOfSeveralQueues) {
    WaitQueue queues[3];
    AnyOf any;
    WaitCallback c0(&AnyOf::fn, &any), c1(&AnyOf::fn, &any), c2(&AnyOf::fn, &any);
    c0.add_to(queues[0]);
    c1.add_to(queues[1]);
    c2.add_to(queues[2]);
    WaitResult result = WaitResult::Pending;
    bool done = false;
    ASSERT_TRUE(spawn(wait_any(any, result, done)));
    m_hart.pump();
    EXPECT_FALSE(done);
    EXPECT_EQ(queues[2].notify(), 1u);
    EXPECT_FALSE(done);  // the wake is a post
    m_hart.pump();
    EXPECT_TRUE(done);
    EXPECT_EQ(result, WaitResult::Woken);
    // A notify between a check and the next wait is not lost: the event stays set.
    any.fired.reset();
    EXPECT_EQ(queues[0].notify(), 1u);
    done = false;
    ASSERT_TRUE(spawn(wait_any(any, result, done)));
    m_hart.pump();
    EXPECT_TRUE(done);
}

namespace {

// A callback that must never run once its owner has removed it.
struct Guarded {
    std::atomic<bool> removed{false};
    std::atomic<int> calls{0}, late{0};
    static bool fn(void* self, uint32_t) {
        auto* g = static_cast<Guarded*>(self);
        g->calls.fetch_add(1, std::memory_order_relaxed);
        if (g->removed.load(std::memory_order_relaxed)) g->late.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
};

}  // namespace

// Threads notify a queue while another adds and removes callbacks: no callback runs after its
// remove() returned, and none is lost or run twice at once (ThreadSanitizer checks the data).
TEST(WaitCallbackStress, RemoveRacesWithNotify) {
    WaitQueue q;
    std::atomic<bool> stop{false};
    std::vector<std::thread> notifiers;
    for (int i = 0; i < 3; ++i)
        notifiers.emplace_back([&] {
            while (!stop.load(std::memory_order_relaxed)) q.notify();
        });
    long long late = 0, calls = 0;  // a loaded host can run a callback billions of times
    for (int round = 0; round < 2000; ++round) {
        Guarded g;
        {
            WaitCallback cb(&Guarded::fn, &g);
            cb.add_to(q);
            std::this_thread::yield();
            cb.remove();
            g.removed = true;
        }
        late += g.late.load();
        calls += g.calls.load();
    }
    stop = true;
    for (auto& t : notifiers) t.join();
    EXPECT_EQ(late, 0);
    EXPECT_GT(calls, 0);
    EXPECT_FALSE(q.has_waiters());
}

}  // namespace rt
