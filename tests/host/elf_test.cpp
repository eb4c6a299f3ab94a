// ELF reader on well-formed files: hand-built ones and the cross toolchain's glibc.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "elf_builder.hpp"

namespace rt::test {
namespace {

TEST(ElfParse, StaticExecutable) {
    TestElf t;
    auto r = t.parse();
    ASSERT_FALSE(r.is_error());
    ElfImage& img = r.value();
    EXPECT_EQ(img.type, kTypeExec);
    EXPECT_EQ(img.entry, 0x10100u);
    EXPECT_EQ(img.phoff, 64u);
    EXPECT_EQ(img.phnum, 3u);
    EXPECT_EQ(img.phentsize, sizeof(Elf64Phdr));
    ASSERT_TRUE(img.has_phdr_vaddr);  // computed: the table is in the first load's file bytes
    EXPECT_EQ(img.phdr_vaddr, 0x10040u);
    ASSERT_EQ(img.load_count, 2u);
    EXPECT_EQ(img.loads[0].vaddr, 0x10000u);
    EXPECT_EQ(img.loads[0].flags, kPfR | kPfX);
    EXPECT_EQ(img.loads[1].offset, 0x1000u);
    EXPECT_EQ(img.loads[1].filesz, 0x800u);
    EXPECT_EQ(img.loads[1].memsz, 0x2000u);
    EXPECT_EQ(img.loads[1].flags, kPfR | kPfW);
    EXPECT_EQ(img.min_vaddr, 0x10000u);
    EXPECT_EQ(img.max_vaddr, 0x13000u);
    EXPECT_EQ(img.max_align, 0x1000u);
    EXPECT_TRUE(img.has_gnu_stack);
    EXPECT_EQ(img.stack_flags, kPfR | kPfW);
    EXPECT_FALSE(img.has_interp);
    EXPECT_FALSE(img.has_tls);
    EXPECT_EQ(elf_interp_path(t.build().data(), img), nullptr);
    expect_consistent(img, t.size);
}

TEST(ElfParse, PieWithInterpreterPhdrAndTls) {
    TestElf t;
    t.eh.type = kTypeDyn;
    t.eh.entry = 0x300;
    const std::string interp = "/lib/ld-linux-riscv64-lp64d.so.1";
    t.strings.push_back({0x200, interp + '\0'});
    t.ph = {phdr(kPtPhdr, kPfR, 64, 0x40, 4 * 56, 4 * 56, 8),
            phdr(kPtInterp, kPfR, 0x200, 0x200, interp.size() + 1, interp.size() + 1, 1),
            phdr(kPtLoad, kPfR | kPfX, 0, 0, 0x1000, 0x1000, 0x1000),
            phdr(kPtTls, kPfR, 0x1000, 0x1000, 0x10, 0x90, 8)};
    auto r = t.parse();
    ASSERT_FALSE(r.is_error());
    ElfImage& img = r.value();
    EXPECT_EQ(img.type, kTypeDyn);
    EXPECT_EQ(img.phdr_vaddr, 0x40u);
    ASSERT_TRUE(img.has_interp);
    EXPECT_EQ(img.interp_offset, 0x200u);
    EXPECT_EQ(img.interp_len, interp.size());
    auto bytes = t.build();
    EXPECT_STREQ(elf_interp_path(bytes.data(), img), interp.c_str());
    ASSERT_TRUE(img.has_tls);
    EXPECT_EQ(img.tls.memsz, 0x90u);
    EXPECT_FALSE(img.has_gnu_stack);
    EXPECT_EQ(img.stack_flags, kPfR | kPfW);
    EXPECT_EQ(img.min_vaddr, 0u);
    EXPECT_EQ(img.max_vaddr, 0x1000u);

    // PT_PHDR wins over the computed address, as ld.so expects.
    t.ph[0].vaddr = 0x80;
    EXPECT_EQ(t.parse()->phdr_vaddr, 0x80u);
}


TEST(ElfParse, AlignmentRules) {
    auto data_align = [](uint64_t offset, uint64_t vaddr, uint64_t align) {
        TestElf t;
        t.ph[1] = phdr(kPtLoad, kPfR | kPfW, offset, vaddr, 0x100, 0x100, align);
        return t.parse();
    };
    EXPECT_FALSE(data_align(0x1000, 0x11000, 0).is_error());
    EXPECT_FALSE(data_align(0x1010, 0x11010, 1).is_error());
    EXPECT_FALSE(data_align(0x1010, 0x21010, 0x10000).is_error());
    EXPECT_EQ(data_align(0x1000, 0x11000, 3).error().code, Errno::NOEXEC);  // not a power of 2
    EXPECT_EQ(data_align(0x1000, 0x11000, 0x1800).error().code, Errno::NOEXEC);
    EXPECT_EQ(data_align(0x1000, 0x11800, 0x1000).error().code, Errno::NOEXEC);  // incongruent
    // With no alignment asked for, file and memory pages must still correspond.
    EXPECT_EQ(data_align(0x1000, 0x11010, 1).error().code, Errno::NOEXEC);
    EXPECT_EQ(data_align(0x1000, 0x11010, 0).error().code, Errno::NOEXEC);
}


TEST(ElfParse, LoadSegmentCountLimits) {
    auto with_loads = [](size_t n) {
        TestElf t;
        t.size = 0x1000;
        t.ph.clear();
        for (size_t i = 0; i < n; ++i) {
            t.ph.push_back(phdr(kPtLoad, kPfR | kPfX, 0, 0x10000 + i * 0x1000, 0x100, 0x1000, 0));
        }
        return t.parse();
    };
    EXPECT_EQ(with_loads(0).error().code, Errno::NOEXEC);
    auto sixteen = with_loads(kMaxLoads);
    ASSERT_FALSE(sixteen.is_error());
    EXPECT_EQ(sixteen->load_count, kMaxLoads);
    EXPECT_EQ(with_loads(kMaxLoads + 1).error().code, Errno::NOEXEC);
    TestElf no_load;  // program headers but not one PT_LOAD
    no_load.ph.erase(no_load.ph.begin(), no_load.ph.begin() + 2);
    EXPECT_EQ(parse_error(no_load), Errno::NOEXEC);
}


TEST(ElfParse, PhdrAddressUnknownWhenTableIsNotLoaded) {
    TestElf t;
    t.eh.phoff = 0x1700;  // after the data segment's file bytes (which end at 0x1800 - 0x100)
    t.ph[1].filesz = 0x700;
    auto r = t.parse();
    ASSERT_FALSE(r.is_error());
    EXPECT_FALSE(r->has_phdr_vaddr);
    t.ph[1].filesz = 0x800;  // now the data segment's file bytes hold the table
    EXPECT_EQ(t.parse()->phdr_vaddr, 0x11700u);
}


TEST(ElfParse, FloatAbiFlags) {
    EXPECT_TRUE(elf_flags_supported(kEfRiscvRvc | kEfRiscvFloatAbiDouble));
    EXPECT_TRUE(elf_flags_supported(kEfRiscvFloatAbiSoft));
    EXPECT_TRUE(elf_flags_supported(kEfRiscvFloatAbiSingle));
    EXPECT_FALSE(elf_flags_supported(kEfRiscvFloatAbiQuad));
    EXPECT_FALSE(elf_flags_supported(kEfRiscvRve));
}

std::vector<uint8_t> read_whole_file(const char* path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// The cross toolchain's glibc: a real ET_DYN with PT_PHDR, PT_INTERP, PT_TLS and PT_GNU_STACK.
TEST(ElfReal, CrossGlibc) {
    auto libc = read_whole_file("/usr/riscv64-linux-gnu/lib/libc.so.6");
    if (libc.empty()) GTEST_SKIP() << "no riscv64 glibc on this host";
    auto r = parse_elf(libc.data(), libc.size());
    ASSERT_FALSE(r.is_error()) << static_cast<int>(r.error().code);
    ElfImage& img = r.value();
    EXPECT_EQ(img.type, kTypeDyn);
    EXPECT_GE(img.load_count, 2u);
    EXPECT_EQ(img.loads[0].flags & kPfX, kPfX);
    EXPECT_TRUE(img.has_phdr_vaddr);
    EXPECT_TRUE(img.has_tls);
    EXPECT_TRUE(img.has_gnu_stack);
    EXPECT_EQ(img.stack_flags & kPfX, 0u);
    EXPECT_TRUE(elf_flags_supported(img.flags));
    ASSERT_TRUE(img.has_interp);
    std::string interp = elf_interp_path(libc.data(), img);
    EXPECT_NE(interp.find("ld-linux-riscv64"), std::string::npos) << interp;
    expect_consistent(img, libc.size());

    auto ld = read_whole_file("/usr/riscv64-linux-gnu/lib/ld-linux-riscv64-lp64d.so.1");
    if (ld.empty()) return;
    auto l = parse_elf(ld.data(), ld.size());
    ASSERT_FALSE(l.is_error());
    EXPECT_FALSE(l->has_interp);  // the interpreter has none
    EXPECT_EQ(l->min_vaddr, 0u);
}

}  // namespace
}  // namespace rt::test
