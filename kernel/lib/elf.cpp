// ELF64 reader: every check below guards against a hostile file; see elf.hpp for the contract.
#include "elf.hpp"

#include <cstring>

namespace rt {
namespace {

// [offset, offset + len) lies inside a buffer of `size` bytes, computed without overflow.
bool in_bounds(uint64_t offset, uint64_t len, uint64_t size) {
    return offset <= size && len <= size - offset;
}

bool is_power_of_two(uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }

// The file may sit at any alignment in memory, so fields are copied out, never cast in place.
template <typename T>
T read_struct(const uint8_t* data, uint64_t offset) {
    T v;
    memcpy(&v, data + offset, sizeof(T));
    return v;
}

ErrorOr<void> check_header(const Elf64Ehdr& eh, size_t size) {
    const uint8_t* id = eh.ident;
    if (id[0] != 0x7f || id[1] != 'E' || id[2] != 'L' || id[3] != 'F') return Errno::NOEXEC;
    if (id[4] != 2 /* ELFCLASS64 */ || id[5] != 1 /* ELFDATA2LSB */) return Errno::NOEXEC;
    if (id[6] != 1 || eh.version != 1) return Errno::NOEXEC;  // EV_CURRENT
    if (eh.machine != elf::kMachineRiscv) return Errno::NOEXEC;
    if (eh.type != elf::kTypeExec && eh.type != elf::kTypeDyn) return Errno::NOEXEC;
    // A different entry size would mean a layout we do not know; phnum 0 has nothing to load
    // and PN_XNUM (0xffff, count in a section header) is far above the limit.
    if (eh.phentsize != sizeof(Elf64Phdr)) return Errno::NOEXEC;
    if (eh.phnum == 0 || eh.phnum > elf::kMaxPhnum) return Errno::NOEXEC;
    if (!in_bounds(eh.phoff, uint64_t(eh.phnum) * sizeof(Elf64Phdr), size)) return Errno::NOEXEC;
    return {};
}

ErrorOr<void> add_load(ElfImage& image, const Elf64Phdr& ph, size_t size) {
    if (image.load_count == elf::kMaxLoads) return Errno::NOEXEC;
    if (ph.filesz > ph.memsz) return Errno::NOEXEC;
    // Even a bss-only segment must name a file offset inside the file: the loader uses it.
    if (!in_bounds(ph.offset, ph.filesz, size)) return Errno::NOEXEC;
    if (ph.vaddr + ph.memsz < ph.vaddr) return Errno::NOEXEC;  // wraps around
    if (ph.vaddr + ph.memsz > elf::kUserTop) return Errno::NOMEM;
    if (ph.align > 1) {
        if (!is_power_of_two(ph.align)) return Errno::NOEXEC;
        if (ph.vaddr % ph.align != ph.offset % ph.align) return Errno::NOEXEC;
    }
    // File pages must map to memory pages one to one, whatever p_align says (mmap needs it).
    if (ph.vaddr % elf::kPageSize != ph.offset % elf::kPageSize) return Errno::NOEXEC;
    // The spec requires ascending vaddr; with no overlap too, the loader maps each byte once.
    if (image.load_count > 0) {
        const ElfSegment& prev = image.loads[image.load_count - 1];
        if (ph.vaddr < prev.vaddr + prev.memsz) return Errno::NOEXEC;
    }
    ElfSegment& seg = image.loads[image.load_count++];
    seg.vaddr = ph.vaddr;
    seg.memsz = ph.memsz;
    seg.offset = ph.offset;
    seg.filesz = ph.filesz;
    seg.flags = ph.flags & (elf::kPfR | elf::kPfW | elf::kPfX);
    seg.align = ph.align;
    if (ph.align > image.max_align) image.max_align = ph.align;
    return {};
}

ErrorOr<void> set_interp(ElfImage& image, const uint8_t* data, size_t size, const Elf64Phdr& ph) {
    if (image.has_interp) return Errno::NOEXEC;  // two interpreters: which one?
    if (!in_bounds(ph.offset, ph.filesz, size)) return Errno::NOEXEC;
    if (ph.filesz > elf::kMaxInterp) return Errno::NOEXEC;
    // The path ends at the first NUL, which must lie inside the segment.
    const uint8_t* path = data + ph.offset;
    size_t len = 0;
    while (len < ph.filesz && path[len] != 0) ++len;
    if (len == ph.filesz || len == 0) return Errno::NOEXEC;
    image.has_interp = true;
    image.interp_offset = ph.offset;
    image.interp_len = len;
    return {};
}

ErrorOr<void> set_tls(ElfImage& image, const Elf64Phdr& ph, size_t size) {
    if (image.has_tls) return Errno::NOEXEC;
    if (ph.filesz > ph.memsz || !in_bounds(ph.offset, ph.filesz, size)) return Errno::NOEXEC;
    if (ph.vaddr + ph.memsz < ph.vaddr) return Errno::NOEXEC;
    if (ph.align > 1 && !is_power_of_two(ph.align)) return Errno::NOEXEC;
    image.has_tls = true;
    image.tls = {ph.vaddr, ph.memsz, ph.offset, ph.filesz, ph.flags, ph.align};
    return {};
}

ErrorOr<void> add_phdr(ElfImage& image, const uint8_t* data, size_t size, const Elf64Phdr& ph) {
    switch (ph.type) {
        case elf::kPtLoad: return add_load(image, ph, size);
        case elf::kPtInterp: return set_interp(image, data, size, ph);
        case elf::kPtTls: return set_tls(image, ph, size);
        case elf::kPtPhdr:
            if (image.has_phdr_vaddr) return Errno::NOEXEC;
            image.has_phdr_vaddr = true;
            image.phdr_vaddr = ph.vaddr;
            return {};
        case elf::kPtGnuStack:
            image.has_gnu_stack = true;
            image.stack_flags = ph.flags & (elf::kPfR | elf::kPfW | elf::kPfX);
            return {};
        default: return {};  // PT_DYNAMIC, PT_NOTE, ...: for ld.so or nobody
    }
}

// Without PT_PHDR, the table is in memory if a load segment's file bytes include all of it.
void locate_phdrs(ElfImage& image) {
    uint64_t table = uint64_t(image.phnum) * image.phentsize;
    for (size_t i = 0; i < image.load_count; ++i) {
        const ElfSegment& seg = image.loads[i];
        // Both ranges are inside the file, so these sums cannot overflow.
        if (seg.offset <= image.phoff && image.phoff + table <= seg.offset + seg.filesz) {
            image.has_phdr_vaddr = true;
            image.phdr_vaddr = seg.vaddr + (image.phoff - seg.offset);
            return;
        }
    }
}

bool entry_is_executable(const ElfImage& image) {
    for (size_t i = 0; i < image.load_count; ++i) {
        const ElfSegment& seg = image.loads[i];
        bool inside = image.entry >= seg.vaddr && image.entry - seg.vaddr < seg.memsz;
        if (inside) return (seg.flags & elf::kPfX) != 0;
    }
    return false;
}

}  // namespace

ErrorOr<ElfImage> parse_elf(const uint8_t* data, size_t size) {
    if (data == nullptr || size < sizeof(Elf64Ehdr)) return Errno::NOEXEC;
    auto eh = read_struct<Elf64Ehdr>(data, 0);
    TRY(check_header(eh, size));

    ElfImage image;
    image.type = eh.type;
    image.flags = eh.flags;
    image.entry = eh.entry;
    image.phoff = eh.phoff;
    image.phnum = eh.phnum;
    image.phentsize = eh.phentsize;
    for (size_t i = 0; i < eh.phnum; ++i) {
        auto ph = read_struct<Elf64Phdr>(data, eh.phoff + i * sizeof(Elf64Phdr));
        TRY(add_phdr(image, data, size, ph));
    }
    if (image.load_count == 0) return Errno::NOEXEC;
    if (!entry_is_executable(image)) return Errno::NOEXEC;
    if (!image.has_phdr_vaddr) locate_phdrs(image);

    image.min_vaddr = image.loads[0].vaddr;
    const ElfSegment& last = image.loads[image.load_count - 1];
    image.max_vaddr = last.vaddr + last.memsz;
    return image;
}

bool elf_flags_supported(uint32_t flags) {
    if (flags & elf::kEfRiscvRve) return false;  // a different register file and calling convention
    // rv64gc has F and D but not Q; a soft-float binary runs anywhere.
    return (flags & elf::kEfRiscvFloatAbiMask) != elf::kEfRiscvFloatAbiQuad;
}

}  // namespace rt
