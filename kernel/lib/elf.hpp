#pragma once
// ELF64 reader for RISC-V executables: validates a whole file already in memory and extracts what
// the loader needs (load segments, entry, interpreter, AT_PHDR). Every field of the file is
// treated as hostile: after parse_elf succeeds, the loader may use the result without re-checking
// offsets or sizes against the file. Addresses are link-time values; an ET_DYN loader adds its
// load bias to every vaddr below (entry, phdr_vaddr, segments, min/max).
#include <cstddef>
#include <cstdint>

#include "error_or.hpp"

namespace rt {

// The on-disk structures (ELF-64 Object File Format 1.5; little-endian only, like the hardware).
struct Elf64Ehdr {
    uint8_t ident[16];
    uint16_t type;
    uint16_t machine;
    uint32_t version;
    uint64_t entry;
    uint64_t phoff;
    uint64_t shoff;
    uint32_t flags;
    uint16_t ehsize;
    uint16_t phentsize;
    uint16_t phnum;
    uint16_t shentsize;
    uint16_t shnum;
    uint16_t shstrndx;
};
static_assert(sizeof(Elf64Ehdr) == 64);

struct Elf64Phdr {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t vaddr;
    uint64_t paddr;
    uint64_t filesz;
    uint64_t memsz;
    uint64_t align;
};
static_assert(sizeof(Elf64Phdr) == 56);

namespace elf {
constexpr uint16_t kTypeExec = 2;  // ET_EXEC
constexpr uint16_t kTypeDyn = 3;   // ET_DYN (PIE executables, ld.so)
constexpr uint16_t kMachineRiscv = 243;

constexpr uint32_t kPtLoad = 1, kPtDynamic = 2, kPtInterp = 3, kPtPhdr = 6, kPtTls = 7;
constexpr uint32_t kPtGnuStack = 0x6474e551;

constexpr uint32_t kPfX = 1, kPfW = 2, kPfR = 4;

// RISC-V e_flags.
constexpr uint32_t kEfRiscvRvc = 0x1;
constexpr uint32_t kEfRiscvFloatAbiMask = 0x6;
constexpr uint32_t kEfRiscvFloatAbiSoft = 0x0, kEfRiscvFloatAbiSingle = 0x2,
                   kEfRiscvFloatAbiDouble = 0x4, kEfRiscvFloatAbiQuad = 0x6;
constexpr uint32_t kEfRiscvRve = 0x8;

constexpr size_t kMaxPhnum = 64;    // more program headers than this is not a real program
constexpr size_t kMaxLoads = 16;    // ElfImage keeps the loads in a fixed array
constexpr size_t kMaxInterp = 4096; // PATH_MAX, including the NUL
constexpr uint64_t kPageSize = 4096;
constexpr uint64_t kUserTop = uint64_t(1) << 38;  // Sv39: user addresses are below 2^38
}  // namespace elf

struct ElfSegment {
    uint64_t vaddr = 0;
    uint64_t memsz = 0;
    uint64_t offset = 0;  // file offset of the first filesz bytes; the rest are zero
    uint64_t filesz = 0;
    uint32_t flags = 0;   // elf::kPfR | kPfW | kPfX
    uint64_t align = 0;   // 0 or a power of two
};

struct ElfImage {
    uint16_t type = 0;    // elf::kTypeExec or elf::kTypeDyn
    uint32_t flags = 0;   // e_flags (see elf_flags_supported)
    uint64_t entry = 0;   // inside an executable load segment

    // The program header table in the file, and where it is in memory (AT_PHDR): from PT_PHDR
    // if present, else from the load segment whose file bytes contain it. has_phdr_vaddr is
    // false when neither exists (the loader then cannot pass AT_PHDR).
    uint64_t phoff = 0;
    uint16_t phnum = 0;
    uint16_t phentsize = 0;
    bool has_phdr_vaddr = false;
    uint64_t phdr_vaddr = 0;

    // PT_LOAD segments in file order, which is ascending vaddr, none overlapping (two may share
    // a page; the loader merges their permissions there).
    ElfSegment loads[elf::kMaxLoads];
    size_t load_count = 0;
    uint64_t min_vaddr = 0;  // vaddr of the first load
    uint64_t max_vaddr = 0;  // end (exclusive) of the last load; <= elf::kUserTop
    uint64_t max_align = 1;  // largest p_align among the loads (to align an ET_DYN load bias)

    // PT_INTERP: the path is the interp_len bytes at file offset interp_offset, followed by a
    // NUL within the segment; 1 <= interp_len < elf::kMaxInterp.
    bool has_interp = false;
    uint64_t interp_offset = 0;
    size_t interp_len = 0;

    // PT_GNU_STACK: without one, the stack flags are left to the loader (R|W here).
    bool has_gnu_stack = false;
    uint32_t stack_flags = elf::kPfR | elf::kPfW;

    // PT_TLS: the initial TLS image; user code finds it through AT_PHDR, the kernel needs only
    // to know that it exists.
    bool has_tls = false;
    ElfSegment tls;
};

// Validates the whole file at data[0, size) and describes it. Errors:
//   Errno::NOEXEC  not a well-formed RISC-V ELF64 executable (bad header, a table or segment
//                  outside the file, an overflowing size, unsorted or overlapping loads, entry
//                  outside executable code, more than elf::kMaxLoads loads, ...)
//   Errno::NOMEM   well formed, but a load segment ends above elf::kUserTop: it cannot fit
//                  in a user address space (what mmap would say).
ErrorOr<ElfImage> parse_elf(const uint8_t* data, size_t size);

// True when the e_flags ABI can run on rv64gc: soft, single or double float ABI, not RV64E.
// parse_elf does not apply this (Linux does not either); the loader may.
bool elf_flags_supported(uint32_t flags);

// The interpreter path of a parsed image, NUL-terminated (interp_len bytes, then the NUL that
// parse_elf found inside the file), or nullptr without PT_INTERP.
inline const char* elf_interp_path(const uint8_t* data, const ElfImage& image) {
    if (!image.has_interp) return nullptr;
    return reinterpret_cast<const char*>(data + image.interp_offset);
}

}  // namespace rt
