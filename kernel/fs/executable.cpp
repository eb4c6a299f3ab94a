#include "executable.hpp"

#include <new>

#include "kernel/lib/elf.hpp"
#include "kernel/mm/memory_object.hpp"
#include "tmpfs.hpp"

namespace rt {

ErrorOr<void> read_executable(const WalkContext& ctx, const char* path, Executable& out) {
    PathRef p = TRY(walk(ctx, path, kWalkFollow));
    Inode& inode = *p.inode();
    if (!inode.is_regular() || !may_access(inode, ctx.creds, 1)) return Error(Errno::ACCES);
    if (p.mount->flags & kMsNoexec) return Error(Errno::ACCES);
    if (!deny_write_access(inode)) return Error(Errno::TXTBSY);
    inode.ref();
    out.denied = &inode;
    out.where = p;
    out.object = tmpfs_memory(inode);
    if (MemoryObject* m = out.object) {
        uint64_t size;
        if (const uint8_t* bytes = m->pristine(size); bytes && size == inode.size()) {
            out.data = bytes;
            out.size = size;
            return {};
        }
    }
    uint64_t size = inode.size();
    out.copy = new (std::nothrow) uint8_t[size ? size : 1];
    if (!out.copy) return Error(Errno::NOMEM);
    size_t n = TRY(inode.read(out.copy, size, 0));
    out.data = out.copy;
    out.size = n;
    return {};
}

ErrorOr<void> read_interpreter(const WalkContext& ctx, const Executable& program, Executable& out) {
    auto elf = parse_elf(program.data, program.size);
    if (elf.is_error() || !elf.value().has_interp) return {};
    return read_executable(ctx, elf_interp_path(program.data, elf.value()), out);
}

}  // namespace rt
