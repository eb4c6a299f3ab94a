#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "host_platform.hpp"
#include "kernel/async/channel.hpp"
#include "test_util.hpp"

namespace rt {
namespace {

using IntChannel = Channel<int, 2>;
constexpr Errno kNoError = Errno(0);

struct Outcome {
    bool done = false;
    Errno error = kNoError;
    int value = -1;
};

Task<void> send_into(IntChannel& ch, int v, WaitOptions o, Outcome& out) {
    auto r = co_await ch.send(v, o);
    if (r.is_error()) out.error = r.error().code;
    out.done = true;
}

Task<void> receive_into(IntChannel& ch, WaitOptions o, Outcome& out) {
    auto r = co_await ch.receive(o);
    if (r.is_error()) out.error = r.error().code;
    else out.value = r.release_value();
    out.done = true;
}

// Receives until the channel is closed and drained.
Task<void> drain(IntChannel& ch, std::vector<int>& got, Outcome& out) {
    for (;;) {
        auto r = co_await ch.receive();
        if (r.is_error()) {
            out.error = r.error().code;
            break;
        }
        got.push_back(r.value());
    }
    out.done = true;
}

using BoxChannel = Channel<std::unique_ptr<int>, 1>;

Task<void> send_box(BoxChannel& ch, int v, Outcome& out) {
    auto r = co_await ch.send(std::make_unique<int>(v));
    if (r.is_error()) out.error = r.error().code;
    out.done = true;
}

class ChannelTest : public ::testing::Test {
protected:
    void TearDown() override { EXPECT_EQ(host::live_frames(), 0); }
    host::CurrentThreadHart m_hart;
    IntChannel m_channel;
};

}  // namespace

TEST_F(ChannelTest, TrySendAndTryReceiveAreBoundedFifo) {
    EXPECT_EQ(m_channel.try_receive().error().code, Errno::AGAIN);
    EXPECT_TRUE(m_channel.try_send(1));
    EXPECT_TRUE(m_channel.try_send(2));
    EXPECT_EQ(m_channel.try_send(3).error().code, Errno::AGAIN);
    EXPECT_EQ(m_channel.try_receive().value(), 1);
    EXPECT_TRUE(m_channel.try_send(3));  // wraps around the ring
    EXPECT_EQ(m_channel.try_receive().value(), 2);
    EXPECT_EQ(m_channel.try_receive().value(), 3);
    EXPECT_EQ(m_channel.try_receive().error().code, Errno::AGAIN);
}

TEST_F(ChannelTest, ReceiveWaitsForASend) {
    Outcome out;
    ASSERT_TRUE(spawn(receive_into(m_channel, {}, out)));
    m_hart.pump();
    EXPECT_FALSE(out.done);
    ASSERT_TRUE(m_channel.try_send(7));
    m_hart.pump();
    ASSERT_TRUE(out.done);
    EXPECT_EQ(out.error, kNoError);
    EXPECT_EQ(out.value, 7);
}

TEST_F(ChannelTest, SendWaitsForRoom) {
    Outcome a, b, c;
    ASSERT_TRUE(spawn(send_into(m_channel, 1, {}, a)));
    ASSERT_TRUE(spawn(send_into(m_channel, 2, {}, b)));
    ASSERT_TRUE(spawn(send_into(m_channel, 3, {}, c)));
    m_hart.pump();
    EXPECT_TRUE(a.done);
    EXPECT_TRUE(b.done);
    EXPECT_FALSE(c.done);  // the channel holds two
    EXPECT_EQ(m_channel.try_receive().value(), 1);
    m_hart.pump();
    EXPECT_TRUE(c.done);
    EXPECT_EQ(c.error, kNoError);
    EXPECT_EQ(m_channel.try_receive().value(), 2);
    EXPECT_EQ(m_channel.try_receive().value(), 3);
}

TEST_F(ChannelTest, BlockedSendersAndReceiversPassEverythingInOrder) {
    std::vector<int> got;
    Outcome drained, sent[6];
    for (int i = 0; i < 6; ++i) ASSERT_TRUE(spawn(send_into(m_channel, i, {}, sent[i])));
    ASSERT_TRUE(spawn(drain(m_channel, got, drained)));
    m_hart.pump();
    for (auto& s : sent) EXPECT_TRUE(s.done);
    EXPECT_EQ(got, (std::vector<int>{0, 1, 2, 3, 4, 5}));
    EXPECT_FALSE(drained.done);
    m_channel.close();
    m_hart.pump();
    EXPECT_TRUE(drained.done);
    EXPECT_EQ(drained.error, Errno::PIPE);
}

TEST_F(ChannelTest, CloseFailsSendsAndLetsReceiversDrain) {
    ASSERT_TRUE(m_channel.try_send(1));
    m_channel.close();
    EXPECT_EQ(m_channel.try_send(2).error().code, Errno::PIPE);
    Outcome send, first, second;
    ASSERT_TRUE(spawn(send_into(m_channel, 3, {}, send)));
    ASSERT_TRUE(spawn(receive_into(m_channel, {}, first)));
    ASSERT_TRUE(spawn(receive_into(m_channel, {}, second)));
    m_hart.pump();
    EXPECT_EQ(send.error, Errno::PIPE);
    EXPECT_EQ(first.value, 1);
    EXPECT_EQ(second.error, Errno::PIPE);
}

TEST_F(ChannelTest, CloseWakesBlockedSendersAndReceivers) {
    IntChannel empty;
    Outcome receiver, s1, s2, blocked_sender;
    ASSERT_TRUE(spawn(receive_into(empty, {}, receiver)));
    ASSERT_TRUE(spawn(send_into(m_channel, 1, {}, s1)));
    ASSERT_TRUE(spawn(send_into(m_channel, 2, {}, s2)));
    ASSERT_TRUE(spawn(send_into(m_channel, 3, {}, blocked_sender)));
    m_hart.pump();
    EXPECT_FALSE(receiver.done);
    EXPECT_FALSE(blocked_sender.done);
    empty.close();
    m_channel.close();
    m_hart.pump();
    EXPECT_EQ(receiver.error, Errno::PIPE);
    EXPECT_EQ(blocked_sender.error, Errno::PIPE);
    EXPECT_EQ(m_channel.try_receive().value(), 1);  // what was sent before close stays
    EXPECT_EQ(m_channel.try_receive().value(), 2);
    EXPECT_EQ(m_channel.try_receive().error().code, Errno::PIPE);
}

TEST_F(ChannelTest, TimeoutsGiveETIMEDOUT) {
    test::FakeClock clock(1000);
    IntChannel full;
    ASSERT_TRUE(full.try_send(1));
    ASSERT_TRUE(full.try_send(2));
    Outcome receiver, sender;
    ASSERT_TRUE(spawn(receive_into(m_channel, {.deadline_ns = 1500}, receiver)));
    ASSERT_TRUE(spawn(send_into(full, 3, {.deadline_ns = 1800}, sender)));
    m_hart.pump();
    clock.set(1500);
    m_hart.pump();
    EXPECT_EQ(receiver.error, Errno::TIMEDOUT);
    EXPECT_FALSE(sender.done);
    clock.set(1800);
    m_hart.pump();
    EXPECT_EQ(sender.error, Errno::TIMEDOUT);
    EXPECT_EQ(full.try_receive().value(), 1);  // the failed send added nothing
    EXPECT_EQ(full.try_receive().value(), 2);
    EXPECT_EQ(full.try_receive().error().code, Errno::AGAIN);
}

TEST_F(ChannelTest, CancellationGivesEINTR) {
    Cancellation cancel_receive, cancel_send;
    IntChannel full;
    ASSERT_TRUE(full.try_send(1));
    ASSERT_TRUE(full.try_send(2));
    Outcome receiver, sender;
    ASSERT_TRUE(spawn(receive_into(m_channel, {.cancel = &cancel_receive}, receiver)));
    ASSERT_TRUE(spawn(send_into(full, 3, {.cancel = &cancel_send}, sender)));
    m_hart.pump();
    cancel_receive.cancel();
    cancel_send.cancel();
    m_hart.pump();
    EXPECT_EQ(receiver.error, Errno::INTR);
    EXPECT_EQ(sender.error, Errno::INTR);
    ASSERT_TRUE(m_channel.try_send(5));  // the cancelled receive took nothing
    EXPECT_EQ(m_channel.try_receive().value(), 5);
}

TEST_F(ChannelTest, DestructorDestroysQueuedItems) {
    auto shared = std::make_shared<int>(1);
    {
        Channel<std::shared_ptr<int>, 3> ch;
        ASSERT_TRUE(ch.try_send(shared));
        ASSERT_TRUE(ch.try_send(shared));
        EXPECT_EQ(shared.use_count(), 3);
    }
    EXPECT_EQ(shared.use_count(), 1);
}

// Bug: send() moved its value into try_send() on every attempt, so a send that had to wait
// for room retried with a moved-from value (a null unique_ptr arrived at the receiver).
TEST_F(ChannelTest, ReproBlockingSendLosesMovedValue) {
    BoxChannel ch;
    ASSERT_TRUE(ch.try_send(std::make_unique<int>(1)));
    Outcome sender;
    ASSERT_TRUE(spawn(send_box(ch, 2, sender)));
    m_hart.pump();
    EXPECT_FALSE(sender.done);  // full: it waits
    auto first = ch.try_receive();
    ASSERT_FALSE(first.is_error());
    EXPECT_EQ(*first.value(), 1);
    m_hart.pump();
    ASSERT_TRUE(sender.done);
    EXPECT_EQ(sender.error, kNoError);
    auto second = ch.try_receive();
    ASSERT_FALSE(second.is_error());
    ASSERT_NE(second.value(), nullptr);
    EXPECT_EQ(*second.value(), 2);
}

}  // namespace rt
