#pragma once
// Signals: per-process actions, per-thread masks and pending sets, delivery on the way back to
// user mode with the Linux riscv64 frame (siginfo + ucontext on the user stack, return through
// the vDSO's rt_sigreturn). A signal for a thread that waits in a system call cancels the
// wait: the call ends with an ERESTART* code, and on the way out it is restarted or returns
// EINTR, as Linux decides. Stop signals stop the whole process until SIGCONT.
#include <cstdint>

#include "process.hpp"

namespace rt {

inline constexpr int kSigHup = 1, kSigInt = 2, kSigQuit = 3, kSigIll = 4, kSigTrap = 5,
                     kSigAbrt = 6, kSigBus = 7, kSigFpe = 8, kSigKill = 9, kSigUsr1 = 10,
                     kSigSegv = 11, kSigUsr2 = 12, kSigPipe = 13, kSigAlrm = 14, kSigTerm = 15,
                     kSigChld = 17, kSigCont = 18, kSigStop = 19, kSigTstp = 20, kSigTtin = 21,
                     kSigTtou = 22, kSigUrg = 23, kSigVtalrm = 26, kSigProf = 27, kSigWinch = 28, kSigRtMin = 32, kSigCount = 64;

// si_code values.
inline constexpr int kSiUser = 0, kSiKernel = 0x80, kSiQueue = -1, kSiTkill = -6;
inline constexpr int kSegvMaperr = 1, kSegvAccerr = 2, kBusAdraln = 1, kBusAdrerr = 2, kIllIllopc = 1, kTrapBrkpt = 1;
inline constexpr int kCldExited = 1, kCldKilled = 2, kCldStopped = 5, kCldContinued = 6;

// The two sa_handler values that are no address: SIG_DFL and SIG_IGN.
inline constexpr uint64_t kSigDfl = 0, kSigIgn = 1;

inline constexpr uint64_t sig_bit(int sig) { return 1ull << (sig - 1); }
// What a process can never block, catch or ignore.
inline constexpr uint64_t kUnblockable = sig_bit(kSigKill) | sig_bit(kSigStop);
inline constexpr uint64_t kStopSignals = sig_bit(kSigStop) | sig_bit(kSigTstp) | sig_bit(kSigTtin) | sig_bit(kSigTtou);

// Linux's riscv64 siginfo_t (128 bytes), as user space reads it.
struct LinuxSiginfo {
    int32_t signo, errno_, code, pad;
    uint8_t fields[112];  // the union: pid/uid/status, or the fault address
};
static_assert(sizeof(LinuxSiginfo) == 128);
LinuxSiginfo to_linux(const SigInfo& info);

// Makes `info.signo` pending for the process (thread == nullptr, as kill does) or one of its
// threads (tgkill), and interrupts a thread that does not block it. A signal the process
// ignores (explicitly or by default) is dropped at once, as Linux does; SIGCONT continues a
// stopped process even then. g_process_lock held.
void post_signal_locked(Process& p, Thread* thread, const SigInfo& info);
// A signal from the kernel itself (SI_KERNEL), as the interval timer sends.
void send_signal(Process& p, int sig);
// A synchronous fault of the thread itself (SIGSEGV, SIGBUS, SIGILL, SIGTRAP): a blocked or
// ignored one is unblocked and reset to its default action, so it cannot be lost.
void force_signal(Thread& t, const SigInfo& info);

// The lowest pending signal of `set` (the thread's own first, then the process's), taken off
// with its information; 0 if none.
int take_signal(Thread& t, uint64_t set, SigInfo& info);

// take_signal for whichever thread of `p` has one of `set` pending (or the process as a
// whole), as a signalfd reads them. g_process_lock held.
int take_process_signal(Process& p, uint64_t set, SigInfo& info);
// The signals pending for `p` or any of its threads. g_process_lock held.
uint64_t pending_anywhere_locked(Process& p);

// Whether a signal `t` does not block is pending for it or its process.
bool has_deliverable_signal(const Thread& t);

// Before entering user mode: delivers the first deliverable signal, if any (building the
// handler's frame, or applying the default action), and resolves a system call a signal
// interrupted.
void deliver_signals(Thread& t);
// Before entering user mode with nothing to deliver: restarts the interrupted system call.
void restart_interrupted_call(Thread& t);

// rt_sigreturn: restores the context saved by delivery; false if the frame is unreadable
// (the process is then killed with SIGSEGV).
bool restore_signal_frame(Thread& t);

// Frees the information of signals never delivered (a thread or process going away).
void drop_queued_signals(Process& p, SignalQueue& queue);

}  // namespace rt
