// cpio reader on hostile archives: bad fields and names are refused, nothing is read past the end.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "cpio_builder.hpp"

namespace rt::test {
namespace {

TEST(CpioHostile, RejectsBadMagic) {
    for (const char* magic : {"070707", "070700", "707010", "\0\0\0\0\0\0"}) {
        Archive a;
        a.add({.name = "x", .magic = "070701"});
        memcpy(a.bytes.data(), magic, 6);
        a.trailer();
        EXPECT_EQ(error_of(a.bytes), Errno::INVAL) << magic;
    }
}

TEST(CpioHostile, RejectsNonHexDigitsInEveryField) {
    for (int field = 0; field < 13; ++field) {
        for (char bad : {'g', 'G', ' ', '-', 'x', '\0'}) {
            Archive a;
            a.file("x", "data");
            a.trailer();
            a.bytes[6 + 8 * field + (field % 8)] = bad;
            EXPECT_EQ(error_of(a.bytes), Errno::INVAL) << "field " << field << " char " << bad;
        }
    }
}


TEST(CpioHostile, RejectsUnsafeNames) {
    for (const char* name : {"..", "../x", "a/../b", "a/..", "./..", "/../etc", "a//b", "a/./b",
                             "a/.", ""}) {
        Archive a;
        a.file(name);
        a.trailer();
        EXPECT_EQ(error_of(a.bytes), Errno::INVAL) << '"' << name << '"';
    }
}

TEST(CpioHostile, RejectsMalformedNameFields) {
    Archive no_nul;  // namesize covers "ab" but not the NUL
    no_nul.add({.name = "ab", .namesize = 2});
    no_nul.trailer();
    EXPECT_EQ(read_all(no_nul.bytes).names.size(), 0u);
    EXPECT_EQ(error_of(no_nul.bytes), Errno::INVAL);
    Archive zero;
    zero.add({.name = "", .namesize = 0});
    zero.trailer();
    EXPECT_EQ(error_of(zero.bytes), Errno::INVAL);
    Archive inner_nul;
    inner_nul.add({.name = std::string("a\0b", 3)});
    inner_nul.trailer();
    EXPECT_EQ(read_all(inner_nul.bytes).names.size(), 0u);
    EXPECT_EQ(error_of(inner_nul.bytes), Errno::INVAL);
    Archive huge;
    huge.add({.name = "x", .namesize = 0xffffffff});
    EXPECT_EQ(error_of(huge.bytes), Errno::NAMETOOLONG);
    // PATH_MAX counts the NUL: 4095 characters fit, 4096 do not.
    Archive longest;
    longest.file(std::string(4095, 'n'));
    longest.trailer();
    EXPECT_FALSE(read_all(longest.bytes).error.has_value());
    Archive too_long;
    too_long.file(std::string(4096, 'n'));
    too_long.trailer();
    EXPECT_EQ(error_of(too_long.bytes), Errno::NAMETOOLONG);
}

TEST(CpioHostile, RejectsSizesPastTheEnd) {
    for (uint32_t filesize : {5u, 8u, 0x10000u, 0x7fffffffu, 0xffffffffu}) {
        Archive a;
        a.add({.name = "x", .data = "abcd", .filesize = filesize});
        EXPECT_EQ(error_of(a.bytes), Errno::INVAL) << filesize;
    }
    Archive a;  // a namesize reaching past the end of the buffer
    a.add({.name = "x", .namesize = 200});
    EXPECT_EQ(error_of(a.bytes), Errno::INVAL);
}


TEST(CpioHostile, MissingTrailerIsAnErrorAndErrorsAreSticky) {
    Archive a;
    a.file("x", "data");
    CpioReader reader(reinterpret_cast<const uint8_t*>(a.bytes.data()), a.bytes.size());
    CpioEntry e;
    auto first = reader.next(e);
    ASSERT_FALSE(first.is_error());
    EXPECT_TRUE(first.value());
    for (int i = 0; i < 3; ++i) {
        auto r = reader.next(e);
        ASSERT_TRUE(r.is_error());
        EXPECT_EQ(r.error().code, Errno::INVAL);
    }
}

// Every prefix of a valid archive: an error, or a clean end only once the trailer is complete;
// every entry delivered lies inside the prefix.
TEST(CpioHostile, EveryTruncationIsSafe) {
    Archive a;
    a.dir(".").dir("bin").file("bin/tool", std::string(37, 'z')).file("link", "x");
    a.add({.name = "bin/ln", .mode = kModeSymlink | 0777, .data = "tool"});
    a.trailer();
    size_t trailer_end = a.bytes.size() - 3;  // just after the name's NUL; the padding may go
    a.pad(512);
    for (size_t n = 0; n <= a.bytes.size(); ++n) {
        // A fresh buffer of exactly n bytes, so reading past it would be a heap overflow.
        std::vector<uint8_t> prefix(a.bytes.begin(), a.bytes.begin() + n);
        Read r = read_all(prefix.data(), prefix.size());
        if (n == 0) {
            EXPECT_FALSE(r.error.has_value());
        } else if (n < trailer_end) {
            EXPECT_EQ(r.error, Errno::INVAL) << n;
        } else {
            EXPECT_FALSE(r.error.has_value()) << n;
            EXPECT_EQ(r.entries.size(), 5u);
        }
        for (const CpioEntry& e : r.entries) {
            auto* name = reinterpret_cast<const uint8_t*>(e.name);
            EXPECT_GE(name, prefix.data());
            EXPECT_LE(name + e.name_len, prefix.data() + n);
            EXPECT_LE(e.data + e.data_size, prefix.data() + n);
        }
    }
}

TEST(CpioHostile, RandomCorruptionIsSafe) {
    Archive a;
    a.dir("d").file("d/f", "hello world").file("g", std::string(100, 'q'));
    a.add({.name = "d/l", .mode = kModeSymlink | 0777, .data = "f"});
    a.trailer().pad(512);
    std::mt19937_64 rng(777);
    const char interesting[] = "0123456789abcdefFG./\0";
    for (int round = 0; round < 20000; ++round) {
        std::vector<uint8_t> bytes(a.bytes.begin(), a.bytes.end());
        for (int i = 0, flips = 1 + rng() % 3; i < flips; ++i) {
            size_t at = rng() % bytes.size();
            bytes[at] = rng() % 2 ? interesting[rng() % (sizeof(interesting) - 1)]
                                  : static_cast<uint8_t>(rng());
        }
        Read r = read_all(bytes.data(), bytes.size());
        for (const CpioEntry& e : r.entries) {
            auto* name = reinterpret_cast<const uint8_t*>(e.name);
            EXPECT_LE(name + e.name_len, bytes.data() + bytes.size());
            EXPECT_LE(e.data + e.data_size, bytes.data() + bytes.size());
            EXPECT_TRUE(is_canonical(std::string(e.name, e.name_len)));
        }
    }
}

// Against GNU cpio itself, when the host has it.
}  // namespace
}  // namespace rt::test
