#include "fpu.hpp"

#include <new>

#include "arch/riscv/csr.hpp"
#include "kernel/sched/hart.hpp"

namespace rt {
namespace {

constexpr unsigned long kFsMask = 3ul << 13, kFsClean = 2ul << 13, kFsDirty = 3ul << 13;

void save(FpState& s) {
    asm volatile(
        ".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
        "fsd f\\n, (\\n * 8)(%0)\n"
        ".endr\n"
        "frcsr t0\n"
        "sw t0, 256(%0)\n" ::"r"(&s)
        : "t0", "memory");
}

void load(const FpState& s) {
    asm volatile(
        ".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
        "fld f\\n, (\\n * 8)(%0)\n"
        ".endr\n"
        "lw t0, 256(%0)\n"
        "fscsr t0\n" ::"r"(&s)
        : "t0", "memory");
}

const FpState kZeroFp{};

}  // namespace

bool fpu_dirty() { return (RT_CSR_READ(sstatus) & kFsMask) == kFsDirty; }

const FpState& fp_state(const Thread& t) { return t.fp ? *t.fp : kZeroFp; }

FpState* fp_state_for_writing(Thread& t) {
    if (!t.fp) t.fp = new (std::nothrow) FpState{};
    return t.fp;
}

bool fpu_copy(const Thread& from, Thread& to) {
    if (!from.fp) return true;
    to.fp = new (std::nothrow) FpState(*from.fp);
    return to.fp != nullptr;
}

bool fpu_after_trap(Thread& t) {
    unsigned long& st = t.frame.trap.sstatus;
    if ((st & kFsMask) != kFsDirty) return true;
    FpState* fp = fp_state_for_writing(t);
    if (!fp) {
        this_hart().fp_owner = nullptr;  // the registers hold t's values, zeros no longer
        return false;
    }
    save(*fp);  // the kernel runs with the user's FS, so the registers are accessible
    st = (st & ~kFsMask) | kFsClean;
    this_hart().fp_owner = &t;
    return true;
}

bool fpu_live(const Thread& t) {
    const void* owner = this_hart().fp_owner;
    return owner == &t || (!t.fp && owner == &kZeroFp);
}

void fpu_before_enter(Thread& t) {
    if (fpu_live(t)) return;
    // A thread that never used FP needs zeros, which the registers may hold already (the
    // owner is then kZeroFp itself): switching between such threads loads nothing.
    load(fp_state(t));
    this_hart().fp_owner = t.fp ? static_cast<const void*>(&t) : &kZeroFp;
    t.frame.trap.sstatus = (t.frame.trap.sstatus & ~kFsMask) | kFsClean;
}

void fpu_forget(Thread& t) {
    for (size_t i = 0; i < g_hart_count; ++i)
        if (g_harts[i].fp_owner == &t) g_harts[i].fp_owner = nullptr;
}

}  // namespace rt
