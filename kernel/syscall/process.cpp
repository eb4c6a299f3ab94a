// Process identity and exit.
#include <cstring>

#include "handlers.hpp"
#include "drivers/test_device.hpp"
#include "kernel/console.hpp"
#include "kernel/mm/user_access.hpp"
#include "kernel/sched/hart.hpp"

namespace rt::sys {

long exit(Thread& t, const SyscallArgs& a) {
    // One thread leaves; the process ends with its last thread.
    t.exiting = true;
    if (t.process->live_threads.load() == 1) exit_process(*t.process, static_cast<int>(a.a[0] & 0xff) << 8);
    return 0;
}

long exit_group(Thread& t, const SyscallArgs& a) {
    exit_process(*t.process, static_cast<int>(a.a[0] & 0xff) << 8);
    return 0;
}

long getpid(Thread& t, const SyscallArgs&) { return t.process->pid; }
long getppid(Thread& t, const SyscallArgs&) { return t.process->ppid.load(std::memory_order_relaxed); }
long gettid(Thread& t, const SyscallArgs&) { return t.tid; }

long set_tid_address(Thread& t, const SyscallArgs& a) {
    t.clear_child_tid = a.a[0];
    return t.tid;
}

namespace {

// The host name (sethostname, uname's nodename): one for the machine.
SpinLock g_hostname_lock;
char g_hostname[65] = "riptide";

}  // namespace

long uname(Thread& t, const SyscallArgs& a) {
    struct Utsname {
        char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
    } u{};
    strcpy(u.sysname, "Linux");  // what programs test for; Riptide speaks its ABI
    {
        SpinLockGuard g(g_hostname_lock);
        memcpy(u.nodename, g_hostname, sizeof g_hostname);
    }
    strcpy(u.release, "6.12.0-riptide");
    strcpy(u.version, "#1 SMP Riptide");
    strcpy(u.machine, "riscv64");
    strcpy(u.domainname, "(none)");
    return to_result(UserPtr<Utsname>(a.a[0]).write(*t.process->space, u));
}

// prctl: the name (PR_SET_NAME, PR_GET_NAME; kept per process here, per thread on Linux). The
// other options are not supported (EINVAL, as Linux answers an option it does not know).
long prctl(Thread& t, const SyscallArgs& a) {
    constexpr uint64_t kSetName = 15, kGetName = 16;
    Process& p = *t.process;
    char name[16] = {};
    switch (a.a[0]) {
    case kSetName: {
        auto n = copy_string_from_user(*p.space, name, a.a[1], sizeof name);
        if (n.is_error() && n.error().code != Errno::NAMETOOLONG) return error_result(n.error());
        name[15] = 0;  // a longer name is cut, as Linux cuts it
        if (n.is_error() && copy_from_user(*p.space, name, a.a[1], 15).is_error()) return error_result(Errno::FAULT);
        SpinLockGuard g(p.signal_lock);
        memcpy(p.comm, name, sizeof name);
        return 0;
    }
    case kGetName: {
        {
            SpinLockGuard g(p.signal_lock);
            memcpy(name, p.comm, sizeof name);
        }
        return to_result(copy_to_user(*p.space, a.a[1], name, sizeof name));
    }
    default: return error_result(Errno::INVAL);
    }
}

long sethostname(Thread& t, const SyscallArgs& a) {
    if (!t.process->creds.privileged()) return error_result(Errno::PERM);
    if (a.a[1] > 64) return error_result(Errno::INVAL);
    char name[65] = {};
    if (auto r = copy_from_user(*t.process->space, name, a.a[0], a.a[1]); r.is_error()) return error_result(r.error());
    SpinLockGuard g(g_hostname_lock);
    memcpy(g_hostname, name, sizeof name);
    return 0;
}

}  // namespace rt::sys

