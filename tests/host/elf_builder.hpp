#pragma once
// Builds ELF files for the parser tests: a small valid static executable that each test bends
// into the shape it needs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "kernel/lib/elf.hpp"

namespace rt::test {

using namespace rt::elf;

inline constexpr uint64_t kMax = ~uint64_t(0);

inline Elf64Phdr phdr(uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr,
                      uint64_t filesz, uint64_t memsz, uint64_t align) {
    return Elf64Phdr{type, flags, offset, vaddr, vaddr, filesz, memsz, align};
}

// A static executable as ld lays one out: headers and code in the first page, data after.
struct TestElf {
    Elf64Ehdr eh{};
    std::vector<Elf64Phdr> ph;
    size_t size = 0x1800;
    bool auto_phnum = true;  // phnum = ph.size(); off for tests of a hostile phnum
    std::vector<std::pair<size_t, std::string>> strings;

    TestElf() {
        const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
        memcpy(eh.ident, ident, sizeof(ident));
        eh.type = kTypeExec;
        eh.machine = kMachineRiscv;
        eh.version = 1;
        eh.entry = 0x10100;
        eh.phoff = sizeof(Elf64Ehdr);
        eh.flags = kEfRiscvRvc | kEfRiscvFloatAbiDouble;
        eh.ehsize = sizeof(Elf64Ehdr);
        eh.phentsize = sizeof(Elf64Phdr);
        ph = {phdr(kPtLoad, kPfR | kPfX, 0, 0x10000, 0x1000, 0x1000, 0x1000),
              phdr(kPtLoad, kPfR | kPfW, 0x1000, 0x11000, 0x800, 0x2000, 0x1000),
              phdr(kPtGnuStack, kPfR | kPfW, 0, 0, 0, 0, 0x10)};
    }

    std::vector<uint8_t> build() const {
        std::vector<uint8_t> out(size);
        Elf64Ehdr h = eh;
        if (auto_phnum) h.phnum = static_cast<uint16_t>(ph.size());
        memcpy(out.data(), &h, std::min(size, sizeof(h)));
        for (size_t i = 0; i < ph.size(); ++i) {
            uint64_t at = eh.phoff + i * sizeof(Elf64Phdr);
            if (eh.phoff < size && at + sizeof(Elf64Phdr) <= size) {
                memcpy(out.data() + at, &ph[i], sizeof(Elf64Phdr));
            }
        }
        for (auto& [at, s] : strings) memcpy(out.data() + at, s.data(), s.size());
        return out;
    }

    ErrorOr<ElfImage> parse() const {
        auto bytes = build();
        return parse_elf(bytes.data(), bytes.size());
    }
};

inline Errno parse_error(const TestElf& t) {
    auto r = t.parse();
    EXPECT_TRUE(r.is_error());
    return r.is_error() ? r.error().code : Errno::PERM;
}

// What parse_elf promises: everything it reports lies inside the file and the address space.
inline void expect_consistent(const ElfImage& img, size_t size) {
    ASSERT_GE(img.load_count, 1u);
    ASSERT_LE(img.load_count, kMaxLoads);
    for (size_t i = 0; i < img.load_count; ++i) {
        const ElfSegment& s = img.loads[i];
        EXPECT_LE(s.filesz, s.memsz);
        EXPECT_LE(s.offset, size);
        EXPECT_LE(s.filesz, size - s.offset);
        EXPECT_LE(s.memsz, kUserTop);
        EXPECT_LE(s.vaddr, kUserTop - s.memsz);
        if (i > 0) {
            EXPECT_GE(s.vaddr, img.loads[i - 1].vaddr + img.loads[i - 1].memsz);
        }
    }
    if (img.has_interp) {
        EXPECT_LT(img.interp_offset, size);
        EXPECT_LT(img.interp_len, size - img.interp_offset);
    }
    EXPECT_LE(img.max_vaddr, kUserTop);
}

}  // namespace rt::test
