// Scheduling: CPU affinity (a thread is moved to an allowed hart before it next runs) and
// sysinfo.
#include "arch/riscv/timer.hpp"
#include "handlers.hpp"
#include "kernel/mm/address.hpp"
#include "kernel/mm/frames.hpp"
#include "kernel/mm/user_access.hpp"
#include "kernel/sched/hart.hpp"

namespace rt::sys {
namespace {

// The thread `tid` names (0: the caller); g_process_lock held.
Thread* thread_of(Thread& self, int tid) { return tid == 0 ? &self : find_thread_locked(tid); }

uint64_t online_mask() { return g_hart_count >= 64 ? ~0ull : (1ull << g_hart_count) - 1; }

}  // namespace

long sched_getaffinity(Thread& t, const SyscallArgs& a) {
    uint64_t size = a.a[1];
    // Linux wants room for its whole CPU mask and reports the bytes it wrote.
    if (size < sizeof(uint64_t) || (size & (sizeof(uint64_t) - 1))) return error_result(Errno::INVAL);
    uint64_t mask;
    {
        SpinLockGuard g(g_process_lock);
        Thread* target = thread_of(t, static_cast<int>(a.a[0]));
        if (!target) return error_result(Errno::SRCH);
        mask = target->affinity & online_mask();
    }
    auto r = UserPtr<uint64_t>(a.a[2]).write(*t.process->space, mask);
    return r.is_error() ? error_result(r.error()) : static_cast<long>(sizeof mask);
}

long sched_setaffinity(Thread& t, const SyscallArgs& a) {
    uint64_t size = a.a[1], mask = 0;
    auto r = copy_from_user(*t.process->space, &mask, a.a[2], size < sizeof mask ? size : sizeof mask);
    if (r.is_error()) return error_result(r.error());
    mask &= online_mask();
    if (!mask) return error_result(Errno::INVAL);
    SpinLockGuard g(g_process_lock);
    Thread* target = thread_of(t, static_cast<int>(a.a[0]));
    if (!target) return error_result(Errno::SRCH);
    target->affinity = mask;
    return 0;
}

long sysinfo(Thread& t, const SyscallArgs& a) {
    struct Sysinfo {
        int64_t uptime;
        uint64_t loads[3];
        uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
        uint16_t procs, pad;
        uint32_t pad2;
        uint64_t totalhigh, freehigh;
        uint32_t mem_unit;
        char reserved[4];
    } info{};
    info.uptime = static_cast<int64_t>(arch::now_ns() / 1'000'000'000);
    info.totalram = g_frames.total_frames() * kPageSize;
    info.freeram = g_frames.free_frames() * kPageSize;
    info.mem_unit = 1;
    {
        SpinLockGuard g(g_process_lock);
        for (Process* p = g_processes.front(); p; p = g_processes.next_of(*p))
            for (Thread* th = p->threads.front(); th; th = p->threads.next_of(*th)) ++info.procs;
    }
    // Load averages are not kept yet: they read as zero.
    return to_result(UserPtr<Sysinfo>(a.a[0]).write(*t.process->space, info));
}

}  // namespace rt::sys
