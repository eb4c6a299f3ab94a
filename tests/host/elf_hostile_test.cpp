// ELF reader on hostile files: every malformed field is refused, nothing is read past the end.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "elf_builder.hpp"

namespace rt::test {
namespace {

TEST(ElfHostile, RejectsBadIdentification) {
    for (int i = 0; i < 7; ++i) {
        TestElf t;
        t.eh.ident[i] ^= 0x40;
        EXPECT_EQ(parse_error(t), Errno::NOEXEC) << "ident byte " << i;
    }
    TestElf t;
    t.eh.version = 2;
    EXPECT_EQ(parse_error(t), Errno::NOEXEC);
    std::vector<uint8_t> tiny(63, 0);
    EXPECT_TRUE(parse_elf(tiny.data(), tiny.size()).is_error());
    EXPECT_TRUE(parse_elf(nullptr, 4096).is_error());
}

TEST(ElfHostile, RejectsOtherMachinesAndTypes) {
    TestElf t;
    t.eh.machine = 62;  // x86-64
    EXPECT_EQ(parse_error(t), Errno::NOEXEC);
    for (uint16_t type : {0, 1, 4, 0xfe00}) {  // none, relocatable, core, OS-specific
        TestElf u;
        u.eh.type = type;
        EXPECT_EQ(parse_error(u), Errno::NOEXEC) << type;
    }
}

TEST(ElfHostile, RejectsBadProgramHeaderCountsAndSizes) {
    for (uint16_t phnum : {0, 65, 0xffff}) {
        TestElf t;
        t.auto_phnum = false;
        t.eh.phnum = phnum;
        EXPECT_EQ(parse_error(t), Errno::NOEXEC) << phnum;
    }
    for (uint16_t entsize : {0, 32, 64, 0xffff}) {
        TestElf t;
        t.eh.phentsize = entsize;
        EXPECT_EQ(parse_error(t), Errno::NOEXEC) << entsize;
    }
}

TEST(ElfHostile, RejectsProgramHeaderTableOutsideTheFile) {
    for (uint64_t phoff : {uint64_t(0x1800 - 100), uint64_t(0x1800), kMax, kMax - 55, kMax / 56}) {
        TestElf t;
        t.eh.phoff = phoff;
        EXPECT_EQ(parse_error(t), Errno::NOEXEC) << phoff;
    }
}

TEST(ElfHostile, RejectsSegmentsOutsideTheFileOrOverflowing) {
    auto with_data = [](uint64_t offset, uint64_t vaddr, uint64_t filesz, uint64_t memsz) {
        TestElf t;
        t.ph[1] = phdr(kPtLoad, kPfR | kPfW, offset, vaddr, filesz, memsz, 0x1000);
        return parse_error(t);
    };
    EXPECT_EQ(with_data(0x1000, 0x11000, 0x801, 0x2000), Errno::NOEXEC);  // past the end
    EXPECT_EQ(with_data(kMax - 0xfff, 0x11000, 0x800, 0x2000), Errno::NOEXEC);
    EXPECT_EQ(with_data(0x1000, 0x11000, kMax, kMax), Errno::NOEXEC);
    EXPECT_EQ(with_data(0x2000, 0x12000, 0, 0x1000), Errno::NOEXEC);  // offset past the end
    EXPECT_EQ(with_data(0x1000, 0x11000, 0x800, 0x7ff), Errno::NOEXEC);  // filesz > memsz
    EXPECT_EQ(with_data(0x1000, kMax - 0xfff, 0x800, 0x2000), Errno::NOEXEC);  // wraps
    EXPECT_EQ(with_data(0x1000, 0x11000, 0x800, kMax), Errno::NOEXEC);
}

TEST(ElfHostile, SegmentAboveUserSpaceIsNoMem) {
    TestElf t;
    t.ph[1] = phdr(kPtLoad, kPfR | kPfW, 0x1000, kUserTop - 0x1000, 0x800, 0x1000, 0x1000);
    auto r = t.parse();
    ASSERT_FALSE(r.is_error());  // ending exactly at the top is fine
    EXPECT_EQ(r->max_vaddr, kUserTop);
    t.ph[1].memsz = 0x1001;
    EXPECT_EQ(parse_error(t), Errno::NOMEM);
    t.ph[1].vaddr = kUserTop;
    t.ph[1].memsz = 0x1000;
    EXPECT_EQ(parse_error(t), Errno::NOMEM);
}


TEST(ElfHostile, RejectsUnsortedOrOverlappingLoads) {
    TestElf t;
    t.ph[1].vaddr = 0x10800;  // inside the code segment
    t.ph[1].offset = 0x800;
    t.ph[1].align = 0;
    EXPECT_EQ(parse_error(t), Errno::NOEXEC);
    TestElf u;
    std::swap(u.ph[0], u.ph[1]);  // descending vaddr
    EXPECT_EQ(parse_error(u), Errno::NOEXEC);
    TestElf v;  // touching is fine: [0x10000, 0x11000) then [0x11000, ...)
    EXPECT_FALSE(v.parse().is_error());
    v.ph[1].memsz = 0;  // an empty segment covers nothing
    v.ph[1].filesz = 0;
    EXPECT_FALSE(v.parse().is_error());
}

TEST(ElfHostile, EntryMustBeInExecutableCode) {
    for (uint64_t entry : {uint64_t(0x11000), uint64_t(0x12fff), uint64_t(0xffff),
                           uint64_t(0x13000), uint64_t(0), kMax}) {
        TestElf t;
        t.eh.entry = entry;
        EXPECT_EQ(parse_error(t), Errno::NOEXEC) << std::hex << entry;
    }
    TestElf t;
    t.eh.entry = 0x10fff;  // the last byte of the code segment
    EXPECT_FALSE(t.parse().is_error());
}


TEST(ElfHostile, InterpreterChecks) {
    auto with_interp = [](std::string bytes, uint64_t offset, uint64_t filesz) {
        TestElf t;
        t.strings.push_back({0x200, bytes});
        t.ph.push_back(phdr(kPtInterp, kPfR, offset, offset, filesz, filesz, 1));
        return t.parse();
    };
    EXPECT_FALSE(with_interp(std::string("/ld.so\0", 7), 0x200, 7).is_error());
    auto cut = with_interp(std::string("/ld\0junk\0", 9), 0x200, 9);  // the path ends at a NUL
    ASSERT_FALSE(cut.is_error());
    EXPECT_EQ(cut->interp_len, 3u);
    EXPECT_EQ(with_interp("/ld.so!", 0x200, 7).error().code, Errno::NOEXEC);  // no NUL
    EXPECT_EQ(with_interp(std::string("\0", 1), 0x200, 1).error().code, Errno::NOEXEC);
    EXPECT_EQ(with_interp("", 0x200, 0).error().code, Errno::NOEXEC);
    EXPECT_EQ(with_interp("", 0x17ff, 2).error().code, Errno::NOEXEC);  // crosses the end
    EXPECT_EQ(with_interp("", kMax, 2).error().code, Errno::NOEXEC);
    EXPECT_EQ(with_interp("", 0x200, kMax).error().code, Errno::NOEXEC);
    // PATH_MAX: a 4095-byte path with its NUL fits; 4096 does not.
    TestElf t;
    t.size = 0x3000;
    t.strings.push_back({0x1800, std::string(4095, 'a') + '\0'});
    t.ph.push_back(phdr(kPtInterp, kPfR, 0x1800, 0, 4096, 4096, 1));
    EXPECT_FALSE(t.parse().is_error());
    t.strings[0].second = std::string(4096, 'a') + '\0';
    t.ph.back().filesz = 4097;
    EXPECT_EQ(parse_error(t), Errno::NOEXEC);
    // Two interpreters: refuse rather than guess.
    TestElf two;
    two.strings.push_back({0x200, std::string("/a\0", 3)});
    two.ph.push_back(phdr(kPtInterp, kPfR, 0x200, 0, 3, 3, 1));
    two.ph.push_back(two.ph.back());
    EXPECT_EQ(parse_error(two), Errno::NOEXEC);
}


TEST(ElfHostile, EveryTruncationIsAnErrorOrConsistent) {
    TestElf t;
    t.strings.push_back({0x200, std::string("/lib/ld.so\0", 11)});
    t.ph.push_back(phdr(kPtInterp, kPfR, 0x200, 0x10200, 11, 11, 1));
    auto full = t.build();
    ASSERT_FALSE(parse_elf(full.data(), full.size()).is_error());
    for (size_t n = 0; n < full.size(); ++n) {
        // A fresh buffer of exactly n bytes, so reading past it would be a heap overflow.
        std::vector<uint8_t> prefix(full.begin(), full.begin() + n);
        auto r = parse_elf(prefix.data(), prefix.size());
        if (!r.is_error()) expect_consistent(r.value(), n);
        // The data segment's file bytes reach the end: no proper prefix can parse.
        EXPECT_TRUE(r.is_error()) << n;
    }
}

TEST(ElfHostile, RandomCorruptionNeverEscapesTheFile) {
    TestElf t;
    t.strings.push_back({0x200, std::string("/lib/ld.so\0", 11)});
    t.ph.push_back(phdr(kPtInterp, kPfR, 0x200, 0x10200, 11, 11, 1));
    t.ph.push_back(phdr(kPtPhdr, kPfR, 64, 0x10040, 4 * 56, 4 * 56, 8));
    const auto good = t.build();
    std::mt19937_64 rng(12345);
    int accepted = 0;
    for (int round = 0; round < 20000; ++round) {
        auto bytes = good;
        int flips = 1 + rng() % 4;
        for (int i = 0; i < flips; ++i) {
            // Corrupt the headers, where the parser looks; sometimes with extreme values.
            size_t at = rng() % (64 + 5 * 56);
            bytes[at] = (rng() % 4 == 0) ? 0xff : static_cast<uint8_t>(rng());
        }
        auto r = parse_elf(bytes.data(), bytes.size());
        if (!r.is_error()) {
            ++accepted;
            expect_consistent(r.value(), bytes.size());
        }
    }
    EXPECT_GT(accepted, 0);  // some corruptions hit fields that do not matter
}

}  // namespace
}  // namespace rt::test
