#pragma once
// Signals: per-process actions, per-thread masks and pending sets, delivery on the way back to
// user mode with the Linux riscv64 frame (siginfo + ucontext on the user stack, return through
// the vDSO's rt_sigreturn). A signal for a thread that waits in a system call cancels the
// wait: the call returns EINTR, then the signal is delivered.
#include <cstdint>

#include "process.hpp"

namespace rt {

inline constexpr int kSigHup = 1, kSigInt = 2, kSigQuit = 3, kSigIll = 4, kSigTrap = 5,
                     kSigAbrt = 6, kSigBus = 7, kSigFpe = 8, kSigKill = 9, kSigUsr1 = 10,
                     kSigSegv = 11, kSigUsr2 = 12, kSigPipe = 13, kSigAlrm = 14, kSigTerm = 15,
                     kSigChld = 17, kSigCont = 18, kSigStop = 19, kSigTstp = 20, kSigTtin = 21,
                     kSigTtou = 22, kSigUrg = 23, kSigWinch = 28, kSigCount = 64;

inline constexpr uint64_t sig_bit(int sig) { return 1ull << (sig - 1); }
// What a process can never block, catch or ignore.
inline constexpr uint64_t kUnblockable = sig_bit(kSigKill) | sig_bit(kSigStop);

// Makes `sig` pending for the process (thread == nullptr, as kill does) or one of its threads
// (tgkill), and interrupts the target's wait unless it blocks the signal. A signal the process
// ignores (explicitly or by default) is dropped at once, as Linux does. g_process_lock held.
void post_signal_locked(Process& p, Thread* thread, int sig);
void send_signal(Process& p, int sig);

// Before entering user mode: delivers the first deliverable signal, if any (building the
// handler's frame, or applying the default action). `syscall_result` is the value a system
// call is about to return (for the frame), or 0.
void deliver_signals(Thread& t);

// rt_sigreturn: restores the context saved by delivery; false if the frame is unreadable
// (the process is then killed with SIGSEGV).
bool restore_signal_frame(Thread& t);

}  // namespace rt
