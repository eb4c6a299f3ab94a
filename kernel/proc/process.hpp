#pragma once
// Processes and threads. A user thread is a kernel coroutine (run_user_thread) plus its saved
// registers: no kernel stack of its own (DESIGN §6).
#include <atomic>
#include <cstdint>

#include "arch/riscv/user_frame.hpp"
#include "credentials.hpp"
#include "kernel/async/cancellation.hpp"
#include "kernel/async/event.hpp"
#include "kernel/async/task.hpp"
#include "kernel/async/wait_queue.hpp"
#include "kernel/fs/file.hpp"
#include "kernel/fs/fs_context.hpp"
#include "kernel/lib/list.hpp"
#include "kernel/mm/address_space.hpp"

namespace rt {

struct FpState {
    uint64_t f[32];
    uint32_t fcsr;
};

struct Process;

// What a siginfo_t says about one signal, in a compact kernel form (signal.cpp lays it out as
// Linux's riscv64 siginfo_t when it delivers).
struct SigInfo {
    int32_t signo = 0;
    int32_t code = 0;    // SI_USER, SI_TKILL, SI_KERNEL, SEGV_MAPERR, CLD_EXITED ...
    int32_t pid = 0;     // the sender, or the child (SIGCHLD)
    uint32_t uid = 0;
    int32_t status = 0;  // SIGCHLD: exit code or signal
    uint64_t addr = 0;   // faults: the address
};

// A signal waiting with its information: one per pending standard signal, one per sent
// instance of a real-time signal. Under the process's signal_lock.
struct QueuedSignal {
    ListNode node;
    SigInfo info;
};
using SignalQueue = IntrusiveList<QueuedSignal, &QueuedSignal::node>;

struct Thread {
    Thread() = default;
    Thread(const Thread&) = delete;
    ~Thread() { delete fp; }

