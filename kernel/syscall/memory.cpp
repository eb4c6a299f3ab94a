// The heap, anonymous mappings and mappings of files.
#include "handlers.hpp"
#include "kernel/mm/address.hpp"
#include "kernel/mm/memory_object.hpp"
#include "kernel/fs/tmpfs.hpp"
#include "kernel/fs/vfs_file.hpp"
#include "kernel/mm/user_access.hpp"
#include "path_args.hpp"

namespace rt::sys {
namespace {

constexpr uint64_t kProtMask = kProtRead | kProtWrite | kProtExec;
constexpr uint64_t kMapShared = 0x01, kMapPrivate = 0x02, kMapSharedValidate = 0x03, kMapType = 0x0f,
                   kMapFixed = 0x10, kMapAnonymous = 0x20,
                   kMapNoreserve = 0x4000, kMapFixedNoreplace = 0x100000;
constexpr uint64_t kMapKnown = kMapType | kMapFixed | kMapAnonymous | kMapNoreserve |
                               kMapFixedNoreplace | 0x0100 /* GROWSDOWN */ | 0x0800 /* DENYWRITE */ |
                               0x1000 /* EXECUTABLE */ | 0x2000 /* LOCKED */ | 0x8000 /* POPULATE */ |
                               0x10000 /* NONBLOCK */ | 0x20000 /* STACK */;

}  // namespace

// brk(addr): moves the end of the heap; returns the (possibly unchanged) end, as Linux does.
long brk(Thread& t, const SyscallArgs& a) {
    Process& p = *t.process;
    uint64_t want = a.a[0];
    if (want < p.brk_start) return static_cast<long>(p.brk);
    uint64_t old_end = page_round_up(p.brk), new_end = page_round_up(want);
    if (new_end > old_end) {
        if (p.space->add_region(old_end, new_end - old_end, kProtRead | kProtWrite).is_error())
            return static_cast<long>(p.brk);
    } else if (new_end < old_end) {
        (void)p.space->remove_range(new_end, old_end - new_end);
    }
    p.brk = want;
    return static_cast<long>(p.brk);
}

namespace {

// A new mapping, after its checks: at addr (fixed) or in a free gap near the hint.
long map_region(AddressSpace& space, uint64_t addr, uint64_t len, uint32_t prot, uint64_t flags,
                MemoryObject* object, uint64_t object_page = 0, bool private_object = false) {
    if (flags & (kMapFixed | kMapFixedNoreplace)) {
        if (addr & (kPageSize - 1)) return error_result(Errno::INVAL);
        if (!user_range_ok(addr, len) || addr < kUserBottom) return error_result(Errno::NOMEM);
        if (flags & kMapFixed) {
            auto removed = space.remove_range(addr, len);
            if (removed.is_error()) return error_result(removed.error());
        }
        auto r = space.add_region(addr, len, prot, object, object_page, private_object);
        if (r.is_error()) return error_result(r.error().code == Errno::INVAL ? Errno::EXIST : r.error().code);
        return static_cast<long>(addr);
    }
    auto at = space.find_gap(addr, len);
    if (at.is_error()) return error_result(at.error());
    auto r = space.add_region(at.value(), len, prot, object, object_page, private_object);
    if (r.is_error()) return error_result(r.error());
    return static_cast<long>(at.value());
}

// A mapping of the file at `fd` from byte `offset`: its pages themselves (MAP_SHARED), or a
// copy-on-write view of them (MAP_PRIVATE). Files whose bytes are a memory object (tmpfs)
// can be mapped; others answer ENODEV.
long map_file(Thread& t, uint64_t addr, uint64_t len, uint32_t prot, uint64_t flags, uint64_t fd, uint64_t offset) {
    FileRef f = file_of(t, static_cast<uint32_t>(fd));
    if (!f) return error_result(Errno::BADF);
    MemoryObject* object = f->path() ? tmpfs_memory(*f->path()->inode()) : nullptr;
    if (!object) return error_result(Errno::NODEV);
    if (!f->readable()) return error_result(Errno::ACCES);
    bool shared = (flags & kMapType) != kMapPrivate;
    if (shared && (prot & kProtWrite) && (!f->writable() || (f->flags() & kOAppend))) return error_result(Errno::ACCES);
    uint64_t page = offset / kPageSize;
    if (page + len / kPageSize < page || page + len / kPageSize > PageSlots::kLimit) return error_result(Errno::OVERFLOW);
    return map_region(*t.process->space, addr, len, prot, flags, object, page, !shared);
}

}  // namespace

long mmap(Thread& t, const SyscallArgs& a) {
    uint64_t addr = a.a[0], len = a.a[1], prot = a.a[2], flags = a.a[3], offset = a.a[5];
    uint64_t type = flags & kMapType;
    if (len == 0 || (prot & ~kProtMask) || (offset & (kPageSize - 1))) return error_result(Errno::INVAL);
    if (type != kMapShared && type != kMapPrivate && type != kMapSharedValidate) return error_result(Errno::INVAL);
    if (flags & ~kMapKnown) return error_result(Errno::INVAL);
    if (len > kUserTop) return error_result(Errno::NOMEM);
    len = page_round_up(len);
    AddressSpace& space = *t.process->space;
    if (!(flags & kMapAnonymous)) return map_file(t, addr, len, static_cast<uint32_t>(prot), flags, a.a[4], offset);
    if (type == kMapSharedValidate) return error_result(Errno::INVAL);  // for files only
    if (type == kMapPrivate) return map_region(space, addr, len, static_cast<uint32_t>(prot), flags, nullptr);
    // Shared anonymous memory: an object of its own, which fork shares and mremap keeps.
    auto object = MemoryObject::create_anonymous(len / kPageSize);
    if (object.is_error()) return error_result(object.error());
    long r = map_region(space, addr, len, static_cast<uint32_t>(prot), flags, object.value());
    object.value()->unref();  // the region holds its own reference, if it was made
    return r;
}

// mremap(old, old_len, new_len, flags, new_addr): the address space checks everything.
long mremap(Thread& t, const SyscallArgs& a) {
    if (a.a[3] >> 32) return error_result(Errno::INVAL);  // flags are an int; no high bits
    auto r = t.process->space->remap(a.a[0], a.a[1], a.a[2], static_cast<uint32_t>(a.a[3]), a.a[4]);
    if (r.is_error()) return error_result(r.error());
    return static_cast<long>(r.value());
}

long munmap(Thread& t, const SyscallArgs& a) {
    uint64_t addr = a.a[0], len = a.a[1];
    if ((addr & (kPageSize - 1)) || len == 0 || !user_range_ok(addr, len)) return error_result(Errno::INVAL);
    return to_result(t.process->space->remove_range(addr, len));
}

}  // namespace rt::sys