namespace rt::sys {

constexpr uint64_t kRobustListHeadSize = 24;  // struct robust_list_head on 64-bit

long set_robust_list(Thread& t, const SyscallArgs& a) {
    if (a.a[1] != kRobustListHeadSize) return error_result(Errno::INVAL);
    t.robust_list = a.a[0];
    return 0;
}

// get_robust_list(tid, head_ptr, len_ptr): a thread's list head (0: the caller's); another
// process's only for whoever may signal it (Linux asks for ptrace access).
long get_robust_list(Thread& t, const SyscallArgs& a) {
    int64_t tid = static_cast<int32_t>(a.a[0]);
    uint64_t head;
    if (tid == 0) {
        head = t.robust_list;
    } else {
        SpinLockGuard g(g_process_lock);
        Thread* other = tid > 0 ? find_thread_locked(static_cast<int>(tid)) : nullptr;
        if (!other) return error_result(Errno::SRCH);
        if (other->process != t.process && !t.process->creds.may_signal(other->process->creds))
            return error_result(Errno::PERM);
        head = other->robust_list;
    }
    AddressSpace& space = *t.process->space;
    if (auto w = UserPtr<uint64_t>(a.a[1]).write(space, head); w.is_error()) return error_result(w.error());
    return to_result(UserPtr<uint64_t>(a.a[2]).write(space, kRobustListHeadSize));
}

long prlimit64(Thread& t, const SyscallArgs& a) {
    Process& p = *t.process;
    int64_t pid = static_cast<int64_t>(a.a[0]);
    uint64_t resource = a.a[1];
    // Other processes are looked up once there is a process table (fork, the next step).
    if (pid != 0 && pid != p.pid) return error_result(Errno::SRCH);
    if (resource >= kRlimitCount) return error_result(Errno::INVAL);
    Rlimit fresh;
    if (a.a[2]) {
        auto r = UserPtr<Rlimit>(a.a[2]).read(*p.space, fresh);
        if (r.is_error()) return error_result(r.error());
        if (fresh.cur > fresh.max) return error_result(Errno::INVAL);
    }
    if (a.a[3]) {
        auto w = UserPtr<Rlimit>(a.a[3]).write(*p.space, p.limits[resource]);
        if (w.is_error()) return error_result(w.error());
    }
    // Raising the hard limit needs CAP_SYS_RESOURCE, which every process has while all run as root.
    if (a.a[2]) p.limits[resource] = fresh;
    return 0;
}

}  // namespace rt::sys

namespace rt::sys {

long getcpu(Thread& t, const SyscallArgs& a) {
    auto cpu = static_cast<uint32_t>(this_hart_index());
    if (a.a[0]) {
        auto r = UserPtr<uint32_t>(a.a[0]).write(*t.process->space, cpu);
        if (r.is_error()) return error_result(r.error());
    }
    if (a.a[1]) return to_result(UserPtr<uint32_t>(a.a[1]).write(*t.process->space, 0u));  // one NUMA node
    return 0;
}

}  // namespace rt::sys

namespace rt::sys {

// reboot: power-off, halt and restart all end the machine (QEMU exits) with a passing status.
long reboot(Thread&, const SyscallArgs& a) {
    constexpr uint64_t kMagic1 = 0xfee1dead;
    constexpr uint64_t kMagic2[] = {672274793, 85072278, 369367448, 537993216};
    constexpr uint32_t kRestart = 0x01234567, kHalt = 0xcdef0123, kPowerOff = 0x4321fedc,
                       kCadOn = 0x89abcdef, kCadOff = 0;
    // The magic numbers are C ints: glibc passes 0xfee1dead sign-extended, and only the low 32
    // bits count (as on Linux).
    if (static_cast<uint32_t>(a.a[0]) != kMagic1) return error_result(Errno::INVAL);
    bool magic2 = false;
    for (uint64_t m : kMagic2) magic2 = magic2 || static_cast<uint32_t>(a.a[1]) == m;
    if (!magic2) return error_result(Errno::INVAL);
    auto cmd = static_cast<uint32_t>(a.a[2]);
    // Ctrl-Alt-Del handling: there is no keyboard to watch; both settings are accepted.
    if (cmd == kCadOn || cmd == kCadOff) return 0;
    if (cmd != kRestart && cmd != kHalt && cmd != kPowerOff) return error_result(Errno::INVAL);
    kprint("riptide: reboot({:#x}) by a process: powering off\n", cmd);
    test_device::power_off(true);
}

}  // namespace rt::sys
