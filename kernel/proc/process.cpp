#include "process.hpp"

#include <cstring>

#include <new>

#include "fpu.hpp"
#include "itimer.hpp"
#include "kernel/fs/console_file.hpp"
#include "kernel/fs/controlling_tty.hpp"
#include "kernel/fs/fd_table.hpp"
#include "kernel/fs/path_walk.hpp"
#include "kernel/mm/address.hpp"
#include "kernel/mm/frames.hpp"
#include "signal.hpp"
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

// RLIMIT_NPROC scales with memory, as Linux's does: half of "max_threads", which allows one
// thread per eight 16 KiB kernel stacks' worth of RAM. A process here costs less, so a fork
// bomb meets the limit before memory runs out.
Rlimit default_nproc_limit() {
    uint64_t max_threads = g_frames.total_frames() * kPageSize / (8 * 16384);
    uint64_t n = max_threads < 40 ? 20 : max_threads / 2;
    return {n, n};
}

// A process the kernel starts has the console as stdin, stdout and stderr (one open file, its
// terminal line /dev/ttyS0 opened read-write and dup'd twice). As on Linux it gets no
// controlling terminal (O_NOCTTY): the sessions it starts take the line (busybox init's shell
// on ttyS0), or it takes it itself (TIOCSCTTY). nullptr if no memory.
FdTable* console_files(Process& p) {
    auto* files = new (std::nothrow) FdTable;
    PathRef root = root_path();
    const Credentials root_creds{};
    auto node = walk({root, root, root_creds, nullptr}, "/dev/ttyS0", kWalkFollow);
    File* console = open_console_tty(p, node.is_error() ? PathRef{} : node.value(), kORdwr | kONoctty).leak();
    if (!files || !console) {
        delete files;
        if (console) console->release();
        return nullptr;
    }
    console->retain();
    console->retain();
    for (int fd = 0; fd < 3; ++fd) {
        if (files->install(FileRef(console), false, fd, 3).is_error()) {
            for (int rest = fd + 1; rest < 3; ++rest) console->release();
            delete files;
            return nullptr;
        }
    }
    return files;
}

ErrorOr<Process*> start_process(AddressSpace* space, uint64_t entry, uint64_t sp, uint64_t brk,
                                Executor& ex, Affinity affinity) {
    auto* p = new (std::nothrow) Process;
    auto* t = new (std::nothrow) Thread{};  // {}: every register starts at zero
    if (!p || !t) {
        delete p;
        delete t;
        return Error(Errno::NOMEM);
    }
    p->pid = g_next_pid.fetch_add(1);
    p->pgid = p->pid;  // started by the kernel: a session and group of its own
    p->sid = p->pid;
    p->space = space;
    p->files = console_files(*p);
    p->fs.copy_from(nullptr);
    if (!p->files) {
        delete t;
        p->space = nullptr;  // still the caller's on failure
        delete p;
        return Error(Errno::NOMEM);
    }
    p->brk_start = p->brk = brk;
    for (unsigned i = 0; i < kRlimitCount; ++i) p->limits[i] = kDefaultLimits[i];
    p->limits[kRlimitNproc] = default_nproc_limit();
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
        session_leader_exits(*p);  // the console it took goes back
        delete p->files;
        p->space = nullptr;  // still the caller's on failure
        delete p;
        return Error(Errno::NOMEM);
    }
    {
        SpinLockGuard g(g_process_lock);
        p->threads.push_back(*t);
        g_processes.push_back(*p);
    }
    (void)spawn(std::move(run), ex, affinity);
    return p;
}

namespace {

// A forked child runs what its parent runs: it has the same name, command line and file in
// /proc, and holds off writers of that file as the parent does (ETXTBSY).
void inherit_program_identity(Process& child, Process& parent) {
    size_t len;
    {
        SpinLockGuard g(parent.signal_lock);
        len = parent.cmdline_len;
    }
    char* cmdline = len ? new (std::nothrow) char[len] : nullptr;
    {
        SpinLockGuard g(parent.signal_lock);
        memcpy(child.comm, parent.comm, sizeof child.comm);
        child.exe_path = parent.exe_path;
        // Another thread's exec may have changed it meanwhile: what fits is copied.
        if (cmdline) {
            len = len < parent.cmdline_len ? len : parent.cmdline_len;
            memcpy(cmdline, parent.cmdline, len);
            child.cmdline = cmdline;
            child.cmdline_len = len;
        }
    }
    if (child.exe_path) (void)deny_write_access(*child.exe_path.inode());
}

}  // namespace

