#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "host_platform.hpp"
#include "kernel/async/semaphore.hpp"
#include "kernel/async/task.hpp"

namespace rt {
namespace {

Task<void> acquire_and_log(Semaphore& s, std::vector<int>& log, int id) {
    co_await s.acquire();
    log.push_back(id);
}

// Takes the mutex, then yields inside the critical section so others try to get in.
Task<void> locked_increments(Mutex& m, int& value, int& inside, int& max_inside, int rounds) {
    for (int i = 0; i < rounds; ++i) {
        co_await m.lock();
        MutexLocker held(m, kAdopt);
        max_inside = std::max(max_inside, ++inside);
        int v = value;
        co_await yield();
        value = v + 1;
        --inside;
    }
}

Task<void> lock_and_log(Mutex& m, std::vector<int>& log, int id) {
    co_await m.lock();
    MutexLocker held(m, kAdopt);
    log.push_back(id);
    co_await yield();
}

class SemaphoreTest : public ::testing::Test {
protected:
    void TearDown() override { EXPECT_EQ(host::live_frames(), 0); }
    host::CurrentThreadHart m_hart;
};

}  // namespace

TEST_F(SemaphoreTest, TryAcquireConsumesUnits) {
    Semaphore s(2);
    EXPECT_TRUE(s.try_acquire());
    EXPECT_TRUE(s.try_acquire());
    EXPECT_FALSE(s.try_acquire());
    s.release();
    EXPECT_TRUE(s.try_acquire());
    EXPECT_FALSE(s.try_acquire());
}

TEST_F(SemaphoreTest, AcquireWithAUnitAvailableDoesNotSuspend) {
    Semaphore s(1);
    std::vector<int> log;
    ASSERT_TRUE(spawn(acquire_and_log(s, log, 1)));
    EXPECT_TRUE(m_hart.executor().run_once());
    EXPECT_EQ(log, (std::vector<int>{1}));
    EXPECT_FALSE(s.try_acquire());
}

TEST_F(SemaphoreTest, ReleaseHandsOffToWaitersInFifoOrder) {
    Semaphore s(0);
    std::vector<int> log;
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(spawn(acquire_and_log(s, log, i)));
    m_hart.pump();
    EXPECT_TRUE(log.empty());
    for (int i = 0; i < 4; ++i) {
        s.release();
        m_hart.pump();
        EXPECT_EQ(log.size(), size_t(i + 1));
        EXPECT_EQ(log.back(), i);
    }
    EXPECT_FALSE(s.try_acquire());  // every unit went straight to a waiter
}

TEST_F(SemaphoreTest, ANewcomerCannotOvertakeAWokenWaiter) {
    Semaphore s(0);
    std::vector<int> log;
    ASSERT_TRUE(spawn(acquire_and_log(s, log, 1)));
    m_hart.pump();
    s.release();  // hands the unit to the waiter, which has not run yet
    EXPECT_FALSE(s.try_acquire());
    ASSERT_TRUE(spawn(acquire_and_log(s, log, 2)));
    m_hart.pump();
    EXPECT_EQ(log, (std::vector<int>{1}));
    s.release();
    m_hart.pump();
    EXPECT_EQ(log, (std::vector<int>{1, 2}));
}

TEST_F(SemaphoreTest, ReleasesWithoutWaitersAccumulate) {
    Semaphore s(0);
    s.release();
    s.release();
    std::vector<int> log;
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(spawn(acquire_and_log(s, log, i)));
    m_hart.pump();
    EXPECT_EQ(log, (std::vector<int>{0, 1}));
    s.release();
    m_hart.pump();
    EXPECT_EQ(log, (std::vector<int>{0, 1, 2}));
}

TEST_F(SemaphoreTest, MutexTryLock) {
    Mutex m;
    EXPECT_TRUE(m.try_lock());
    EXPECT_FALSE(m.try_lock());
    m.unlock();
    EXPECT_TRUE(m.try_lock());
    m.unlock();
}

TEST_F(SemaphoreTest, MutexLockerUnlocksAtScopeExit) {
    Mutex m;
    ASSERT_TRUE(m.try_lock());
    {
        MutexLocker held(m, kAdopt);
        EXPECT_FALSE(m.try_lock());
    }
    EXPECT_TRUE(m.try_lock());
    m.unlock();
}

TEST_F(SemaphoreTest, MutexExcludesAcrossSuspension) {
    Mutex m;
    int value = 0, inside = 0, max_inside = 0;
    for (int i = 0; i < 5; ++i)
        ASSERT_TRUE(spawn(locked_increments(m, value, inside, max_inside, 10)));
    m_hart.pump();
    EXPECT_EQ(value, 50);
    EXPECT_EQ(max_inside, 1);
    EXPECT_TRUE(m.try_lock());
    m.unlock();
}

TEST_F(SemaphoreTest, MutexIsHandedOverInFifoOrder) {
    Mutex m;
    ASSERT_TRUE(m.try_lock());
    std::vector<int> log;
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(spawn(lock_and_log(m, log, i)));
    m_hart.pump();
    EXPECT_TRUE(log.empty());
    m.unlock();
    m_hart.pump();
    EXPECT_EQ(log, (std::vector<int>{0, 1, 2}));
    EXPECT_TRUE(m.try_lock());
    m.unlock();
}

}  // namespace rt
