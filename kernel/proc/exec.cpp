#include "exec.hpp"

#include <cstring>

#include "kernel/mm/memory_object.hpp"

#include "fpu.hpp"
#include "kernel/fs/fd_table.hpp"
#include "vdso.hpp"
#include "kernel/random.hpp"
#include "kernel/lib/elf.hpp"
#include "kernel/mm/address.hpp"

namespace rt {
namespace {

constexpr uint64_t kStackTop = kUserTop - kPageSize;  // a guard page above
constexpr uint64_t kStackSize = 8ull << 20;
constexpr uint64_t kPieBase = 0x2aaaaaa000;  // where a static-pie is placed, as Linux does
constexpr size_t kMaxArgBytes = 128 * 1024;

enum Auxv : uint64_t {
    AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7,
    AT_FLAGS = 8, AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14,
    AT_HWCAP = 16, AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_EXECFN = 31,
    AT_SYSINFO_EHDR = 33,
};

uint32_t prot_of(uint32_t pf) {
    uint32_t prot = 0;
    if (pf & elf::kPfR) prot |= kProtRead;
    if (pf & elf::kPfW) prot |= kProtWrite;
    if (pf & elf::kPfX) prot |= kProtExec;
    return prot;
}

// Regions for the load segments: page ranges, where a page two segments share gets both
// segments' permissions.
ErrorOr<void> map_segments(AddressSpace& space, const ElfImage& img, uint64_t bias) {
    struct Range {
        uint64_t start, end;
        uint32_t prot;
    } ranges[2 * elf::kMaxLoads];
    size_t n = 0;
    for (size_t i = 0; i < img.load_count; ++i) {
        const ElfSegment& s = img.loads[i];
        if (s.memsz == 0) continue;
        uint64_t start = page_round_down(s.vaddr + bias), end = page_round_up(s.vaddr + bias + s.memsz);
        uint32_t prot = prot_of(s.flags);
        if (n && start < ranges[n - 1].end) {  // shares a page with the previous segment
            Range& prev = ranges[n - 1];
            uint64_t shared = prev.end - kPageSize;
            if (prev.start == shared) prev.prot |= prot;
            else {
                prev.end = shared;
                ranges[n++] = {shared, shared + kPageSize, prev.prot | prot};
            }
            start = shared + kPageSize;
            if (start >= end) continue;
        }
        ranges[n++] = {start, end, prot};
    }
    for (size_t i = 0; i < n; ++i) TRY(space.add_region(ranges[i].start, ranges[i].end - ranges[i].start, ranges[i].prot));
    return {};
}

// Pushes bytes onto the new stack (growing down from `sp`) through the loader's direct write.
class StackBuilder {
public:
    StackBuilder(AddressSpace& s, uint64_t top) : m_space(s), m_sp(top) {}
    ErrorOr<uint64_t> push(const void* data, size_t len) {
        m_sp -= len;
        TRY(m_space.write(m_sp, data, len));
        return m_sp;
    }
    void align(uint64_t a) { m_sp &= ~(a - 1); }
    uint64_t sp() const { return m_sp; }

private:
    AddressSpace& m_space;
    uint64_t m_sp;
};

size_t count(const char* const* v) {
    size_t n = 0;
    while (v && v[n]) ++n;
    return n;
}

ErrorOr<uint64_t> build_stack(AddressSpace& space, const ElfImage& img, uint64_t bias, uint64_t interp_base,
                              const ProgramArgs& args) {
    size_t argc = count(args.argv), envc = count(args.envp), bytes = 0;
    for (size_t i = 0; i < argc; ++i) bytes += strlen(args.argv[i]) + 1;
    for (size_t i = 0; i < envc; ++i) bytes += strlen(args.envp[i]) + 1;
    if (bytes > kMaxArgBytes) return Error(Errno::TOOBIG);

    // The strings go in one block at the top, argv's then envp's, so their addresses can be
    // recomputed from the lengths below instead of kept (kernel stacks are small).
    size_t path_len = strlen(args.path) + 1;
    uint64_t execfn = kStackTop - path_len;
    TRY(space.write(execfn, args.path, path_len));
    uint64_t strings = execfn - bytes;
    uint64_t at_string = strings;
    for (size_t i = 0; i < argc + envc; ++i) {
        const char* s = i < argc ? args.argv[i] : args.envp[i - argc];
        size_t n = strlen(s) + 1;
        TRY(space.write(at_string, s, n));
        at_string += n;
    }
    StackBuilder st(space, strings);
    // AT_RANDOM: 16 bytes for the stack protector and pointer guard.
    uint8_t seed[16];
    random_fill(seed, sizeof seed);
    uint64_t random = TRY(st.push(seed, sizeof seed));

    const Credentials root{};
    const Credentials& creds = args.creds ? *args.creds : root;
    const uint64_t hwcap = (1 << ('I' - 'A')) | (1 << ('M' - 'A')) | (1 << ('A' - 'A')) |
                           (1 << ('F' - 'A')) | (1 << ('D' - 'A')) | (1 << ('C' - 'A'));
    uint64_t auxv[][2] = {
        {AT_PHDR, img.has_phdr_vaddr ? img.phdr_vaddr + bias : 0}, {AT_PHENT, img.phentsize},
        {AT_PHNUM, img.phnum}, {AT_PAGESZ, kPageSize}, {AT_BASE, interp_base}, {AT_FLAGS, 0},
        {AT_ENTRY, img.entry + bias}, {AT_UID, creds.uid.real}, {AT_EUID, creds.uid.effective}, {AT_GID, creds.gid.real},
        {AT_EGID, creds.gid.effective},
        {AT_HWCAP, hwcap}, {AT_CLKTCK, 100}, {AT_SECURE, 0}, {AT_RANDOM, random},
        {AT_EXECFN, execfn}, {AT_SYSINFO_EHDR, kVdsoBase}, {AT_NULL, 0}};
    // argc, argv[], NULL, envp[], NULL, auxv: laid out upwards from a 16-byte aligned sp.
    size_t words = 1 + argc + 1 + envc + 1 + 2 * (sizeof auxv / sizeof auxv[0]);
    st.align(16);
    uint64_t sp = (st.sp() - words * 8) & ~15ull;
    uint64_t at = sp;
    auto put = [&](uint64_t v) -> ErrorOr<void> {
        TRY(space.write(at, &v, 8));
        at += 8;
        return {};
    };
    TRY(put(argc));
    uint64_t next_string = strings;
    for (size_t i = 0; i < argc + envc; ++i) {
        if (i == argc) TRY(put(0));  // the end of argv
        TRY(put(next_string));
        next_string += strlen(i < argc ? args.argv[i] : args.envp[i - argc]) + 1;
    }
    if (envc == 0) TRY(put(0));
    TRY(put(0));  // the end of envp
    for (auto& a : auxv) {
        TRY(put(a[0]));
        TRY(put(a[1]));
    }
    return sp;
}

struct Loaded {
    uint64_t entry, sp, brk;
};

// Whether each load segment can map its file's pages: its file offset and address agree
// within a page, and no two segments share a page.
bool maps_from_file(const ElfImage& img, uint64_t bias) {
    uint64_t last_end = 0;
    for (size_t i = 0; i < img.load_count; ++i) {
        const ElfSegment& s = img.loads[i];
        if (s.memsz == 0) continue;
        if ((s.vaddr - s.offset) % kPageSize) return false;
        if (page_round_down(s.vaddr + bias) < last_end) return false;
        last_end = page_round_up(s.vaddr + bias + s.memsz);
    }
    return true;
}

// Each segment's file bytes as a private view of the file's pages (shared until written), its
// zero-filled rest as private memory, and the bytes past the file's part in its last file
// page zeroed (that page then becomes the process's own).
ErrorOr<void> map_from_file(AddressSpace& space, const ElfImage& img, MemoryObject& object, uint64_t bias) {
    static const uint8_t kZeros[256] = {};
    for (size_t i = 0; i < img.load_count; ++i) {
        const ElfSegment& s = img.loads[i];
        if (s.memsz == 0) continue;
        uint32_t prot = prot_of(s.flags);
        uint64_t start = page_round_down(s.vaddr + bias), file_end = s.vaddr + bias + s.filesz;
        uint64_t file_pages_end = s.filesz ? page_round_up(file_end) : start;
        uint64_t mem_end = page_round_up(s.vaddr + bias + s.memsz);
        if (s.filesz)
            TRY(space.add_region(start, file_pages_end - start, prot, &object, page_round_down(s.offset) / kPageSize, true));
        if (mem_end > file_pages_end) TRY(space.add_region(file_pages_end, mem_end - file_pages_end, prot));
        if (s.memsz > s.filesz) {
            for (uint64_t at = file_end; at < file_pages_end;) {
                uint64_t n = file_pages_end - at < sizeof kZeros ? file_pages_end - at : sizeof kZeros;
                TRY(space.write(at, kZeros, n));
                at += n;
            }
        }
    }
    return {};
}

// Maps an image's segments at `bias`: from its file's pages when it has a memory object and
// its layout allows, else filled with a copy of its file bytes.
ErrorOr<void> place_image(AddressSpace& space, const ElfImage& img, const uint8_t* image, uint64_t bias,
                          MemoryObject* object) {
    if (object && maps_from_file(img, bias)) return map_from_file(space, img, *object, bias);
    TRY(map_segments(space, img, bias));
    for (size_t i = 0; i < img.load_count; ++i) {
        const ElfSegment& s = img.loads[i];
        if (s.filesz) TRY(space.write(s.vaddr + bias, image + s.offset, s.filesz));
    }
    return {};
}

// Fills the empty `space` with the program and its initial stack.
ErrorOr<Loaded> load_image(AddressSpace* space, const uint8_t* image, size_t size, const ProgramArgs& args) {
    ElfImage img = TRY(parse_elf(image, size));
    if (img.has_interp && !args.interp) return Error(Errno::NOEXEC);
    if (!elf_flags_supported(img.flags)) return Error(Errno::NOEXEC);
    uint64_t bias = 0;
    if (img.type == elf::kTypeDyn) {
        uint64_t align = img.max_align > kPageSize ? img.max_align : kPageSize;
        bias = (kPieBase + align - 1) & ~(align - 1);
        if (img.max_vaddr + bias > kStackTop - kStackSize) return Error(Errno::NOEXEC);
    }
    TRY(place_image(*space, img, image, bias, args.image_object));
    TRY(space->add_region(kStackTop - kStackSize, kStackSize, kProtRead | kProtWrite));
    TRY(map_vdso(*space));
    uint64_t entry = img.entry + bias, interp_base = 0;
    if (img.has_interp) {
        // The interpreter (ld.so) goes in the mapping area, where its own mmaps will follow.
        ElfImage in = TRY(parse_elf(args.interp, args.interp_size));
        if (in.has_interp || in.type != elf::kTypeDyn || !elf_flags_supported(in.flags)) return Error(Errno::NOEXEC);
        uint64_t align = in.max_align > kPageSize ? in.max_align : kPageSize;
        uint64_t span = page_round_up(in.max_vaddr) - page_round_down(in.min_vaddr);
        uint64_t gap = TRY(space->find_gap(0, span + align));
        interp_base = ((gap + align - 1) & ~(align - 1)) - page_round_down(in.min_vaddr);
        TRY(place_image(*space, in, args.interp, interp_base, args.interp_object));
        entry = in.entry + interp_base;
    }
    uint64_t sp = TRY(build_stack(*space, img, bias, interp_base, args));
    return Loaded{entry, sp, page_round_up(img.max_vaddr + bias)};
}

}  // namespace

ErrorOr<Process*> spawn_program(const uint8_t* image, size_t size, const ProgramArgs& args, Executor& ex) {
    AddressSpace* space = TRY(AddressSpace::create());
    auto loaded = load_image(space, image, size, args);
    if (loaded.is_error()) {
        delete space;
        return loaded.error();
    }
    auto p = start_process(space, loaded.value().entry, loaded.value().sp, loaded.value().brk, ex, args.affinity);
    if (p.is_error()) delete space;
    return p;
}

ErrorOr<PreparedProgram> prepare_program(const uint8_t* image, size_t size, const ProgramArgs& args) {
    AddressSpace* space = TRY(AddressSpace::create());
    auto loaded = load_image(space, image, size, args);
    if (loaded.is_error()) {
        delete space;
        return loaded.error();
    }
    return PreparedProgram{space, loaded.value().entry, loaded.value().sp, loaded.value().brk};
}

void commit_program(Thread& t, const PreparedProgram& prog) {
    Process& p = *t.process;
    p.did_exec = true;
    AddressSpace* old = p.space;
    p.space = prog.space;
    p.brk_start = p.brk = prog.brk;
    t.frame.trap = {};
    t.frame.trap.sepc = prog.entry;
    t.frame.trap.regs[2] = prog.sp;
    t.frame.trap.sstatus = arch::kUserSstatus;
    delete t.fp;  // the new image starts with zeros
    t.fp = nullptr;
    fpu_forget(t);
    t.clear_child_tid = 0;
    t.robust_list = 0;
    t.altstack = {};
    {
        // Handlers do not survive exec (the code is gone); ignored signals stay ignored.
        SpinLockGuard g(p.signal_lock);
        for (SigAction& a : p.actions)
            if (a.handler != 1) a = {};
    }
    p.files->close_on_exec();
    AddressSpace::release(old);  // a vfork child gives its parent's space back
    p.vfork_done.set();          // and the parent goes on
}

}  // namespace rt
