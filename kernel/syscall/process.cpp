// Process identity and exit.
#include <cstring>

#include "handlers.hpp"
#include "kernel/mm/user_access.hpp"

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
long getppid(Thread& t, const SyscallArgs&) { return t.process->ppid; }
long gettid(Thread& t, const SyscallArgs&) { return t.tid; }
// Every process runs as root until credentials exist (the processes issue's next step).
long getuid(Thread&, const SyscallArgs&) { return 0; }

long set_tid_address(Thread& t, const SyscallArgs& a) {
    t.clear_child_tid = a.a[0];
    return t.tid;
}

long uname(Thread& t, const SyscallArgs& a) {
    struct Utsname {
        char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
    } u{};
    strcpy(u.sysname, "Linux");  // what programs test for; Riptide speaks its ABI
    strcpy(u.nodename, "riptide");
    strcpy(u.release, "6.12.0-riptide");
    strcpy(u.version, "#1 SMP Riptide");
    strcpy(u.machine, "riscv64");
    strcpy(u.domainname, "(none)");
    return to_result(UserPtr<Utsname>(a.a[0]).write(*t.process->space, u));
}

}  // namespace rt::sys