    arch::UserFrame frame;
    // The FP registers as last saved; nullptr until the thread first changes them (they are all
    // zero until then), so a thread that never uses FP carries none.
    FpState* fp = nullptr;
    Process* process = nullptr;
    int tid = 0;
    // A system call ended by a signal with an ERESTART* code: resolved before the thread
    // returns to user mode (restarted, or -EINTR if a handler runs). `restart_a0`: its a0.
    int32_t restart_code = 0;
    std::atomic<bool> exiting{false};  // leave at the next trap (exit, or another thread's execve)
    // rt_sigsuspend: `saved_blocked` is the mask to put back once a handler has been set up
    // (or none runs).
    bool restore_blocked = false;
    // The CPU-time clock (user_thread.cpp): since when time goes uncharged, and whether it is
    // kernel time (else user time, with the kernel time of light traps in it).
    bool clock_in_kernel = true;
    // A read or write that must wait leaves its file in io_file (syscall/files.cpp). With
    // io_moved bytes written already, for its async half to finish them, to the same file;
    // with none, for the thread's loop to wait until the file is ready (for room if io_writing)
    // and run the call again, with no coroutine frame of the call's own (user_thread.cpp).
    bool io_writing = false;
    uint32_t io_moved = 0;
    uint64_t clock_since = 0;
    uint64_t utime = 0, stime = 0;  // CPU time in user mode and in the kernel, in timer ticks
    uint64_t restart_a0 = 0;
    uint64_t clear_child_tid = 0;  // set_tid_address
    uint64_t robust_list = 0;      // set_robust_list: walked as the thread ends (exit_robust_list)
    Cancellation cancel;           // ends the thread's current wait (signals, exit)
    ListNode process_node;             // in process->threads, under g_process_lock
    uint64_t affinity = ~0ull;         // the harts it may run on (bit = logical hart number)
    std::atomic<uint64_t> pending{0};  // signals for this thread
    SignalQueue queued;                // their information; the process's signal_lock
    uint64_t blocked = 0;              // its signal mask (only it changes it)
    uint64_t saved_blocked = 0;
    // rt_sigtimedwait: signals that wake this thread even though it blocks them.
    uint64_t waiting_for = 0;  // g_process_lock
    FileRef io_file;
    struct AltStack {
        uint64_t sp = 0, size = 0;
        int flags = 2;  // SS_DISABLE
    } altstack;
};
// Small enough for the 512-byte slab class: it is most of what a blocked thread costs.
static_assert(sizeof(Thread) <= 512);

struct SigAction {  // the riscv64 kernel layout: no sa_restorer (the vDSO has the trampoline)
    uint64_t handler = 0;
    uint64_t flags = 0;
    uint64_t mask = 0;
};

struct Rlimit {
    uint64_t cur, max;
};
inline constexpr unsigned kRlimitCount = 16;
inline constexpr uint64_t kRlimInfinity = ~0ull;
inline constexpr unsigned kRlimitNproc = 6, kRlimitNofile = 7, kRlimitSigpending = 11;

class FdTable;
class Tty;

// Something told of each signal posted to a process or one of its threads (a signalfd), as it
// becomes pending: `posted` runs under g_process_lock and must be short.
struct SignalWatch {
    ListNode node;
    void (*posted)(void* context, int sig);
    void* context;
};

struct Process {
    int pid = 0;
    AddressSpace* space = nullptr;
    FdTable* files = nullptr;  // given back when the process ends (before it becomes a zombie)
    uint32_t umask = 022;      // permission bits new files do not get
    FsContext fs;              // root and working directory
    // What /proc shows of its program, set at exec under signal_lock: argv joined by NULs (at
    // most a page), its name (the file name, 15 bytes at most) and the executable's path.
    char* cmdline = nullptr;
    size_t cmdline_len = 0;
    char comm[16] = {};
    PathRef exe_path;
    PathRef exe() {
        SpinLockGuard g(signal_lock);
        return exe_path;
    }
    ~Process() {
        delete[] cmdline;
        if (exe_path) allow_write_access(*exe_path.inode());  // one that never ran (fork failed)
    }
    uint64_t brk_start = 0, brk = 0;  // the heap: [brk_start, brk)
    Rlimit limits[kRlimitCount];      // set from kDefaultLimits at creation
    std::atomic<int> live_threads{0};
    std::atomic<uint32_t> exiting{0};  // word-sized: rv64 has no byte AMOs
    int exit_status = 0;  // wait status (exit code << 8, or the terminating signal)
    int exit_signal = 17;  // sent to the parent when it ends (SIGCHLD; clone may choose another)
    Event exited;         // set when the last thread is gone
    Event vfork_done;     // set when it execs or ends: a vfork parent waits for this
    // References: each live thread and whoever will reap the process (its parent, or the
    // kernel code that started it). The last release frees it, so a thread may still be
    // finishing exited.set() when the reaper wakes.
    std::atomic<int> refs{1};

    // The family, under g_process_lock. A process whose parent exits first is orphaned: it
    // reaps itself when it ends (there is no init to adopt it yet).
    Process* parent = nullptr;
    std::atomic<int> ppid{0};  // parent's pid, readable without the lock (getppid)
    std::atomic<int> pgid{0}, sid{0};  // process group and session (changed under g_process_lock)
    Credentials creds;                 // root for processes the kernel starts
    Tty* ctty = nullptr;               // the session's controlling terminal, if it has one
    bool did_exec = false;             // a child that exec'd can no longer be moved by its parent
    bool orphaned = false;
    bool zombie = false;  // ended, not yet reaped by wait4
    ListNode sibling;
    IntrusiveList<Process, &Process::sibling> children;
    WaitQueue child_events;  // a child ended (wait4 waits here)
    WaitQueue thread_exits;  // one of its threads ended (execve waits here for the others)

