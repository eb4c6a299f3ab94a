// New threads and processes: clone and clone3. A thread (CLONE_THREAD) joins the caller's
// process; anything else is a new process, with a copy-on-write copy of the memory (fork) or
// the same memory (CLONE_VM; with CLONE_VFORK the caller waits until the child execs or ends).
#include "handlers.hpp"
#include "kernel/mm/user_access.hpp"
#include "kernel/proc/signal.hpp"

namespace rt::sys {
namespace {

constexpr uint64_t kCsignal = 0xff, kCloneVm = 0x100, kCloneFs = 0x200, kCloneFiles = 0x400,
                   kCloneSighand = 0x800, kClonePidfd = 0x1000, kCloneVfork = 0x4000,
                   kCloneParent = 0x8000, kCloneThread = 0x10000, kCloneSysvsem = 0x40000,
                   kCloneSettls = 0x80000, kCloneParentSettid = 0x100000,
                   kCloneChildCleartid = 0x200000, kCloneDetached = 0x400000,
                   kCloneChildSettid = 0x01000000, kCloneIo = 0x80000000ull;

// What clone and clone3 both ask for.
struct CloneRequest {
    uint64_t flags;
    int exit_signal;
    uint64_t stack;  // the child's sp, or 0: the caller's
    uint64_t tls, parent_tid, child_tid;
};

// The child's registers: a0 = 0, and the stack and thread pointer it was given. CLONE_CHILD_SETTID
// writes its tid into its own memory now, before it first runs (a bad address is ignored, as
// Linux ignores it).
void set_up_child(Thread& child, const CloneRequest& r) {
    auto& regs = child.frame.trap.regs;
    regs[10] = 0;
    if (r.stack) regs[2] = r.stack;
    if (r.flags & kCloneSettls) regs[4] = r.tls;
    if (r.flags & kCloneChildSettid) (void)UserPtr<int>(r.child_tid).write(*child.process->space, child.tid);
    if (r.flags & kCloneChildCleartid) child.clear_child_tid = r.child_tid;
}

Task<long> do_clone(Thread& t, CloneRequest r) {
    uint64_t flags = r.flags;
    // Flags Riptide has no use for: the old CLONE_DETACHED (ignored by Linux too), SysV
    // semaphore undo lists and I/O contexts (there are none yet).
    flags &= ~(kCloneDetached | kCloneSysvsem | kCloneIo);
    // Linux's rules: a thread shares the signal handlers, which need shared memory.
    if ((flags & kCloneThread) && !(flags & kCloneSighand)) co_return error_result(Errno::INVAL);
    if ((flags & kCloneSighand) && !(flags & kCloneVm)) co_return error_result(Errno::INVAL);
    if (flags & kCloneThread) {
        uint64_t known = kCloneVm | kCloneFs | kCloneFiles | kCloneSighand | kCloneThread | kCloneSettls |
                         kCloneParentSettid | kCloneChildCleartid | kCloneChildSettid;
        if (flags & ~known) co_return error_result(Errno::INVAL);
        auto child = spawn_thread(t);
        if (child.is_error()) co_return error_result(child.error());
        Thread* c = child.value();
        set_up_child(*c, r);
        if (flags & kCloneParentSettid) (void)UserPtr<int>(r.parent_tid).write(*t.process->space, c->tid);
        co_return c->tid;
    }
    // A process sharing its parent's signal handlers, choosing its own parent or handing out
    // a pidfd is not supported.
    uint64_t known = kCloneVm | kCloneFs | kCloneFiles | kCloneVfork | kCloneSettls | kCloneParentSettid |
                     kCloneChildCleartid | kCloneChildSettid;
    if (flags & ~known) co_return error_result(Errno::INVAL);
    Thread* child = nullptr;
    // CLONE_FS shares the working directory and umask: there are none to share yet.
    auto p = fork_process(t, &child, {(flags & kCloneVm) != 0, (flags & kCloneFiles) != 0, r.exit_signal});
    if (p.is_error()) co_return error_result(p.error());
    Process* c = p.value();
    set_up_child(*child, r);
    int pid = c->pid;
    if (flags & kCloneParentSettid) (void)UserPtr<int>(r.parent_tid).write(*t.process->space, pid);
    // A vfork parent waits until the child has exec'd or ended (a signal does not end the
    // wait; it is delivered afterwards), unless the parent itself is killed meanwhile.
    // Another thread may reap the child meanwhile: this wait holds a reference of its own.
    if (flags & kCloneVfork) {
        c->refs.fetch_add(1);
        for (;;) {
            t.cancel.reset();
            if (c->vfork_done.is_set() || t.process->exiting.load() || t.exiting.load()) break;
            (void)co_await c->vfork_done.wait({.cancel = &t.cancel});
        }
        release_process(c);
    }
    co_return pid;
}

}  // namespace

// clone(flags, stack, parent_tid, tls, child_tid): the riscv64 argument order.
Task<long> clone(Thread& t, SyscallArgs a) {
    uint64_t flags = a.a[0];
    // pidfds come with the files issue.
    if ((flags & kClonePidfd) || (flags & kCsignal) > kSigCount) co_return error_result(Errno::INVAL);
    co_return co_await do_clone(t, {flags & ~kCsignal, static_cast<int>(flags & kCsignal), a.a[1], a.a[3], a.a[2], a.a[4]});
}

// clone3(args, size): the same from a struct clone_args, whose stack is given as its lowest
// address and size.
Task<long> clone3(Thread& t, SyscallArgs a) {
    struct CloneArgs {
        uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
            set_tid_size, cgroup;
    } args{};
    constexpr uint64_t kSizeVer0 = 64, kMaxSize = 4096;
    uint64_t addr = a.a[0], size = a.a[1];
    if (size < kSizeVer0 || size > kMaxSize) co_return error_result(size > kMaxSize ? Errno::TOOBIG : Errno::INVAL);
    AddressSpace& space = *t.process->space;
    uint64_t known = size < sizeof args ? size : sizeof args;
    if (auto r = copy_from_user(space, &args, addr, known); r.is_error()) co_return error_result(r.error());
    // A newer, larger struct is fine only if what this kernel does not know is zero.
    for (uint64_t off = sizeof args; off < size; off += 8) {
        uint64_t word = 0;
        uint64_t n = size - off < 8 ? size - off : 8;
        if (auto r = copy_from_user(space, &word, addr + off, n); r.is_error()) co_return error_result(r.error());
        if (word) co_return error_result(Errno::TOOBIG);
    }
    if ((args.flags & kCsignal) || args.exit_signal > kSigCount || (args.flags & kClonePidfd) || args.set_tid_size ||
        args.set_tid || args.cgroup)
        co_return error_result(Errno::INVAL);
    if ((args.stack == 0) != (args.stack_size == 0)) co_return error_result(Errno::INVAL);
    uint64_t sp = 0;
    if (args.stack && (__builtin_add_overflow(args.stack, args.stack_size, &sp) || !user_range_ok(args.stack, args.stack_size)))
        co_return error_result(Errno::INVAL);
    co_return co_await do_clone(t, {args.flags, static_cast<int>(args.exit_signal), sp, args.tls, args.parent_tid,
                                    args.child_tid});
}

}  // namespace rt::sys
