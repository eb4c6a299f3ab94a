// The uid/gid system calls. Each user-id call and its group-id twin share one implementation
// over an IdSet. An id of -1 means "leave as it is" where Linux allows it.
#include "handlers.hpp"
#include "kernel/mm/user_access.hpp"

namespace rt::sys {
namespace {

constexpr uint32_t kKeep = ~0u;

uint32_t arg(uint64_t v) { return static_cast<uint32_t>(v); }

// setresuid/setresgid: an unprivileged process may only pick among its own ids.
long set_res(bool privileged, IdSet& ids, uint32_t r, uint32_t e, uint32_t s) {
    if (!privileged)
        for (uint32_t id : {r, e, s})
            if (id != kKeep && !ids.has(id)) return error_result(Errno::PERM);
    if (r != kKeep) ids.real = r;
    if (e != kKeep) ids.effective = e;
    if (s != kKeep) ids.saved = s;
    ids.fs = ids.effective;
    return 0;
}

// setuid/setgid: root sets all three; anyone else only the effective id, to its real or
// saved one.
long set_one(bool privileged, IdSet& ids, uint32_t id) {
    if (id == kKeep) return error_result(Errno::INVAL);
    if (privileged) return set_res(true, ids, id, id, id);
    if (id != ids.real && id != ids.saved) return error_result(Errno::PERM);
    ids.effective = ids.fs = id;
    return 0;
}

// setreuid/setregid: the saved id follows the effective one when the real id is set or the
// effective id moves away from the real one.
long set_re(bool privileged, IdSet& ids, uint32_t r, uint32_t e) {
    if (!privileged && ((r != kKeep && r != ids.real && r != ids.effective) || (e != kKeep && !ids.has(e))))
        return error_result(Errno::PERM);
    bool save = r != kKeep || (e != kKeep && e != ids.real);
    if (r != kKeep) ids.real = r;
    if (e != kKeep) ids.effective = e;
    if (save) ids.saved = ids.effective;
    ids.fs = ids.effective;
    return 0;
}

long get_res(Thread& t, const SyscallArgs& a, const IdSet& ids) {
    AddressSpace& s = *t.process->space;
    for (auto [addr, v] : {std::pair{a.a[0], ids.real}, std::pair{a.a[1], ids.effective}, std::pair{a.a[2], ids.saved}})
        if (auto r = UserPtr<uint32_t>(addr).write(s, v); r.is_error()) return error_result(r.error());
    return 0;
}

}  // namespace

long getuid(Thread& t, const SyscallArgs&) { return t.process->creds.uid.real; }
long geteuid(Thread& t, const SyscallArgs&) { return t.process->creds.uid.effective; }
long getgid(Thread& t, const SyscallArgs&) { return t.process->creds.gid.real; }
long getegid(Thread& t, const SyscallArgs&) { return t.process->creds.gid.effective; }

long setuid(Thread& t, const SyscallArgs& a) {
    Credentials& c = t.process->creds;
    return set_one(c.privileged(), c.uid, arg(a.a[0]));
}
long setgid(Thread& t, const SyscallArgs& a) {
    Credentials& c = t.process->creds;
    return set_one(c.privileged(), c.gid, arg(a.a[0]));
}
long setreuid(Thread& t, const SyscallArgs& a) {
    Credentials& c = t.process->creds;
    return set_re(c.privileged(), c.uid, arg(a.a[0]), arg(a.a[1]));
}
long setregid(Thread& t, const SyscallArgs& a) {
    Credentials& c = t.process->creds;
    return set_re(c.privileged(), c.gid, arg(a.a[0]), arg(a.a[1]));
}
long setresuid(Thread& t, const SyscallArgs& a) {
    Credentials& c = t.process->creds;
    return set_res(c.privileged(), c.uid, arg(a.a[0]), arg(a.a[1]), arg(a.a[2]));
}
long setresgid(Thread& t, const SyscallArgs& a) {
    Credentials& c = t.process->creds;
    return set_res(c.privileged(), c.gid, arg(a.a[0]), arg(a.a[1]), arg(a.a[2]));
}
long getresuid(Thread& t, const SyscallArgs& a) { return get_res(t, a, t.process->creds.uid); }
long getresgid(Thread& t, const SyscallArgs& a) { return get_res(t, a, t.process->creds.gid); }

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
