#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "kernel/lib/spinlock.hpp"

namespace rt {

TEST(SpinLock, LockAndUnlockTrackTheLockDepth) {
    SpinLock l;
    ASSERT_EQ(platform::lock_depth(), 0);
    EXPECT_FALSE(l.is_locked());
    unsigned long irq = l.lock();
    EXPECT_TRUE(l.is_locked());
    EXPECT_EQ(platform::lock_depth(), 1);
    l.unlock(irq);
    EXPECT_FALSE(l.is_locked());
    EXPECT_EQ(platform::lock_depth(), 0);
}

TEST(SpinLock, NestedLocksCountEachLevel) {
    SpinLock outer, inner;
    {
        SpinLockGuard a(outer);
        {
            SpinLockGuard b(inner);
            EXPECT_EQ(platform::lock_depth(), 2);
            EXPECT_TRUE(inner.is_locked());
        }
        EXPECT_FALSE(inner.is_locked());
        EXPECT_TRUE(outer.is_locked());
        EXPECT_EQ(platform::lock_depth(), 1);
    }
    EXPECT_FALSE(outer.is_locked());
    EXPECT_EQ(platform::lock_depth(), 0);
}

TEST(SpinLock, LockDepthIsPerThread) {
    SpinLock l;
    SpinLockGuard g(l);
    int other_depth = -1;
    std::thread t([&] { other_depth = platform::lock_depth(); });
    t.join();
    EXPECT_EQ(other_depth, 0);
    EXPECT_EQ(platform::lock_depth(), 1);
}

TEST(SpinLock, ExcludesOtherThreads) {
    SpinLock l;
    long counter = 0;  // deliberately not atomic: the lock is what protects it
    constexpr int kThreads = 4, kIterations = 20000;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < kIterations; ++i) {
                SpinLockGuard g(l);
                long v = counter;
                counter = v + 1;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(counter, long{kThreads} * kIterations);
    EXPECT_FALSE(l.is_locked());
}

TEST(Protected, WithRunsUnderTheLockAndReturnsTheResult) {
    Protected<std::vector<int>> p(3, 7);  // constructor arguments are forwarded
    int depth_inside = -1;
    size_t n = p.with([&](std::vector<int>& v) {
        depth_inside = platform::lock_depth();
        v.push_back(8);
        return v.size();
    });
    EXPECT_EQ(n, 4u);
    EXPECT_EQ(depth_inside, 1);
    EXPECT_EQ(platform::lock_depth(), 0);
    int sum = p.with([](std::vector<int>& v) {
        int s = 0;
        for (int x : v) s += x;
        return s;
    });
    EXPECT_EQ(sum, 29);
}

TEST(Protected, WithCanReturnVoid) {
    Protected<int> p(1);
    p.with([](int& v) { v *= 10; });
    EXPECT_EQ(p.with([](int& v) { return v; }), 10);
}

TEST(Protected, SerializesConcurrentUpdates) {
    Protected<long> p(0);
    constexpr int kThreads = 4, kIterations = 20000;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < kIterations; ++i) p.with([](long& v) { ++v; });
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(p.with([](long& v) { return v; }), long{kThreads} * kIterations);
}

}  // namespace rt
