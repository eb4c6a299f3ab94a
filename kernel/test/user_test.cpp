// User programs from the initramfs, run as coroutine threads.
#include "arch/riscv/timer.hpp"
#include "kernel/fs/initramfs.hpp"
#include "kernel/mm/frames.hpp"
#include "kernel/proc/exec.hpp"
#include "kernel/sched/kthread.hpp"
#include "ktest.hpp"

namespace rt {
namespace {

const char* const kDefaultArgv[] = {"bin/program", "an argument", nullptr};

const char* const kEnvp[] = {"HOME=/", nullptr};

// Starts bin/<name> pinned to this hart's normal executor; nullptr if it cannot.
Process* start(const char* name, const char* const* argv = kDefaultArgv) {
    char path[64];
    format_to(path, sizeof path, "bin/{}", name);
    auto file = initramfs_find(path);
    if (file.is_error()) return nullptr;
    auto p = spawn_program(file.value().data, file.value().size, {path, argv, kEnvp, Affinity::Pinned},
                           executor(Priority::Normal));
    return p.is_error() ? nullptr : p.value();
}

// Waits for p to end and releases it; its wait status, or -1 if it hung.
Task<int> reap(Process* p) {
    auto w = co_await p->exited.wait({.deadline_ns = arch::now_ns() + 20'000'000'000});
    int status = w == WaitResult::Woken ? p->exit_status : -1;
    if (w == WaitResult::Woken) release_process(p);
    co_return status;
}

// Runs bin/<name> to its end; returns its wait status, or -1 if it could not start or hung.
Task<int> run_program(const char* name, const char* const* argv = kDefaultArgv) {
    Process* p = start(name, argv);
    if (!p) co_return -1;
    co_return co_await reap(p);
}

}  // namespace

KTEST(user_program_runs_and_exits_with_its_status) {
    size_t before = g_frames.free_frames();
    int status = co_await run_program("nolibc_basics");
    KEXPECT(status == 0);
    KEXPECT(g_frames.free_frames() + 64 >= before);  // its memory came back (slabs may keep some)
}

// Reproducer: the initial-stack builder once kept every string address in a 16 KiB array on
// the kernel stack, overflowing it silently.
KTEST(exec_with_thousands_of_arguments) {
    constexpr size_t kArgs = 3000;
    auto* argv = new const char*[kArgs + 1];
    KASSERT(argv);
    for (size_t i = 0; i < kArgs; ++i) argv[i] = i ? "argument" : "bin/nolibc_basics";
    argv[kArgs] = nullptr;
    int status = co_await run_program("nolibc_basics", argv);
    delete[] argv;
    KEXPECT(status == 0);
}

// Two user threads pinned to one hart: the one that never traps must not starve the other,
// and it can still be killed (it leaves at its next timer tick).
KTEST(looping_user_thread_is_preempted_and_killable) {
    Process* spinner = start("spin");
    KASSERT(spinner);
    int status = co_await run_program("nolibc_basics");
    KEXPECT(status == 0);
    exit_process(*spinner, 9);  // as SIGKILL would
    int killed = co_await reap(spinner);
    KEXPECT(killed == 9);
}

KTEST(static_glibc_program_runs) {
    int status = co_await run_program("glibc_hello");
    KEXPECT(status == 0);
}

KTEST(fork_and_wait) {
    int status = co_await run_program("glibc_fork");
    KEXPECT(status == 0);
}

KTEST(user_fault_kills_only_the_process) {
    int status = co_await run_program("segv");
    KEXPECT(status == 11);  // killed by SIGSEGV
}

KTEST(malformed_programs_are_refused) {
    static const uint8_t garbage[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3};
    const char* argv[] = {"x", nullptr};
    auto r = spawn_program(garbage, sizeof garbage, {"x", argv, argv + 1}, executor(Priority::Normal));
    KEXPECT(r.is_error() && r.error().code == Errno::NOEXEC);
    auto empty = spawn_program(garbage, 0, {"x", argv, argv + 1}, executor(Priority::Normal));
    KEXPECT(empty.is_error() && empty.error().code == Errno::NOEXEC);
    co_return;
}

}  // namespace rt