void set_program_identity(Process& p, PathRef exe, const char* const* argv, const char* path) {
    constexpr size_t kMaxCmdline = 4096;
    size_t len = 0;
    for (size_t i = 0; argv && argv[i] && len < kMaxCmdline; ++i) len += strlen(argv[i]) + 1;
    if (len > kMaxCmdline) len = kMaxCmdline;
    char* cmdline = len ? new (std::nothrow) char[len] : nullptr;
    if (cmdline) {
        size_t at = 0;
        for (size_t i = 0; argv[i] && at < len; ++i) {
            size_t n = strlen(argv[i]) + 1;
            if (n > len - at) n = len - at;
            memcpy(cmdline + at, argv[i], n);
            at += n;
        }
    }
    char comm[16] = {};
    const char* base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base) < 15 ? strlen(base) : 15;
    memcpy(comm, base, n);
    // The process runs the file now: no writer may open it until it ends or runs another
    // (the loader's own hold, still in force, makes this succeed).
    if (exe) (void)deny_write_access(*exe.inode());
    char* old;
    {
        SpinLockGuard g(p.signal_lock);
        old = p.cmdline;
        p.cmdline = cmdline;
        p.cmdline_len = cmdline ? len : 0;
        memcpy(p.comm, comm, sizeof comm);
        PathRef previous = static_cast<PathRef&&>(p.exe_path);
        p.exe_path = static_cast<PathRef&&>(exe);
        exe = static_cast<PathRef&&>(previous);  // dropped after the lock
    }
    if (exe) allow_write_access(*exe.inode());
    delete[] old;
}

void release_process(Process* p) {
    if (p->refs.fetch_sub(1) != 1) return;
    {
        SpinLockGuard g(g_process_lock);
        if (p->all_node.is_linked()) g_processes.remove(*p);
    }
    drop_queued_signals(*p, p->queued);
    AddressSpace::release(p->space);
    delete p;
}

SpinLock g_process_lock;
IntrusiveList<Process, &Process::all_node> g_processes;

Process* find_process_locked(int pid) {
    for (Process* p = g_processes.front(); p; p = g_processes.next_of(*p))
        if (p->pid == pid) return p;
    return nullptr;
}

Thread* find_thread_locked(int tid) {
    for (Process* p = g_processes.front(); p; p = g_processes.next_of(*p))
        for (Thread* t = p->threads.front(); t; t = p->threads.next_of(*t))
            if (t->tid == tid) return t;
    return nullptr;
}

// RLIMIT_NPROC: an unprivileged user may not own more processes than its limit.
bool over_process_limit(const Process& parent) {
    if (parent.creds.privileged()) return false;
    uint64_t limit = parent.limits[kRlimitNproc].cur, owned = 0;
    SpinLockGuard g(g_process_lock);
    for (Process* p = g_processes.front(); p; p = g_processes.next_of(*p))
        if (p->creds.uid.real == parent.creds.uid.real && !p->zombie) ++owned;
    return owned >= limit;
}

ErrorOr<Process*> fork_process(Thread& from, Thread** child_thread, ForkOptions options) {
    Process& parent = *from.process;
    if (over_process_limit(parent)) return Error(Errno::AGAIN);
    AddressSpace* space;
    if (options.share_space) {
        space = parent.space;
        space->retain();
    } else {
        space = TRY(parent.space->clone_for_fork());
    }
    FdTable* files = nullptr;
    if (options.share_files) {
        files = parent.files;
        files->retain();
    } else if (auto copy = parent.files->clone(); !copy.is_error()) {
        files = copy.value();
    }
    auto* p = new (std::nothrow) Process;
    auto* t = new (std::nothrow) Thread{};
    // The FP state as of the trap: fpu_after_trap saved it if the parent dirtied it.
    if (!p || !t || !files || !fpu_copy(from, *t)) {
        delete p;
        delete t;
        AddressSpace::release(space);
        FdTable::release(files);
        return Error(Errno::NOMEM);
    }
    p->files = files;
    p->umask = parent.umask;
    p->fs.copy_from(&parent.fs);
    inherit_program_identity(*p, parent);
    p->exit_signal = options.exit_signal;
    p->pid = g_next_pid.fetch_add(1);
    p->pgid = parent.pgid.load();
    p->creds = parent.creds;
    p->sid = parent.sid.load();
    p->space = space;
    p->brk_start = parent.brk_start;
    p->brk = parent.brk;
    for (unsigned i = 0; i < kRlimitCount; ++i) p->limits[i] = parent.limits[i];
    t->process = p;
    t->tid = p->pid;
    t->frame.trap = from.frame.trap;
    t->blocked = from.blocked;
    t->altstack = from.altstack;
    t->affinity = from.affinity;
    {
        SpinLockGuard g(parent.signal_lock);
        for (int i = 0; i < 64; ++i) p->actions[i] = parent.actions[i];
    }
    p->live_threads = 1;
    p->refs = 2;  // the thread's and the parent's
    Task<void> run = run_user_thread(*t);
    if (!run.valid()) {
        delete t;
        FdTable::release(p->files);
        delete p;
        AddressSpace::release(space);
        return Error(Errno::NOMEM);
    }
    {
        SpinLockGuard g(g_process_lock);
        p->parent = &parent;
        p->ppid = parent.pid;
        p->ctty = parent.ctty;  // under the lock: the session may lose its terminal meanwhile
        parent.children.push_back(*p);
        p->threads.push_back(*t);
        g_processes.push_back(*p);
    }
    *child_thread = t;
    (void)spawn(std::move(run), platform::current_executor());
    return p;
}

