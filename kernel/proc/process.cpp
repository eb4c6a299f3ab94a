#include "process.hpp"

#include <new>

#include "user_thread.hpp"

namespace rt {
namespace {
std::atomic<int> g_next_pid{1};
constexpr uint64_t kInf = kRlimInfinity;
}  // namespace

// CPU, FSIZE, DATA, STACK, CORE, RSS, NPROC, NOFILE, MEMLOCK, AS, LOCKS, SIGPENDING, MSGQUEUE,
// NICE, RTPRIO, RTTIME.
const Rlimit kDefaultLimits[kRlimitCount] = {
    {kInf, kInf}, {kInf, kInf}, {kInf, kInf}, {8ull << 20, kInf}, {0, kInf}, {kInf, kInf},
    {4096, 4096}, {1024, 4096}, {8ull << 20, 8ull << 20}, {kInf, kInf}, {kInf, kInf},
    {4096, 4096}, {819200, 819200}, {0, 0}, {0, 0}, {kInf, kInf}};

ErrorOr<Process*> start_process(AddressSpace* space, uint64_t entry, uint64_t sp, uint64_t brk,
                                Executor& ex, Affinity affinity) {
    auto* p = new (std::nothrow) Process;
    auto* t = new (std::nothrow) Thread;
    if (!p || !t) {
        delete p;
        delete t;
        return Error(Errno::NOMEM);
    }
    p->pid = g_next_pid.fetch_add(1);
    p->space = space;
    p->brk_start = p->brk = brk;
    for (unsigned i = 0; i < kRlimitCount; ++i) p->limits[i] = kDefaultLimits[i];
    t->process = p;
    t->tid = p->pid;
    t->frame.trap.sepc = entry;
    t->frame.trap.regs[2] = sp;
    t->frame.trap.sstatus = arch::kUserSstatus;
    p->live_threads = 1;
    p->refs = 2;  // the thread's and the caller's
    Task<void> run = run_user_thread(*t);
    if (!run.valid()) {
        delete t;
        p->space = nullptr;  // still the caller's on failure
        delete p;
        return Error(Errno::NOMEM);
    }
    (void)spawn(std::move(run), ex, affinity);
    return p;
}

void release_process(Process* p) {
    if (p->refs.fetch_sub(1) != 1) return;
    delete p->space;
    delete p;
}

void exit_process(Process& p, int status) {
    uint32_t expected = 0;
    if (p.exiting.compare_exchange_strong(expected, 1)) p.exit_status = status;
}

}  // namespace rt