namespace rt::sys {

long mprotect(Thread& t, const SyscallArgs& a) {
    constexpr uint64_t kGrows = 0x01000000 | 0x02000000;  // PROT_GROWSDOWN, PROT_GROWSUP
    uint64_t addr = a.a[0], len = a.a[1], prot = a.a[2];
    if ((addr & (kPageSize - 1)) || (prot & ~(kProtMask | kGrows))) return error_result(Errno::INVAL);
    if ((prot & kGrows) == kGrows) return error_result(Errno::INVAL);
    if (len == 0) return 0;
    if (!user_range_ok(addr, page_round_up(len)) || page_round_up(len) < len) return error_result(Errno::NOMEM);
    return to_result(t.process->space->protect(addr, len, static_cast<uint32_t>(prot & kProtMask)));
}

}  // namespace rt::sys

namespace rt::sys {

long madvise(Thread& t, const SyscallArgs& a) {
    enum : uint64_t { kNormal = 0, kRandom = 1, kSequential = 2, kWillneed = 3, kDontneed = 4, kFree = 8 };
    uint64_t addr = a.a[0], len = a.a[1], advice = a.a[2];
    if (addr & (kPageSize - 1)) return error_result(Errno::INVAL);
    if (!user_range_ok(addr, page_round_up(len)) || page_round_up(len) < len) return error_result(Errno::INVAL);
    switch (advice) {
    // Hints about access patterns and read-ahead: Riptide maps lazily and has nothing to tune.
    case kNormal:
    case kRandom:
    case kSequential:
    case kWillneed: return 0;
    // MADV_FREE may drop the pages at any later time; dropping them now is one such time.
    case kDontneed:
    case kFree: return to_result(t.process->space->discard(addr, len, advice == kFree));
    default: return error_result(Errno::INVAL);
    }
}

}  // namespace rt::sys
