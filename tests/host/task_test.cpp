#include <gtest/gtest.h>

#include "host_platform.hpp"
#include "kernel/async/co_try.hpp"
#include "kernel/async/task.hpp"

using namespace rt;

namespace {

Task<int> forty_two() { co_return 42; }
Task<int> add_one(int x) { co_return co_await forty_two() + x; }

Task<ErrorOr<int>> may_fail(bool fail) {
    if (fail) co_return Error(Errno::INVAL);
    co_return 7;
}
Task<ErrorOr<int>> uses_co_try(bool fail) {
    int v = CO_TRY(co_await may_fail(fail));
    co_return v * 2;
}

Task<void> store(int& out, Task<int> t) { out = co_await std::move(t); }
Task<void> store_err(ErrorOr<int>& out, Task<ErrorOr<int>> t) {
    auto r = co_await std::move(t);
    out.~ErrorOr<int>();
    new (&out) ErrorOr<int>(std::move(r));
}

}  // namespace

TEST(Task, IsLazyAndReturnsValue) {
    host::CurrentThreadHart hart;
    int out = 0;
    ASSERT_TRUE(spawn(store(out, add_one(1))));
    EXPECT_EQ(out, 0);  // nothing runs until the executor does
    hart.pump();
    EXPECT_EQ(out, 43);
    EXPECT_EQ(host::live_frames(), 0);
}

TEST(Task, CoTryPropagatesErrorAndValue) {
    host::CurrentThreadHart hart;
    ErrorOr<int> ok = Error(Errno::PERM), bad = 0;
    ASSERT_TRUE(spawn(store_err(ok, uses_co_try(false))));
    ASSERT_TRUE(spawn(store_err(bad, uses_co_try(true))));
    hart.pump();
    ASSERT_FALSE(ok.is_error());
    EXPECT_EQ(ok.value(), 14);
    ASSERT_TRUE(bad.is_error());
    EXPECT_EQ(bad.error().code, Errno::INVAL);
    EXPECT_EQ(host::live_frames(), 0);
}

Task<void> nothing() { co_return; }

TEST(Task, AllocationFailureIsAnError) {
    host::CurrentThreadHart hart;
    host::fail_next_allocations(1);
    Task<void> t = nothing();
    EXPECT_FALSE(t.valid());
    auto r = spawn(std::move(t));
    ASSERT_TRUE(r.is_error());
    EXPECT_EQ(r.error().code, Errno::NOMEM);
}

TEST(Task, AwaitingAFailedErrorOrTaskGivesENOMEM) {
    host::CurrentThreadHart hart;
    ErrorOr<int> out = 0;
    host::fail_next_allocations(1);
    Task<ErrorOr<int>> failed = may_fail(false);
    ASSERT_FALSE(failed.valid());
    ASSERT_TRUE(spawn(store_err(out, std::move(failed))));
    hart.pump();
    ASSERT_TRUE(out.is_error());
    EXPECT_EQ(out.error().code, Errno::NOMEM);
}

// A system call's task (its result a long) that could not be allocated answers -ENOMEM: the
// reproducer for a panic in clock_nanosleep when a fork bomb had used up memory.
Task<long> syscall_like() { co_return 5; }
Task<void> store_long(long& out, Task<long> t) { out = co_await std::move(t); }

TEST(Task, AwaitingAFailedSystemCallTaskGivesMinusENOMEM) {
    host::CurrentThreadHart hart;
    long out = 0;
    host::fail_next_allocations(1);
    Task<long> failed = syscall_like();
    ASSERT_FALSE(failed.valid());
    ASSERT_TRUE(spawn(store_long(out, std::move(failed))));
    hart.pump();
    EXPECT_EQ(out, -static_cast<long>(Errno::NOMEM));
}
