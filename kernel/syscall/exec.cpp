// execve: a program from the file tree, with #! scripts.
#include <cstring>
#include <new>

#include "handlers.hpp"
#include "kernel/proc/futex.hpp"
#include "kernel/fs/executable.hpp"
#include "kernel/mm/user_access.hpp"
#include "kernel/proc/exec.hpp"

namespace rt::sys {
namespace {

constexpr size_t kPathMax = 4096;
constexpr size_t kArgBytes = 128 * 1024;  // argv and envp strings together (the ELF loader's limit)
constexpr size_t kMaxStrings = 8192;
constexpr int kMaxInterpreters = 4;  // #! chains deeper than this: ELOOP

// Everything execve copies from the caller, in one allocation (too big for a kernel stack).
struct ExecArgs {
    char path[kPathMax];
    char interp[kMaxInterpreters][kPathMax];  // one per #! level: each stays in argv
    char strings[kArgBytes];
    size_t used = 0;
    // The front has room for each #! level to add its interpreter and argument.
    static constexpr size_t kFront = 2 * kMaxInterpreters;
    const char* argv[kFront + kMaxStrings + 1];
    const char* envp[kMaxStrings];
    PathRef exe;  // the program's file, once found
    const char** argv_final = nullptr;  // argv as the program gets it (after #! rewriting)
};

// Copies the NULL-terminated user array of strings at `addr` into `out`.
ErrorOr<size_t> copy_strings(AddressSpace& space, uint64_t addr, ExecArgs& a, const char** out, size_t max) {
    size_t n = 0;
    for (; addr; ++n) {
        uint64_t ptr;
        TRY(UserPtr<uint64_t>(addr + n * 8).read(space, ptr));
        if (!ptr) break;
        if (n == max) return Error(Errno::TOOBIG);
        if (a.used == kArgBytes) return Error(Errno::TOOBIG);
        auto len = copy_string_from_user(space, a.strings + a.used, ptr, kArgBytes - a.used);
        if (len.is_error()) return Error(len.error().code == Errno::NAMETOOLONG ? Errno::TOOBIG : len.error().code);
        out[n] = a.strings + a.used;
        a.used += len.value() + 1;
    }
    out[n] = nullptr;
    return n;
}

// "#!interpreter [argument]" at the start of a script: fills `interp` and returns the
// argument (or nullptr). ENOEXEC for a malformed line.
ErrorOr<const char*> parse_shebang(const Executable& f, char* interp, char* arg_out) {
    size_t i = 2, end = 2;
    while (end < f.size && end < 256 && f.data[end] != '\n') ++end;
    while (i < end && (f.data[i] == ' ' || f.data[i] == '\t')) ++i;
    size_t start = i;
    while (i < end && f.data[i] != ' ' && f.data[i] != '\t') ++i;
    if (i == start) return Error(Errno::NOEXEC);
    memcpy(interp, f.data + start, i - start);
    interp[i - start] = 0;
    while (i < end && (f.data[i] == ' ' || f.data[i] == '\t')) ++i;
    size_t arg_end = end;
    while (arg_end > i && (f.data[arg_end - 1] == ' ' || f.data[arg_end - 1] == '\t' || f.data[arg_end - 1] == '\r')) --arg_end;
    if (arg_end == i) return static_cast<const char*>(nullptr);
    memcpy(arg_out, f.data + i, arg_end - i);
    arg_out[arg_end - i] = 0;
    return static_cast<const char*>(arg_out);
}

ErrorOr<PreparedProgram> do_execve(Thread& t, ExecArgs& a, uint64_t path_addr, uint64_t argv_addr, uint64_t envp_addr) {
    AddressSpace& space = *t.process->space;
    auto path_len = copy_string_from_user(space, a.path, path_addr, kPathMax);
    if (path_len.is_error()) return path_len.error();
    if (path_len.value() == 0) return Error(Errno::NOENT);
    const char** argv = a.argv + ExecArgs::kFront;
    size_t argc = TRY(copy_strings(space, argv_addr, a, argv, kMaxStrings));
    TRY(copy_strings(space, envp_addr, a, a.envp, kMaxStrings));
    const char* path = a.path;
    char interp_args[kMaxInterpreters][256];
    for (int depth = 0;; ++depth) {
        Executable f;
        {
            PathRef root = t.process->fs.root(), cwd = t.process->fs.cwd();
            TRY(read_executable({root, cwd, t.process->creds, t.process}, path, f));
        }
        if (f.size < 2 || f.data[0] != '#' || f.data[1] != '!') {
            a.exe = f.where;
            a.argv_final = argv;
            const char* only_path[] = {path, nullptr};
            ProgramArgs args{path, argc ? argv : only_path, a.envp, Affinity::Any, &t.process->creds};
            // A dynamic program: its interpreter is read too (ENOENT if it is missing).
            Executable interp;
            {
                PathRef root = t.process->fs.root(), cwd = t.process->fs.cwd();
                TRY(read_interpreter({root, cwd, t.process->creds, t.process}, f, interp));
            }
            args.interp = interp.data;
            args.interp_size = interp.size;
            args.image_object = f.object;
            args.interp_object = interp.object;
            return prepare_program(f.data, f.size, args);
        }
        if (depth == kMaxInterpreters) return Error(Errno::LOOP);
        // argv becomes: interpreter [argument] script argv[1...] (argv[0] is dropped).
        const char* arg = TRY(parse_shebang(f, a.interp[depth], interp_args[depth]));
        const char** rest = argc ? argv + 1 : argv;
        size_t front = arg ? 3 : 2;
        const char** nv = rest - front;  // within a.argv: each level adds at most 2 in front
        nv[0] = a.interp[depth];
        if (arg) nv[1] = arg;
        nv[front - 1] = path;
        argc = static_cast<size_t>(argv + argc - rest) + front;
        argv = nv;
        path = a.interp[depth];
    }
}

}  // namespace

Task<long> execve(Thread& t, SyscallArgs a) {
    auto* args = new (std::nothrow) ExecArgs;
    if (!args) co_return error_result(Errno::NOMEM);
    auto prog = do_execve(t, *args, a.a[0], a.a[1], a.a[2]);
    if (prog.is_error()) {
        delete args;
        co_return error_result(prog.error());
    }
    // The point of no return: every other thread ends first (Linux's de_thread), so none is
    // still using the old image when it goes.
    Process& p = *t.process;
    {
        SpinLockGuard g(g_process_lock);
        p.threads.for_each([&](Thread& other) {
            if (&other == &t) return;
            other.exiting = true;
            other.cancel.cancel();
        });
        p.stop_queue.notify();
    }
    while (p.live_threads.load() > 1) (void)co_await p.thread_exits.wait([&] { return p.live_threads.load() == 1; });
    exit_robust_list(t);  // the old image's locks die with it (under the thread id they name)
    {
        // The survivor becomes the leader: its thread id is the process id from now on.
        SpinLockGuard g(g_process_lock);
        t.tid = p.pid;
    }
    if (p.exiting.load()) {  // killed meanwhile: the new image is not needed
        delete args;
        delete prog.value().space;
        co_return 0;
    }
    commit_program(t, prog.value());
    set_program_identity(p, static_cast<PathRef&&>(args->exe), args->argv_final, args->path);
    delete args;
    // The registers are the new program's now: a0 is its initial 0, not a result.
    co_return 0;
}

}  // namespace rt::sys
