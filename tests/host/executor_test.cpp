#include <gtest/gtest.h>

#include <vector>

#include "host_platform.hpp"
#include "kernel/async/task.hpp"

namespace rt {
namespace {

Task<void> record(std::vector<int>& log, int id) {
    log.push_back(id);
    co_return;
}

Task<void> record_with_yields(std::vector<int>& log, int id, int yields) {
    for (int i = 0; i <= yields; ++i) {
        log.push_back(id * 10 + i);
        if (i < yields) co_await yield();
    }
}

Task<void> note_executor(Executor*& where) {
    where = &platform::current_executor();
    co_await yield();
    where = &platform::current_executor();
}

Task<void> release_spinlock_then_yield(SpinLock& l, bool& done) {
    {
        SpinLockGuard g(l);
    }
    co_await yield();
    done = true;
}

Task<void> hold_spinlock_across_yield(SpinLock& l) {
    SpinLockGuard g(l);
    co_await yield();
}

}  // namespace

TEST(Executor, RunsSpawnedTasksInFifoOrder) {
    host::CurrentThreadHart hart;
    std::vector<int> log;
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(spawn(record(log, i)));
    EXPECT_TRUE(hart.executor().has_work());
    hart.pump();
    EXPECT_EQ(log, (std::vector<int>{0, 1, 2, 3, 4}));
    EXPECT_FALSE(hart.executor().has_work());
    EXPECT_EQ(host::live_frames(), 0);
}

TEST(Executor, YieldGoesToTheBackOfTheQueue) {
    host::CurrentThreadHart hart;
    std::vector<int> log;
    ASSERT_TRUE(spawn(record_with_yields(log, 1, 2)));
    ASSERT_TRUE(spawn(record_with_yields(log, 2, 1)));
    ASSERT_TRUE(spawn(record(log, 3)));
    hart.pump();
    EXPECT_EQ(log, (std::vector<int>{10, 20, 3, 11, 21, 12}));
    EXPECT_EQ(host::live_frames(), 0);
}

TEST(Executor, RunStopsAtTheBudget) {
    host::CurrentThreadHart hart;
    Executor& ex = hart.executor();
    std::vector<int> log;
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(spawn(record(log, i)));
    EXPECT_EQ(ex.run(2), 2u);
    EXPECT_EQ(log.size(), 2u);
    EXPECT_TRUE(ex.has_work());
    EXPECT_TRUE(ex.run_once());
    EXPECT_EQ(ex.run(), 2u);
    EXPECT_EQ(ex.run(), 0u);
    EXPECT_FALSE(ex.run_once());
    EXPECT_EQ(log, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(Executor, ResumedCountsEveryResumption) {
    host::CurrentThreadHart hart;
    std::vector<int> log;
    EXPECT_EQ(hart.executor().resumed(), 0u);
    ASSERT_TRUE(spawn(record_with_yields(log, 1, 3)));  // 1 start + 3 resumptions after yield
    ASSERT_TRUE(spawn(record(log, 2)));
    hart.pump();
    EXPECT_EQ(hart.executor().resumed(), 5u);
}

TEST(Executor, YieldStaysOnTheCurrentExecutor) {
    host::CurrentThreadHart hart;
    Executor* where = nullptr;
    ASSERT_TRUE(spawn(note_executor(where)));
    hart.pump();
    EXPECT_EQ(where, &hart.executor());
}

TEST(Executor, StealTakesFromTheBack) {
    Executor victim, thief;
    std::vector<int> log;
    EXPECT_EQ(victim.steal(), nullptr);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(spawn(record(log, i), victim));
    Runnable* r = victim.steal();
    ASSERT_NE(r, nullptr);
    thief.post(*r);
    EXPECT_EQ(thief.run(), 1u);
    EXPECT_EQ(log, (std::vector<int>{2}));  // the newest task
    EXPECT_EQ(victim.run(), 2u);
    EXPECT_EQ(log, (std::vector<int>{2, 0, 1}));
    EXPECT_EQ(victim.steal(), nullptr);
    EXPECT_EQ(victim.resumed(), 2u);
    EXPECT_EQ(thief.resumed(), 1u);
    EXPECT_EQ(host::live_frames(), 0);
}

TEST(Executor, SpawnOnAnExplicitExecutor) {
    host::CurrentThreadHart hart;
    Executor other;
    std::vector<int> log;
    ASSERT_TRUE(spawn(record(log, 1), other));
    hart.pump();
    EXPECT_TRUE(log.empty());
    EXPECT_TRUE(other.has_work());
    other.run();
    EXPECT_EQ(log, (std::vector<int>{1}));
}

TEST(Executor, SleepingFlag) {
    Executor ex;
    EXPECT_FALSE(ex.is_sleeping());
    ex.set_sleeping(true);
    EXPECT_TRUE(ex.is_sleeping());
    ex.set_sleeping(false);
    EXPECT_FALSE(ex.is_sleeping());
}

TEST(ExecutorDeathTest, SpinLockHeldAcrossCoAwaitIsFatal) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(
        {
            host::CurrentThreadHart hart;
            SpinLock l;
            (void)spawn(hold_spinlock_across_yield(l));
            hart.pump();
        },
        "spinlock held across co_await");
}

TEST(Executor, SpinLockReleasedBeforeCoAwaitIsFine) {
    host::CurrentThreadHart hart;
    SpinLock l;
    bool done = false;
    ASSERT_TRUE(spawn(release_spinlock_then_yield(l, done)));
    hart.pump();
    EXPECT_TRUE(done);
    EXPECT_EQ(platform::lock_depth(), 0);
    EXPECT_EQ(host::live_frames(), 0);
}

}  // namespace rt