void process_ended(Process& p) {
    cancel_real_timer(p);
    session_leader_exits(p);
    FdTable* files;
    {
        SpinLockGuard g(p.signal_lock);  // /proc reads the table under it
        files = p.files;
        p.files = nullptr;
    }
    FdTable::release(files);  // its files close as it ends, as Linux's exit_files
    p.fs.clear();
    PathRef exe;  // it runs its program no more: writers may open the file again
    {
        SpinLockGuard g(p.signal_lock);
        exe = static_cast<PathRef&&>(p.exe_path);
    }
    if (exe) allow_write_access(*exe.inode());
    p.vfork_done.set();
    IntrusiveList<Process, &Process::sibling> dead_children;
    bool self_reap;
    {
        SpinLockGuard g(g_process_lock);
        // Our own children lose their parent: they will reap themselves, or are reaped now.
        while (Process* c = p.children.pop_front()) {
            c->parent = nullptr;
            c->ppid = 0;  // no init to adopt it yet
            c->orphaned = true;
            if (c->zombie) dead_children.push_back(*c);
        }
        p.zombie = true;
        self_reap = p.orphaned;
        if (p.parent) {
            p.parent->child_events.notify();
            bool killed = (p.exit_status & 0x7f) != 0;
            if (p.exit_signal)
                post_signal_locked(*p.parent, nullptr,
                                   {p.exit_signal, killed ? kCldKilled : kCldExited, p.pid, p.creds.uid.real,
                                    killed ? p.exit_status & 0x7f : p.exit_status >> 8, 0});
        }
    }
    // Released outside the lock: freeing an address space may wait for other harts.
    while (Process* c = dead_children.pop_front()) release_process(c);
    if (self_reap) release_process(&p);  // the reference the parent would have given back
}

void exit_process(Process& p, int status) {
    uint32_t expected = 0;
    if (!p.exiting.compare_exchange_strong(expected, 1)) return;
    p.exit_status = status;
    // Threads waiting in system calls leave now; those in user mode at their next trap.
    SpinLockGuard g(g_process_lock);
    p.threads.for_each([](Thread& t) { t.cancel.cancel(); });
    p.stop_queue.notify();  // a stopped process ends too
}

ErrorOr<Thread*> spawn_thread(Thread& from) {
    Process& p = *from.process;
    auto* t = new (std::nothrow) Thread{};
    if (!t || !fpu_copy(from, *t)) {
        delete t;
        return Error(Errno::NOMEM);
    }
    t->process = &p;
    t->tid = g_next_pid.fetch_add(1);
    t->frame.trap = from.frame.trap;
    t->blocked = from.blocked;
    t->affinity = from.affinity;
    Task<void> run = run_user_thread(*t);
    if (!run.valid()) {
        delete t;
        return Error(Errno::NOMEM);
    }
    {
        SpinLockGuard g(g_process_lock);
        if (p.exiting.load()) {
            delete t;  // the frame's destructor runs with `run`
            return Error(Errno::AGAIN);
        }
        p.live_threads.fetch_add(1);
        p.refs.fetch_add(1);
        p.threads.push_back(*t);
    }
    (void)spawn(std::move(run), platform::current_executor());
    return t;
}

}  // namespace rt
