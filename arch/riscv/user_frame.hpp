#pragma once
// A user thread's registers while it is in the kernel, and what enter_user needs to come back.
#include "trap.hpp"

namespace rt::arch {

struct UserFrame {
    TrapFrame trap;  // the user's registers, sepc, sstatus; scause/stval of the last trap
    unsigned long kernel_sp = 0, kernel_tp = 0;  // set by enter_user, used by the trap vector
};
static_assert(offsetof(UserFrame, kernel_sp) == 36 * 8);
static_assert(offsetof(UserFrame, kernel_tp) == 37 * 8);

// Runs the user code `frame` describes until it traps; returns scause (also in the frame).
// Interrupts must be disabled; they are disabled again when this returns.
extern "C" unsigned long enter_user(UserFrame* frame);

// The sstatus a user thread starts with: return to U-mode with interrupts on, FP usable.
inline constexpr unsigned long kUserSstatus = (1ul << 5) /* SPIE */ | (1ul << 13) /* FS initial */;

}  // namespace rt::arch
