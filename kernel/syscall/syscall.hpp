#pragma once
// System-call dispatch (DESIGN §7): a table indexed by the riscv64 (asm-generic) number. A
// handler is immediate (a plain function, no coroutine frame) or async (a Task, for calls that
// may wait). Results follow Linux: >= 0 success, -errno failure.
#include <cstdint>

#include "kernel/async/task.hpp"
#include "kernel/proc/process.hpp"

namespace rt {

struct SyscallArgs {
    uint64_t a[6];
};

using ImmediateSyscall = long (*)(Thread&, const SyscallArgs&);
using AsyncSyscall = Task<long> (*)(Thread&, SyscallArgs);

// A call with both handlers runs the immediate one first; it answers -Errno::WAITS when the
// call may have to wait, and the async one takes over (no coroutine frame for the rest).
struct SyscallEntry {
    const char* name = nullptr;
    ImmediateSyscall immediate = nullptr;
    AsyncSyscall async = nullptr;
    // Short and never waiting: runs with interrupts still off from the trap (no user copy of
    // unbounded size, no allocation, no waiting on other harts).
    bool quick = false;
    // Reads or writes the user's registers beyond a0 (rt_sigreturn): never on the
    // register-light path, where the callee-saved ones stay in the registers.
    bool full_frame = false;
};

inline constexpr unsigned kSyscallCount = 512;

// The handler for `number`, or nullptr if Riptide does not implement it.
const SyscallEntry* find_syscall(uint64_t number);
// -ENOSYS, logged once per number.
long unknown_syscall(uint64_t number);

// A task that only answers `result`: for an async handler that fails before it has a task of
// its own to return.
inline Task<long> answer(long result) { co_return result; }

template <typename T>
long to_result(ErrorOr<T>&& r) {
    if (r.is_error()) return error_result(r.error());
    if constexpr (std::is_void_v<T>) return 0;
    else return static_cast<long>(r.release_value());
}

}  // namespace rt
