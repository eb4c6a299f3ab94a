// The line discipline on its own: what the terminal shows (echo, output processing) and what
// readers get, byte by byte, for what a person types.
#include "kernel/fs/line_discipline.hpp"

#include <gtest/gtest.h>

#include <string>

namespace rt {
namespace {

std::string g_shown;  // what the device was sent
void capture(const char* bytes, size_t n) { g_shown.append(bytes, n); }

class LineDisciplineTest : public ::testing::Test {
protected:
    LineDisciplineTest() { g_shown.clear(); }

    // Types `keys`; returns the last signal they raised.
    LineDiscipline::Signal type(const std::string& keys) {
        auto last = LineDiscipline::Signal::None;
        for (char c : keys)
            if (auto s = ld.receive(static_cast<uint8_t>(c)); s != LineDiscipline::Signal::None) last = s;
        return last;
    }
    // What one read of up to `n` bytes gets.
    std::string read(size_t n = 64) {
        char buf[LineDiscipline::kBufferSize];
        bool line_end;
        return std::string(buf, ld.take(buf, n, line_end));
    }
    void change(void (*edit)(Termios&)) {
        Termios t = ld.termios();
        edit(t);
        ld.set_termios(t);
    }

    LineDiscipline ld{capture};
};

TEST_F(LineDisciplineTest, ALineIsReadableOnlyOnceEnded) {
    type("hello");
    EXPECT_FALSE(ld.line_ready());
    EXPECT_EQ(ld.readable_bytes(), 0u);
    type("\r");  // ICRNL
    EXPECT_TRUE(ld.line_ready());
    EXPECT_EQ(ld.readable_bytes(), 6u);
    EXPECT_EQ(read(), "hello\n");
    EXPECT_EQ(g_shown, "hello\r\n");  // echoed, ONLCR
}

TEST_F(LineDisciplineTest, ReadsStopAtTheEndOfALine) {
    type("one\ntwo\n");
    EXPECT_EQ(read(2), "on");
    EXPECT_EQ(read(), "e\n");
    EXPECT_EQ(read(), "two\n");
    EXPECT_FALSE(ld.line_ready());
}

TEST_F(LineDisciplineTest, EraseRubsOutWhatItRemoves) {
    type("ab\177c\n");
    EXPECT_EQ(read(), "ac\n");
    EXPECT_EQ(g_shown, "ab\b \bc\r\n");
}

TEST_F(LineDisciplineTest, EraseOnAnEmptyLineDoesNothing) {
    type("\177\177x\n");
    EXPECT_EQ(read(), "x\n");
    EXPECT_EQ(g_shown, "x\r\n");
}

TEST_F(LineDisciplineTest, ControlCharactersShowAsCaretAndTakeTwoColumnsToErase) {
    type("\001\177\n");
    EXPECT_EQ(read(), "\n");
    EXPECT_EQ(g_shown, "^A\b \b\b \b\r\n");
}

TEST_F(LineDisciplineTest, ErasingATabGoesBackToWhereItStarted) {
    type("ab\t\177");
    EXPECT_EQ(g_shown, "ab\t\b\b\b\b\b\b");  // from column 8 back to 2
}

TEST_F(LineDisciplineTest, Iutf8ErasesAWholeCharacterInOneColumn) {
    change([](Termios& t) { t.iflag |= kIutf8; });
    type("a\xc3\xa9\xe2\x82\xac\177\177\n");  // a, e-acute, euro sign; two erases
    EXPECT_EQ(read(), "a\n");
    EXPECT_EQ(g_shown, "a\xc3\xa9\xe2\x82\xac\b \b\b \b\r\n");
}

TEST_F(LineDisciplineTest, WithoutIutf8AnEraseTakesOneByte) {
    type("\xc3\xa9\177\n");
    EXPECT_EQ(read(), "\xc3\n");
}

TEST_F(LineDisciplineTest, WordEraseTakesTrailingBlanksAndAWord) {
    type("foo bar  \027baz\n");
    EXPECT_EQ(read(), "foo baz\n");
}

TEST_F(LineDisciplineTest, KillRubsOutTheLineUnderEchoke) {
    type("abc\025d\n");
    EXPECT_EQ(read(), "d\n");
    EXPECT_EQ(g_shown, "abc\b \b\b \b\b \bd\r\n");
}

TEST_F(LineDisciplineTest, KillWithoutEchokeShowsTheCharacterAndANewline) {
    change([](Termios& t) { t.lflag &= ~kEchoke; });
    type("abc\025");
    EXPECT_EQ(g_shown, "abc^U\r\n");
}

TEST_F(LineDisciplineTest, EraseWithoutEchoeShowsTheEraseCharacter) {
    change([](Termios& t) { t.lflag &= ~kEchoe; });
    type("ab\177");
    EXPECT_EQ(g_shown, "ab^?");
}

TEST_F(LineDisciplineTest, EndOfFileEndsALineWithoutAByte) {
    type("ab\004");
    EXPECT_TRUE(ld.line_ready());
    EXPECT_EQ(ld.readable_bytes(), 2u);
    EXPECT_EQ(read(), "ab");
    type("\004");
    bool line_end = false;
    char buf[8];
    EXPECT_EQ(ld.take(buf, sizeof buf, line_end), 0u);  // a read of 0: end of file
    EXPECT_TRUE(line_end);
    EXPECT_FALSE(ld.line_ready());
}

TEST_F(LineDisciplineTest, LiteralNextMakesASpecialCharacterData) {
    type("\026\003\026\177\n");
    EXPECT_EQ(read(), "\003\177\n");
    EXPECT_EQ(g_shown, "^\b^C^\b^?\r\n");
}

TEST_F(LineDisciplineTest, ReprintShowsTheLineAgain) {
    type("ab\022");
    EXPECT_EQ(g_shown, "ab^R\r\nab");
}

TEST_F(LineDisciplineTest, SignalCharactersFlushUnlessNoflsh) {
    EXPECT_EQ(type("junk\003"), LineDiscipline::Signal::Interrupt);
    EXPECT_EQ(g_shown, "junk^C");
    EXPECT_EQ(ld.queued(), 0u);
    EXPECT_EQ(type("\034"), LineDiscipline::Signal::Quit);
    EXPECT_EQ(type("\032"), LineDiscipline::Signal::Suspend);
    change([](Termios& t) { t.lflag |= kNoflsh; });
    type("kept\003\n");
    EXPECT_EQ(read(), "kept\n");
    change([](Termios& t) { t.lflag &= ~kIsig; });
    EXPECT_EQ(type("\003\n"), LineDiscipline::Signal::None);
    EXPECT_EQ(read(), "\003\n");
}

TEST_F(LineDisciplineTest, EchonlShowsNewlinesWithoutEcho) {
    change([](Termios& t) {
        t.lflag &= ~kEcho;
        t.lflag |= kEchonl;
    });
    type("secret\n");
    EXPECT_EQ(g_shown, "\r\n");
    EXPECT_EQ(read(), "secret\n");
}

TEST_F(LineDisciplineTest, InputTranslation) {
    change([](Termios& t) {
        t.iflag = kIgncr;
        t.lflag &= ~kIcanon;
    });
    type("a\rb");
    EXPECT_EQ(read(), "ab");
    change([](Termios& t) { t.iflag = kInlcr; });
    type("\n");
    EXPECT_EQ(read(), "\r");
}

TEST_F(LineDisciplineTest, OutputProcessing) {
    ld.write("a\nb", 3);
    EXPECT_EQ(g_shown, "a\r\nb");
    g_shown.clear();
    change([](Termios& t) { t.oflag &= ~kOpost; });
    ld.write("a\nb", 3);
    EXPECT_EQ(g_shown, "a\nb");
}

TEST_F(LineDisciplineTest, NonCanonicalBytesAreReadableAtOnce) {
    change([](Termios& t) { t.lflag &= ~(kIcanon | kEcho); });
    type("ab\177");
    EXPECT_EQ(ld.queued(), 3u);
    EXPECT_EQ(read(2), "ab");
    EXPECT_EQ(read(), "\177");
}

TEST_F(LineDisciplineTest, LeavingCanonicalModeMakesThePartialLineReadable) {
    type("abc");
    change([](Termios& t) { t.lflag &= ~kIcanon; });
    EXPECT_EQ(read(), "abc");
    type("de");
    change([](Termios& t) { t.lflag |= kIcanon; });
    EXPECT_TRUE(ld.line_ready());  // what was there becomes a line
    EXPECT_EQ(read(), "de");
}

TEST_F(LineDisciplineTest, AFullBufferStillTakesTheLinesEnd) {
    change([](Termios& t) { t.lflag &= ~kEcho; });
    type(std::string(5000, 'x'));
    EXPECT_EQ(ld.queued(), LineDiscipline::kBufferSize - 1);
    type("\n");
    EXPECT_TRUE(ld.line_ready());
    std::string line = read(LineDiscipline::kBufferSize);
    EXPECT_EQ(line.size(), LineDiscipline::kBufferSize);
    EXPECT_EQ(line.back(), '\n');
}

TEST_F(LineDisciplineTest, FlowControlCharactersStopAndStartOutput) {
    type("\023");
    EXPECT_TRUE(ld.output_stopped());
    type("\021");
    EXPECT_FALSE(ld.output_stopped());
    EXPECT_EQ(ld.queued(), 0u);  // neither is data
    change([](Termios& t) { t.iflag |= kIxany; });
    type("\023x");
    EXPECT_FALSE(ld.output_stopped());
}

}  // namespace
}  // namespace rt
