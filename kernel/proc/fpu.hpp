#pragma once
// User floating-point state. The kernel never uses FP registers itself, so a thread's values
// stay in the registers across its traps; they are saved only when the user dirtied them and
// restored only when another thread's state is loaded on this hart.
#include "process.hpp"

namespace rt {

// Whether the user has changed its FP registers since they were last saved (sstatus.FS dirty,
// read from the CSR: for a trap whose sstatus is not in the frame yet).
bool fpu_dirty();
// After a trap: saves the registers if the user changed them (sstatus.FS dirty). False if
// there was no memory to save them in (the thread's FP state is lost: the caller ends it).
bool fpu_after_trap(Thread& t);
// t's FP registers as the user last left them (all zero if it never changed them).
const FpState& fp_state(const Thread& t);
// t's saved FP state, to be written (allocated at first); nullptr if no memory.
FpState* fp_state_for_writing(Thread& t);
// A copy of `from`'s FP state for a new thread `to` (fork, clone); false if no memory.
bool fpu_copy(const Thread& from, Thread& to);
// Before entering user mode: loads t's registers unless they are already live on this hart.
void fpu_before_enter(Thread& t);
// Whether t's FP registers are the ones in this hart's registers.
bool fpu_live(const Thread& t);
// t is gone: its state must not be taken for live any more.
void fpu_forget(Thread& t);

}  // namespace rt
