#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "kernel/lib/error_or.hpp"

namespace rt {
namespace {

// Counts live instances, so double destruction or a leaked value shows up.
struct Counted {
    static inline int s_live = 0;
    int value;
    explicit Counted(int v) : value(v) { ++s_live; }
    Counted(Counted&& o) : value(o.value) {
        o.value = -1;
        ++s_live;
    }
    Counted(const Counted&) = delete;
    ~Counted() { --s_live; }
};

ErrorOr<int> parse_digit(char c) {
    if (c < '0' || c > '9') return Error(Errno::INVAL);
    return c - '0';
}

ErrorOr<int> add_digits(char a, char b) {
    int x = TRY(parse_digit(a));
    int y = TRY(parse_digit(b));
    return x + y;
}

ErrorOr<std::unique_ptr<int>> make_box(int v, bool fail) {
    if (fail) return Errno::NOMEM;
    return std::make_unique<int>(v);
}

ErrorOr<int> unbox(int v, bool fail) {
    std::unique_ptr<int> p = TRY(make_box(v, fail));
    return *p;
}

ErrorOr<void> check_positive(int v) {
    if (v <= 0) return Error(Errno::RANGE);
    return {};
}

ErrorOr<void> counted_check(int v, int& evaluations) {
    ++evaluations;
    return check_positive(v);
}

ErrorOr<int> doubled_if_positive(int v, int& evaluations) {
    TRY(counted_check(v, evaluations));
    return v * 2;
}

}  // namespace

TEST(ErrorOr, HoldsAValue) {
    ErrorOr<int> r = 5;
    EXPECT_FALSE(r.is_error());
    EXPECT_TRUE(static_cast<bool>(r));
    EXPECT_EQ(r.value(), 5);
    EXPECT_EQ(*r, 5);
    EXPECT_EQ(r.release_value(), 5);
}

TEST(ErrorOr, HoldsAnError) {
    ErrorOr<int> r = Error(Errno::NOENT);
    EXPECT_TRUE(r.is_error());
    EXPECT_FALSE(static_cast<bool>(r));
    EXPECT_EQ(r.error().code, Errno::NOENT);
    ErrorOr<int> from_errno = Errno::BUSY;
    EXPECT_EQ(from_errno.error(), Error(Errno::BUSY));
}

TEST(ErrorOr, ErrorIsANegatedErrnoForSyscalls) {
    EXPECT_EQ(Error(Errno::PERM).as_syscall_result(), -1);
    EXPECT_EQ(Error(Errno::TIMEDOUT).as_syscall_result(), -110);
    EXPECT_NE(Error(Errno::INTR), Error(Errno::PIPE));
}

TEST(ErrorOr, ArrowReachesMembers) {
    ErrorOr<std::string> r = std::string("riptide");
    EXPECT_EQ(r->size(), 7u);
    r->append("!");
    EXPECT_EQ(r.value(), "riptide!");
}

TEST(ErrorOr, MoveOnlyValue) {
    ErrorOr<std::unique_ptr<int>> r = std::make_unique<int>(9);
    ASSERT_FALSE(r.is_error());
    ErrorOr<std::unique_ptr<int>> moved = std::move(r);
    ASSERT_FALSE(moved.is_error());
    std::unique_ptr<int> p = moved.release_value();
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(*p, 9);
    std::unique_ptr<int> q = make_box(3, false).value();  // rvalue value() moves out
    EXPECT_EQ(*q, 3);
}

TEST(ErrorOr, MovingAnErrorKeepsTheError) {
    ErrorOr<std::unique_ptr<int>> r = Error(Errno::AGAIN);
    ErrorOr<std::unique_ptr<int>> moved = std::move(r);
    ASSERT_TRUE(moved.is_error());
    EXPECT_EQ(moved.error().code, Errno::AGAIN);
}

TEST(ErrorOr, ValueIsConstructedAndDestroyedExactlyOnce) {
    ASSERT_EQ(Counted::s_live, 0);
    {
        ErrorOr<Counted> r = Counted(4);
        EXPECT_EQ(Counted::s_live, 1);
        ErrorOr<Counted> moved = std::move(r);
        EXPECT_EQ(Counted::s_live, 2);  // the moved-from value is still alive in r
        Counted c = moved.release_value();
        EXPECT_EQ(c.value, 4);
    }
    EXPECT_EQ(Counted::s_live, 0);
    {
        ErrorOr<Counted> e = Error(Errno::IO);  // no value: nothing to destroy
        EXPECT_EQ(Counted::s_live, 0);
    }
    EXPECT_EQ(Counted::s_live, 0);
}

TEST(ErrorOr, VoidSpecialization) {
    ErrorOr<void> ok;
    EXPECT_FALSE(ok.is_error());
    EXPECT_TRUE(static_cast<bool>(ok));
    ErrorOr<void> bad = Errno::FAULT;
    EXPECT_TRUE(bad.is_error());
    EXPECT_EQ(bad.error().code, Errno::FAULT);
    EXPECT_TRUE(check_positive(1));
    EXPECT_EQ(check_positive(0).error().code, Errno::RANGE);
}

TEST(ErrorOr, TryPassesValuesThrough) {
    auto r = add_digits('3', '4');
    ASSERT_FALSE(r.is_error());
    EXPECT_EQ(r.value(), 7);
}

TEST(ErrorOr, TryReturnsTheFirstError) {
    auto r = add_digits('x', '4');
    ASSERT_TRUE(r.is_error());
    EXPECT_EQ(r.error().code, Errno::INVAL);
    EXPECT_TRUE(add_digits('1', '?').is_error());
}

TEST(ErrorOr, TryWithMoveOnlyValue) {
    auto ok = unbox(11, false);
    ASSERT_FALSE(ok.is_error());
    EXPECT_EQ(ok.value(), 11);
    auto bad = unbox(11, true);
    ASSERT_TRUE(bad.is_error());
    EXPECT_EQ(bad.error().code, Errno::NOMEM);
}

TEST(ErrorOr, TryOnVoidEvaluatesTheExpressionOnce) {
    int evaluations = 0;
    auto ok = doubled_if_positive(5, evaluations);
    ASSERT_FALSE(ok.is_error());
    EXPECT_EQ(ok.value(), 10);
    auto bad = doubled_if_positive(-5, evaluations);
    ASSERT_TRUE(bad.is_error());
    EXPECT_EQ(bad.error().code, Errno::RANGE);
    EXPECT_EQ(evaluations, 2);
}

}  // namespace rt

namespace rt {

TEST(ErrorOrAssign, MoveAssignBetweenValueAndError) {
    ErrorOr<std::unique_ptr<int>> a = std::make_unique<int>(5);
    ErrorOr<std::unique_ptr<int>> b = Error(Errno::NOENT);
    b = std::move(a);
    ASSERT_FALSE(b.is_error());
    EXPECT_EQ(*b.value(), 5);
    b = ErrorOr<std::unique_ptr<int>>(Error(Errno::IO));
    ASSERT_TRUE(b.is_error());
    EXPECT_EQ(b.error().code, Errno::IO);
}

}  // namespace rt