    // Signals: actions under `signal_lock`; pending for the process as a whole.
    SpinLock signal_lock;
    SigAction actions[64];
    std::atomic<uint64_t> pending{0};
    SignalQueue queued;  // the information of `pending`'s signals; signal_lock
    uint64_t queued_count = 0;  // entries in this and every thread's queue; signal_lock

    // Job control: a stop signal stops every thread until SIGCONT (or SIGKILL). The parent
    // hears of each change once through wait4(WUNTRACED / WCONTINUED). g_process_lock.
    std::atomic<bool> stopped{false};
    int stop_signal = 0;
    bool report_stopped = false, report_continued = false;
    WaitQueue stop_queue;  // stopped threads wait here

    // CPU time in timer ticks: of all its threads, and of the children it has reaped.
    std::atomic<uint64_t> utime{0}, stime{0};
    std::atomic<uint64_t> children_utime{0}, children_stime{0};
    // setitimer(ITIMER_VIRTUAL, ITIMER_PROF): expiry in process CPU time (user; user and
    // system), in ticks, 0 = disarmed; under signal_lock. `cpu_timers_armed` lets the
    // accounting skip them cheaply.
    struct CpuTimer {
        uint64_t expires = 0, interval = 0;
    } cpu_timers[2];
    std::atomic<bool> cpu_timers_armed{false};
    IntrusiveList<Thread, &Thread::process_node> threads;  // the live ones; g_process_lock
    IntrusiveList<SignalWatch, &SignalWatch::node> signal_watches;  // g_process_lock
    struct RealTimer* real_timer = nullptr;  // setitimer(ITIMER_REAL); under signal_lock
    ListNode all_node;         // in g_processes, under g_process_lock
};

// Every live process, for kill and pid lookups.
extern IntrusiveList<Process, &Process::all_node> g_processes;

// The process with this pid (zombies included) / the thread with this tid; nullptr if none.
// g_process_lock held.
Process* find_process_locked(int pid);
Thread* find_thread_locked(int tid);

extern SpinLock g_process_lock;

// Linux's defaults for a process started by the kernel (RLIMIT_NPROC aside: it depends on
// the memory, as default_nproc_limit says).
extern const Rlimit kDefaultLimits[kRlimitCount];
Rlimit default_nproc_limit();

// Creates a process around `space` (which it then owns) with one thread starting at `entry`
// with stack pointer `sp`, and runs it on `ex`. The caller holds one reference, given back
// with release_process after it has waited for `exited`.
ErrorOr<Process*> start_process(AddressSpace* space, uint64_t entry, uint64_t sp, uint64_t brk,
                                Executor& ex, Affinity affinity = Affinity::Any);
void release_process(Process* p);

// Records what /proc shows of the program `p` now runs: the file it came from, its argv, and
// its name: the last component of `path` as execve was given it (a link's name, not its
// target's; a script's, not its interpreter's), as Linux names it.
void set_program_identity(Process& p, PathRef exe, const char* const* argv, const char* path);

// Ends the whole process with wait status `status`: every thread leaves at its next trap.
void exit_process(Process& p, int status);

// fork: a child process with a copy-on-write copy of `parent`'s address space (or the same
// space, `share_space`: clone(CLONE_VM)), a copy of its descriptor table (or the same table,
// `share_files`), and one thread continuing from `from` (whose a0 the caller sets). Runs on
// the caller's executor.
struct ForkOptions {
    bool share_space = false, share_files = false;
    int exit_signal = 17;  // what the parent is sent when the child ends (0: nothing)
};
ErrorOr<Process*> fork_process(Thread& from, Thread** child_thread, ForkOptions options);
// clone(CLONE_THREAD): a new thread of `from`'s process, continuing from `from`'s registers
// (the caller adjusts them). Runs on the caller's executor.
ErrorOr<Thread*> spawn_thread(Thread& from);
// Called by a process's last thread as it ends: zombie for its parent, or gone if orphaned.
void process_ended(Process& p);

}  // namespace rt
