// The uid/gid system calls. An id of -1 means "leave as it is" where Linux allows it.
#include "handlers.hpp"
#include "kernel/mm/user_access.hpp"

namespace rt::sys {
namespace {

constexpr uint32_t kKeep = ~0u;

// May an unprivileged process take `id`? Only one of the ids it already has.
bool own(uint32_t id, uint32_t a, uint32_t b, uint32_t c) { return id == a || id == b || id == c; }

// setresuid/setresgid's common rule and effect on (r, e, s, fs).
long set_res(Credentials& c, bool gid, uint32_t r, uint32_t e, uint32_t s) {
    uint32_t& cr = gid ? c.rgid : c.ruid;
    uint32_t& ce = gid ? c.egid : c.euid;
    uint32_t& cs = gid ? c.sgid : c.suid;
    uint32_t& cfs = gid ? c.fsgid : c.fsuid;
    if (!c.privileged())
        for (uint32_t id : {r, e, s})
            if (id != kKeep && !own(id, cr, ce, cs)) return error_result(Errno::PERM);
    if (r != kKeep) cr = r;
    if (e != kKeep) ce = e;
    if (s != kKeep) cs = s;
    cfs = ce;
    return 0;
}

uint32_t arg(uint64_t v) { return static_cast<uint32_t>(v); }

}  // namespace

long getuid(Thread& t, const SyscallArgs&) { return t.process->creds.ruid; }
long geteuid(Thread& t, const SyscallArgs&) { return t.process->creds.euid; }
long getgid(Thread& t, const SyscallArgs&) { return t.process->creds.rgid; }
long getegid(Thread& t, const SyscallArgs&) { return t.process->creds.egid; }

long setuid(Thread& t, const SyscallArgs& a) {
    Credentials& c = t.process->creds;
    uint32_t id = arg(a.a[0]);
    if (id == kKeep) return error_result(Errno::INVAL);
    // Root sets all three; anyone else only the effective id, to its real or saved one.
    if (c.privileged()) return set_res(c, false, id, id, id);
    if (id != c.ruid && id != c.suid) return error_result(Errno::PERM);
    c.euid = c.fsuid = id;
    return 0;
}

long setgid(Thread& t, const SyscallArgs& a) {
    Credentials& c = t.process->creds;
    uint32_t id = arg(a.a[0]);
    if (id == kKeep) return error_result(Errno::INVAL);
    if (c.privileged()) return set_res(c, true, id, id, id);
    if (id != c.rgid && id != c.sgid) return error_result(Errno::PERM);
    c.egid = c.fsgid = id;
    return 0;
}

long setreuid(Thread& t, const SyscallArgs& a) {
    Credentials& c = t.process->creds;
    uint32_t r = arg(a.a[0]), e = arg(a.a[1]);
    if (!c.privileged() && ((r != kKeep && r != c.ruid && r != c.euid) || (e != kKeep && !own(e, c.ruid, c.euid, c.suid))))
        return error_result(Errno::PERM);
    // The saved id follows the effective one when the real id is set or the effective id
    // moves away from the real one.
    bool save = r != kKeep || (e != kKeep && e != c.ruid);
    if (r != kKeep) c.ruid = r;
    if (e != kKeep) c.euid = e;
    if (save) c.suid = c.euid;
    c.fsuid = c.euid;
    return 0;
}

long setregid(Thread& t, const SyscallArgs& a) {
    Credentials& c = t.process->creds;
    uint32_t r = arg(a.a[0]), e = arg(a.a[1]);
    if (!c.privileged() && ((r != kKeep && r != c.rgid && r != c.egid) || (e != kKeep && !own(e, c.rgid, c.egid, c.sgid))))
        return error_result(Errno::PERM);
    bool save = r != kKeep || (e != kKeep && e != c.rgid);
    if (r != kKeep) c.rgid = r;
    if (e != kKeep) c.egid = e;
    if (save) c.sgid = c.egid;
    c.fsgid = c.egid;
    return 0;
}

long setresuid(Thread& t, const SyscallArgs& a) { return set_res(t.process->creds, false, arg(a.a[0]), arg(a.a[1]), arg(a.a[2])); }
long setresgid(Thread& t, const SyscallArgs& a) { return set_res(t.process->creds, true, arg(a.a[0]), arg(a.a[1]), arg(a.a[2])); }

long getresuid(Thread& t, const SyscallArgs& a) {
    const Credentials& c = t.process->creds;
    AddressSpace& s = *t.process->space;
    for (auto [addr, v] : {std::pair{a.a[0], c.ruid}, std::pair{a.a[1], c.euid}, std::pair{a.a[2], c.suid}})
        if (auto r = UserPtr<uint32_t>(addr).write(s, v); r.is_error()) return error_result(r.error());
    return 0;
}

long getresgid(Thread& t, const SyscallArgs& a) {
    const Credentials& c = t.process->creds;
    AddressSpace& s = *t.process->space;
    for (auto [addr, v] : {std::pair{a.a[0], c.rgid}, std::pair{a.a[1], c.egid}, std::pair{a.a[2], c.sgid}})
        if (auto r = UserPtr<uint32_t>(addr).write(s, v); r.is_error()) return error_result(r.error());
    return 0;
}

long getgroups(Thread& t, const SyscallArgs& a) {
    const Credentials& c = t.process->creds;
    uint64_t size = a.a[0];
    if (size == 0) return c.group_count;
    if (size < c.group_count) return error_result(Errno::INVAL);
    auto r = copy_to_user(*t.process->space, a.a[1], c.groups, c.group_count * sizeof(uint32_t));
    return r.is_error() ? error_result(r.error()) : static_cast<long>(c.group_count);
}

long setgroups(Thread& t, const SyscallArgs& a) {
    Credentials& c = t.process->creds;
    if (!c.privileged()) return error_result(Errno::PERM);
    uint64_t size = a.a[0];
    if (size > Credentials::kMaxGroups) return error_result(Errno::INVAL);
    uint32_t groups[Credentials::kMaxGroups];
    auto r = copy_from_user(*t.process->space, groups, a.a[1], size * sizeof(uint32_t));
    if (r.is_error()) return error_result(r.error());
    for (uint64_t i = 0; i < size; ++i) c.groups[i] = groups[i];
    c.group_count = static_cast<unsigned>(size);
    return 0;
}

}  // namespace rt::sys
